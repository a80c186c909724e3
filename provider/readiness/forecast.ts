// The forecast of phone-only users, per user rather than over the whole tenant: a user the campaign
// does not reach never moves; a user it reaches meets the nudge at an interactive MFA sign-in and
// either registers or snoozes, under the campaign's snooze rules (snooze days; with limited snoozes
// the prompt after the third snooze cannot be skipped, graph-contract.md §2.2). Two figures describe
// the people: how likely a reached user is to sign in with MFA on a day, and how likely a prompt
// ends in a registration. They are fitted to this campaign's own record (who registered on which
// day since it started) or, without a record, assumed (ASSUMED_BEHAVIOUR, docs/readiness.md).
// Pure: no I/O, no clock.

const DAY_MS = 24 * 60 * 60 * 1000;

/** The last day forecast: the later of the two deadlines (graph-contract-passkeys.md §7). */
export const FORECAST_END = "2027-07-01";
/** The deadlines a user can have: everyone, then Global Administrators and external users. */
export const DEADLINES = ["2027-02-01", "2027-07-01"] as const;
/** The plan's goal: at most this share of the users a campaign must still reach left on their deadline. */
export const PLAN_SHARE_LEFT = 0.05;

/** How a campaign re-prompts a user who snoozes (eligibility.ts `Nudge`). */
export interface SnoozeRules {
  snoozeDays: number;
  /** Snoozes allowed before registration is required; null = unlimited. */
  snoozeLimit: number | null;
}

/** What the people do, per reached user. */
export interface Behaviour {
  /** Probability that the user signs in interactively with MFA on a day (and so can be prompted). */
  signInPerDay: number;
  /** Probability that a prompt the user may skip ends in a registration. */
  registerPerPrompt: number;
}

/**
 * Without a record: one interactive MFA sign-in a week (Entra's default session lifetime rarely
 * asks for MFA again; sign-in frequency policies raise it) and one skippable prompt in ten
 * completed (an unexpected prompt is mostly snoozed). Deliberately modest: a forecast that assumes
 * must not promise more than a measured one would.
 */
export const ASSUMED_BEHAVIOUR: Behaviour = { signInPerDay: 1 / 7, registerPerPrompt: 0.1 };

/**
 * The share of reached users still phone-only after each whole day of a campaign, [0] = 1, for
 * `days` days. A Markov chain over (snoozes so far, days left in the current snooze). Sign-ins are
 * spread over the day, so on the day a snooze ends the user is past its end at half of them.
 */
export function survival(rules: SnoozeRules, behaviour: Behaviour, days: number): Float64Array {
  const a = clamp(behaviour.signInPerDay);
  const q = clamp(behaviour.registerPerPrompt);
  const d = Math.max(0, Math.round(rules.snoozeDays));
  const limit = rules.snoozeLimit;
  const counts = limit === null ? 1 : limit + 1;
  // mass[k * (d + 1) + r]: k snoozes so far (0 when unlimited), r days left in the snooze.
  let mass = new Float64Array(counts * (d + 1));
  let next = new Float64Array(mass.length);
  mass[0] = 1;
  const out = new Float64Array(days + 1);
  out[0] = 1;
  for (let t = 1; t <= days; t++) {
    next.fill(0);
    let left = 0;
    for (let k = 0; k < counts; k++) {
      for (let r = 0; r <= d; r++) {
        const m = mass[k * (d + 1) + r];
        if (m === 0) continue;
        if (r >= 2) {
          next[k * (d + 1) + r - 1] += m;
          left += m;
          continue;
        }
        const prompted = m * (r === 1 ? a / 2 : a);
        next[k * (d + 1)] += m - prompted;
        left += m - prompted;
        // After the allowed snoozes the prompt cannot be skipped: the user registers.
        if (limit !== null && k === limit) continue;
        const snoozed = prompted * (1 - q);
        next[(limit === null ? 0 : k + 1) * (d + 1) + d] += snoozed;
        left += snoozed;
      }
    }
    [mass, next] = [next, mass];
    out[t] = left;
  }
  return out;
}

function clamp(p: number): number {
  return Math.min(1, Math.max(0, p));
}

/** S at a fractional day (linear between whole days). */
function at(curve: Float64Array, t: number): number {
  if (t <= 0) return 1;
  const i = Math.floor(t);
  if (i >= curve.length - 1) return curve[curve.length - 1];
  return curve[i] + (curve[i + 1] - curve[i]) * (t - i);
}

function rulesKey(rules: SnoozeRules): string {
  return `${rules.snoozeDays}/${rules.snoozeLimit ?? "unlimited"}`;
}

/** The campaign's record for users under one set of snooze rules. */
export interface RecordGroup {
  rules: SnoozeRules;
  /** Reached phone-only users at the start: those still phone-only and those who registered. */
  reachedAtStart: number;
  /** Registrations per whole day since the start ([0] = the first 24 hours). */
  registeredPerDay: readonly number[];
}

export interface CampaignRecord {
  /** When the record starts (the campaign's start, or the audit log's 30 days back). */
  since: string;
  /** Whole days the record covers (the fit reads those; registrations after them count as left). */
  days: number;
  /** Reached users who registered since the start, the current partial day included. */
  registered: number;
  groups: RecordGroup[];
}

/** Log-likelihood of the record: per group, the day each user registered on, or still not. */
function logLikelihood(record: CampaignRecord, behaviour: Behaviour): number {
  let total = 0;
  for (const group of record.groups) {
    const s = survival(group.rules, behaviour, record.days);
    let registered = 0;
    for (let t = 0; t < record.days; t++) {
      const r = group.registeredPerDay[t] ?? 0;
      if (r === 0) continue;
      registered += r;
      total += r * Math.log(Math.max(1e-300, s[t] - s[t + 1]));
    }
    const left = group.reachedAtStart - registered;
    if (left > 0) total += left * Math.log(Math.max(1e-300, s[record.days]));
  }
  return total;
}

function logGrid(from: number, to: number, points: number): number[] {
  return Array.from({ length: points }, (_, i) => from * (to / from) ** (i / (points - 1)));
}

/**
 * The behaviours an assumed forecast spans (its range): a sign-in a month to one every other day,
 * 3 % to 30 % of skippable prompts completed.
 */
export const ASSUMED_RANGE: readonly Behaviour[] = [1 / 30, 1 / 7, 1 / 2].flatMap((signInPerDay) =>
  [0.03, 0.1, 0.3].map((registerPerPrompt) => ({ signInPerDay, registerPerPrompt })),
);

/** Log-likelihood drop that bounds the plausible behaviours: about 95 % for two figures (χ²₂ / 2). */
const PLAUSIBLE_DROP = 3;

export interface Fit {
  /** The behaviour that best explains the record (maximum likelihood). */
  behaviour: Behaviour;
  /**
   * The behaviours the record cannot tell from it (log-likelihood within PLAUSIBLE_DROP): a week
   * of a campaign with limited snoozes and short snooze days cannot tell users who sign in often
   * and snooze from users who sign in rarely and register, whose next weeks differ.
   */
  plausible: Behaviour[];
}

/** Maximum likelihood over a grid, then a finer grid around the best. */
export function fitBehaviour(record: CampaignRecord): Fit {
  const scored: { behaviour: Behaviour; score: number }[] = [];
  let best = { behaviour: { ...ASSUMED_BEHAVIOUR }, score: -Infinity };
  const search = (signIns: number[], registers: number[]) => {
    for (const signInPerDay of signIns)
      for (const registerPerPrompt of registers) {
        const behaviour = {
          signInPerDay: clamp(signInPerDay),
          registerPerPrompt: clamp(registerPerPrompt),
        };
        const entry = { behaviour, score: logLikelihood(record, behaviour) };
        scored.push(entry);
        if (entry.score > best.score) best = entry;
      }
  };
  search(logGrid(0.01, 1, 30), logGrid(0.001, 1, 36));
  const around = (value: number) => logGrid(value / 1.3, Math.min(1, value * 1.3), 11);
  search(around(best.behaviour.signInPerDay), around(best.behaviour.registerPerPrompt));
  return {
    behaviour: best.behaviour,
    plausible: scored
      .filter((entry) => entry.score >= best.score - PLAUSIBLE_DROP)
      .map((entry) => entry.behaviour),
  };
}

/** Registrations per reached user-day at risk over the record: the measured daily figure. */
export function measuredDailyConversion(record: CampaignRecord): number {
  let registered = 0;
  let userDays = 0;
  for (const group of record.groups) {
    let atRisk = group.reachedAtStart;
    for (let t = 0; t < record.days; t++) {
      userDays += atRisk;
      const r = group.registeredPerDay[t] ?? 0;
      registered += r;
      atRisk -= r;
    }
  }
  return userDays === 0 ? 0 : registered / userDays;
}

/** Reached users a record needs before it is measured: fewer say little about anyone else. */
export const MIN_RECORD_USERS = 20;

/** Enough record to measure: 20 reached users, over a week, or three days with 20 registrations. */
export function recordSuffices(record: CampaignRecord): boolean {
  const registered = record.groups.reduce(
    (sum, g) => sum + g.registeredPerDay.reduce((a, b) => a + b, 0),
    0,
  );
  const reached = record.groups.reduce((sum, g) => sum + g.reachedAtStart, 0);
  return (
    reached >= MIN_RECORD_USERS && (record.days >= 7 || (record.days >= 3 && registered >= 20))
  );
}

/** One phone-only user as the forecast sees them. */
export interface ForecastUser {
  deadline: string;
  /** Null: the campaign does not reach them. */
  reached: { rules: SnoozeRules; elapsedDays: number } | null;
}

export interface ForecastInput {
  users: readonly ForecastUser[];
  behaviour: Behaviour;
  /** The behaviours the range spans (the plausible ones, or ASSUMED_RANGE). */
  plausible: readonly Behaviour[];
  /** Now (ms): daily[0] is today. */
  now: number;
}

export interface DailyForecast {
  date: string;
  expectedPhoneOnly: number;
  /**
   * The range: over the behaviours the record cannot tell apart (or, assumed, ASSUMED_RANGE), and
   * chance (two standard deviations of the count of reached users left).
   */
  low: number;
  high: number;
}

export interface DeadlineForecast {
  deadline: string;
  /** Phone-only users whose deadline this is, now. */
  phoneOnly: number;
  /** Of them, expected to still be phone-only on the deadline. */
  expectedPhoneOnly: number;
  low: number;
  high: number;
  /** Of those, the users the campaign does not reach (they never move by it). */
  notReached: number;
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function midnight(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** Whole days from today (UTC) to `date`; 0 when it is past. */
export function daysFromToday(now: number, date: string): number {
  return Math.max(0, Math.round((midnight(date) - midnight(day(now))) / DAY_MS));
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Expected phone-only users per day from today to FORECAST_END, and on each deadline. */
export function forecastPhoneOnly(input: ForecastInput): {
  daily: DailyForecast[];
  atDeadline: DeadlineForecast[];
} {
  const horizon = daysFromToday(input.now, FORECAST_END);
  // Users with the same rules, start and deadline move alike: one curve per such group.
  const groups = new Map<
    string,
    { deadline: string; rules: SnoozeRules | null; elapsed: number; users: number }
  >();
  for (const user of input.users) {
    const key = user.reached
      ? `${user.deadline}|${rulesKey(user.reached.rules)}|${user.reached.elapsedDays}`
      : `${user.deadline}|none`;
    const group = groups.get(key);
    if (group) group.users++;
    else
      groups.set(key, {
        deadline: user.deadline,
        rules: user.reached?.rules ?? null,
        elapsed: user.reached?.elapsedDays ?? 0,
        users: 1,
      });
  }
  const list = [...groups.values()];
  // left[b][g](k): group g's expected users left k days from now under behaviour b ([0] = the point).
  const behaviours = [input.behaviour, ...input.plausible];
  const left = behaviours.map((behaviour) =>
    list.map((group) => {
      if (!group.rules) return () => group.users;
      const s = survival(group.rules, behaviour, Math.ceil(group.elapsed + horizon) + 1);
      const base = at(s, group.elapsed);
      return (k: number) => (base === 0 ? 0 : (group.users * at(s, group.elapsed + k)) / base);
    }),
  );
  const total = (k: number, only?: (g: number) => boolean) => {
    const counted = (g: number) => !only || only(g);
    const sums = left.map((curves) =>
      curves.reduce((sum, curve, g) => (counted(g) ? sum + curve(k) : sum), 0),
    );
    const stay = list.reduce((sum, c, g) => (counted(g) && !c.rules ? sum + c.users : sum), 0);
    // Beyond the behaviours, chance: who of the reached users moves is random (two standard
    // deviations of a count, about √n).
    const low = Math.min(...sums);
    const high = Math.max(...sums);
    return {
      expectedPhoneOnly: round1(sums[0]),
      low: round1(Math.max(stay, low - 2 * Math.sqrt(low - stay))),
      high: round1(high + 2 * Math.sqrt(high - stay)),
    };
  };
  const today = midnight(day(input.now));
  const daily: DailyForecast[] = [];
  for (let k = 0; k <= horizon; k++) daily.push({ date: day(today + k * DAY_MS), ...total(k) });
  const atDeadline = DEADLINES.map((deadline) => {
    const mine = (g: number) => list[g].deadline === deadline;
    return {
      deadline,
      phoneOnly: list.filter((_, g) => mine(g)).reduce((sum, c) => sum + c.users, 0),
      ...total(daysFromToday(input.now, deadline), mine),
      notReached: list.filter((c, g) => mine(g) && !c.rules).reduce((sum, c) => sum + c.users, 0),
    };
  });
  return { daily, atDeadline };
}

/** Days of campaign after which at most PLAN_SHARE_LEFT of the reached users are left; null: never within three years. */
export function daysToReachGoal(rules: SnoozeRules, behaviour: Behaviour): number | null {
  const s = survival(rules, behaviour, 3 * 365);
  const t = s.findIndex((left) => left <= PLAN_SHARE_LEFT);
  return t < 0 ? null : t;
}

export type PlanStatus = "nothingToReach" | "onTime" | "tooLate" | "tooSlow";

export interface DeadlinePlan {
  deadline: string;
  /** Phone-only users with this deadline the campaign does not reach. */
  notReached: number;
  /** The latest day a campaign must reach them; null: see status. */
  latestStart: string | null;
  status: PlanStatus;
  /** Expected left on the deadline if a campaign reaches them today. */
  leftIfReachedToday: number;
}

export interface Plan {
  /** The earliest deadline's date with users to reach (the one to act on first); null: see status. */
  latestStart: string | null;
  status: PlanStatus;
  shareLeft: number;
  /** The snooze rules a campaign reaching them is assumed to have (the campaign's own). */
  rules: SnoozeRules;
  /** Days such a campaign needs to leave at most shareLeft of them; null: not within three years. */
  daysNeeded: number | null;
  notReached: number;
  byDeadline: DeadlinePlan[];
}

/**
 * For the users the campaign does not reach: the latest day a campaign (with `rules`, at the
 * behaviour measured or assumed) must reach them so that at most PLAN_SHARE_LEFT are left on their
 * deadline. Null when nobody is to be reached ("nothingToReach"), when even today is too late
 * ("tooLate": leftIfReachedToday says how many are then left), or when the campaign never gets
 * there ("tooSlow").
 */
export function planFor(
  users: readonly ForecastUser[],
  rules: SnoozeRules,
  behaviour: Behaviour,
  now: number,
): Plan {
  const daysNeeded = daysToReachGoal(rules, behaviour);
  const s = survival(rules, behaviour, daysFromToday(now, FORECAST_END) + 1);
  const byDeadline = DEADLINES.map((deadline): DeadlinePlan => {
    const notReached = users.filter((u) => !u.reached && u.deadline === deadline).length;
    const available = daysFromToday(now, deadline);
    const leftIfReachedToday = round1(notReached * s[available]);
    let status: PlanStatus;
    let latestStart: string | null = null;
    if (notReached === 0) status = "nothingToReach";
    else if (daysNeeded === null) status = "tooSlow";
    else if (daysNeeded > available) status = "tooLate";
    else {
      status = "onTime";
      latestStart = day(midnight(deadline) - daysNeeded * DAY_MS);
    }
    return { deadline, notReached, latestStart, status, leftIfReachedToday };
  });
  const first = byDeadline.find((p) => p.status !== "nothingToReach");
  return {
    latestStart: first?.latestStart ?? null,
    status: first?.status ?? "nothingToReach",
    shareLeft: PLAN_SHARE_LEFT,
    rules,
    daysNeeded,
    notReached: byDeadline.reduce((sum, p) => sum + p.notReached, 0),
    byDeadline,
  };
}

/** Days since `since` at `now`, for a user reached since then. */
export function elapsedDays(since: string | undefined, now: number): number {
  if (!since) return 0;
  return Math.max(0, (now - Date.parse(since)) / DAY_MS);
}
