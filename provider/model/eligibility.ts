// Who the registration campaign nudges, and to what (graph-contract.md §2.7–2.8, §3.4, §5.5;
// graph-contract-passkeys.md §2–§3, §7): one user's facts and one configuration in, "nudged to set
// up Microsoft Authenticator / a passkey" or the first reason why not out. Everything that answers
// the question (`impact`, `report`, `readiness`, the preview check) calls this one implementation,
// so they agree by construction; the emulator's sign-in simulation is written independently and is
// the witness this model is checked against (tests/eligibility/differential.test.ts).
//
// The rules as they are in 2026 (HOWTO of 2026-09-02; earlier rules are in docs/readiness.md, not
// modelled):
// - the campaign runs (`enabled`, or `default` = Microsoft managed), an include target covers the
//   user and no exclude target does (group membership counts transitively, §2.7 item 3);
// - the method: `enabled` campaigns nudge to the method the campaign targets (one per campaign,
//   passkeys §1); Microsoft managed targets passkeys "when included users are enabled for passkeys",
//   Authenticator otherwise (§2). Decided per user: a member enabled for passkeys (the passkey
//   method on for them, self-service setup on, in a profile that is eligible when managed, §3's
//   table) gets the passkey nudge, everyone else the Authenticator nudge;
// - a passkey nudge shows after MFA with any method; never to guests; needs the passkey method to
//   enable the user with self-service setup ("in any passkey profile" when enabled, an eligible one
//   when managed); not to a user who already has a passkey (§3);
// - an Authenticator nudge needs the Authenticator method for the user in mode `any` or `push`
//   (§3.4); not to a user with Authenticator for push; `enabled` campaigns show it after any MFA
//   (DESIGN.md), Microsoft-managed ones only after SMS or voice MFA (§2.8);
// - snoozes: Microsoft managed fixes them: 1 day for both methods, unlimited for passkeys, limited
//   (3, then registration is required) for Authenticator (HOWTO 2026-09-02, "Microsoft managed
//   state" table; passkeys §2's "after" column says 1 day for the campaign as a whole); enabled
//   takes the campaign's.
//
// Approximations, stated in the output of `readiness`/`impact` and in docs/readiness.md:
// - "already has a passkey" is judged per OS and browser by Microsoft (§3); the registration report
//   shows methods per account, so any passKey* method, fido2SecurityKey or the legacy fido2 counts
//   for every device (Windows Hello for Business or a macOS Secure Enclave key alone does not);
// - "signs in with SMS or voice" is the report's default MFA method when the scan has it, else "has
//   a phone method registered";
// - the legacy per-tenant MFA setting (§8), Conditional Access, Linux and native Android apps are
//   not modelled.
import { canonicalMethod } from "./campaign";
import { ALL_USERS, isGuid, isUnknown } from "./ids";
import type {
  AuthenticatorIncludeTarget,
  AuthenticatorSettings,
  CampaignExcludeTarget,
  CampaignIncludeTarget,
  CampaignSettings,
  PasskeyIncludeTarget,
  PasskeySettings,
  PreviewInputs,
} from "./types";

export type UserKind = "member" | "guest";

/** What decides one user's eligibility, as the registration report and group memberships tell it. */
export interface UserFacts {
  /** Lower-case object id. */
  id: string;
  /** The report's lower-case userType (§5.4). */
  userType: UserKind;
  /** Lower-case ids of the groups the user is in, transitively; the groups the configuration names suffice. */
  groupIds: ReadonlySet<string>;
  /** The report's methodsRegistered (§5.5). */
  methodsRegistered: readonly string[];
  /** The report's isMfaRegistered: a second-factor method is registered (§5.4). */
  isMfaRegistered: boolean;
  /**
   * The report's userPreferredMethodForSecondaryAuthentication (the method a sign-in uses), when
   * read; absent = judged from methodsRegistered.
   */
  preferredMfaMethod?: string;
}

/** A passkey profile, as far as eligibility needs it (passkeys §4). */
export interface PasskeyProfileFacts {
  /** Lower-case id. */
  id: string;
  /** The profile's name, when Graph gave one (resolves a declaration's references by name). */
  name?: string;
  /** "deviceBound", "synced" (the flags string split). */
  passkeyTypes: readonly string[];
  attestationEnforcement: string;
  keyRestrictions?: {
    isEnforced: boolean;
    enforcementType: string;
    aaGuids: readonly string[];
  };
}

export interface PasskeyIncludeTargetFacts {
  id: string;
  targetType: string;
  /** Lower-case profile ids. */
  allowedPasskeyProfiles: readonly string[];
}

/** The passkey (FIDO2) method configuration, as far as eligibility needs it (passkeys §3–§4). */
export interface PasskeyEligibilitySettings {
  state: string;
  isSelfServiceRegistrationAllowed: boolean;
  includeTargets: readonly PasskeyIncludeTargetFacts[];
  excludeTargets: readonly { id: string; targetType: string }[];
  passkeyProfiles: readonly PasskeyProfileFacts[];
  /** The default profile's lower-case id, when read (what a target naming no profile gets). */
  defaultPasskeyProfile?: string;
}

/** The parts of the singletons that decide who is nudged. */
export interface NudgeConfiguration {
  campaign: Pick<CampaignSettings, "state" | "includeTargets" | "excludeTargets"> &
    Partial<
      Pick<CampaignSettings, "snoozeDurationInDays" | "enforceRegistrationAfterAllowedSnoozes">
    >;
  authenticator: Pick<AuthenticatorSettings, "state" | "includeTargets" | "excludeTargets">;
  /** The passkey method configuration; absent = not read (treated as disabled: nobody enabled). */
  passkey?: PasskeyEligibilitySettings;
}

/** Why a user is not nudged, in the order the rules are applied (the first that holds is given). */
export const NOT_NUDGED_REASONS = [
  "campaignDisabled",
  "notIncluded",
  "excluded",
  "guestNoPasskeyNudge",
  "notEnabledForPasskeys",
  "selfServiceOff",
  "alreadyHasPasskey",
  "notEnabledForAuthenticator",
  "passwordlessOnly",
  "alreadyRegistered",
  "notMfaRegistered",
  "noPhoneMfa",
] as const;

export type NotNudgedReason = (typeof NOT_NUDGED_REASONS)[number];

/** The reasons only a passkey nudge gives. */
export const PASSKEY_REASONS: readonly NotNudgedReason[] = [
  "guestNoPasskeyNudge",
  "notEnabledForPasskeys",
  "selfServiceOff",
  "alreadyHasPasskey",
];

/** The method a nudge asks the user to set up (the campaign's value, canonical spelling). */
export type NudgeMethod = "microsoftAuthenticator" | "fido2";
export const NUDGE_METHODS: readonly NudgeMethod[] = ["microsoftAuthenticator", "fido2"];

export interface Nudge {
  nudged: true;
  method: NudgeMethod;
  /** Days a snooze lasts. */
  snoozeDays: number;
  /** Snoozes before registration is required; null = unlimited. */
  snoozeLimit: number | null;
}

export type Eligibility = Nudge | { nudged: false; reason: NotNudgedReason };

/** One sentence per reason, for reports. */
export const REASON_TEXT: Record<NotNudgedReason, string> = {
  campaignDisabled: "the registration campaign is disabled",
  notIncluded: "not included in the campaign's targets",
  excluded: "excluded from the campaign (exclusion wins over inclusion)",
  guestNoPasskeyNudge: "guests are never nudged to set up a passkey",
  notEnabledForPasskeys:
    "not enabled for passkeys (the passkey method is off for them, or no passkey profile applies)",
  selfServiceOff:
    'the passkey method does not allow self-service setup ("Allow self-service setup" is off)',
  alreadyHasPasskey:
    "already has a passkey or security key (judged per account: Microsoft judges per device)",
  notEnabledForAuthenticator: "not enabled for Microsoft Authenticator in the methods policy",
  passwordlessOnly:
    'enabled for Microsoft Authenticator only in Passwordless mode ("deviceBasedPush"), which makes them ineligible',
  alreadyRegistered: "already registered Microsoft Authenticator for push",
  notMfaRegistered: "no MFA method registered, so no MFA sign-in can show the nudge",
  noPhoneMfa:
    "the Microsoft-managed campaign nudges to Authenticator only users who do MFA by SMS or voice call, and they do not",
};

/** The approximation every per-user passkey answer carries (docs/readiness.md). */
export const PASSKEY_APPROXIMATION =
  'Microsoft decides "already has a passkey" per operating system and browser; the registration report lists methods per account, so a user with any passkey or security key counts as having one everywhere.';

/** The report's method that means "Authenticator for push": the campaign's conversion (§5.5). */
export const AUTHENTICATOR_PUSH = "microsoftAuthenticatorPush";
/** Phone methods: SMS or voice MFA, which Microsoft-managed Authenticator nudges require (§2.8). */
export const PHONE_METHODS: readonly string[] = [
  "mobilePhone",
  "alternateMobilePhone",
  "officePhone",
];
/** Default (preferred) MFA methods that are SMS or voice (userDefaultAuthenticationMethod, §5.4). */
const PHONE_DEFAULT_METHODS = new Set([
  "sms",
  "voicemobile",
  "voicealternatemobile",
  "voiceoffice",
]);
/** Registered methods that are only for self-service password reset, never a second factor (§5.5). */
const SSPR_ONLY_METHODS = new Set(["email", "securityquestion"]);
/** Snoozes allowed before registration is required when limited (HOWTO: 3, fixed). */
export const ALLOWED_SNOOZES = 3;
/**
 * AAGUIDs of the passkey providers whose presence in an allow-list keeps a profile eligible for a
 * Microsoft-managed campaign (passkeys §3: iCloud Keychain, Google Password Manager, Microsoft
 * Authenticator). From the community list github.com/passkeydeveloper/passkey-authenticator-aaguids;
 * Microsoft Entra passkey on Windows has no published AAGUID, so a list naming only it counts as
 * not eligible.
 */
export const QUALIFYING_PASSKEY_PROVIDER_AAGUIDS: ReadonlyMap<string, string> = new Map([
  ["fbfc3007-154e-4ecc-8c0b-6e020557d7bd", "iCloud Keychain"],
  ["dd4ec289-e01d-41c9-bb89-70fa845d4bf2", "iCloud Keychain (managed)"],
  ["ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4", "Google Password Manager"],
  ["90a3ccdf-635c-4729-a248-9b709135078f", "Microsoft Authenticator (iOS)"],
  ["de1e552d-db1d-4423-a619-566b625cdc84", "Microsoft Authenticator (Android)"],
]);

export function hasAuthenticatorPush(methods: readonly string[]): boolean {
  return methods.includes(AUTHENTICATOR_PUSH);
}

/** A passkey in the report's methods: any passKey* value, fido2SecurityKey, legacy fido2 (§5). */
export function isPasskeyRegistration(method: string): boolean {
  const m = method.toLowerCase();
  return m.startsWith("passkey") || m === "fido2securitykey" || m === "fido2";
}

export function hasPasskey(methods: readonly string[]): boolean {
  return methods.some(isPasskeyRegistration);
}

/**
 * Whose only MFA methods are SMS or voice (passkeys §7, [inferred]): a phone method registered and
 * every other registered method SSPR-only (email, security questions).
 */
export function isPhoneOnly(methods: readonly string[]): boolean {
  let phone = false;
  for (const method of methods) {
    if (PHONE_METHODS.includes(method)) phone = true;
    else if (!SSPR_ONLY_METHODS.has(method.toLowerCase())) return false;
  }
  return phone;
}

/** Whether this user's MFA sign-in is by SMS or voice (their default method, else a phone method). */
function mfaByPhone(user: UserFacts): boolean {
  if (user.preferredMfaMethod !== undefined && user.preferredMfaMethod !== "") {
    return PHONE_DEFAULT_METHODS.has(user.preferredMfaMethod.toLowerCase());
  }
  return user.methodsRegistered.some((method) => PHONE_METHODS.includes(method));
}

interface Target {
  id: string;
  targetType: string;
}

/** Whether a user/group target names this user: `all_users`, the user, or a group they are in. */
export function targetCovers(target: Target, user: Pick<UserFacts, "id" | "groupIds">): boolean {
  const id = target.id.toLowerCase();
  if (id === ALL_USERS) return true;
  if (target.targetType === "user") return id === user.id;
  if (target.targetType === "group") return user.groupIds.has(id);
  return false;
}

/**
 * The canonical method a target (or campaign) names; absent = Authenticator (the default; a
 * Microsoft-managed declaration leaves it to Microsoft, which evaluateUser decides per user).
 */
export function nudgeMethodOf(value: string | undefined): NudgeMethod | undefined {
  const method = canonicalMethod(value ?? "microsoftAuthenticator");
  return NUDGE_METHODS.find((known) => known === method);
}

/**
 * Whether a passkey profile makes its users eligible when the campaign is Microsoft managed
 * (passkeys §3's table): attestation enforced always; otherwise no enforced allow-list, or one that
 * names a qualifying passkey provider. Block lists are ignored.
 */
export function profileEligibleWhenManaged(profile: PasskeyProfileFacts): boolean {
  if (profile.attestationEnforcement === "registrationOnly") return true;
  const restrictions = profile.keyRestrictions;
  if (!restrictions?.isEnforced || restrictions.enforcementType !== "allow") return true;
  return restrictions.aaGuids.some((aaGuid) =>
    QUALIFYING_PASSKEY_PROVIDER_AAGUIDS.has(aaGuid.toLowerCase()),
  );
}

/** The passkey profiles that apply to the user ([] when the method is off for them or excludes them). */
export function passkeyProfilesFor(
  user: Pick<UserFacts, "id" | "groupIds">,
  passkey: PasskeyEligibilitySettings | undefined,
): PasskeyProfileFacts[] {
  if (!passkey || passkey.state !== "enabled") return [];
  if (passkey.excludeTargets.some((target) => targetCovers(target, user))) return [];
  const ids = new Set(
    passkey.includeTargets
      .filter((target) => targetCovers(target, user))
      .flatMap((target) => target.allowedPasskeyProfiles.map((id) => id.toLowerCase())),
  );
  return passkey.passkeyProfiles.filter((profile) => ids.has(profile.id.toLowerCase()));
}

/** Enabled for passkeys as a Microsoft-managed campaign means it (the September 2026 rules). */
function enabledForPasskeysWhenManaged(user: UserFacts, config: NudgeConfiguration): boolean {
  return (
    user.userType !== "guest" &&
    config.passkey?.isSelfServiceRegistrationAllowed === true &&
    passkeyProfilesFor(user, config.passkey).some(profileEligibleWhenManaged)
  );
}

/** Whether the campaign would nudge this user at their next MFA sign-in, and to what, or the first reason not. */
export function evaluateUser(user: UserFacts, config: NudgeConfiguration): Eligibility {
  const { campaign } = config;
  const no = (reason: NotNudgedReason): Eligibility => ({ nudged: false, reason });
  if (campaign.state !== "enabled" && campaign.state !== "default") return no("campaignDisabled");
  const including = campaign.includeTargets.filter(
    (target) =>
      nudgeMethodOf(target.targetedAuthenticationMethod) !== undefined &&
      targetCovers(target, user),
  );
  if (including.length === 0) return no("notIncluded");
  if (campaign.excludeTargets.some((target) => targetCovers(target, user))) return no("excluded");
  const managed = campaign.state === "default";
  const method = methodFor(user, config, including);
  const outcome =
    method === "fido2"
      ? passkeyOutcome(user, config, managed)
      : authenticatorOutcome(user, config, managed);
  if (!outcome.nudged) return outcome;
  return { nudged: true, method, ...snoozeRules(campaign, managed, method) };
}

/**
 * The method the campaign targets for this user, whether or not they are nudged (undefined: no
 * include target covers them): Microsoft managed decides per user (passkeys §2, the September 2026
 * rules), otherwise the first include target covering the user names it (passkeys §1). `report`
 * counts a user's progress by this method.
 */
export function targetedMethod(
  user: UserFacts,
  config: NudgeConfiguration,
): NudgeMethod | undefined {
  const including = config.campaign.includeTargets.filter(
    (target) =>
      nudgeMethodOf(target.targetedAuthenticationMethod) !== undefined &&
      targetCovers(target, user),
  );
  return including.length === 0 ? undefined : methodFor(user, config, including);
}

function methodFor(
  user: UserFacts,
  config: NudgeConfiguration,
  including: readonly CampaignIncludeTarget[],
): NudgeMethod {
  if (config.campaign.state === "default")
    return enabledForPasskeysWhenManaged(user, config) ? "fido2" : "microsoftAuthenticator";
  return nudgeMethodOf(including[0].targetedAuthenticationMethod) as NudgeMethod;
}

function passkeyOutcome(
  user: UserFacts,
  config: NudgeConfiguration,
  managed: boolean,
): Eligibility | { nudged: true } {
  const no = (reason: NotNudgedReason): Eligibility => ({ nudged: false, reason });
  if (user.userType === "guest") return no("guestNoPasskeyNudge");
  const profiles = passkeyProfilesFor(user, config.passkey);
  if ((managed ? profiles.filter(profileEligibleWhenManaged) : profiles).length === 0)
    return no("notEnabledForPasskeys");
  if (config.passkey?.isSelfServiceRegistrationAllowed !== true) return no("selfServiceOff");
  if (hasPasskey(user.methodsRegistered)) return no("alreadyHasPasskey");
  if (!user.isMfaRegistered) return no("notMfaRegistered");
  return { nudged: true };
}

function authenticatorOutcome(
  user: UserFacts,
  config: NudgeConfiguration,
  managed: boolean,
): Eligibility | { nudged: true } {
  const no = (reason: NotNudgedReason): Eligibility => ({ nudged: false, reason });
  const granting = authenticatorTargetsFor(user, config.authenticator);
  if (granting.length === 0) return no("notEnabledForAuthenticator");
  if (granting.every((target) => target.authenticationMode === "deviceBasedPush")) {
    return no("passwordlessOnly");
  }
  if (hasAuthenticatorPush(user.methodsRegistered)) return no("alreadyRegistered");
  if (!user.isMfaRegistered) return no("notMfaRegistered");
  if (managed && !mfaByPhone(user)) return no("noPhoneMfa");
  return { nudged: true };
}

/**
 * Microsoft managed fixes the snoozes; enabled takes the campaign's (§2.2). The HOWTO of
 * 2026-09-02 ("Microsoft managed state", the table of settings Microsoft applies per method; source
 * MicrosoftDocs/entra-docs docs/identity/authentication/how-to-mfa-registration-campaign.md):
 * "Days allowed to snooze" 1 for Microsoft Authenticator and 1 for passkeys; "Limited number of
 * snoozes" enabled for Authenticator ("After 3 snoozes, registration is required"), disabled for
 * passkeys ("Unlimited snoozes"). The 3 days of passkeys §2's "before" column are the rule before
 * the September 2026 change, not modelled.
 */
const MANAGED_SNOOZE_DAYS = 1;
function snoozeRules(
  campaign: NudgeConfiguration["campaign"],
  managed: boolean,
  method: NudgeMethod,
): { snoozeDays: number; snoozeLimit: number | null } {
  if (managed) {
    return {
      snoozeDays: MANAGED_SNOOZE_DAYS,
      snoozeLimit: method === "fido2" ? null : ALLOWED_SNOOZES,
    };
  }
  return {
    snoozeDays: campaign.snoozeDurationInDays ?? 1,
    snoozeLimit: campaign.enforceRegistrationAfterAllowedSnoozes === false ? null : ALLOWED_SNOOZES,
  };
}

/** The Authenticator include targets that apply to the user ([] when disabled or excluded). */
function authenticatorTargetsFor(
  user: UserFacts,
  authenticator: NudgeConfiguration["authenticator"],
): AuthenticatorIncludeTarget[] {
  if (authenticator.state !== "enabled") return [];
  if (authenticator.excludeTargets.some((target) => targetCovers(target, user))) return [];
  return authenticator.includeTargets.filter((target) => targetCovers(target, user));
}

function targetsAuthenticator(target: CampaignIncludeTarget): boolean {
  return nudgeMethodOf(target.targetedAuthenticationMethod) === "microsoftAuthenticator";
}

/** Every campaign include target that can nudge someone (a method this model knows). */
export function campaignIncludeTargets(
  campaign: NudgeConfiguration["campaign"],
): CampaignIncludeTarget[] {
  return campaign.includeTargets.filter(
    (target) => nudgeMethodOf(target.targetedAuthenticationMethod) !== undefined,
  );
}

/** The group ids configurations name (any part may be absent): the memberships an evaluation needs, lower-case. */
export function groupsNamedBy(...configs: Partial<NudgeConfiguration>[]): string[] {
  const ids = new Set<string>();
  const add = (targets: readonly Target[]) => {
    for (const target of targets) {
      if (target.targetType === "group" && target.id.toLowerCase() !== ALL_USERS)
        ids.add(target.id.toLowerCase());
    }
  };
  for (const { campaign, authenticator, passkey } of configs) {
    for (const part of [campaign, authenticator, passkey]) {
      if (!part) continue;
      add(part.includeTargets);
      add(part.excludeTargets);
    }
  }
  return [...ids].sort();
}

// ---- The preview check: campaign targets against the Authenticator policy --------------------

/**
 * What the preview check found about one target. It compares targets, not memberships (the program
 * cannot read the tenant): a group is enabled for Authenticator when the policy includes it or
 * `all_users`. `entra-nudge impact` counts the members.
 */
export interface CoverageFinding {
  kind:
    | "notEnabledForAuthenticator"
    | "passwordlessOnly"
    | "notEnabledForPasskeys"
    | "selfServiceOff"
    | "breakGlassNudged"
    | "cannotCheckYet";
  /** The target's id, or "" when it is unknown until apply. */
  targetId: string;
  message: string;
  /** Whether `strictEligibility: true` makes this finding fail the preview. */
  blocking: boolean;
}

/** Display names for ids, e.g. PilotGroups declared in the same program. */
export type TargetNames = ReadonlyMap<string, string>;

type PreviewCampaign = PreviewInputs<
  Pick<CampaignSettings, "state" | "includeTargets" | "excludeTargets">
>;
type PreviewAuthenticator = PreviewInputs<
  Pick<AuthenticatorSettings, "state" | "includeTargets" | "excludeTargets">
>;

interface KnownTarget {
  id: string;
  targetType: string;
}

function known<T extends object>(
  list: unknown,
): { targets: (T & KnownTarget)[]; unknown: boolean } {
  if (isUnknown(list) || !Array.isArray(list)) return { targets: [], unknown: isUnknown(list) };
  const targets: (T & KnownTarget)[] = [];
  let unknown = false;
  for (const item of list as unknown[]) {
    if (
      typeof item === "object" &&
      item !== null &&
      typeof (item as KnownTarget).id === "string" &&
      !isUnknown((item as KnownTarget).id)
    ) {
      targets.push(item as T & KnownTarget);
    } else {
      unknown = true;
    }
  }
  return { targets, unknown };
}

export function describeTarget(target: KnownTarget, names: TargetNames = new Map()): string {
  if (target.id === ALL_USERS) return "all users";
  const name = names.get(target.id);
  return `${target.targetType === "user" ? "user" : "group"} ${name ? `"${name}" (${target.id})` : target.id}`;
}

function listTargets(targets: KnownTarget[], names: TargetNames): string {
  return targets.map((target) => describeTarget(target, names)).join(", ");
}

/**
 * The sentence for a campaign target the AuthenticatorPolicy does not enable: what was compared,
 * what follows from it, and the fix for that cause. The check compares targets, never memberships
 * (the program cannot read the tenant): where a membership could change the outcome, it says so
 * instead of stating the outcome as fact.
 */
function coverageMessage(
  target: KnownTarget,
  result: "notEnabledForAuthenticator" | "passwordlessOnly",
  state: unknown,
  enabled: readonly KnownTarget[],
  excluded: readonly KnownTarget[],
  names: TargetNames,
): string {
  const allUsers = target.id === ALL_USERS;
  const user = !allUsers && target.targetType === "user";
  const who = describeTarget(target, names);
  const them = allUsers ? "all users" : user ? "this user" : "this group";
  const theirUsers = allUsers ? "nobody" : user ? "they" : "its members";
  const includes = `The campaign includes ${who}`;
  if (state !== "enabled") {
    return `${includes}, but the AuthenticatorPolicy's state is "disabled": nobody can use Microsoft Authenticator, so the campaign nudges no one. Set the AuthenticatorPolicy's state to "enabled" (its includeTargets decide who may use it).`;
  }
  if (result === "passwordlessOnly") {
    return `${includes}, but the AuthenticatorPolicy enables ${them} only in Passwordless mode ("deviceBasedPush"), which makes ${user ? "them" : "these users"} ineligible: they will not be nudged. Use authenticationMode "any" or "push" for ${them}.`;
  }
  if (excluded.some((other) => other.id === target.id)) {
    return `${includes}, but the AuthenticatorPolicy excludes ${them}, so ${user ? "they" : "these users"} cannot use Microsoft Authenticator and will not be nudged. Remove ${user ? "the user" : "the group"} from the AuthenticatorPolicy's excludeTargets, or from the campaign.`;
  }
  if (enabled.length === 0) {
    return `${includes}, but the AuthenticatorPolicy includes nobody: ${theirUsers} will${allUsers ? "" : " not"} be nudged. Add ${allUsers ? "all_users" : user ? "the user" : "the group"} to the AuthenticatorPolicy's includeTargets (authenticationMode "any" or "push").`;
  }
  const list = listTargets([...enabled], names);
  if (allUsers) {
    return `${includes}, but the AuthenticatorPolicy enables only ${list}: users in none of those will not be nudged. Include all_users in the AuthenticatorPolicy (authenticationMode "any" or "push"), or include only the targets it enables in the campaign.`;
  }
  if (user && enabled.some((other) => other.targetType === "group")) {
    return `${includes}, but the AuthenticatorPolicy enables ${list} and not this user directly. The preview compares targets, not memberships: unless the user is a member of one of those groups, they will not be nudged (\`entra-nudge impact\` checks the tenant). To be sure, add the user to the AuthenticatorPolicy's includeTargets (authenticationMode "any" or "push"), or remove them from the campaign.`;
  }
  return `${includes}, but the AuthenticatorPolicy enables ${list} and not ${them}: ${user ? "they" : "its members who are in none of those"} will not be nudged. Add ${user ? "the user" : "the group"} to the AuthenticatorPolicy's includeTargets (authenticationMode "any" or "push"), or remove ${user ? "them" : "it"} from the campaign.`;
}

/**
 * The preview check of a program that declares both singletons (canonical inputs, values unknown
 * during preview allowed): campaign targets that are not enabled for Authenticator, or only in
 * Passwordless mode, and break-glass groups the campaign would nudge. Never fails on unknowns: an
 * unknown value yields a `cannotCheckYet` finding.
 */
export function checkTargetCoverage(
  campaign: PreviewCampaign,
  authenticator: PreviewAuthenticator,
  breakGlassGroups: readonly string[] = [],
  names: TargetNames = new Map(),
): CoverageFinding[] {
  const findings: CoverageFinding[] = [];
  const later = (targetId: string, what: string) =>
    findings.push({
      kind: "cannotCheckYet",
      targetId,
      message: `Cannot check yet whether ${what} will be nudged: it depends on values known only after apply (such as the id of a group created in this program). The check runs again once they are known.`,
      blocking: false,
    });
  if (isUnknown(campaign.state) || isUnknown(authenticator.state)) {
    later("", "the campaign's targets");
    return findings;
  }
  if (campaign.state === "disabled") return findings;

  const include = known<CampaignIncludeTarget>(campaign.includeTargets);
  const exclude = known<CampaignExcludeTarget>(campaign.excludeTargets);
  const authInclude = known<AuthenticatorIncludeTarget>(authenticator.includeTargets);
  const authExclude = known<CampaignExcludeTarget>(authenticator.excludeTargets);
  if (include.unknown) later("", "a campaign target whose id is known only after apply");

  // Why a target's users are not enabled, or "" when they are (undefined: cannot tell yet).
  const coverage = (
    target: KnownTarget,
  ): "notEnabledForAuthenticator" | "passwordlessOnly" | "ok" | undefined => {
    if (authenticator.state !== "enabled") return "notEnabledForAuthenticator";
    if (authExclude.targets.some((other) => other.id === target.id))
      return "notEnabledForAuthenticator";
    if (authExclude.unknown) return undefined;
    const covering = authInclude.targets.filter(
      (other) => other.id === ALL_USERS || other.id === target.id,
    );
    if (covering.length === 0)
      return authInclude.unknown ? undefined : "notEnabledForAuthenticator";
    if (covering.some((other) => isUnknown(other.authenticationMode))) return undefined;
    if (covering.every((other) => other.authenticationMode === "deviceBasedPush"))
      return authInclude.unknown ? undefined : "passwordlessOnly";
    return "ok";
  };

  for (const target of include.targets) {
    if (!targetsAuthenticator(target)) continue;
    const result = coverage(target);
    if (result === undefined) {
      later(target.id, describeTarget(target, names));
      continue;
    }
    if (result === "ok") continue;
    findings.push({
      kind: result,
      targetId: target.id,
      blocking: true,
      message: coverageMessage(
        target,
        result,
        authenticator.state,
        authInclude.targets,
        authExclude.targets,
        names,
      ),
    });
  }

  for (const raw of breakGlassGroups) {
    const group: KnownTarget = { id: raw.toLowerCase(), targetType: "group" };
    const who = `break-glass ${describeTarget(group, names)}`;
    if (exclude.targets.some((other) => other.id === group.id)) continue;
    const includedDirectly = include.targets.some(
      (other) => targetsAuthenticator(other) && (other.id === ALL_USERS || other.id === group.id),
    );
    if (!includedDirectly) {
      if (include.unknown) later(group.id, who);
      continue;
    }
    if (exclude.unknown) {
      later(group.id, who);
      continue;
    }
    const result = coverage(group);
    if (result === undefined) {
      later(group.id, who);
      continue;
    }
    if (result !== "ok") continue;
    findings.push({
      kind: "breakGlassNudged",
      targetId: group.id,
      blocking: false,
      message: `The campaign would nudge the ${who} (configured in entra-nudge:breakGlassGroups): emergency-access accounts should keep their own sign-in methods. Add { id: "${group.id}", targetType: "group" } to the campaign's excludeTargets.`,
    });
  }
  return findings;
}

// ---- The preview check: passkey campaign targets against the PasskeyPolicy --------------------

type PreviewPasskey = PreviewInputs<
  Pick<
    PasskeySettings,
    "state" | "isSelfServiceRegistrationAllowed" | "includeTargets" | "excludeTargets"
  >
>;

/** Says a value is known only after apply (the same words as checkTargetCoverage's). */
function cannotCheckYet(targetId: string, what: string): CoverageFinding {
  return {
    kind: "cannotCheckYet",
    targetId,
    message: `Cannot check yet whether ${what} will be nudged: it depends on values known only after apply (such as the id of a group created in this program). The check runs again once they are known.`,
    blocking: false,
  };
}

/**
 * The passkey half of the preview check (canonical inputs, unknowns allowed): a campaign that
 * targets passkeys (`targetedAuthenticationMethod: "fido2"`, state "enabled") nudges a user only
 * when the passkey method enables them with self-service setup on (graph-contract-passkeys.md §3;
 * evaluateUser's passkeyOutcome). Each cause is its own finding with its own fix: the policy
 * disabled or self-service setup off (once, for the whole campaign), and each included target the
 * PasskeyPolicy excludes or does not include. Like checkTargetCoverage, it compares targets, not
 * memberships, and never fails on unknowns. A Microsoft-managed campaign ("default") falls back to
 * Authenticator per user, so it is not checked here.
 */
export function checkPasskeyCoverage(
  campaign: PreviewCampaign,
  passkey: PreviewPasskey,
  names: TargetNames = new Map(),
): CoverageFinding[] {
  if (isUnknown(campaign.state)) return [cannotCheckYet("", "the campaign's passkey targets")];
  if (campaign.state !== "enabled") return [];
  const include = known<CampaignIncludeTarget>(campaign.includeTargets);
  const passkeyTargets = include.targets.filter(
    (target) => nudgeMethodOf(target.targetedAuthenticationMethod) === "fido2",
  );
  const findings: CoverageFinding[] = [];
  if (include.unknown)
    findings.push(cannotCheckYet("", "a campaign target whose id is known only after apply"));
  if (passkeyTargets.length === 0) return findings;
  if (isUnknown(passkey.state) || isUnknown(passkey.isSelfServiceRegistrationAllowed)) {
    return [...findings, cannotCheckYet("", "the campaign's passkey targets")];
  }
  const who = listTargets(passkeyTargets, names);
  if (passkey.state !== "enabled") {
    findings.push({
      kind: "notEnabledForPasskeys",
      targetId: "",
      blocking: true,
      message: `The campaign targets passkeys (fido2) for ${who}, but the PasskeyPolicy's state is "disabled": nobody can set up a passkey, so the campaign nudges no one. Set the PasskeyPolicy's state to "enabled" (its includeTargets decide who may use passkeys).`,
    });
    return findings;
  }
  if (passkey.isSelfServiceRegistrationAllowed !== true) {
    findings.push({
      kind: "selfServiceOff",
      targetId: "",
      blocking: true,
      message: `The campaign targets passkeys (fido2) for ${who}, but the PasskeyPolicy has isSelfServiceRegistrationAllowed: false: users cannot set up a passkey themselves, so the campaign nudges no one. Set isSelfServiceRegistrationAllowed to true (or leave it out: the default is true).`,
    });
  }
  const keyInclude = known<PasskeyIncludeTarget>(passkey.includeTargets);
  const keyExclude = known<CampaignExcludeTarget>(passkey.excludeTargets);
  for (const target of passkeyTargets) {
    const allUsers = target.id === ALL_USERS;
    const user = !allUsers && target.targetType === "user";
    const them = allUsers ? "all users" : user ? "this user" : "this group";
    const includes = `The campaign includes ${describeTarget(target, names)} for passkeys (fido2)`;
    if (keyExclude.targets.some((other) => other.id === target.id)) {
      findings.push({
        kind: "notEnabledForPasskeys",
        targetId: target.id,
        blocking: true,
        message: `${includes}, but the PasskeyPolicy excludes ${them}, so ${user ? "they" : "these users"} cannot set up a passkey and will not be nudged. Remove ${user ? "the user" : "the group"} from the PasskeyPolicy's excludeTargets, or from the campaign.`,
      });
      continue;
    }
    if (keyExclude.unknown) {
      findings.push(cannotCheckYet(target.id, describeTarget(target, names)));
      continue;
    }
    if (keyInclude.targets.some((other) => other.id === ALL_USERS || other.id === target.id))
      continue;
    if (keyInclude.unknown) {
      findings.push(cannotCheckYet(target.id, describeTarget(target, names)));
      continue;
    }
    const list =
      keyInclude.targets.length === 0 ? "nobody" : `only ${listTargets(keyInclude.targets, names)}`;
    findings.push({
      kind: "notEnabledForPasskeys",
      targetId: target.id,
      blocking: true,
      message: user
        ? `${includes}, but the PasskeyPolicy enables ${list} and not this user directly. The preview compares targets, not memberships: unless the user is a member of an enabled group, they will not be nudged (\`entra-nudge impact\` checks the tenant). Add the user to the PasskeyPolicy's includeTargets, or remove them from the campaign.`
        : `${includes}, but the PasskeyPolicy enables ${list} and not ${them}: ${allUsers ? "users in none of those" : "its members who are in none of those"} will not be nudged. Add ${allUsers ? "all_users" : "the group"} to the PasskeyPolicy's includeTargets, or ${allUsers ? "include only the targets it enables in the campaign" : "remove it from the campaign"}.`,
    });
  }
  return findings;
}

// ---- Break-glass groups ----------------------------------------------------------------------

/** Stack config key (namespace entra-nudge) and environment fallback naming the break-glass groups. */
export const BREAK_GLASS_CONFIG_KEY = "breakGlassGroups";
export const BREAK_GLASS_ENVIRONMENT = "ENTRA_NUDGE_BREAK_GLASS_GROUPS";

/**
 * The break-glass group ids from their setting: a JSON list (`pulumi config set --path` or
 * `["id", ...]`) or ids separated by commas or spaces. Ids are lower-cased; anything that is not an
 * object id is a problem, reported with the fix.
 */
export function parseBreakGlassGroups(text: string | undefined): {
  groups: string[];
  problems: string[];
} {
  if (text === undefined || text.trim() === "") return { groups: [], problems: [] };
  let items: unknown[];
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      items = Array.isArray(parsed) ? parsed : [parsed];
    } catch {
      return {
        groups: [],
        problems: [
          `entra-nudge:${BREAK_GLASS_CONFIG_KEY}: ${JSON.stringify(text)} is not a JSON list. Use ["<group object id>", ...] or ids separated by commas.`,
        ],
      };
    }
  } else {
    items = trimmed.split(/[\s,]+/).filter((item) => item !== "");
  }
  const groups: string[] = [];
  const problems: string[] = [];
  for (const item of items) {
    if (typeof item === "string" && isGuid(item)) {
      const id = item.toLowerCase();
      if (!groups.includes(id)) groups.push(id);
    } else {
      problems.push(
        `entra-nudge:${BREAK_GLASS_CONFIG_KEY}: ${JSON.stringify(item)} is not a group object id (GUID). List the object ids of the emergency-access groups.`,
      );
    }
  }
  return { groups, problems };
}
