// The registration campaign running for some simulated days, so that demos and tests see real
// progress: users sign in with MFA, the campaign nudges those signin.ts says it nudges (the
// emulator's own reading of the contract, independent of the product's model), and each prompted
// user either finishes the wizard or snoozes ("Not now", or closing the browser, §2.7 item 9).
//
// - Snoozes follow the rules signin.ts gives for the user's nudge: no prompt again for the snooze
//   days (0 = at the next sign-in); with a snooze limit, the prompt after 3 snoozes cannot be
//   skipped, so the user registers. The per-user snooze count persists across simulations and
//   campaign changes, including a change of method (graph-contract-passkeys.md §3).
// - Finishing an Authenticator wizard registers Microsoft Authenticator with notification and code:
//   methodsRegistered gains microsoftAuthenticatorPush and softwareOneTimePasscode, push becomes
//   the preferred method, the phone stays as a backup; the audit log gets "User started security
//   info registration" and "User registered security info" (§6.3), initiated by the user.
// - Finishing a passkey wizard registers one passkey of a type the user's profiles allow: synced
//   (methodsRegistered `passKeySynced`, switch `syncedPasskeyMethod`), or device-bound in Microsoft
//   Authenticator (`passKeyDeviceBoundAuthenticator`), Windows Hello (`passKeyDeviceBoundWindowsHello`)
//   or on a security key (`fido2SecurityKey`); a profile with an AAGUID allow-list gets a
//   device-bound `passKeyDeviceBound` with an allowed AAGUID. The audit log gets "Add Passkey
//   (device-bound)" (Device Registration Service, the AAGUID in additionalDetails) for a
//   device-bound passkey, and "User registered security info" with AuthenticationMethod Passkey
//   (graph-contract-passkeys.md §5). The preferred MFA method does not change: the report's
//   userPreferredMethodForSecondaryAuthentication has no passkey member.
// - The configuration and group memberships are read once, at the start: a simulation is one
//   uninterrupted stretch of days. The emulator's clock then moves on by those days, so the
//   records are in the past when read.
import { randomUUID } from "node:crypto";
import { seededRandom } from "../random.js";
import type { JsonObject, JsonValue, TenantUser } from "../tenants/format";
import type { EffectiveOptions } from "./context";
import {
  SignInRules,
  type NoNudge,
  type Nudge,
  type NudgeMethod,
  type SignInOutcome,
} from "./signin";
import type { DirectoryState } from "./state";
import { graphTimestamp } from "./time";

export const DAY_MS = 24 * 60 * 60 * 1000;
/** How long the registration wizard takes from the prompt to "User registered security info". */
const WIZARD_MS = 90_000;

export interface SimulationParameters {
  /** Simulated days, 1–365. */
  days: number;
  /** Seed of the random choices (default 1): the same seed, tenant and settings give the same run. */
  seed?: number;
  /** Probability that a user signs in interactively with MFA on a given day (default 0.7). */
  signInRate?: number;
  /** Probability that a prompted user finishes the wizard rather than snoozing (default 0.3). */
  completeRate?: number;
}

export interface SimulatedRegistration {
  id: string;
  userPrincipalName: string;
  /** What the user was nudged to set up. */
  method: NudgeMethod;
  /** The methodsRegistered value the registration added (e.g. microsoftAuthenticatorPush, passKeySynced). */
  registeredMethod: string;
  /** When the wizard finished (ISO 8601, the audit record's activityDateTime). */
  registeredDateTime: string;
  /** Whether the prompt could no longer be skipped (after 3 snoozes). */
  required: boolean;
}

export interface SimulationResult {
  startDateTime: string;
  endDateTime: string;
  days: number;
  /** Interactive MFA sign-ins. */
  signIns: number;
  /** Sign-ins that showed the nudge. */
  prompts: number;
  /** The prompts by the method they nudged to. */
  promptsByMethod: Record<NudgeMethod, number>;
  snoozes: number;
  registrations: SimulatedRegistration[];
}

/** Whom the campaign would prompt if every user signed in with MFA now. */
export interface PromptForecast {
  /** Users shown the nudge, by object id, ascending. */
  prompted: {
    id: string;
    userPrincipalName: string;
    method: NudgeMethod;
    /** The snooze rules of the prompt (signin.ts): days, and snoozes allowed (null = unlimited). */
    snoozeDays: number;
    snoozeLimit: number | null;
  }[];
  /** The others, counted by why not. */
  notPrompted: Partial<Record<NoNudge | "snoozed", number>>;
}

function probability(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
    throw new Error(`"${name}" must be a number from 0 to 1, got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** Checks the control endpoint's body; throws with the fix. */
export function simulationParameters(
  body: Record<string, unknown>,
): Required<SimulationParameters> {
  const known = ["days", "seed", "signInRate", "completeRate"];
  const unknown = Object.keys(body).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown simulation parameter(s) ${unknown.join(", ")}; use ${known.join(", ")}.`,
    );
  }
  const { days, seed } = body;
  if (typeof days !== "number" || !Number.isInteger(days) || days < 1 || days > 365) {
    throw new Error(`"days" must be a whole number from 1 to 365, got ${JSON.stringify(days)}.`);
  }
  if (seed !== undefined && (typeof seed !== "number" || !Number.isInteger(seed))) {
    throw new Error(`"seed" must be a whole number, got ${JSON.stringify(seed)}.`);
  }
  return {
    days,
    seed: (seed as number | undefined) ?? 1,
    signInRate: probability("signInRate", body.signInRate, 0.7),
    completeRate: probability("completeRate", body.completeRate, 0.3),
  };
}

/** The audit record Graph writes for a user's own security-info step (§6.3, §9.7). */
function userAudit(
  user: TenantUser,
  at: number,
  activity: string,
  resultReason: string,
  ipAddress: string,
  service = "Authentication Methods",
  additionalDetails: JsonObject[] = [],
): JsonObject {
  const correlationId = randomUUID();
  const prefix = service === "Authentication Methods" ? "AuthMethods" : "DRS";
  return {
    id: `${prefix}_${correlationId}_SIM_${String(at % 1e8).padStart(8, "0")}`,
    category: "UserManagement",
    correlationId,
    result: "success",
    resultReason,
    activityDisplayName: activity,
    activityDateTime: graphTimestamp(at),
    loggedByService: service,
    operationType: "Add",
    initiatedBy: {
      app: null,
      user: {
        id: user.id,
        displayName: user.displayName,
        userPrincipalName: user.userPrincipalName,
        ipAddress,
        userType: null,
        homeTenantId: null,
        homeTenantName: null,
      },
    },
    targetResources: [
      {
        id: user.id,
        displayName: null,
        type: "User",
        userPrincipalName: user.userPrincipalName,
        groupType: null,
        modifiedProperties: [],
      },
    ],
    additionalDetails: additionalDetails as JsonValue[],
  };
}

/** AAGUIDs of the passkeys the simulation registers (passkeydeveloper's community list). */
const AAGUID = {
  googlePasswordManager: "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4",
  authenticator: "90a3ccdf-635c-4729-a248-9b709135078f",
  windowsHello: "08987058-cadc-4b81-b6e1-30de50dcbe96",
  yubiKey5: "cb69481e-8ff7-4039-93ec-0a2729a154a8",
};

interface Registered {
  method: string;
  /** Device-bound passkeys get "Add Passkey (device-bound)" with their AAGUID. */
  deviceBoundAaGuid?: string;
  startReason: string;
  reason: string;
}

/** Which credential a user creates in the wizard of their nudge (seeded). */
function registrationFor(
  nudge: Nudge,
  choice: number,
  options: Pick<EffectiveOptions, "syncedPasskeyMethod">,
): Registered {
  if (nudge.method === "microsoftAuthenticator")
    return {
      method: "microsoftAuthenticatorPush",
      startReason: "User started the registration for Authenticator App with Notification and Code",
      reason: "User registered Authenticator App with Notification and Code",
    };
  const passkey = (method: string, deviceBoundAaGuid?: string): Registered => ({
    method,
    deviceBoundAaGuid,
    startReason: "User started the registration for Passkey",
    reason: "User registered Passkey",
  });
  if (nudge.allowedAaGuids.length > 0)
    return passkey("passKeyDeviceBound", nudge.allowedAaGuids[0]);
  const synced = nudge.passkeyTypes.includes("synced");
  const deviceBound = nudge.passkeyTypes.includes("deviceBound");
  if (synced && (!deviceBound || choice < 0.5)) return passkey(options.syncedPasskeyMethod);
  const r = synced ? (choice - 0.5) * 2 : choice;
  if (r < 0.5) return passkey("passKeyDeviceBoundAuthenticator", AAGUID.authenticator);
  if (r < 0.8) return passkey("passKeyDeviceBoundWindowsHello", AAGUID.windowsHello);
  return passkey("fido2SecurityKey", AAGUID.yubiKey5);
}

/** The report's population: enabled users, in a stable order so a seed replays exactly. */
function population(state: DirectoryState): TenantUser[] {
  const users: TenantUser[] = [];
  for (const id of state.seed.userIdsSorted) {
    const user = state.users.get(id) as TenantUser;
    if (user.accountEnabled) users.push(user);
  }
  return users;
}

/**
 * Whom the campaign would prompt if every enabled user signed in with MFA at `now` (each with
 * their default MFA method): the emulator's answer for differential tests against a model.
 * Snoozed users count as not prompted only with `honourSnoozes`.
 */
export function forecastPrompts(
  state: DirectoryState,
  now: number,
  options: Pick<EffectiveOptions, "authenticatorNudgeAfter">,
  honourSnoozes = false,
): PromptForecast {
  const rules = new SignInRules(state, now, options);
  const forecast: PromptForecast = { prompted: [], notPrompted: {} };
  for (const user of population(state)) {
    const outcome = rules.outcome(user);
    let reason: NoNudge | "snoozed" | undefined = outcome.nudged ? undefined : outcome.reason;
    if (outcome.nudged && honourSnoozes && now < (state.nudges.get(user.id)?.snoozedUntil ?? 0))
      reason = "snoozed";
    if (reason) forecast.notPrompted[reason] = (forecast.notPrompted[reason] ?? 0) + 1;
    else if (outcome.nudged)
      forecast.prompted.push({
        id: user.id,
        userPrincipalName: user.userPrincipalName,
        method: outcome.method,
        snoozeDays: outcome.snoozeDays,
        snoozeLimit: outcome.snoozeLimit,
      });
  }
  return forecast;
}

/**
 * Runs the campaign for `days` days from `start` (the emulator's now). Returns what happened; the
 * caller moves the emulator's clock on by the days simulated.
 */
export function simulateCampaign(
  state: DirectoryState,
  start: number,
  options: Pick<
    EffectiveOptions,
    "auditDelayMs" | "authenticatorNudgeAfter" | "syncedPasskeyMethod"
  >,
  parameters: Required<SimulationParameters>,
): SimulationResult {
  const rules = new SignInRules(state, start, options);
  const users = population(state);
  const random = seededRandom(parameters.seed);
  // The configuration holds for the whole run, so a user's outcome changes only when they register.
  const outcomes = new Map<string, SignInOutcome>();
  const result: SimulationResult = {
    startDateTime: new Date(start).toISOString(),
    endDateTime: new Date(start + parameters.days * DAY_MS).toISOString(),
    days: parameters.days,
    signIns: 0,
    prompts: 0,
    promptsByMethod: { microsoftAuthenticator: 0, fido2: 0 },
    snoozes: 0,
    registrations: [],
  };
  for (let day = 0; day < parameters.days; day++) {
    const records: { at: number; body: JsonObject }[] = [];
    for (const listed of users) {
      if (random() >= parameters.signInRate) continue;
      // Sign-ins leave room for the wizard: a registration that finished after the simulated period
      // would be in the emulator's future (its clock ends with the period), so its audit record
      // would not be visible yet while the registration report already shows it.
      const at = start + day * DAY_MS + Math.floor(random() * (DAY_MS - WIZARD_MS));
      const choice = random();
      const user = state.users.get(listed.id) as TenantUser;
      let outcome = outcomes.get(user.id);
      if (!outcome) outcomes.set(user.id, (outcome = rules.outcome(user)));
      if (
        !outcome.nudged &&
        (outcome.reason === "noMfaMethod" || outcome.reason === "accountDisabled")
      )
        continue; // no interactive MFA sign-in at all
      result.signIns++;
      if (!outcome.nudged) continue;
      const memory = state.nudges.get(user.id) ?? { snoozes: 0, snoozedUntil: 0 };
      if (at < memory.snoozedUntil) continue;
      result.prompts++;
      result.promptsByMethod[outcome.method]++;
      const required = outcome.snoozeLimit !== null && memory.snoozes >= outcome.snoozeLimit;
      if (!required && choice >= parameters.completeRate) {
        // "Not now": no prompt again until the snooze ends (0 days: the next sign-in).
        state.nudges.set(user.id, {
          snoozes: memory.snoozes + 1,
          snoozedUntil: at + outcome.snoozeDays * DAY_MS + 1,
        });
        result.snoozes++;
        continue;
      }
      state.nudges.set(user.id, memory);
      const ip = `198.51.100.${1 + (result.registrations.length % 254)}`;
      const finished = at + WIZARD_MS;
      const registration = registrationFor(outcome, random(), options);
      const added =
        registration.method === "microsoftAuthenticatorPush"
          ? ["microsoftAuthenticatorPush", "softwareOneTimePasscode"]
          : [registration.method];
      const registered = state.updateUser(user.id, (u) => {
        const methods = u.methods ?? [];
        for (const method of added) if (!methods.includes(method)) methods.push(method);
        return {
          ...u,
          methods,
          ...(outcome.method === "microsoftAuthenticator" ? { preferredMethod: "push" } : {}),
          registrationUpdatedDateTime: graphTimestamp(finished),
        };
      });
      outcomes.delete(user.id);
      const passkey = outcome.method === "fido2";
      records.push({
        at: at + 30_000,
        body: userAudit(
          registered,
          at + 30_000,
          "User started security info registration",
          registration.startReason,
          ip,
        ),
      });
      if (registration.deviceBoundAaGuid)
        records.push({
          at: finished - 1_000,
          body: userAudit(
            registered,
            finished - 1_000,
            "Add Passkey (device-bound)",
            "",
            ip,
            "Device Registration Service",
            [{ key: "AAGUID", value: registration.deviceBoundAaGuid }],
          ),
        });
      records.push({
        at: finished,
        body: userAudit(
          registered,
          finished,
          "User registered security info",
          registration.reason,
          ip,
          "Authentication Methods",
          passkey ? [{ key: "AuthenticationMethod", value: "Passkey" }] : [],
        ),
      });
      result.registrations.push({
        id: registered.id,
        userPrincipalName: registered.userPrincipalName,
        method: outcome.method,
        registeredMethod: registration.method,
        registeredDateTime: graphTimestamp(finished),
        required,
      });
    }
    // The log lists records in the order they were written: write the day's in time order.
    records.sort((a, b) => a.at - b.at);
    for (const record of records)
      state.appendAudit(record.body, record.at, record.at + options.auditDelayMs);
  }
  result.registrations.sort((a, b) => (a.registeredDateTime < b.registeredDateTime ? -1 : 1));
  return result;
}
