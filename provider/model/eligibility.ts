// Who the registration campaign nudges (graph-contract.md §2.7–2.8, §3.4, §5.5): one user's facts
// and one configuration in, "nudged" or the first reason why not out. Everything that answers the
// question (the `impact` command, the progress report, the emulator's campaign simulation, the
// preview check) calls this one implementation, so they agree by construction.
//
// Decisions where the contract is silent or documents two versions:
// - group membership counts transitively (§2.7 item 3, §10 item 7);
// - several Authenticator targets: at least one must grant mode `any` or `push` (§3.4);
// - `enabled` campaigns nudge after any MFA, so TOTP-only users see the nudge (DESIGN.md, the
//   2024/2025 page); Microsoft-managed (`default`) campaigns nudge only users who do MFA by SMS or
//   voice (§2.8), i.e. who have a phone method registered;
// - an include target for another method (a `fido2` passkey campaign) does not include anyone in
//   the Authenticator campaign;
// - the legacy per-tenant MFA setting (§8) is not modelled: the authentication methods policy
//   decides who may use Authenticator.
import { ALL_USERS, isGuid, isUnknown } from "./ids";
import type {
  AuthenticatorIncludeTarget,
  AuthenticatorSettings,
  CampaignExcludeTarget,
  CampaignIncludeTarget,
  CampaignSettings,
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
}

/** The parts of the two singletons that decide who is nudged. */
export interface NudgeConfiguration {
  campaign: Pick<CampaignSettings, "state" | "includeTargets" | "excludeTargets">;
  authenticator: Pick<AuthenticatorSettings, "state" | "includeTargets" | "excludeTargets">;
}

/** Why a user is not nudged, in the order the rules are applied (the first that holds is given). */
export const NOT_NUDGED_REASONS = [
  "campaignDisabled",
  "notIncluded",
  "excluded",
  "notEnabledForAuthenticator",
  "passwordlessOnly",
  "alreadyRegistered",
  "notMfaRegistered",
  "noPhoneMfa",
] as const;

export type NotNudgedReason = (typeof NOT_NUDGED_REASONS)[number];

export type Eligibility = { nudged: true } | { nudged: false; reason: NotNudgedReason };

/** One sentence per reason, for reports. */
export const REASON_TEXT: Record<NotNudgedReason, string> = {
  campaignDisabled: "the registration campaign is disabled",
  notIncluded: "not included in the campaign's targets",
  excluded: "excluded from the campaign (exclusion wins over inclusion)",
  notEnabledForAuthenticator: "not enabled for Microsoft Authenticator in the methods policy",
  passwordlessOnly:
    'enabled for Microsoft Authenticator only in Passwordless mode ("deviceBasedPush"), which makes them ineligible',
  alreadyRegistered: "already registered Microsoft Authenticator for push",
  notMfaRegistered: "no MFA method registered, so no MFA sign-in can show the nudge",
  noPhoneMfa:
    "the Microsoft-managed campaign nudges only users who do MFA by SMS or voice call, and they have no phone method",
};

/** The report's method that means "Authenticator for push": the campaign's conversion (§5.5). */
export const AUTHENTICATOR_PUSH = "microsoftAuthenticatorPush";
/** Phone methods: SMS or voice MFA, which Microsoft-managed campaigns require (§2.8). */
export const PHONE_METHODS: readonly string[] = [
  "mobilePhone",
  "alternateMobilePhone",
  "officePhone",
];
/** The campaign's method value for Authenticator, compared case-insensitively (§2.3). */
const AUTHENTICATOR_METHOD = "microsoftauthenticator";

export function hasAuthenticatorPush(methods: readonly string[]): boolean {
  return methods.includes(AUTHENTICATOR_PUSH);
}

interface Target {
  id: string;
  targetType: string;
}

/** Whether a user/group target names this user: `all_users`, the user, or a group they are in. */
export function targetCovers(target: Target, user: Pick<UserFacts, "id" | "groupIds">): boolean {
  if (target.id === ALL_USERS) return true;
  if (target.targetType === "user") return target.id === user.id;
  if (target.targetType === "group") return user.groupIds.has(target.id);
  return false;
}

/**
 * A target without a method is a Microsoft-managed declaration's (Microsoft decides): evaluated as
 * Authenticator, the method this model knows how to evaluate.
 */
function targetsAuthenticator(target: CampaignIncludeTarget): boolean {
  return (
    (target.targetedAuthenticationMethod ?? AUTHENTICATOR_METHOD).toLowerCase() ===
    AUTHENTICATOR_METHOD
  );
}

/** Whether the campaign would nudge this user at their next MFA sign-in, or the first reason not. */
export function evaluateUser(user: UserFacts, config: NudgeConfiguration): Eligibility {
  const { campaign, authenticator } = config;
  const no = (reason: NotNudgedReason): Eligibility => ({ nudged: false, reason });
  if (campaign.state !== "enabled" && campaign.state !== "default") return no("campaignDisabled");
  const included = campaign.includeTargets.some(
    (target) => targetsAuthenticator(target) && targetCovers(target, user),
  );
  if (!included) return no("notIncluded");
  if (campaign.excludeTargets.some((target) => targetCovers(target, user))) return no("excluded");
  const granting = authenticatorTargetsFor(user, authenticator);
  if (granting.length === 0) return no("notEnabledForAuthenticator");
  if (granting.every((target) => target.authenticationMode === "deviceBasedPush")) {
    return no("passwordlessOnly");
  }
  if (hasAuthenticatorPush(user.methodsRegistered)) return no("alreadyRegistered");
  if (!user.isMfaRegistered) return no("notMfaRegistered");
  if (
    campaign.state === "default" &&
    !user.methodsRegistered.some((method) => PHONE_METHODS.includes(method))
  ) {
    return no("noPhoneMfa");
  }
  return { nudged: true };
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

/** Every campaign include target that nudges someone (Authenticator targets only). */
export function campaignIncludeTargets(
  campaign: NudgeConfiguration["campaign"],
): CampaignIncludeTarget[] {
  return campaign.includeTargets.filter(targetsAuthenticator);
}

/** The group ids configurations name (either part may be absent): the memberships an evaluation needs, lower-case. */
export function groupsNamedBy(...configs: Partial<NudgeConfiguration>[]): string[] {
  const ids = new Set<string>();
  const add = (targets: readonly Target[]) => {
    for (const target of targets) {
      if (target.targetType === "group" && target.id !== ALL_USERS)
        ids.add(target.id.toLowerCase());
    }
  };
  for (const { campaign, authenticator } of configs) {
    for (const part of [campaign, authenticator]) {
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
  kind: "notEnabledForAuthenticator" | "passwordlessOnly" | "breakGlassNudged" | "cannotCheckYet";
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
