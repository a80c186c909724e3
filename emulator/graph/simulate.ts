// The registration campaign running for some simulated days, so that demos and tests see real
// progress (DESIGN.md's seed scenario): users sign in with MFA, the campaign nudges those the
// eligibility model says it nudges (provider/model/eligibility.ts: the one implementation the
// `impact` and `report` commands use too), and each prompted user either finishes the wizard or
// snoozes ("Not now", or closing the browser, §2.7 item 9).
//
// - Snoozes honour the campaign: no prompt again for snoozeDurationInDays (0 = at the next
//   sign-in); with enforceRegistrationAfterAllowedSnoozes (always when Microsoft managed, §2.8)
//   the prompt after 3 snoozes cannot be skipped, so the user registers. The per-user snooze
//   count persists across simulations and campaign changes (§2.2).
// - Finishing the wizard registers Microsoft Authenticator with notification and code: the
//   report's methodsRegistered gains microsoftAuthenticatorPush (and softwareOneTimePasscode),
//   push becomes the preferred method, the phone stays as a backup method; the audit log gets
//   "User started security info registration" and "User registered security info" (§6.3) with the
//   observed result reasons, initiated by the user.
// - The campaign configuration and group memberships are read once, at the start: a simulation is
//   one uninterrupted stretch of days. The emulator's clock then moves on by those days, so the
//   records are in the past when read.
import { randomUUID } from "node:crypto";
import {
  authenticatorFromGraph,
  campaignFromGraph,
  evaluateUser,
  groupsNamedBy,
  type GraphAuthenticationMethodsPolicy,
  type GraphAuthenticatorConfiguration,
  type NudgeConfiguration,
  type UserFacts,
} from "../../provider/model";
import { seededRandom } from "../random.js";
import type { JsonObject, TenantUser } from "../tenants/format";
import { mfaRegistered } from "./reports";
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
  snoozes: number;
  registrations: SimulatedRegistration[];
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

/** The campaign and Authenticator configuration in force, in the model's canonical form. */
function configurationOf(state: DirectoryState): {
  config: NudgeConfiguration;
  snoozeDays: number;
  enforce: boolean;
} {
  const snapshot = state.policy;
  const campaign = campaignFromGraph({
    registrationEnforcement: snapshot.policy.registrationEnforcement,
  } as GraphAuthenticationMethodsPolicy);
  const authenticator = authenticatorFromGraph(
    (snapshot.configurations.get("microsoftauthenticator") ??
      {}) as unknown as GraphAuthenticatorConfiguration,
  );
  return {
    config: { campaign, authenticator },
    snoozeDays: campaign.snoozeDurationInDays,
    // Microsoft managed always limits snoozes (§2.8); Graph's default is true (§2.2).
    enforce:
      campaign.state === "default" || campaign.enforceRegistrationAfterAllowedSnoozes !== false,
  };
}

function factsOf(user: TenantUser, groupIds: ReadonlySet<string>): UserFacts {
  const methods = user.methods ?? [];
  return {
    id: user.id.toLowerCase(),
    userType: user.userType === "Guest" ? "guest" : "member",
    groupIds,
    methodsRegistered: methods,
    isMfaRegistered: mfaRegistered(methods),
  };
}

/** The audit record Graph writes for a user's own security-info step (§6.3, §9.7). */
function userAudit(
  user: TenantUser,
  at: number,
  activity: string,
  resultReason: string,
  ipAddress: string,
): JsonObject {
  const correlationId = randomUUID();
  return {
    id: `AuthMethods_${correlationId}_SIM_${String(at % 1e8).padStart(8, "0")}`,
    category: "UserManagement",
    correlationId,
    result: "success",
    resultReason,
    activityDisplayName: activity,
    activityDateTime: graphTimestamp(at),
    loggedByService: "Authentication Methods",
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
    additionalDetails: [],
  };
}

/**
 * Runs the campaign for `days` days from `start` (the emulator's now). Returns what happened; the
 * caller moves the emulator's clock on by the days simulated.
 */
export function simulateCampaign(
  state: DirectoryState,
  start: number,
  auditDelayMs: number,
  parameters: Required<SimulationParameters>,
): SimulationResult {
  const { config, snoozeDays, enforce } = configurationOf(state);
  // Memberships of the groups the configuration names, user id → group ids.
  const groupsOf = new Map<string, Set<string>>();
  for (const groupId of groupsNamedBy(config)) {
    const group = state.readableGroup(groupId, start);
    if (!group) continue;
    for (const member of state.transitiveMemberIds(group, start)) {
      let set = groupsOf.get(member.toLowerCase());
      if (!set) groupsOf.set(member.toLowerCase(), (set = new Set()));
      set.add(groupId);
    }
  }
  const none: ReadonlySet<string> = new Set();
  // The report's population: enabled users, in a stable order so a seed replays exactly.
  const population = state.seed.userIdsSorted.filter((id) => state.users.get(id)?.accountEnabled);
  const random = seededRandom(parameters.seed);
  const result: SimulationResult = {
    startDateTime: new Date(start).toISOString(),
    endDateTime: new Date(start + parameters.days * DAY_MS).toISOString(),
    days: parameters.days,
    signIns: 0,
    prompts: 0,
    snoozes: 0,
    registrations: [],
  };
  for (let day = 0; day < parameters.days; day++) {
    const records: { at: number; body: JsonObject }[] = [];
    for (const id of population) {
      if (random() >= parameters.signInRate) continue;
      // Sign-ins leave room for the wizard: a registration that finished after the simulated period
      // would be in the emulator's future (its clock ends with the period), so its audit record
      // would not be visible yet while the registration report already shows it.
      const at = start + day * DAY_MS + Math.floor(random() * (DAY_MS - WIZARD_MS));
      const choice = random();
      const user = state.users.get(id) as TenantUser;
      const facts = factsOf(user, groupsOf.get(id.toLowerCase()) ?? none);
      // No second factor, no interactive MFA sign-in (and so no nudge).
      if (!facts.isMfaRegistered) continue;
      result.signIns++;
      if (!evaluateUser(facts, config).nudged) continue;
      const memory = state.nudges.get(id) ?? { snoozes: 0, snoozedUntil: 0 };
      if (at < memory.snoozedUntil) continue;
      result.prompts++;
      const required = enforce && memory.snoozes >= 3;
      if (!required && choice >= parameters.completeRate) {
        // "Not now": no prompt again until the snooze ends (0 days: the next sign-in).
        state.nudges.set(id, {
          snoozes: memory.snoozes + 1,
          snoozedUntil: at + snoozeDays * DAY_MS + 1,
        });
        result.snoozes++;
        continue;
      }
      state.nudges.set(id, memory);
      const ip = `198.51.100.${1 + (result.registrations.length % 254)}`;
      const finished = at + WIZARD_MS;
      const registered = state.updateUser(id, (u) => {
        const methods = u.methods ?? [];
        for (const method of ["microsoftAuthenticatorPush", "softwareOneTimePasscode"]) {
          if (!methods.includes(method)) methods.push(method);
        }
        return {
          ...u,
          methods,
          preferredMethod: "push",
          registrationUpdatedDateTime: graphTimestamp(finished),
        };
      });
      records.push(
        {
          at: at + 30_000,
          body: userAudit(
            registered,
            at + 30_000,
            "User started security info registration",
            "User started the registration for Authenticator App with Notification and Code",
            ip,
          ),
        },
        {
          at: finished,
          body: userAudit(
            registered,
            finished,
            "User registered security info",
            "User registered Authenticator App with Notification and Code",
            ip,
          ),
        },
      );
      result.registrations.push({
        id: registered.id,
        userPrincipalName: registered.userPrincipalName,
        registeredDateTime: String(records[records.length - 1].body.activityDateTime),
        required,
      });
    }
    // The log lists records in the order they were written: write the day's in time order.
    records.sort((a, b) => a.at - b.at);
    for (const record of records)
      state.appendAudit(record.body, record.at, record.at + auditDelayMs);
  }
  result.registrations.sort((a, b) => (a.registeredDateTime < b.registeredDateTime ? -1 : 1));
  return result;
}
