// Ready for 2027-02-01 (graph-contract-passkeys.md §7): from that day Microsoft stops delivering
// SMS and voice codes, and users whose only MFA methods are SMS or voice get a blocking passkey
// prompt. Who those users are (the registration report), whether the campaign (live or declared)
// nudges them and to what (the eligibility model), why the others are not reached, the SMS and
// Voice method policies, and — once a campaign runs — the pace at which they move. Pure: the scan,
// the method policies and the audit records are the inputs.
import type { TenantScan } from "../eligibility/scan";
import { displayNameOf } from "../impact/impact";
import {
  NOT_NUDGED_REASONS,
  PASSKEY_APPROXIMATION,
  PHONE_METHODS,
  REASON_TEXT,
  campaignIncludeTargets,
  evaluateUser,
  isPasskeyRegistration,
  isPhoneOnly,
  targetCovers,
  type NotNudgedReason,
  type NudgeConfiguration,
  type NudgeMethod,
  type PhoneMethodSettings,
  type UserKind,
} from "../model";
import type { PushRegistration } from "../report/audits";

/** SMSRET: Microsoft-provided SMS and voice delivery ends (public cloud). */
export const SMS_VOICE_DEADLINE = "2027-02-01";
const DAY_MS = 24 * 60 * 60 * 1000;

export interface ReadinessTarget {
  id: string;
  targetType: string;
  displayName?: string;
  /** Phone-only users the target covers (targets overlap: a user may count under several). */
  phoneOnly: number;
  nudged: number;
  nudgedToPasskey: number;
  nudgedToAuthenticator: number;
}

export interface ReadinessTrend {
  /** The first day counted: the campaign's start per the audit log, else 30 days back. */
  periodStart: string;
  /** "audit": the campaign's start is known; "retention": the audit log's 30 days. */
  startSource: "audit" | "retention";
  /** Phone-only users at the start of the period. */
  atStart: number;
  /** Phone-only users at the end of each day (the last: now). */
  points: { date: string; phoneOnly: number }[];
  /** Phone-only users moving to another MFA method per day, on average over the period. */
  movedPerDay: number;
  /** At that pace, the day the last phone-only user moves (null: nobody is moving). */
  projectedLastMove: string | null;
  /** Whether that day is before the deadline (null: never at this pace). */
  beforeDeadline: boolean | null;
}

export interface ReadinessReport {
  deadline: typeof SMS_VOICE_DEADLINE;
  asOf: string;
  /** Whole days from today (UTC) to the deadline; 0 on and after it. */
  daysLeft: number;
  /** Whose campaign is counted: "tenant" (live) or the stack's declaration. */
  source: string;
  users: number;
  /** Users whose only MFA methods are SMS or voice (mobilePhone, alternateMobilePhone, officePhone). */
  phoneOnly: number;
  phoneOnlyNudged: number;
  phoneOnlyNotNudged: number;
  phoneOnlyNudgedByMethod: Record<NudgeMethod, number>;
  byUserType: Record<UserKind, { phoneOnly: number; nudged: number }>;
  byTarget: ReadinessTarget[];
  /** Why the phone-only users who are not nudged are not, most common first. */
  notNudgedReasons: { reason: NotNudgedReason; description: string; users: number }[];
  campaign: {
    state: string;
    targetedAuthenticationMethod?: string;
    includeTargets: NudgeConfiguration["campaign"]["includeTargets"];
    excludeTargets: NudgeConfiguration["campaign"]["excludeTargets"];
  };
  /**
   * The passkey method counted (the tenant's, or the stack's declared PasskeyPolicy applied to it):
   * who may set up a passkey, which a passkey nudge needs.
   */
  passkeyMethod: {
    state: string;
    isSelfServiceRegistrationAllowed: boolean;
    includeTargets: { id: string; targetType: string }[];
    excludeTargets: { id: string; targetType: string }[];
  };
  /** The SMS and Voice method configurations (read only). */
  methodPolicies: { sms: PhoneMethodSettings; voice: PhoneMethodSettings };
  /** Where the answer rests on an approximation (docs/readiness.md). */
  approximations: string[];
  /** Null until a campaign runs (state enabled or Microsoft managed). */
  trend: ReadinessTrend | null;
  scan: TenantScan["stats"] & { scannedAt: string };
}

export interface ReadinessInput {
  configuration: NudgeConfiguration;
  source: string;
  methodPolicies: ReadinessReport["methodPolicies"];
  /** The campaign's start per the audit log, when known. */
  campaignSince?: string;
  /** First registrations of a non-phone MFA method per user in the period (undefined: no trend). */
  registrations?: readonly PushRegistration[];
  now: number;
}

const APPROXIMATIONS = [
  "Phone-only: the registration report lists only mobilePhone, alternateMobilePhone and/or officePhone as MFA methods (email and security questions are for password reset only). The report lags up to 36 hours.",
  PASSKEY_APPROXIMATION,
  "Nudges are shown at an interactive MFA sign-in: a user who does not sign in before the deadline is not moved by the campaign, and Conditional Access, Linux and native Android apps are not modelled.",
];

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function daysUntilDeadline(now: number): number {
  const deadline = Date.parse(`${SMS_VOICE_DEADLINE}T00:00:00Z`);
  const today = Date.parse(`${day(now)}T00:00:00Z`);
  return Math.max(0, Math.round((deadline - today) / DAY_MS));
}

export function computeReadiness(scan: TenantScan, input: ReadinessInput): ReadinessReport {
  const { configuration } = input;
  const targets = campaignIncludeTargets(configuration.campaign);
  const byTarget: ReadinessTarget[] = targets.map((target) => ({
    id: target.id,
    targetType: target.targetType,
    ...displayNameOf(scan, target.id, target.targetType),
    phoneOnly: 0,
    nudged: 0,
    nudgedToPasskey: 0,
    nudgedToAuthenticator: 0,
  }));
  const byUserType: ReadinessReport["byUserType"] = {
    member: { phoneOnly: 0, nudged: 0 },
    guest: { phoneOnly: 0, nudged: 0 },
  };
  const byMethod: Record<NudgeMethod, number> = { microsoftAuthenticator: 0, fido2: 0 };
  const reasons = new Map<NotNudgedReason, number>();
  let phoneOnly = 0;
  let nudged = 0;
  for (const user of scan.users) {
    if (!isPhoneOnly(user.methodsRegistered)) continue;
    phoneOnly++;
    byUserType[user.userType].phoneOnly++;
    const outcome = evaluateUser(user, configuration);
    if (outcome.nudged) {
      nudged++;
      byUserType[user.userType].nudged++;
      byMethod[outcome.method]++;
    } else {
      reasons.set(outcome.reason, (reasons.get(outcome.reason) ?? 0) + 1);
    }
    targets.forEach((target, t) => {
      if (!targetCovers(target, user)) return;
      const entry = byTarget[t];
      entry.phoneOnly++;
      if (!outcome.nudged) return;
      entry.nudged++;
      if (outcome.method === "fido2") entry.nudgedToPasskey++;
      else entry.nudgedToAuthenticator++;
    });
  }
  const { campaign } = configuration;
  const method = (campaign as { targetedAuthenticationMethod?: string })
    .targetedAuthenticationMethod;
  return {
    deadline: SMS_VOICE_DEADLINE,
    asOf: new Date(input.now).toISOString(),
    daysLeft: daysUntilDeadline(input.now),
    source: input.source,
    users: scan.users.length,
    phoneOnly,
    phoneOnlyNudged: nudged,
    phoneOnlyNotNudged: phoneOnly - nudged,
    phoneOnlyNudgedByMethod: byMethod,
    byUserType,
    byTarget,
    notNudgedReasons: NOT_NUDGED_REASONS.filter((reason) => reasons.has(reason))
      .map((reason) => ({
        reason,
        description: REASON_TEXT[reason],
        users: reasons.get(reason) ?? 0,
      }))
      .sort((a, b) => b.users - a.users),
    campaign: {
      state: campaign.state,
      ...(method !== undefined ? { targetedAuthenticationMethod: method } : {}),
      includeTargets: campaign.includeTargets,
      excludeTargets: campaign.excludeTargets,
    },
    passkeyMethod: {
      state: configuration.passkey?.state ?? "disabled",
      isSelfServiceRegistrationAllowed:
        configuration.passkey?.isSelfServiceRegistrationAllowed ?? false,
      includeTargets: (configuration.passkey?.includeTargets ?? []).map(({ id, targetType }) => ({
        id,
        targetType,
      })),
      excludeTargets: [...(configuration.passkey?.excludeTargets ?? [])],
    },
    methodPolicies: input.methodPolicies,
    approximations: APPROXIMATIONS,
    trend:
      input.registrations && (campaign.state === "enabled" || campaign.state === "default")
        ? computeTrend(scan, phoneOnly, input.registrations, input.campaignSince, input.now)
        : null,
    scan: { ...scan.stats, scannedAt: scan.scannedAt },
  };
}

/** What one registration of the Authenticator app adds (push and its codes). */
const AUTHENTICATOR_APP_METHODS = new Set([
  "microsoftAuthenticatorPush",
  "softwareOneTimePasscode",
  "microsoftAuthenticatorPasswordless",
]);

/**
 * Whether the user has a phone method and other MFA methods that one registration explains (a
 * passkey, or the Authenticator app): such a user was phone-only before that registration. A user
 * with methods of both kinds, or other ones, had another MFA method before it.
 */
function wasPhoneOnlyBeforeOneRegistration(methods: readonly string[]): boolean {
  if (isPhoneOnly(methods) || !methods.some((m) => PHONE_METHODS.includes(m))) return false;
  const mfa = methods.filter(
    (m) => !PHONE_METHODS.includes(m) && !["email", "securityQuestion"].includes(m),
  );
  return (
    mfa.length > 0 &&
    (mfa.every(isPasskeyRegistration) || mfa.every((m) => AUTHENTICATOR_APP_METHODS.has(m)))
  );
}

/**
 * Phone-only users per day, walked back from now: a user who has a phone method and MFA methods
 * one registration explains (a passkey, or the Authenticator app), and whose first such
 * registration the audit log shows in the period, was phone-only until then. (A user who removed a method meanwhile is not seen: the audit
 * log's deletions are not walked.)
 */
export function computeTrend(
  scan: TenantScan,
  phoneOnlyNow: number,
  registrations: readonly PushRegistration[],
  campaignSince: string | undefined,
  clock: number,
): ReadinessTrend {
  // The newest audit record wins when later (a service clock ahead of this one), as in `report`.
  const now = registrations.reduce((latest, r) => Math.max(latest, Date.parse(r.at)), clock);
  const start = campaignSince ? Date.parse(campaignSince) : now - 30 * DAY_MS;
  const hadPhone = new Set(
    scan.users
      .filter((user) => wasPhoneOnlyBeforeOneRegistration(user.methodsRegistered))
      .map((user) => user.id),
  );

  const moves = registrations
    .filter((r) => hadPhone.has(r.userId) && Date.parse(r.at) >= start && Date.parse(r.at) <= now)
    .map((r) => Date.parse(r.at))
    .sort((a, b) => a - b);
  const atStart = phoneOnlyNow + moves.length;
  const firstDay = Date.parse(`${day(start)}T00:00:00Z`);
  const days = Math.max(
    1,
    Math.floor((Date.parse(`${day(now)}T00:00:00Z`) - firstDay) / DAY_MS) + 1,
  );
  const points: ReadinessTrend["points"] = [];
  let moved = 0;
  for (let d = 0; d < days; d++) {
    // The last day ends now, the newest record included.
    const end = d === days - 1 ? now + 1 : firstDay + (d + 1) * DAY_MS;
    while (moved < moves.length && moves[moved] < end) moved++;
    points.push({ date: day(firstDay + d * DAY_MS), phoneOnly: atStart - moved });
  }
  const elapsedDays = Math.max(1, (now - start) / DAY_MS);
  const movedPerDay = Math.round((moves.length / elapsedDays) * 100) / 100;
  let projectedLastMove: string | null = null;
  if (phoneOnlyNow === 0) projectedLastMove = day(now);
  else if (moves.length > 0)
    projectedLastMove = day(now + Math.ceil(phoneOnlyNow / (moves.length / elapsedDays)) * DAY_MS);
  return {
    periodStart: new Date(start).toISOString(),
    startSource: campaignSince ? "audit" : "retention",
    atStart,
    points,
    movedPerDay,
    projectedLastMove,
    beforeDeadline: projectedLastMove === null ? null : projectedLastMove < SMS_VOICE_DEADLINE,
  };
}
