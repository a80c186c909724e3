// Readiness on the seed tenant with the seed scenario's campaign (issue 24's first Done-when): the
// users outside the pilot are not reached and are expected to be left on 2027-02-01, and the text
// never says everyone moves before the deadline while anyone is not reached. The forecast model on
// its own (provider/readiness/forecast.ts, no emulator) is tested in forecastModel.test.ts.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { main } from "../../provider/cli";
import { declarationFromProposalFile } from "../../provider/declaration";
import { analyzeReadiness, readinessSummary } from "../../provider/readiness";
import type { ReadinessReport } from "../../provider/readiness";
import { applyConfiguration, captureIo, graphClient } from "../eligibility/support";
import { useEmulator } from "../support/emulator";

const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = Date.parse("2026-12-07T12:00:00Z");

describe("readiness on the seed tenant with the seed scenario's pilot campaign", function () {
  this.timeout(120_000);
  const emulator = useEmulator();
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-forecast-"));
    env = { ...process.env, ...emulator.env("reader"), ENTRA_NUDGE_REPORT_RATE_LIMIT: "off" };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function readiness(...format: string[]): Promise<string> {
    const out = captureIo(env, dir);
    expect(await main(["readiness", ...format], out.io), out.stderr()).to.equal(0);
    return out.stdout();
  }

  const pilotId = (
    JSON.parse(
      fs.readFileSync(path.resolve(__dirname, "../../../emulator/tenants/default.json"), "utf8"),
    ) as { users: { id: string; userPrincipalName: string }[] }
  ).users.find((u) => u.userPrincipalName === "pilot.user@contoso.onmicrosoft.com")?.id as string;

  it("the users outside the pilot are not reached and expected left on 2027-02-01; no promise while anyone is not reached", async () => {
    await applyConfiguration(emulator, {
      authenticator: {
        state: "enabled",
        includeTargets: [{ id: pilotId, targetType: "user", authenticationMode: "any" }],
      },
      campaign: {
        state: "enabled",
        snoozeDurationInDays: 0,
        includeTargets: [{ id: pilotId, targetType: "user" }],
      },
    });
    // Day 0: the pilot user is reached, the others are not; no record yet: assumed.
    const first = JSON.parse(await readiness("--json")) as ReadinessReport;
    expect(first.phoneOnlyNudged).to.equal(1);
    expect(first.forecast.basis).to.equal("assumed");
    // Per deadline, as the cohorts count them (the seed tenant has a phone-only Global
    // Administrator and external user, on 2027-07-01).
    const [early, late] = first.cohorts;
    const notReached = early.phoneOnlyNotNudged;
    expect(notReached).to.be.greaterThan(5);
    expect(late.phoneOnlyNotNudged).to.be.greaterThan(0);
    expect(first.forecast.atDeadline[0]).to.include({ deadline: "2027-02-01", notReached });
    expect(first.forecast.atDeadline[0].expectedPhoneOnly).to.be.within(notReached, notReached + 1);
    expect(first.forecast.atDeadline[1]).to.include({
      deadline: "2027-07-01",
      notReached: late.phoneOnlyNotNudged,
      expectedPhoneOnly: late.phoneOnlyNotNudged,
    });
    expect(first.plan.status).to.equal("onTime");
    expect(first.plan.notReached).to.equal(first.phoneOnlyNotNudged);
    expect(first.plan.byDeadline.map((p) => p.notReached)).to.deep.equal([
      notReached,
      late.phoneOnlyNotNudged,
    ]);

    // Two weeks later the pilot user registered; the others are still phone-only and not reached.
    emulator.simulate({ days: 14, seed: 1 });
    const text = await readiness();
    // The table's title, then the sentence a manager needs.
    const [title, headline, later] = text.split("\n");
    expect(title).to.equal("Ready for the end of SMS and voice MFA");
    expect(headline).to.equal(
      `On 2027-02-01, about ${notReached} users will still have only SMS or voice: the live campaign reaches none of them.`,
    );
    expect(later).to.equal(
      `On 2027-07-01, about ${late.phoneOnlyNotNudged} ${late.phoneOnlyNotNudged === 1 ? "user" : "users"} will still have only SMS or voice: the live campaign reaches none of them.`,
    );
    expect(text).to.not.match(
      /moves? (off SMS and voice )?before the deadline|everyone|last one moves/i,
    );
    expect(text).to.match(
      new RegExp(
        `To leave at most 5 % of the ${notReached} users the live campaign does not reach on 2027-02-01, a campaign must reach them by \\d{4}-\\d{2}-\\d{2}`,
      ),
    );
    const markdown = await readiness("--markdown");
    expect(markdown).to.include(
      `On 2027-02-01, about ${notReached} users will still have only SMS or voice`,
    );
  });

  it("a declaration (what --stack reads): the plan says how the declared change moves the date to act by", async () => {
    emulator.reset();
    // Live: 2 snooze days; declared: 0 (the seed scenario's), both limited, same targets.
    await applyConfiguration(emulator, {
      authenticator: {
        state: "enabled",
        includeTargets: [{ id: pilotId, targetType: "user", authenticationMode: "any" }],
      },
      campaign: {
        state: "enabled",
        snoozeDurationInDays: 2,
        enforceRegistrationAfterAllowedSnoozes: true,
        includeTargets: [{ id: pilotId, targetType: "user" }],
      },
    });
    fs.writeFileSync(
      path.join(dir, "declared.json"),
      JSON.stringify({
        campaign: {
          state: "enabled",
          snoozeDurationInDays: 0,
          enforceRegistrationAfterAllowedSnoozes: true,
          includeTargets: [{ id: pilotId, targetType: "user" }],
        },
      }),
    );
    const report = await analyzeReadiness(
      graphClient(emulator, "reader", { reportRateLimit: null }),
      {
        declaration: declarationFromProposalFile("declared.json", dir, env),
        now: () => NOW,
      },
    );
    const { plan } = report;
    // Shorter snoozes prompt sooner: the declared campaign needs fewer days, so the date is later.
    expect(plan.rules).to.deep.equal({ snoozeDays: 0, snoozeLimit: 3 });
    expect(plan.status).to.equal("onTime");
    expect(plan.live?.status).to.equal("onTime");
    const needed = plan.daysNeeded as number;
    const liveNeeded = plan.live?.daysNeeded as number;
    expect(liveNeeded).to.be.greaterThan(needed);
    expect(plan.shiftDays).to.equal(liveNeeded - needed);
    expect(plan.latestStart).to.equal(
      new Date(Date.parse("2027-02-01T00:00:00Z") - needed * DAY_MS).toISOString().slice(0, 10),
    );
    expect(readinessSummary(report)).to.include(
      `The declared change moves that date ${liveNeeded - needed} days later (live campaign: ${plan.live?.latestStart}).`,
    );
  });
});
