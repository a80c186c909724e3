// Who the declared configuration nudges compared with the current one, counted over one tenant
// scan with the eligibility model (model/eligibility.ts). Pure: the scan is the only input from
// the tenant, so any number of configurations can be compared against one scan.
import type { ScannedUser, TenantScan } from "../eligibility/scan";
import {
  NAMES_SHOWN,
  NOT_NUDGED_REASONS,
  REASON_TEXT,
  authenticatorMethodLoss,
  campaignIncludeTargets,
  passkeyMethodLoss,
  evaluateUser,
  targetCovers,
  type Eligibility,
  type LossMethod,
  type MethodLoss,
  type NotNudgedReason,
  type NudgeConfiguration,
  type NudgeMethod,
  type UserKind,
} from "../model";
import { formatCount } from "../render/text";

export interface TargetImpact {
  id: string;
  targetType: string;
  /** The group's display name, "All users", or undefined (a user, or a group that does not exist). */
  displayName?: string;
  /** Users in the target (a group's members, transitively), whether nudged or not. */
  users: number;
  nudged: number;
  nudgedMembers: number;
  nudgedGuests: number;
}

export interface ReasonCount {
  reason: NotNudgedReason;
  description: string;
  users: number;
}

export interface BreakGlassImpact {
  id: string;
  displayName?: string;
  /** Users in the group (undefined when the group does not exist). */
  users?: number;
  nudged: number;
  /** The nudged accounts' user principal names. */
  nudgedUsers: string[];
}

/**
 * The passkey (FIDO2) method as the eligibility model sees it (graph-contract-passkeys.md §3–§4):
 * state, self-service setup, targets with their allowed profiles, the profiles, and the default
 * profile (null: not read). A configuration without one is the model's "not read": disabled.
 */
export interface PasskeyConfigurationPart {
  state: string;
  isSelfServiceRegistrationAllowed: boolean;
  includeTargets: { id: string; targetType: string; allowedPasskeyProfiles: string[] }[];
  excludeTargets: { id: string; targetType: string }[];
  passkeyProfiles: {
    id: string;
    name: string | null;
    passkeyTypes: string[];
    attestationEnforcement: string;
    keyRestrictions: { isEnforced: boolean; enforcementType: string; aaGuids: string[] } | null;
  }[];
  defaultPasskeyProfile: string | null;
}

function passkeyPart(passkey: NudgeConfiguration["passkey"]): PasskeyConfigurationPart {
  return {
    state: passkey?.state ?? "disabled",
    isSelfServiceRegistrationAllowed: passkey?.isSelfServiceRegistrationAllowed ?? false,
    includeTargets: (passkey?.includeTargets ?? []).map((t) => ({
      id: t.id,
      targetType: t.targetType,
      allowedPasskeyProfiles: [...t.allowedPasskeyProfiles],
    })),
    excludeTargets: (passkey?.excludeTargets ?? []).map(({ id, targetType }) => ({
      id,
      targetType,
    })),
    passkeyProfiles: (passkey?.passkeyProfiles ?? []).map((profile) => ({
      id: profile.id,
      name: profile.name ?? null,
      passkeyTypes: [...profile.passkeyTypes],
      attestationEnforcement: profile.attestationEnforcement,
      keyRestrictions: profile.keyRestrictions
        ? { ...profile.keyRestrictions, aaGuids: [...profile.keyRestrictions.aaGuids] }
        : null,
    })),
    defaultPasskeyProfile: passkey?.defaultPasskeyProfile ?? null,
  };
}

/** One configuration's numbers. Top-level numbers are what `preview-summary --impact` shows. */
export interface ImpactSide {
  /** Where the configuration came from: "stack dev", "file declared.json", "tenant". */
  source: string;
  nudged: number;
  notNudged: number;
  nudgedMembers: number;
  nudgedGuests: number;
  /** The nudged users by the method they are nudged to set up (passkeys §2–§3). */
  nudgedByMethod: Record<NudgeMethod, number>;
  configuration: Pick<NudgeConfiguration, "campaign" | "authenticator"> & {
    passkey: PasskeyConfigurationPart;
  };
  byUserType: Record<UserKind, { users: number; nudged: number }>;
  /** Per campaign include target (targets overlap: a user may count under several). */
  byTarget: TargetImpact[];
  /** Why the others are not nudged, most common first. */
  reasons: ReasonCount[];
  breakGlass: BreakGlassImpact[];
}

/**
 * Users who have a method registered and whom the declaration no longer allows to use it
 * (model/methodLoss.ts): DESIGN.md's `methodLoss` entry, plus the first names for the text.
 */
export interface MethodLossImpact {
  method: LossMethod;
  users: number;
  /** Of whom use it as their default MFA method. */
  defaultMethod: number;
  /** Of whom have no other MFA method registered. */
  onlyMfaMethod: number;
  /** Of whom are in a break-glass group. */
  breakGlass: number;
  /** The first user principal names: break-glass accounts first, then those with no other method. */
  names: string[];
}

export interface ImpactReport {
  /** The users the registration report covers (enabled users). */
  tenant: { users: number; members: number; guests: number };
  declared: ImpactSide;
  current: ImpactSide;
  delta: {
    /** declared.nudged − current.nudged */
    nudged: number;
    /** Nudged under the declaration, not today. */
    startSeeing: number;
    /** Nudged today, not under the declaration. */
    stopSeeing: number;
    /** "+1,204 users will start seeing the nudge; 12 will stop." */
    summary: string;
  };
  /** Who loses a method they have registered, per method (both always listed). */
  methodLoss: MethodLossImpact[];
  /** Group ids the configurations or settings name that do not exist in the tenant. */
  missingGroups: string[];
  scan: TenantScan["stats"] & { scannedAt: string };
}

export interface ImpactInput {
  declared: NudgeConfiguration;
  declaredSource: string;
  breakGlassGroups?: readonly string[];
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

export function deltaSummary(startSeeing: number, stopSeeing: number, nudged: number): string {
  const parts: string[] = [];
  if (startSeeing > 0) parts.push(`+${plural(startSeeing, "user")} will start seeing the nudge`);
  if (stopSeeing > 0) parts.push(`${plural(stopSeeing, "user")} will stop seeing it`);
  if (parts.length === 0)
    return `No change: the same ${plural(nudged, "user")} ${nudged === 1 ? "is" : "are"} nudged either way.`;
  return `${parts.join("; ")}.`;
}

function side(
  scan: TenantScan,
  configuration: NudgeConfiguration,
  source: string,
  breakGlassGroups: readonly string[],
): { side: ImpactSide; outcomes: Eligibility[] } {
  const outcomes = scan.users.map((user) => evaluateUser(user, configuration));
  const reasons = new Map<NotNudgedReason, number>();
  const byUserType: ImpactSide["byUserType"] = {
    member: { users: 0, nudged: 0 },
    guest: { users: 0, nudged: 0 },
  };
  let nudged = 0;
  const nudgedByMethod: Record<NudgeMethod, number> = { microsoftAuthenticator: 0, fido2: 0 };
  scan.users.forEach((user, i) => {
    const outcome = outcomes[i];
    byUserType[user.userType].users++;
    if (outcome.nudged) {
      nudged++;
      nudgedByMethod[outcome.method]++;
      byUserType[user.userType].nudged++;
    } else {
      reasons.set(outcome.reason, (reasons.get(outcome.reason) ?? 0) + 1);
    }
  });
  const byTarget = campaignIncludeTargets(configuration.campaign).map((target) => {
    const entry: TargetImpact = {
      id: target.id,
      targetType: target.targetType,
      ...displayNameOf(scan, target.id, target.targetType),
      users: 0,
      nudged: 0,
      nudgedMembers: 0,
      nudgedGuests: 0,
    };
    scan.users.forEach((user, i) => {
      if (!targetCovers(target, user)) return;
      entry.users++;
      if (!outcomes[i].nudged) return;
      entry.nudged++;
      if (user.userType === "guest") entry.nudgedGuests++;
      else entry.nudgedMembers++;
    });
    return entry;
  });
  const breakGlass = breakGlassGroups.map((id) => {
    const group = scan.groups.get(id);
    const nudgedUsers = scan.users
      .filter((user: ScannedUser, i) => outcomes[i].nudged && group?.userIds.has(user.id))
      .map((user) => user.userPrincipalName)
      .sort();
    return {
      id,
      ...(group?.displayName ? { displayName: group.displayName } : {}),
      ...(group ? { users: group.userIds.size } : {}),
      nudged: nudgedUsers.length,
      nudgedUsers,
    };
  });
  return {
    outcomes,
    side: {
      source,
      nudged,
      notNudged: scan.users.length - nudged,
      nudgedMembers: byUserType.member.nudged,
      nudgedGuests: byUserType.guest.nudged,
      nudgedByMethod,
      configuration: {
        campaign: {
          state: configuration.campaign.state,
          includeTargets: configuration.campaign.includeTargets,
          excludeTargets: configuration.campaign.excludeTargets,
        },
        authenticator: {
          state: configuration.authenticator.state,
          includeTargets: configuration.authenticator.includeTargets,
          excludeTargets: configuration.authenticator.excludeTargets,
        },
        passkey: passkeyPart(configuration.passkey),
      },
      byUserType,
      byTarget,
      reasons: NOT_NUDGED_REASONS.filter((reason) => reasons.has(reason))
        .map((reason) => ({
          reason,
          description: REASON_TEXT[reason],
          users: reasons.get(reason) ?? 0,
        }))
        // Stable: equal counts keep the rules' order.
        .sort((a, b) => b.users - a.users),
      breakGlass,
    },
  };
}

/** A target's display name: "All users", the user's or the group's name, or none. */
export function displayNameOf(
  scan: TenantScan,
  id: string,
  targetType: string,
): { displayName?: string } {
  if (id === "all_users") return { displayName: "All users" };
  if (targetType !== "group") {
    const user = scan.users.find((candidate) => candidate.id === id);
    return user ? { displayName: user.displayName ?? user.userPrincipalName } : {};
  }
  const name = scan.groups.get(id)?.displayName;
  return name ? { displayName: name } : {};
}

/** The impact of replacing the current configuration with the declared one. */
export function computeImpact(scan: TenantScan, input: ImpactInput): ImpactReport {
  const breakGlass = [...(input.breakGlassGroups ?? [])];
  const declared = side(scan, input.declared, input.declaredSource, breakGlass);
  const current = side(scan, scan.current, "tenant", breakGlass);
  let startSeeing = 0;
  let stopSeeing = 0;
  declared.outcomes.forEach((outcome, i) => {
    if (outcome.nudged && !current.outcomes[i].nudged) startSeeing++;
    if (!outcome.nudged && current.outcomes[i].nudged) stopSeeing++;
  });
  const members = scan.users.filter((user) => user.userType === "member").length;
  const lossOptions = { breakGlassGroups: breakGlass };
  const losses = [
    authenticatorMethodLoss(
      scan.current.authenticator,
      input.declared.authenticator,
      scan.users,
      lossOptions,
    ),
    passkeyMethodLoss(
      scan.current.passkey,
      input.declared.passkey ?? scan.current.passkey,
      scan.users,
      lossOptions,
    ),
  ];
  return {
    tenant: { users: scan.users.length, members, guests: scan.users.length - members },
    declared: declared.side,
    current: current.side,
    delta: {
      nudged: declared.side.nudged - current.side.nudged,
      startSeeing,
      stopSeeing,
      summary: deltaSummary(startSeeing, stopSeeing, declared.side.nudged),
    },
    methodLoss: losses.map(methodLossImpact),
    missingGroups: [...scan.groups].filter(([, group]) => group === undefined).map(([id]) => id),
    scan: { ...scan.stats, scannedAt: scan.scannedAt },
  };
}

function methodLossImpact(loss: MethodLoss): MethodLossImpact {
  return {
    method: loss.method,
    users: loss.users,
    defaultMethod: loss.defaultMethod,
    onlyMfaMethod: loss.onlyMfaMethod,
    breakGlass: loss.losers.filter((user) => user.breakGlass).length,
    names: loss.losers.slice(0, NAMES_SHOWN).map((user) => user.userPrincipalName),
  };
}
