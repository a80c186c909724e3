// `entra-nudge readiness` over a simulated passkey campaign on the seed tenant: the emulator's own
// simulation (written independently of provider/) runs 25 days (the audit log keeps 30); phone-only users fall in the
// trend by exactly the phone-only users the simulation registered, day by day; the HTML page
// renders in headless Chromium with the report's numbers; and the days left count to 2027-02-01.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { main } from "../../provider/cli";
import { daysUntilDeadline, type ReadinessReport } from "../../provider/readiness";
import { applyConfiguration, captureIo, enablePasskeysForAllUsers } from "../eligibility/support";
import { chromium, textOf } from "../support/chromium";
import { useEmulator } from "../support/emulator";

// The seed tenant's phone-only users, from the fixture with plain code.
const seed = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, "../../../emulator/tenants/default.json"), "utf8"),
) as { users: { id: string; accountEnabled: boolean; methods?: string[] }[] };
const PHONE = ["mobilePhone", "alternateMobilePhone", "officePhone"];
const phoneOnlyIds = new Set(
  seed.users
    .filter(
      (u) =>
        u.accountEnabled &&
        (u.methods ?? []).some((m) => PHONE.includes(m)) &&
        (u.methods ?? []).every((m) => PHONE.includes(m) || m === "email"),
    )
    .map((u) => u.id.toLowerCase()),
);

describe("readiness: days left", () => {
  const cases: [string, number][] = [
    ["2026-12-03T17:00:00Z", 60],
    ["2027-01-31T23:59:00Z", 1],
    ["2027-02-01T00:00:00Z", 0],
    ["2027-03-01T00:00:00Z", 0],
  ];
  for (const [now, days] of cases) {
    it(`${now}: ${days} days`, () => {
      expect(daysUntilDeadline(Date.parse(now))).to.equal(days);
    });
  }
});

describe("readiness: a simulated 25-day passkey campaign (within the audit log's 30 days)", function () {
  this.timeout(180_000);
  const emulator = useEmulator();
  let dir: string;
  let env: NodeJS.ProcessEnv;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-readiness-"));
    env = { ...process.env, ...emulator.env("reader"), ENTRA_NUDGE_REPORT_RATE_LIMIT: "off" };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("phone-only users fall by the phone-only users who registered, and the page shows it", async () => {
    await enablePasskeysForAllUsers(emulator);
    await applyConfiguration(emulator, {
      campaign: { state: "enabled", targetedAuthenticationMethod: "fido2" },
    });

    const readiness = async (args: string[] = []): Promise<ReadinessReport> => {
      const out = captureIo(env, dir);
      expect(await main(["readiness", "--json", ...args], out.io), out.stderr()).to.equal(0);
      return JSON.parse(out.stdout()) as ReadinessReport;
    };
    const before = await readiness();
    expect(before.phoneOnly).to.equal(phoneOnlyIds.size);
    expect(before.phoneOnly).to.be.greaterThan(0);
    expect(before.phoneOnlyNudgedByMethod.fido2).to.be.greaterThan(0);

    const simulation = emulator.simulate({
      days: 25,
      seed: 7,
      signInRate: 0.6,
      completeRate: 0.4,
    });
    const page = path.join(dir, "readiness.html");
    const after = await readiness(["--html", page]);
    // Who moved: the phone-only users (before) the simulation registered a passkey for.
    const registered = simulation.registrations.filter((r) => phoneOnlyIds.has(r.id.toLowerCase()));
    const moved = registered.length;
    expect(moved).to.be.greaterThan(0);
    expect(after.phoneOnly).to.equal(before.phoneOnly - moved);

    const trend = after.trend;
    // null or undefined alike: no trend fails here, it never ends the test early.
    if (!trend) expect.fail(`readiness reported no trend (${String(trend)})`);
    expect(trend.startSource).to.equal("audit");
    expect(trend.atStart).to.equal(before.phoneOnly);
    expect(trend.points.at(-1)?.phoneOnly).to.equal(after.phoneOnly);
    for (let i = 1; i < trend.points.length; i++) {
      expect(trend.points[i].phoneOnly).to.be.at.most(trend.points[i - 1].phoneOnly);
    }
    // Day by day: the points fall by the registrations of each day.
    const perDay = new Map<string, number>();
    for (const r of registered) {
      const day = r.registeredDateTime.slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    let expected = before.phoneOnly;
    for (const point of trend.points) {
      expected -= perDay.get(point.date) ?? 0;
      expect(point.phoneOnly, point.date).to.equal(expected);
    }
    // 25 days of record, but of a handful of reached users: too few to measure anyone else by,
    // so the forecast assumes (and says so); the record still counts who moved.
    expect(after.forecast.record?.reached).to.be.below(20);
    expect(after.forecast.basis).to.equal("assumed");
    expect(after.forecast.record?.registered).to.equal(moved);
    expect(after.forecast.dailyConversion).to.be.greaterThan(0);
    expect(after.forecast.daily[0].expectedPhoneOnly).to.be.closeTo(after.phoneOnly, 0.5);

    const dom = await chromium(["--dump-dom", `file://${page}`], dir);
    expect(textOf(dom, "phone-only")).to.equal(`${after.phoneOnly} users with only SMS or voice`);
    expect(textOf(dom, "nudged")).to.equal(`${after.phoneOnlyNudged} of them nudged`);
    expect(textOf(dom, "days-left")).to.equal(`${after.daysLeft} days left until 2027-02-01`);
    // The forecast per deadline: the figure, and a row per deadline with users.
    const early = after.forecast.atDeadline[0];
    expect(textOf(dom, "expected-2027-02-01")).to.equal(
      `${Math.round(early.expectedPhoneOnly)} expected left on 2027-02-01`,
    );
    expect(textOf(dom, "forecast")).to.include(
      `2027-02-01 ${early.phoneOnly} ${Math.round(early.expectedPhoneOnly)}`,
    );
    expect(dom).to.include("<svg");
    expect(textOf(dom, "trend")).to.include(`${trend.points[0].date} ${trend.points[0].phoneOnly}`);
    expect(dom).to.not.match(/<script|https?:\/\/(?!www\.w3\.org)/);
  });
});
