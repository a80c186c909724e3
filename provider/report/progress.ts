// Campaign progress for the targeted users (included and not excluded): who has registered
// Microsoft Authenticator for push, who has not yet and why, per target group, and day by day
// since the campaign was enabled. Pure: the tenant scan says who is registered now (the report's
// methodsRegistered), the audit log says when.
import type { ScannedUser, TenantScan } from "../eligibility/scan";
import {
  NUDGE_METHODS,
  REASON_TEXT,
  campaignIncludeTargets,
  evaluateUser,
  hasAuthenticatorPush,
  hasPasskey,
  nudgeMethodOf,
  targetCovers,
  targetedMethod,
  type CampaignSettings,
  type NotNudgedReason,
  type NudgeMethod,
  type UserKind,
} from "../model";
import type { CampaignRegistrations } from "./audits";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Audit retention with P1/P2 (§6.1): how far back a timeline can go without a known start. */
const RETENTION_DAYS = 30;

export interface TimelinePoint {
  /** UTC day, YYYY-MM-DD. */
  date: string;
  /** Targeted users registered by the end of the day (cumulative). */
  registered: number;
  /** Of which registered that day. */
  newRegistrations: number;
}

export interface TargetProgress {
  id: string;
  targetType: string;
  displayName?: string;
  /** Users of the target the campaign targets (excluded users are not). */
  targeted: number;
  registered: number;
  registeredSinceStart: number;
  notYet: number;
  /** Cumulative registered users per day, aligned with the report's timeline. */
  timeline: number[];
}

/** Progress of the users the campaign targets for one method. */
export interface MethodProgress {
  targeted: number;
  registered: number;
  registeredBeforeStart: number;
  registeredSinceStart: number;
  notYet: number;
  /** Cumulative registered users per day, aligned with the report's timeline. */
  timeline: number[];
}

export type NotYetReason = "beingNudged" | Exclude<NotNudgedReason, "notIncluded" | "excluded">;

export interface ProgressReport {
  campaign: Pick<
    CampaignSettings,
    "state" | "snoozeDurationInDays" | "includeTargets" | "excludeTargets"
  > & {
    enforceRegistrationAfterAllowedSnoozes?: boolean;
  };
  /** When the campaign was last enabled, from the audit log; null when it does not show it. */
  enabledSince: string | null;
  /** "audit": enabledSince is known; "beforeRetention": enabled before the audit log's 30 days; "notEnabled": disabled or Microsoft managed. */
  startSource: "audit" | "beforeRetention" | "notEnabled";
  /** The timeline's first day (enabledSince, or the start of the audit retention window). */
  periodStart: string;
  /** The timeline's end: now (or the newest audit record, if the service's clock is ahead). */
  asOf: string;
  targeted: number;
  registered: number;
  /** Registered before the period (or without an audit record of it in the period). */
  registeredBeforeStart: number;
  registeredSinceStart: number;
  notYet: number;
  /** registered / targeted, in percent with one decimal. */
  percentRegistered: number;
  /**
   * The methods progress counts, each for the users the campaign targets for it: "registered"
   * means `microsoftAuthenticatorPush` for microsoftAuthenticator, a passkey for fido2.
   */
  countedMethods: NudgeMethod[];
  /** The numbers above split by the method each user is targeted for (both keys always present). */
  byMethod: Record<NudgeMethod, MethodProgress>;
  /** Why the targeted users who have not registered are where they are. */
  notYetReasons: { reason: NotYetReason; description: string; users: number }[];
  byUserType: Record<UserKind, { targeted: number; registered: number }>;
  byTarget: TargetProgress[];
  timeline: TimelinePoint[];
  scan: TenantScan["stats"] & { scannedAt: string };
}

const NOT_YET_TEXT: Record<NotYetReason, string> = {
  ...REASON_TEXT,
  beingNudged: "eligible: nudged at their next MFA sign-in (unless snoozed)",
};

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
}

export interface ProgressInput {
  enabledSince?: string;
  /** The first registration per user of each method, from the audit log. */
  registrations: CampaignRegistrations;
  /** The clock's now (ms); the newest audit record wins when later. */
  now: number;
}

export function computeProgress(scan: TenantScan, input: ProgressInput): ProgressReport {
  const { campaign } = scan.current;
  const config = scan.current;
  const registeredAt = (method: NudgeMethod) =>
    new Map(input.registrations[method].map((r) => [r.userId, Date.parse(r.at)]));
  const registeredAtBy: Record<NudgeMethod, Map<string, number>> = {
    microsoftAuthenticator: registeredAt("microsoftAuthenticator"),
    fido2: registeredAt("fido2"),
  };
  const newest = NUDGE_METHODS.flatMap((method) => input.registrations[method]).reduce(
    (latest, r) => Math.max(latest, Date.parse(r.at)),
    Math.max(input.now, input.enabledSince ? Date.parse(input.enabledSince) : 0),
  );
  const startSource: ProgressReport["startSource"] = input.enabledSince
    ? "audit"
    : campaign.state === "enabled"
      ? "beforeRetention"
      : "notEnabled";
  const start = input.enabledSince
    ? Date.parse(input.enabledSince)
    : newest - RETENTION_DAYS * DAY_MS;
  const firstDay = Date.parse(`${day(start)}T00:00:00Z`);
  const days = Math.max(
    1,
    Math.floor((Date.parse(`${day(newest)}T00:00:00Z`) - firstDay) / DAY_MS) + 1,
  );
  // The day index of a registration in the period, or -1 when it predates it.
  const dayIndex = (at: number | undefined) =>
    at === undefined || at < start ? -1 : Math.min(days - 1, Math.floor((at - firstDay) / DAY_MS));

  const excluded = (user: ScannedUser) =>
    campaign.excludeTargets.some((t) => targetCovers(t, user));
  const targets = campaignIncludeTargets(campaign);
  const byTarget: TargetProgress[] = targets.map((target) => ({
    id: target.id,
    targetType: target.targetType,
    ...displayName(scan, target.id, target.targetType),
    targeted: 0,
    registered: 0,
    registeredSinceStart: 0,
    notYet: 0,
    timeline: new Array<number>(days).fill(0),
  }));
  const newPerDay = new Array<number>(days).fill(0);
  const methodEntry = (): MethodProgress => ({
    targeted: 0,
    registered: 0,
    registeredBeforeStart: 0,
    registeredSinceStart: 0,
    notYet: 0,
    timeline: new Array<number>(days).fill(0),
  });
  const byMethod: Record<NudgeMethod, MethodProgress> = {
    microsoftAuthenticator: methodEntry(),
    fido2: methodEntry(),
  };
  const reasons = new Map<NotYetReason, number>();
  const byUserType: ProgressReport["byUserType"] = {
    member: { targeted: 0, registered: 0 },
    guest: { targeted: 0, registered: 0 },
  };
  let targeted = 0;
  let registered = 0;
  let before = 0;
  for (const user of scan.users) {
    const covering = targets.map((target) => targetCovers(target, user));
    if (!covering.some(Boolean) || excluded(user)) continue;
    targeted++;
    byUserType[user.userType].targeted++;
    const method = targetedMethod(user, config) ?? "microsoftAuthenticator";
    const isRegistered =
      method === "fido2"
        ? hasPasskey(user.methodsRegistered)
        : hasAuthenticatorPush(user.methodsRegistered);
    const index = isRegistered ? dayIndex(registeredAtBy[method].get(user.id)) : -1;
    const perMethod = byMethod[method];
    perMethod.targeted++;
    if (isRegistered) {
      registered++;
      perMethod.registered++;
      byUserType[user.userType].registered++;
      if (index < 0) {
        before++;
        perMethod.registeredBeforeStart++;
      } else {
        newPerDay[index]++;
        perMethod.registeredSinceStart++;
      }
      for (let d = Math.max(0, index); d < days; d++) perMethod.timeline[d]++;
    } else {
      perMethod.notYet++;
      const outcome = evaluateUser(user, config);
      const reason: NotYetReason = outcome.nudged
        ? "beingNudged"
        : (outcome.reason as NotYetReason);
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    covering.forEach((covers, t) => {
      if (!covers) return;
      const entry = byTarget[t];
      entry.targeted++;
      if (!isRegistered) {
        entry.notYet++;
        return;
      }
      entry.registered++;
      if (index >= 0) entry.registeredSinceStart++;
      // Cumulative: counted from its day on (from the first day when it predates the period).
      for (let d = Math.max(0, index); d < days; d++) entry.timeline[d]++;
    });
  }
  const timeline: TimelinePoint[] = [];
  let cumulative = before;
  for (let d = 0; d < days; d++) {
    cumulative += newPerDay[d];
    timeline.push({
      date: day(firstDay + d * DAY_MS),
      registered: cumulative,
      newRegistrations: newPerDay[d],
    });
  }
  return {
    campaign: {
      state: campaign.state,
      snoozeDurationInDays: campaign.snoozeDurationInDays,
      ...(campaign.enforceRegistrationAfterAllowedSnoozes !== undefined
        ? {
            enforceRegistrationAfterAllowedSnoozes: campaign.enforceRegistrationAfterAllowedSnoozes,
          }
        : {}),
      includeTargets: campaign.includeTargets,
      excludeTargets: campaign.excludeTargets,
    },
    enabledSince: input.enabledSince ?? null,
    startSource,
    periodStart: new Date(start).toISOString(),
    asOf: new Date(newest).toISOString(),
    targeted,
    registered,
    registeredBeforeStart: before,
    registeredSinceStart: registered - before,
    notYet: targeted - registered,
    percentRegistered: percent(registered, targeted),
    countedMethods: countedMethods(byMethod, targets),
    byMethod,
    notYetReasons: [...reasons]
      .map(([reason, users]) => ({ reason, description: NOT_YET_TEXT[reason], users }))
      .sort((a, b) => b.users - a.users),
    byUserType,
    byTarget,
    timeline,
    scan: { ...scan.stats, scannedAt: scan.scannedAt },
  };
}

/** The methods with targeted users; with none, the methods the include targets name. */
function countedMethods(
  byMethod: Record<NudgeMethod, MethodProgress>,
  targets: readonly { targetedAuthenticationMethod?: string }[],
): NudgeMethod[] {
  const withUsers = NUDGE_METHODS.filter((method) => byMethod[method].targeted > 0);
  if (withUsers.length > 0) return withUsers;
  const named = new Set(targets.map((t) => nudgeMethodOf(t.targetedAuthenticationMethod)));
  return NUDGE_METHODS.filter((method) => named.has(method));
}

function displayName(scan: TenantScan, id: string, targetType: string): { displayName?: string } {
  if (id === "all_users") return { displayName: "All users" };
  if (targetType === "user") {
    const user = scan.users.find((candidate) => candidate.id === id);
    return user ? { displayName: user.displayName ?? user.userPrincipalName } : {};
  }
  const name = scan.groups.get(id)?.displayName;
  return name ? { displayName: name } : {};
}
