// Ready for 2027-02-01 (graph-contract-passkeys.md §7): from that day Microsoft stops delivering
// SMS and voice codes, and users whose only MFA methods are SMS or voice get a blocking passkey
// prompt. Who those users are (the registration report), whether the campaign (live or declared)
// nudges them and to what (the eligibility model), why the others are not reached, the SMS and
// Voice method policies, and — once a campaign runs — the pace at which they move. Pure: the scan,
// the method policies and the audit records are the inputs.
import type { TenantScan } from "../eligibility/scan";
import { displayNameOf } from "../impact/impact";
import {
  ALLOWED_SNOOZES,
  LATER_SMS_VOICE_DEADLINE,
  NOT_NUDGED_REASONS,
  PASSKEY_APPROXIMATION,
  POPULATION_TEXT,
  SMS_VOICE_DEADLINE,
  SMS_VOICE_DEADLINES,
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
  type Population,
  type SmsVoiceDeadline,
  type UserKind,
  deadlineOf,
  populationOf,
} from "../model";
import type { PushRegistration } from "../report/audits";
import type { ScannedUser } from "../eligibility/scan";
import {
  ASSUMED_BEHAVIOUR,
  ASSUMED_RANGE,
  elapsedDays,
  fitBehaviour,
  forecastPhoneOnly,
  measuredDailyConversion,
  planFor,
  recordSuffices,
  survival,
  type Behaviour,
  type CampaignRecord,
  type DailyForecast,
  type DeadlineForecast,
  type ForecastUser,
  type Plan,
  type PlanStatus,
  type RecordGroup,
  type SnoozeRules,
} from "./forecast";

export { LATER_SMS_VOICE_DEADLINE, SMS_VOICE_DEADLINE };
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
}

export interface ReadinessForecast {
  /** "measured": fitted to this campaign's record; "assumed": no record yet (ASSUMED_BEHAVIOUR). */
  basis: "measured" | "assumed";
  /**
   * Reached phone-only users who move per day: measured, registrations per reached user-day over
   * the record; assumed, the same over the first week at the assumed behaviour.
   */
  dailyConversion: number;
  /** The per-user figures the forecast runs on (fitted or assumed). */
  behaviour: Behaviour;
  /** The record measured: its start, whole days, reached phone-only users, and who of them registered. */
  record: {
    since: string;
    days: number;
    reached: number;
    registered: number;
    /** Of them, per whole day since the start ([0] = its first 24 hours). */
    registeredPerDay: number[];
    /** Reached users at the start and registrations per day, by the snooze rules they are under. */
    byRules: { rules: SnoozeRules; reached: number; registeredPerDay: number[] }[];
  } | null;
  /** Expected phone-only users per day, [0] = today, to 2027-07-01. */
  daily: DailyForecast[];
  atDeadline: DeadlineForecast[];
}

export interface ReadinessPlan extends Plan {
  /** With --stack: the same plan for the live campaign, and by how many days the declared change moves latestStart (later is positive). */
  live?: {
    latestStart: string | null;
    status: PlanStatus;
    daysNeeded: number | null;
    notReached: number;
  };
  shiftDays?: number | null;
}

/** One phone-only user: who, which date applies, and whether the campaign nudges them. */
export interface PhoneOnlyUser {
  id: string;
  userPrincipalName: string;
  displayName?: string;
  /** The report's userType. */
  userType: UserKind;
  population: Population;
  deadline: SmsVoiceDeadline;
  /** The method the campaign nudges them to set up; null when it does not nudge them. */
  nudgedTo: NudgeMethod | null;
  /** Why the campaign does not nudge them; null when it does. */
  reason: NotNudgedReason | null;
  /** In an --exempt-group (moved to a customer-managed telephony provider): not at risk. */
  exempt: boolean;
}

/** The phone-only users of one retirement date (exempt users left out). */
export interface ReadinessCohort {
  deadline: SmsVoiceDeadline;
  phoneOnly: number;
  phoneOnlyNudged: number;
  phoneOnlyNotNudged: number;
  /** Phone-only users of each population on this date. */
  populations: Partial<Record<Population, number>>;
}

/** What decides a user's date, as read from the tenant (readiness/populations.ts). */
export interface PopulationFacts {
  /** Lower-case ids of the users holding the Global Administrator role; null: could not be read. */
  globalAdministrators: readonly string[] | null;
  /** Lower-case ids of the external users (identities from another tenant or provider); null: not read. */
  externalUsers: readonly string[] | null;
}

/** An --exempt-group: its users are routed to a customer-managed telephony provider. */
export interface ExemptGroup {
  id: string;
  displayName?: string;
  /** Lower-case ids of its users, transitively; undefined when the group does not exist. */
  userIds?: ReadonlySet<string>;
}

export interface ReadinessReport {
  deadline: typeof SMS_VOICE_DEADLINE;
  asOf: string;
  /** Whole days from today (UTC) to the deadline; 0 on and after it. */
  daysLeft: number;
  /** Whose campaign is counted: "tenant" (live) or the stack's declaration. */
  source: string;
  /** Display names of the groups the scan read (lower-case id → name), to name targets. */
  groupNames: Record<string, string>;
  users: number;
  /**
   * Users whose only MFA methods are SMS or voice (mobilePhone, alternateMobilePhone, officePhone),
   * --exempt-group members left out (as in every count below but `exempt`).
   */
  phoneOnly: number;
  phoneOnlyNudged: number;
  phoneOnlyNotNudged: number;
  phoneOnlyNudgedByMethod: Record<NudgeMethod, number>;
  byUserType: Record<UserKind, { phoneOnly: number; nudged: number }>;
  /** The phone-only users of each retirement date: 2027-02-01, then 2027-07-01. */
  cohorts: ReadinessCohort[];
  /** Phone-only users and nudged ones per population. */
  byPopulation: Record<Population, { phoneOnly: number; nudged: number }>;
  /**
   * Whether Global Administrators and external users could be told apart (their reads need
   * RoleManagement.Read.Directory and User.Read.All); when not, those users are counted on
   * 2027-02-01, the earlier date.
   */
  populationsKnown: { globalAdministrators: boolean; externalUsers: boolean };
  /** Phone-only users in an --exempt-group (moved to a customer-managed telephony provider). */
  exempt: number;
  exemptGroups: { id: string; displayName?: string; found: boolean; phoneOnly: number }[];
  /**
   * The passkeys-by-default opt-out (beta optOutSettings.passkeyDynamicMigration; null when not
   * read): it delays Microsoft's 2026-09-01 changes until 2027-02-01 and never the retirement.
   */
  optOut: { passkeyDynamicMigration: boolean | null; until: typeof SMS_VOICE_DEADLINE };
  /**
   * Every phone-only user (exempt ones included, flagged): the --users CSV and the HTML page's list.
   * Left out of --json (readinessJson), which stays a summary at any tenant size.
   */
  people: PhoneOnlyUser[];
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
  forecast: ReadinessForecast;
  plan: ReadinessPlan;
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
  /** Global Administrators and external users; absent: everyone on 2027-02-01 (not read). */
  populations?: PopulationFacts;
  /** --exempt-group: their users are counted apart. */
  exemptGroups?: readonly ExemptGroup[];
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

/** Each phone-only user with their population, date and the campaign's outcome. */
export function phoneOnlyUsers(
  scan: TenantScan,
  configuration: NudgeConfiguration,
  populations: PopulationFacts | undefined,
  exemptGroups: readonly ExemptGroup[] = [],
): PhoneOnlyUser[] {
  const admins = new Set(populations?.globalAdministrators ?? []);
  const external = new Set(populations?.externalUsers ?? []);
  const exempt = new Set(exemptGroups.flatMap((g) => [...(g.userIds ?? [])]));
  const people: PhoneOnlyUser[] = [];
  for (const user of scan.users) {
    if (!isPhoneOnly(user.methodsRegistered)) continue;
    const population = populationOf({
      userType: user.userType,
      globalAdministrator: admins.has(user.id),
      external: external.has(user.id),
    });
    const outcome = evaluateUser(user, configuration);
    people.push({
      id: user.id,
      userPrincipalName: user.userPrincipalName,
      ...(user.displayName !== undefined ? { displayName: user.displayName } : {}),
      userType: user.userType,
      population,
      deadline: deadlineOf(population),
      nudgedTo: outcome.nudged ? outcome.method : null,
      reason: outcome.nudged ? null : outcome.reason,
      exempt: exempt.has(user.id),
    });
  }
  return people;
}

const POPULATIONS = Object.keys(POPULATION_TEXT) as Population[];

export function computeReadiness(scan: TenantScan, input: ReadinessInput): ReadinessReport {
  const { configuration } = input;
  const people = phoneOnlyUsers(scan, configuration, input.populations, input.exemptGroups);
  const counted = people.filter((p) => !p.exempt);
  const usersById = new Map(scan.users.map((u) => [u.id, u]));
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
  const byPopulation = Object.fromEntries(
    POPULATIONS.map((p) => [p, { phoneOnly: 0, nudged: 0 }]),
  ) as ReadinessReport["byPopulation"];
  const cohorts: ReadinessCohort[] = SMS_VOICE_DEADLINES.map((deadline) => ({
    deadline,
    phoneOnly: 0,
    phoneOnlyNudged: 0,
    phoneOnlyNotNudged: 0,
    populations: {},
  }));
  let nudged = 0;
  for (const person of counted) {
    const user = usersById.get(person.id);
    if (!user) continue;
    byUserType[person.userType].phoneOnly++;
    byPopulation[person.population].phoneOnly++;
    const cohort = cohorts.find((c) => c.deadline === person.deadline) as ReadinessCohort;
    cohort.phoneOnly++;
    cohort.populations[person.population] = (cohort.populations[person.population] ?? 0) + 1;
    if (person.nudgedTo) {
      nudged++;
      cohort.phoneOnlyNudged++;
      byUserType[person.userType].nudged++;
      byPopulation[person.population].nudged++;
      byMethod[person.nudgedTo]++;
    } else if (person.reason) {
      cohort.phoneOnlyNotNudged++;
      reasons.set(person.reason, (reasons.get(person.reason) ?? 0) + 1);
    }
    targets.forEach((target, t) => {
      if (!targetCovers(target, user)) return;
      const entry = byTarget[t];
      entry.phoneOnly++;
      if (!person.nudgedTo) return;
      entry.nudged++;
      if (person.nudgedTo === "fido2") entry.nudgedToPasskey++;
      else entry.nudgedToAuthenticator++;
    });
  }
  const phoneOnly = counted.length;
  const exemptIds = new Set(people.filter((p) => p.exempt).map((p) => p.id));
  const { campaign } = configuration;
  const method = (campaign as { targetedAuthenticationMethod?: string })
    .targetedAuthenticationMethod;
  return {
    deadline: SMS_VOICE_DEADLINE,
    asOf: new Date(input.now).toISOString(),
    daysLeft: daysUntilDeadline(input.now),
    source: input.source,
    groupNames: Object.fromEntries(
      [...scan.groups.values()]
        .filter((g) => g?.displayName !== undefined)
        .map((g) => [g?.id ?? "", g?.displayName ?? ""]),
    ),
    users: scan.users.length,
    phoneOnly,
    phoneOnlyNudged: nudged,
    phoneOnlyNotNudged: phoneOnly - nudged,
    phoneOnlyNudgedByMethod: byMethod,
    byUserType,
    cohorts,
    byPopulation,
    populationsKnown: {
      globalAdministrators: input.populations?.globalAdministrators != null,
      externalUsers: input.populations?.externalUsers != null,
    },
    exempt: exemptIds.size,
    exemptGroups: (input.exemptGroups ?? []).map((g) => ({
      id: g.id,
      ...(g.displayName !== undefined ? { displayName: g.displayName } : {}),
      found: g.userIds !== undefined,
      phoneOnly: [...(g.userIds ?? [])].filter((id) => exemptIds.has(id)).length,
    })),
    optOut: {
      passkeyDynamicMigration:
        (campaign as { passkeyMigrationOptOut?: boolean }).passkeyMigrationOptOut ?? null,
      until: SMS_VOICE_DEADLINE,
    },
    people,
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
    ...forecastAndPlan(
      scan,
      input,
      counted.flatMap((person) => {
        const user = usersById.get(person.id);
        return user
          ? [{ user, outcome: evaluateUser(user, configuration), deadline: person.deadline }]
          : [];
      }),
    ),
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
  return {
    periodStart: new Date(start).toISOString(),
    startSource: campaignSince ? "audit" : "retention",
    atStart,
    points,
  };
}

function isRunning(configuration: NudgeConfiguration): boolean {
  return configuration.campaign.state === "enabled" || configuration.campaign.state === "default";
}

/** The user as they were before their first registration of another MFA method: phone methods only. */
function beforeRegistration(user: ScannedUser): ScannedUser {
  return {
    ...user,
    methodsRegistered: user.methodsRegistered.filter(
      (m) => PHONE_METHODS.includes(m) || m === "email" || m === "securityQuestion",
    ),
    isMfaRegistered: true,
    preferredMfaMethod: undefined,
  };
}

function rulesKey(rules: SnoozeRules): string {
  return `${rules.snoozeDays}/${rules.snoozeLimit ?? "unlimited"}`;
}

/**
 * The live campaign's record: the phone-only users it reaches now and those it reached who
 * registered another MFA method since it started (judged on the user before that registration),
 * each under their snooze rules, with the day they registered. Null when the live campaign does
 * not run or no audit records were read.
 */
export function campaignRecord(
  scan: TenantScan,
  registrations: readonly PushRegistration[] | undefined,
  campaignSince: string | undefined,
  now: number,
): CampaignRecord | null {
  const live = scan.current;
  if (!registrations || !isRunning(live)) return null;
  const start = campaignSince ? Date.parse(campaignSince) : now - 30 * DAY_MS;
  const days = Math.max(0, Math.floor((now - start) / DAY_MS));
  const groups = new Map<string, RecordGroup & { registeredPerDay: number[] }>();
  const groupOf = (rules: SnoozeRules) => {
    const key = rulesKey(rules);
    let group = groups.get(key);
    if (!group)
      groups.set(
        key,
        (group = { rules, reachedAtStart: 0, registeredPerDay: new Array<number>(days).fill(0) }),
      );
    return group;
  };
  let registered = 0;
  const firstMove = new Map<string, number>();
  for (const r of registrations) {
    const at = Date.parse(r.at);
    if (at < start || at > now) continue;
    firstMove.set(r.userId, Math.min(at, firstMove.get(r.userId) ?? Infinity));
  }
  for (const user of scan.users) {
    const at = firstMove.get(user.id);
    let judged: ScannedUser;
    if (isPhoneOnly(user.methodsRegistered)) judged = user;
    else if (at !== undefined && wasPhoneOnlyBeforeOneRegistration(user.methodsRegistered))
      judged = beforeRegistration(user);
    else continue;
    const outcome = evaluateUser(judged, live);
    if (!outcome.nudged) continue;
    const group = groupOf({ snoozeDays: outcome.snoozeDays, snoozeLimit: outcome.snoozeLimit });
    group.reachedAtStart++;
    if (judged !== user && at !== undefined) {
      registered++;
      const t = Math.floor((at - start) / DAY_MS);
      if (t < days) group.registeredPerDay[t]++;
    }
  }
  return { since: new Date(start).toISOString(), days, registered, groups: [...groups.values()] };
}

/** The snooze rules a campaign reaching the users the configuration does not would have: its own. */
export function campaignRules(configuration: NudgeConfiguration): SnoozeRules {
  const { campaign } = configuration;
  // Microsoft managed: 1 day; unlimited for the passkey nudge it now gives (the slower of the two).
  if (campaign.state === "default") return { snoozeDays: 1, snoozeLimit: null };
  return {
    snoozeDays: campaign.snoozeDurationInDays ?? 1,
    snoozeLimit: campaign.enforceRegistrationAfterAllowedSnoozes === false ? null : ALLOWED_SNOOZES,
  };
}

/** Reached user-days and moves over the first week at this behaviour (the assumed daily figure). */
function modelledDailyConversion(rules: SnoozeRules, behaviour: Behaviour): number {
  const s = survival(rules, behaviour, 7);
  let userDays = 0;
  for (let t = 0; t < 7; t++) userDays += s[t];
  return (1 - s[7]) / userDays;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function forecastAndPlan(
  scan: TenantScan,
  input: ReadinessInput,
  phoneOnly: { user: ScannedUser; outcome: ReturnType<typeof evaluateUser>; deadline: string }[],
): { forecast: ReadinessForecast; plan: ReadinessPlan } {
  // The newest audit record wins when later (a service clock ahead of this one), as in the trend.
  const now = (input.registrations ?? []).reduce(
    (latest, r) => Math.max(latest, Date.parse(r.at)),
    input.now,
  );
  const record = campaignRecord(scan, input.registrations, input.campaignSince, now);
  const measured = record !== null && recordSuffices(record);
  const fit = measured ? fitBehaviour(record) : undefined;
  const behaviour = fit?.behaviour ?? ASSUMED_BEHAVIOUR;
  const rules = campaignRules(input.configuration);
  // Users the live campaign reaches have been prompted since the record's start; the others start now.
  const liveRunning = isRunning(scan.current);
  const users: ForecastUser[] = phoneOnly.map(({ user, outcome, deadline }) => {
    if (!outcome.nudged) return { deadline, reached: null };
    const reachedLive =
      record !== null && liveRunning && evaluateUser(user, scan.current).nudged
        ? elapsedDays(record.since, now)
        : 0;
    return {
      deadline,
      reached: {
        rules: { snoozeDays: outcome.snoozeDays, snoozeLimit: outcome.snoozeLimit },
        elapsedDays: reachedLive,
      },
    };
  });
  const { daily, atDeadline } = forecastPhoneOnly({
    users,
    behaviour,
    plausible: fit?.plausible ?? ASSUMED_RANGE,
    now,
  });
  const forecast: ReadinessForecast = {
    basis: measured ? "measured" : "assumed",
    dailyConversion: round(
      measured ? measuredDailyConversion(record) : modelledDailyConversion(rules, behaviour),
      4,
    ),
    behaviour: {
      signInPerDay: round(behaviour.signInPerDay, 3),
      registerPerPrompt: round(behaviour.registerPerPrompt, 3),
    },
    record: record
      ? {
          since: record.since,
          days: record.days,
          reached: record.groups.reduce((sum, g) => sum + g.reachedAtStart, 0),
          registered: record.registered,
          registeredPerDay: Array.from({ length: record.days }, (_, t) =>
            record.groups.reduce((sum, g) => sum + (g.registeredPerDay[t] ?? 0), 0),
          ),
          byRules: record.groups.map((g) => ({
            rules: g.rules,
            reached: g.reachedAtStart,
            registeredPerDay: [...g.registeredPerDay],
          })),
        }
      : null,
    daily,
    atDeadline,
  };
  const plan: ReadinessPlan = planFor(users, rules, behaviour, now);
  if (input.source !== "tenant") {
    // The what-if: the same plan for the live campaign, on the same people and behaviour.
    const liveUsers: ForecastUser[] = phoneOnly.map(({ user, deadline }) => ({
      deadline,
      reached: evaluateUser(user, scan.current).nudged
        ? { rules: campaignRules(scan.current), elapsedDays: 0 }
        : null,
    }));
    const live = planFor(liveUsers, campaignRules(scan.current), behaviour, now);
    plan.live = {
      latestStart: live.latestStart,
      status: live.status,
      daysNeeded: live.daysNeeded,
      notReached: live.notReached,
    };
    plan.shiftDays =
      plan.latestStart && live.latestStart
        ? Math.round((Date.parse(plan.latestStart) - Date.parse(live.latestStart)) / DAY_MS)
        : null;
  }
  return { forecast, plan };
}
