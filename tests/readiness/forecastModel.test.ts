// The forecast model (provider/readiness/forecast.ts) on its own: pure functions, no emulator, so
// the mutation run (docs/reliability.md#mutation-testing) uses this suite as its readiness tests.
import { expect } from "chai";
import {
  ASSUMED_BEHAVIOUR,
  ASSUMED_RANGE,
  fitBehaviour,
  forecastPhoneOnly,
  planFor,
  survival,
  type Behaviour,
  type CampaignRecord,
  type ForecastUser,
  type SnoozeRules,
} from "../../provider/readiness/forecast";

const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = Date.parse("2026-12-07T12:00:00Z");

describe("forecast model: a reached user's chance to still be phone-only", () => {
  it("unlimited snoozes of 0 days: a daily chance of signInPerDay × registerPerPrompt", () => {
    const s = survival(
      { snoozeDays: 0, snoozeLimit: null },
      { signInPerDay: 0.5, registerPerPrompt: 0.2 },
      30,
    );
    for (let t = 0; t <= 30; t++) expect(s[t]).to.be.closeTo(0.9 ** t, 1e-12);
  });

  it("three snoozes allowed: a user prompted every day who never completes registers on the fourth prompt", () => {
    const s = survival(
      { snoozeDays: 0, snoozeLimit: 3 },
      { signInPerDay: 1, registerPerPrompt: 0 },
      6,
    );
    expect(Array.from(s)).to.deep.equal([1, 1, 1, 1, 0, 0, 0]);
    // Unlimited: never.
    const never = survival(
      { snoozeDays: 0, snoozeLimit: null },
      { signInPerDay: 1, registerPerPrompt: 0 },
      30,
    );
    expect(never[30]).to.equal(1);
  });

  it("snooze days hold the prompt back: longer snoozes, fewer prompts, more users left", () => {
    const behaviour = { signInPerDay: 0.8, registerPerPrompt: 0.2 };
    const left = [0, 1, 3, 7, 14].map(
      (snoozeDays) => survival({ snoozeDays, snoozeLimit: null }, behaviour, 28)[28],
    );
    for (let i = 1; i < left.length; i++) expect(left[i]).to.be.greaterThan(left[i - 1]);
    // With 7 snooze days a user is prompted about once a week: 4 prompts in 28 days at most.
    expect(left[3]).to.be.at.least(0.8 ** 4 - 1e-9);
  });

  it("no user reached, or no sign-in: nobody moves", () => {
    const s = survival(
      { snoozeDays: 1, snoozeLimit: 3 },
      { signInPerDay: 0, registerPerPrompt: 0.5 },
      100,
    );
    expect(s[100]).to.equal(1);
  });
});

/** The record a campaign with this behaviour would leave, in expectation (large cohorts). */
function expectedRecord(
  rules: SnoozeRules,
  behaviour: Behaviour,
  reached: number,
  days: number,
): CampaignRecord {
  const s = survival(rules, behaviour, days);
  const registeredPerDay = Array.from({ length: days }, (_, t) =>
    Math.round(reached * (s[t] - s[t + 1])),
  );
  return {
    since: new Date(NOW - days * DAY_MS).toISOString(),
    days,
    registered: registeredPerDay.reduce((a, b) => a + b, 0),
    groups: [{ rules, reachedAtStart: reached, registeredPerDay }],
  };
}

describe("forecast model: fitting the campaign's record", () => {
  const cases: [string, SnoozeRules, Behaviour][] = [
    [
      "0 snooze days, unlimited",
      { snoozeDays: 0, snoozeLimit: null },
      { signInPerDay: 0.5, registerPerPrompt: 0.05 },
    ],
    [
      "3 snooze days, unlimited",
      { snoozeDays: 3, snoozeLimit: null },
      { signInPerDay: 0.6, registerPerPrompt: 0.15 },
    ],
    [
      "1 snooze day, 3 snoozes",
      { snoozeDays: 1, snoozeLimit: 3 },
      { signInPerDay: 0.15, registerPerPrompt: 0.05 },
    ],
    [
      "7 snooze days, 3 snoozes",
      { snoozeDays: 7, snoozeLimit: 3 },
      { signInPerDay: 0.5, registerPerPrompt: 0.05 },
    ],
  ];
  for (const [name, rules, truth] of cases) {
    it(`${name}: two weeks of record predict the next two weeks within 3 %`, () => {
      const record = expectedRecord(rules, truth, 100_000, 14);
      const fit = fitBehaviour(record);
      const truthCurve = survival(rules, truth, 28);
      const fitCurve = survival(rules, fit.behaviour, 28);
      const expected = fitCurve[28] / fitCurve[14];
      const actual = truthCurve[28] / truthCurve[14];
      expect(Math.abs(expected - actual) / actual).to.be.below(0.03);
    });
  }
});

describe("forecast model: expected phone-only users, per deadline, and the plan", () => {
  const rules: SnoozeRules = { snoozeDays: 1, snoozeLimit: 3 };
  const users = (reached: number, notReached: number, deadline = "2027-02-01"): ForecastUser[] => [
    ...Array.from({ length: reached }, () => ({ deadline, reached: { rules, elapsedDays: 0 } })),
    ...Array.from({ length: notReached }, () => ({ deadline, reached: null })),
  ];

  it("users the campaign does not reach never move; [0] is today's count; it runs to 2027-07-01", () => {
    const { daily, atDeadline } = forecastPhoneOnly({
      users: [...users(50, 30), ...users(0, 5, "2027-07-01")],
      behaviour: ASSUMED_BEHAVIOUR,
      plausible: ASSUMED_RANGE,
      now: NOW,
    });
    expect(daily[0]).to.include({ date: "2026-12-07", expectedPhoneOnly: 85 });
    expect(daily.at(-1)?.date).to.equal("2027-07-01");
    for (const d of daily) {
      expect(d.expectedPhoneOnly).to.be.at.least(35);
      expect(d.low).to.be.at.most(d.expectedPhoneOnly);
      expect(d.high).to.be.at.least(d.expectedPhoneOnly);
    }
    expect(atDeadline.map((d) => [d.deadline, d.phoneOnly, d.notReached])).to.deep.equal([
      ["2027-02-01", 80, 30],
      ["2027-07-01", 5, 5],
    ]);
    expect(atDeadline[0].expectedPhoneOnly).to.be.within(30, 80);
    expect(atDeadline[1].expectedPhoneOnly).to.equal(5);
  });

  it("plan: the latest start leaves at most 5 % on the deadline; null when nothing is to reach, too late or too slow", () => {
    const plan = planFor(users(10, 20), rules, ASSUMED_BEHAVIOUR, NOW);
    expect(plan.status).to.equal("onTime");
    expect(plan.notReached).to.equal(20);
    const needed = plan.daysNeeded as number;
    const s = survival(rules, ASSUMED_BEHAVIOUR, needed);
    expect(s[needed]).to.be.at.most(0.05);
    expect(s[needed - 1]).to.be.greaterThan(0.05);
    expect(plan.latestStart).to.equal(
      new Date(Date.parse("2027-02-01T00:00:00Z") - needed * DAY_MS).toISOString().slice(0, 10),
    );

    expect(planFor(users(10, 0), rules, ASSUMED_BEHAVIOUR, NOW)).to.include({
      status: "nothingToReach",
      latestStart: null,
    });
    const late = planFor(
      users(0, 20),
      rules,
      ASSUMED_BEHAVIOUR,
      Date.parse("2027-01-25T00:00:00Z"),
    );
    expect(late).to.include({ status: "tooLate", latestStart: null });
    expect(late.byDeadline[0].leftIfReachedToday).to.be.greaterThan(1);
    const slow = planFor(
      users(0, 20),
      { snoozeDays: 14, snoozeLimit: null },
      { signInPerDay: 0.01, registerPerPrompt: 0.001 },
      NOW,
    );
    expect(slow).to.include({ status: "tooSlow", latestStart: null, daysNeeded: null });
    // Limited snoozes make a campaign need fewer days: the same people, a later date to act by.
    const unlimited = planFor(
      users(0, 20),
      { snoozeDays: 1, snoozeLimit: null },
      ASSUMED_BEHAVIOUR,
      NOW,
    );
    expect(plan.daysNeeded as number).to.be.below(unlimited.daysNeeded ?? Infinity);
  });
});
