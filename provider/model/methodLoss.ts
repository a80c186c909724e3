// Who loses a sign-in method they have registered when a method configuration changes: the
// Microsoft Authenticator configuration (state, include/exclude targets, authentication mode) or
// the passkey (FIDO2) configuration (state, targets, the passkey types and key restrictions of the
// profiles a user gets). Pure: the current and the declared configuration, and the registration
// report's rows of the users who hold the method (with the memberships of the groups the two
// configurations name) in; per method, who can no longer use a method they use today out.
//
// What the registration report lets this tell (graph-contract.md §5.4–§5.5, passkeys §4–§5):
// - Authenticator: `microsoftAuthenticatorPush` needs a target in mode any or push,
//   `microsoftAuthenticatorPasswordless` one in mode any or deviceBasedPush (a deviceBasedPush-only
//   target leaves push users without push). `softwareOneTimePasscode` is not counted as
//   Authenticator's: the report does not say whether the codes come from Authenticator or from
//   another app (a third-party app's are governed by the Software OATH method), so it counts as
//   another MFA method.
// - Passkeys: `passKeySynced` needs a profile allowing synced passkeys, the device-bound kinds
//   (`passKeyDeviceBound*`, `fido2SecurityKey`, the legacy `fido2`) one allowing device-bound ones.
//   Key restrictions act on the key's AAGUID, which the report names only for passkeys in Microsoft
//   Authenticator (`passKeyDeviceBoundAuthenticator`): for the others a restriction the current
//   profiles do not have is "cannot tell" (counted apart). Attestation (`registrationOnly`) is
//   enforced at registration only, so it takes no registered passkey away.
// - Default method: the report's userPreferredMethodForSecondaryAuthentication is `push` for
//   Authenticator push; it has no value for passkeys, so no passkey loss counts as a default.
import { ALL_USERS, isGuid, isUnknown, type UnknownValue } from "./ids";
import {
  QUALIFYING_PASSKEY_PROVIDER_AAGUIDS,
  isPasskeyRegistration,
  passkeyProfilesFor,
  targetCovers,
  type PasskeyEligibilitySettings,
  type PasskeyProfileFacts,
  type UserFacts,
} from "./eligibility";
import type { AuthenticatorSettings } from "./types";
import { checkBoolean, describeValue, propertyPath, type ProblemCollector } from "./validation";

/** The methods a change can take away (DESIGN.md: impact's `methodLoss[].method`). */
export type LossMethod = "microsoftAuthenticator" | "passkey";

/** The report's methodsRegistered values each method covers (§5.5; passkeys §5). */
export const AUTHENTICATOR_REGISTRATIONS = [
  "microsoftAuthenticatorPush",
  "microsoftAuthenticatorPasswordless",
] as const;
export const PASSKEY_REGISTRATIONS = [
  "passKeyDeviceBound",
  "passKeyDeviceBoundAuthenticator",
  "passKeyDeviceBoundWindowsHello",
  "passKeySynced",
  "fido2SecurityKey",
  "fido2",
] as const;

/** The registrations a method covers. */
export function registrationsOf(method: LossMethod): readonly string[] {
  return method === "microsoftAuthenticator" ? AUTHENTICATOR_REGISTRATIONS : PASSKEY_REGISTRATIONS;
}

/**
 * The report values to read the holders by: the legacy `fido2` is left out, since the report now
 * answers `passKeyDeviceBound` for it (passkeys §5), and each query counts against the reports
 * limit (5 requests / 10 s).
 */
export function holderQueriesOf(method: LossMethod): readonly string[] {
  return registrationsOf(method).filter((registration) => registration !== "fido2");
}

/** Registered methods that are never a second factor (self-service password reset only, or TAP). */
const NOT_MFA = new Set(["email", "securityquestion", "temporaryaccesspass"]);

/** One user as the check needs them: the report's row and the memberships of the named groups. */
export interface MethodHolder extends Pick<
  UserFacts,
  "id" | "groupIds" | "methodsRegistered" | "preferredMfaMethod"
> {
  userPrincipalName: string;
  displayName?: string;
}

export type AuthenticatorScope = Pick<
  AuthenticatorSettings,
  "state" | "includeTargets" | "excludeTargets"
>;

/** One user who loses the method. */
export interface LosingUser {
  id: string;
  userPrincipalName: string;
  displayName?: string;
  /** The registrations (methodsRegistered values) they could use before and cannot after. */
  lost: string[];
  /** They use the method as their default MFA method. */
  defaultMethod: boolean;
  /** No other MFA method is registered. */
  onlyMfaMethod: boolean;
  /** A member of a break-glass (emergency access) group. */
  breakGlass: boolean;
}

export interface MethodLoss {
  method: LossMethod;
  users: number;
  defaultMethod: number;
  onlyMfaMethod: number;
  /** Everyone who loses it: break-glass accounts first, then no other MFA method, then by UPN. */
  losers: LosingUser[];
  /** Users the report cannot settle (a key restriction on a passkey whose AAGUID it does not name). */
  undetermined: number;
}

export interface MethodLossOptions {
  /** Lower-case ids of break-glass groups (entra-nudge:breakGlassGroups). */
  breakGlassGroups?: readonly string[];
}

type Usable = "yes" | "no" | "maybe";

function lossOf(
  method: LossMethod,
  holders: readonly MethodHolder[],
  usable: (user: MethodHolder, registration: string) => { before: Usable; after: Usable },
  options: MethodLossOptions,
): MethodLoss {
  const registrations = new Set(registrationsOf(method).map((r) => r.toLowerCase()));
  const breakGlass = new Set((options.breakGlassGroups ?? []).map((id) => id.toLowerCase()));
  const losers: LosingUser[] = [];
  let undetermined = 0;
  for (const user of holders) {
    const held = user.methodsRegistered.filter((m) => registrations.has(m.toLowerCase()));
    if (held.length === 0) continue;
    const lost: string[] = [];
    let unsure = false;
    for (const registration of held) {
      const { before, after } = usable(user, registration);
      if (before !== "no" && after === "no") lost.push(registration);
      else if (before === "yes" && after === "maybe") unsure = true;
    }
    if (lost.length === 0) {
      if (unsure) undetermined++;
      continue;
    }
    const lostSet = new Set(lost.map((m) => m.toLowerCase()));
    const others = user.methodsRegistered.filter(
      (m) => !lostSet.has(m.toLowerCase()) && !NOT_MFA.has(m.toLowerCase()),
    );
    losers.push({
      id: user.id,
      userPrincipalName: user.userPrincipalName,
      ...(user.displayName ? { displayName: user.displayName } : {}),
      lost,
      defaultMethod:
        method === "microsoftAuthenticator" &&
        lostSet.has("microsoftauthenticatorpush") &&
        (user.preferredMfaMethod ?? "").toLowerCase() === "push",
      onlyMfaMethod: others.length === 0,
      breakGlass: [...user.groupIds].some((id) => breakGlass.has(id.toLowerCase())),
    });
  }
  losers.sort(
    (a, b) =>
      Number(b.breakGlass) - Number(a.breakGlass) ||
      Number(b.onlyMfaMethod) - Number(a.onlyMfaMethod) ||
      (a.userPrincipalName < b.userPrincipalName
        ? -1
        : a.userPrincipalName > b.userPrincipalName
          ? 1
          : 0),
  );
  return {
    method,
    users: losers.length,
    defaultMethod: losers.filter((user) => user.defaultMethod).length,
    onlyMfaMethod: losers.filter((user) => user.onlyMfaMethod).length,
    losers,
    undetermined,
  };
}

/** The Authenticator modes that allow each registration (§3: any, push, deviceBasedPush). */
function authenticatorModesFor(registration: string): readonly string[] {
  return registration.toLowerCase() === "microsoftauthenticatorpasswordless"
    ? ["any", "deviceBasedPush"]
    : ["any", "push"];
}

function authenticatorUsable(
  config: AuthenticatorScope,
  user: MethodHolder,
  registration: string,
): Usable {
  if (config.state !== "enabled") return "no";
  if (config.excludeTargets.some((target) => targetCovers(target, user))) return "no";
  const modes = authenticatorModesFor(registration);
  return config.includeTargets.some(
    (target) => targetCovers(target, user) && modes.includes(target.authenticationMode),
  )
    ? "yes"
    : "no";
}

/**
 * Who can no longer use Microsoft Authenticator (push, or passwordless sign-in) that they have
 * registered and use today, when `declared` replaces `current`.
 */
export function authenticatorMethodLoss(
  current: AuthenticatorScope,
  declared: AuthenticatorScope,
  holders: readonly MethodHolder[],
  options: MethodLossOptions = {},
): MethodLoss {
  return lossOf(
    "microsoftAuthenticator",
    holders,
    (user, registration) => ({
      before: authenticatorUsable(current, user, registration),
      after: authenticatorUsable(declared, user, registration),
    }),
    options,
  );
}

/** The known AAGUIDs behind a registration the report names (only passkeys in Authenticator). */
const KNOWN_AAGUIDS: Record<string, readonly string[]> = {
  passkeydeviceboundauthenticator: [...QUALIFYING_PASSKEY_PROVIDER_AAGUIDS]
    .filter(([, name]) => name.startsWith("Microsoft Authenticator"))
    .map(([aaGuid]) => aaGuid),
};

function keyAllows(profile: PasskeyProfileFacts, registration: string): Usable {
  const restrictions = profile.keyRestrictions;
  if (!restrictions?.isEnforced) return "yes";
  const listed = new Set(restrictions.aaGuids.map((id) => id.toLowerCase()));
  const known = KNOWN_AAGUIDS[registration.toLowerCase()];
  if (known === undefined) {
    // An empty block list blocks nothing; otherwise the report cannot tell which key it is.
    return restrictions.enforcementType === "block" && listed.size === 0 ? "yes" : "maybe";
  }
  const named = known.some((id) => listed.has(id));
  return (restrictions.enforcementType === "allow") === named ? "yes" : "no";
}

function passkeyType(registration: string): string {
  return registration.toLowerCase() === "passkeysynced" ? "synced" : "deviceBound";
}

function passkeyUsable(
  config: PasskeyEligibilitySettings,
  user: MethodHolder,
  registration: string,
): Usable {
  const type = passkeyType(registration);
  let answer: Usable = "no";
  for (const profile of passkeyProfilesFor(user, config)) {
    if (!profile.passkeyTypes.includes(type)) continue;
    const key = keyAllows(profile, registration);
    if (key === "yes") return "yes";
    if (key === "maybe") answer = "maybe";
  }
  return answer;
}

/**
 * Who can no longer use a passkey (or FIDO2 security key) they have registered and use today, when
 * `declared` replaces `current`: the method off or excluding them, no target giving them a
 * profile, their passkey's type no longer in their profiles, or a key restriction that blocks it.
 */
export function passkeyMethodLoss(
  current: PasskeyEligibilitySettings,
  declared: PasskeyEligibilitySettings,
  holders: readonly MethodHolder[],
  options: MethodLossOptions = {},
): MethodLoss {
  return lossOf(
    "passkey",
    holders,
    (user, registration) => ({
      before: passkeyUsable(current, user, registration),
      after: passkeyUsable(declared, user, registration),
    }),
    options,
  );
}

/** Whether a user holds a registration of the method (the report's filter answers exactly these). */
export function holdsMethod(method: LossMethod, methodsRegistered: readonly string[]): boolean {
  if (method === "passkey") return methodsRegistered.some(isPasskeyRegistration);
  const wanted = new Set(AUTHENTICATOR_REGISTRATIONS.map((r) => r.toLowerCase()));
  return methodsRegistered.some((m) => wanted.has(m.toLowerCase()));
}

/** The group ids whose members decide who keeps the method (both sides, `all_users` aside). */
export function groupsDecidingLoss(
  ...configs: {
    includeTargets: readonly { id: string; targetType: string }[];
    excludeTargets: readonly { id: string; targetType: string }[];
  }[]
): string[] {
  const ids = new Set<string>();
  for (const config of configs) {
    for (const target of [...config.includeTargets, ...config.excludeTargets]) {
      if (target.targetType === "group" && target.id !== ALL_USERS)
        ids.add(target.id.toLowerCase());
    }
  }
  return [...ids].sort();
}

// ---- Reviewer words --------------------------------------------------------------------------

const METHOD_WORDS: Record<LossMethod, string> = {
  microsoftAuthenticator: "Microsoft Authenticator",
  passkey: "their passkey (FIDO2)",
};

/** How many names a message lists before "and N more". */
export const NAMES_SHOWN = 5;

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
}

function nameOf(user: LosingUser): string {
  const notes = [
    ...(user.breakGlass ? ["break-glass"] : []),
    ...(user.onlyMfaMethod ? ["no other MFA method"] : []),
    ...(user.defaultMethod ? ["default MFA method"] : []),
  ];
  return `${user.userPrincipalName}${notes.length > 0 ? ` (${notes.join(", ")})` : ""}`;
}

/** "8 users who have Microsoft Authenticator registered lose it: 8 use it as …; 1 has no …" */
export function describeMethodLoss(loss: MethodLoss): string {
  const what = METHOD_WORDS[loss.method];
  const counts = [
    ...(loss.method === "microsoftAuthenticator"
      ? [
          `${loss.defaultMethod.toLocaleString("en-US")} ${loss.defaultMethod === 1 ? "uses" : "use"} it as their default MFA method`,
        ]
      : []),
    `${loss.onlyMfaMethod.toLocaleString("en-US")} ${loss.onlyMfaMethod === 1 ? "has" : "have"} no other MFA method registered and could no longer complete MFA`,
  ];
  const shown = loss.losers.slice(0, NAMES_SHOWN).map(nameOf);
  const more = loss.users - shown.length;
  const breakGlass = loss.losers.filter((user) => user.breakGlass).length;
  return (
    `${plural(loss.users, "user")} who ${loss.users === 1 ? "has" : "have"} ${what} registered would no longer be allowed to use it: ` +
    `${counts.join("; ")}. ` +
    (breakGlass > 0 ? `${plural(breakGlass, "break-glass account")} among them. ` : "") +
    `${shown.join(", ")}${more > 0 ? ` and ${more.toLocaleString("en-US")} more` : ""}.` +
    (loss.undetermined > 0
      ? ` For ${plural(loss.undetermined, "more user")} the report cannot tell: their passkey's model (AAGUID) is not in the report, and the new key restrictions may block it.`
      : "")
  );
}

// ---- The arguments -----------------------------------------------------------------------------

/** Validates `allowMethodLoss` (boolean) and `allowMethodLossFor` (object ids or UPNs). */
export function checkMethodLossArgs(
  collector: ProblemCollector,
  raw: { allowMethodLoss?: unknown; allowMethodLossFor?: unknown },
): void {
  checkBoolean(
    collector,
    "allowMethodLoss",
    raw.allowMethodLoss,
    "Use true to let a change that takes the method from users who have it registered go on (it is still shown), or false (the default) to stop it at preview.",
  );
  const list = raw.allowMethodLossFor;
  if (list === undefined || list === null || isUnknown(list)) return;
  const fix =
    "List the break-glass accounts that may be left with no MFA method, by object id or user principal name.";
  if (!Array.isArray(list)) {
    collector.add("allowMethodLossFor", `${describeValue(list)} is not a list. ${fix}`);
    return;
  }
  list.forEach((item: unknown, index) => {
    if (isUnknown(item)) return;
    if (typeof item !== "string" || !(isGuid(item) || /^[^@\s]+@[^@\s]+$/.test(item))) {
      collector.add(
        propertyPath("allowMethodLossFor", index),
        `${describeValue(item)} is neither an object id (GUID) nor a user principal name. ${fix}`,
      );
    }
  });
}

/** The canonical inputs: absent when omitted; ids and UPNs lower-case, sorted, without repeats. */
export function methodLossInputs(args: object): {
  allowMethodLoss?: boolean | UnknownValue;
  allowMethodLossFor?: (string | UnknownValue)[] | UnknownValue;
} {
  const { allowMethodLoss: allow, allowMethodLossFor: list } = args as {
    allowMethodLoss?: boolean | UnknownValue | null;
    allowMethodLossFor?: readonly (string | UnknownValue)[] | UnknownValue | null;
  };
  return {
    ...(allow === undefined || allow === null ? {} : { allowMethodLoss: allow }),
    ...(list === undefined || list === null
      ? {}
      : isUnknown(list)
        ? { allowMethodLossFor: list }
        : {
            allowMethodLossFor: [
              ...new Set(
                list.map((item) => (typeof item === "string" ? item.toLowerCase() : item)),
              ),
            ].sort((a, b) => String(a).localeCompare(String(b))),
          }),
  };
}
