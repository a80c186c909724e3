// Issue 14's Done-when: "A simulated passkey campaign over 30 days shows phone-only users falling in
// `readiness` and registrations rising in `report`, and the two agree." On a generated 400-user
// tenant with groups made for the test, a mixed campaign runs day by day (the day it is enabled and
// 29 simulated days: 30 UTC days within the audit log's 30-day retention):
// - "SMS users - passkey wave": phone-only users of four departments, with the phone-only guests
//   in a nested group, targeted for passkeys (fido2);
// - "SMS users - Authenticator wave": phone-only users of two other departments, targeted for
//   Microsoft Authenticator;
// - "Passkey pilot - no phone": Engineering's users who are not phone-only, targeted for passkeys.
// After each day `readiness --json` and `report --json` run through the CLI. Every expectation is
// walked from the fixture with plain code, or taken from the emulator's own simulation result (the
// emulator is written independently of provider/), never from the product's model:
// - readiness: phone-only = the fixture's phone-only users − those the simulation registered so far;
// - report: per method, registered = the fixture's registered before (a passkey for the passkey
//   targets, push for the Authenticator ones) + the simulation's registrations so far; the guests
//   of the passkey wave stay "guestNoPasskeyNudge";
// - they agree: the phone-only users who left `readiness` are exactly the registrations `report`
//   counts in the two SMS waves (the pilot holds no phone-only user): on every run, and day by
//   day in the last run's trend and timeline (readiness point of a day = phone-only at the start −
//   the two waves' cumulative registered that day).
// The HTML page of the last day has a row per method and a chart line for the passkey targets.
// A report that counted Authenticator push only would see no registration in the passkey wave and
// fail the per-run and per-day checks.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { generateTenant } from "../../emulator/generate";
import type { TenantFile, TenantGroup, TenantUser } from "../../emulator/tenants/format";
import { main } from "../../provider/cli";
import type { ReadinessReport } from "../../provider/readiness";
import type { ProgressReport } from "../../provider/report";
import { captureIo, enablePasskeysForAllUsers, graphClient } from "../eligibility/support";
import { chromium, textOf } from "../support/chromium";
import { useEmulator } from "../support/emulator";

// ---- The tenant and the hand counts -------------------------------------------------------------

const tenant: TenantFile = generateTenant({ users: 400, seed: 14 });
const PHONE = ["mobilePhone", "alternateMobilePhone", "officePhone"];
const PASSKEY = /^(passkey.*|fido2securitykey|fido2)$/i;
const methodsOf = (u: TenantUser) => u.methods ?? [];
const isPhoneOnly = (u: TenantUser) =>
  methodsOf(u).some((m) => PHONE.includes(m)) &&
  methodsOf(u).every((m) => PHONE.includes(m) || m === "email");
const enabled = tenant.users.filter((u) => u.accountEnabled);
const phoneOnly = enabled.filter(isPhoneOnly);
const phoneOnlyIds = new Set(phoneOnly.map((u) => u.id.toLowerCase()));
const inDepartments = (names: string[]) => (u: TenantUser) =>
  names.includes((u as { department?: string }).department ?? "");

const waveAMembers = phoneOnly.filter(
  (u) => u.userType !== "Guest" && inDepartments(["Sales", "Legal", "Logistics", "IT"])(u),
);
const waveAGuests = phoneOnly.filter((u) => u.userType === "Guest");
const waveB = phoneOnly.filter(
  (u) => u.userType !== "Guest" && inDepartments(["Operations", "Support"])(u),
);
const pilot = enabled.filter(
  (u) => u.userType !== "Guest" && !isPhoneOnly(u) && inDepartments(["Engineering"])(u),
);

function group(id: string, displayName: string, members: string[]): TenantGroup {
  const template = tenant.groups.find((g) => g.displayName === "Sales") as TenantGroup;
  return { ...template, id, displayName, mailNickname: displayName.replace(/\W/g, ""), members };
}
const GUESTS = "5b1c2f0e-7a14-4c3e-9d21-14a0c0de0001";
const WAVE_A = "5b1c2f0e-7a14-4c3e-9d21-14a0c0de000a";
const WAVE_B = "5b1c2f0e-7a14-4c3e-9d21-14a0c0de000b";
const PILOT = "5b1c2f0e-7a14-4c3e-9d21-14a0c0de000c";
tenant.groups.push(
  group(
    GUESTS,
    "SMS users - partners",
    waveAGuests.map((u) => u.id),
  ),
  group(WAVE_A, "SMS users - passkey wave", [...waveAMembers.map((u) => u.id), GUESTS]),
  group(
    WAVE_B,
    "SMS users - Authenticator wave",
    waveB.map((u) => u.id),
  ),
  group(
    PILOT,
    "Passkey pilot - no phone",
    pilot.map((u) => u.id),
  ),
);
const ids = (users: TenantUser[]) => new Set(users.map((u) => u.id.toLowerCase()));
const waveAIds = ids([...waveAMembers, ...waveAGuests]);
const waveBIds = ids(waveB);
const pilotIds = ids(pilot);
const pilotWithPasskey = pilot.filter((u) => methodsOf(u).some((m) => PASSKEY.test(m))).length;

const DAYS = 29;

describe("readiness and report: a simulated 30-day passkey campaign (issue 14's Done-when)", function () {
  this.timeout(600_000);
  const emulator = useEmulator({ tenant });
  let dir: string;
  let env: NodeJS.ProcessEnv;

  before(() => {
    emulator.configure({ mixedCampaignMethods: "store" });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-passkey30-"));
    env = { ...process.env, ...emulator.env("reader"), ENTRA_NUDGE_REPORT_RATE_LIMIT: "off" };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function cli<T>(command: string): Promise<T> {
    const out = captureIo(env, dir);
    expect(await main([command, "--json"], out.io), out.stderr()).to.equal(0);
    return JSON.parse(out.stdout()) as T;
  }

  /** The passkey method for all users with self-service setup; the mixed campaign, enabled. */
  async function startCampaign(): Promise<void> {
    await enablePasskeysForAllUsers(emulator);
    const writer = graphClient(emulator, "writer", { reportRateLimit: null });
    // Mixed methods are what the API exposes per target (passkeys §1, open question 2); the
    // emulator stores them when told to, and both sides count each user by their own target.
    await writer.request({
      operation: "enable the mixed campaign",
      method: "PATCH",
      path: "/policies/authenticationMethodsPolicy",
      permission: "Policy.ReadWrite.AuthenticationMethod",
      body: {
        registrationEnforcement: {
          authenticationMethodsRegistrationCampaign: {
            state: "enabled",
            snoozeDurationInDays: 1,
            // Unlimited snoozes: registrations go on through the last day instead of running out
            // after three snoozes.
            enforceRegistrationAfterAllowedSnoozes: false,
            excludeTargets: [],
            includeTargets: [
              { id: WAVE_A, targetType: "group", targetedAuthenticationMethod: "fido2" },
              {
                id: WAVE_B,
                targetType: "group",
                targetedAuthenticationMethod: "microsoftAuthenticator",
              },
              { id: PILOT, targetType: "group", targetedAuthenticationMethod: "fido2" },
            ],
          },
        },
      },
    });
  }

  it("phone-only users fall in readiness, registrations rise in report, and they agree day by day", async () => {
    expect(waveAMembers.length).to.be.greaterThan(10);
    expect(waveAGuests.length).to.be.greaterThan(0);
    expect(waveB.length).to.be.greaterThan(5);
    expect(pilot.length).to.be.greaterThan(5);
    await startCampaign();

    // The emulator's witness: who registered what, when, over the whole run.
    const registrations: { id: string; method: string; at: string; registeredMethod: string }[] =
      [];
    const runs: { readiness: ReadinessReport; report: ProgressReport }[] = [];
    for (let day = 0; day <= DAYS; day++) {
      if (day > 0) {
        const result = emulator.simulate({
          days: 1,
          seed: 100 + day,
          signInRate: 0.5,
          completeRate: 0.1,
        });
        for (const r of result.registrations)
          registrations.push({
            id: r.id.toLowerCase(),
            method: r.method,
            at: r.registeredDateTime,
            registeredMethod: r.registeredMethod,
          });
      }
      const readiness = await cli<ReadinessReport>("readiness");
      const report = await cli<ProgressReport>("report");
      runs.push({ readiness, report });

      // Who the simulation moved so far, by the group the fixture put them in.
      const moved = registrations.filter((r) => phoneOnlyIds.has(r.id));
      const inA = registrations.filter((r) => waveAIds.has(r.id)).length;
      const inB = registrations.filter((r) => waveBIds.has(r.id)).length;
      const inPilot = registrations.filter((r) => pilotIds.has(r.id)).length;
      const label = `day ${day}`;

      expect(readiness.phoneOnly, label).to.equal(phoneOnly.length - moved.length);
      expect(report.targeted, label).to.equal(waveAIds.size + waveBIds.size + pilotIds.size);
      expect(report.countedMethods, label).to.deep.equal(["microsoftAuthenticator", "fido2"]);
      expect(report.byMethod.fido2.targeted, label).to.equal(waveAIds.size + pilotIds.size);
      expect(report.byMethod.microsoftAuthenticator.targeted, label).to.equal(waveBIds.size);
      expect(report.byMethod.fido2.registered, label).to.equal(pilotWithPasskey + inA + inPilot);
      expect(report.byMethod.fido2.registeredBeforeStart, label).to.equal(pilotWithPasskey);
      expect(report.byMethod.microsoftAuthenticator.registered, label).to.equal(inB);
      expect(report.registered, label).to.equal(pilotWithPasskey + inA + inB + inPilot);
      const byTarget = (id: string) => report.byTarget.find((t) => t.id === id);
      // The agreement: the users who left readiness are the SMS waves' registrations in report.
      expect(
        (byTarget(WAVE_A)?.registered ?? 0) + (byTarget(WAVE_B)?.registered ?? 0),
        label,
      ).to.equal(phoneOnly.length - readiness.phoneOnly);
      expect(
        report.notYetReasons.find((r) => r.reason === "guestNoPasskeyNudge")?.users,
        label,
      ).to.equal(waveAGuests.length);
    }

    // The emulator nudged each user to their own target's method; guests never to a passkey.
    for (const r of registrations) {
      expect(r.method, r.id).to.equal(waveBIds.has(r.id) ? "microsoftAuthenticator" : "fido2");
      expect(ids(waveAGuests).has(r.id), r.id).to.equal(false);
    }
    // Falling and rising over the period, run by run.
    const first = runs[0];
    const last = runs[runs.length - 1];
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i].readiness.phoneOnly).to.be.at.most(runs[i - 1].readiness.phoneOnly);
      expect(runs[i].report.registered).to.be.at.least(runs[i - 1].report.registered);
    }
    expect(first.readiness.phoneOnly).to.equal(phoneOnly.length);
    expect(last.readiness.phoneOnly).to.be.below(first.readiness.phoneOnly - 10);
    expect(last.report.byMethod.fido2.registeredSinceStart).to.be.greaterThan(10);
    expect(last.report.byMethod.microsoftAuthenticator.registeredSinceStart).to.be.greaterThan(0);
    // Passkeys of several kinds were counted (synced and device-bound report values).
    expect(
      new Set(registrations.filter((r) => r.method === "fido2").map((r) => r.registeredMethod))
        .size,
    ).to.be.greaterThan(1);

    // Day by day in the last run: the trend's points and the report's timeline cover the same
    // 30 UTC days, and each point is the phone-only count at the start minus the two SMS waves'
    // cumulative registrations that day, which are the simulation's per day.
    const trend = last.readiness.trend;
    // null or undefined alike: no trend fails here, it never ends the test early.
    if (!trend) expect.fail(`readiness reported no trend (${String(trend)})`);
    expect(trend.startSource).to.equal("audit");
    expect(last.report.startSource).to.equal("audit");
    expect(trend.atStart).to.equal(phoneOnly.length);
    // The timeline runs from the day the campaign was enabled to the newest registration (the
    // emulator's clock ran ahead of the program's by the simulated days).
    const dates = last.report.timeline.map((p) => p.date);
    expect(trend.points.map((p) => p.date)).to.deep.equal(dates);
    expect(dates[0]).to.equal(last.report.enabledSince?.slice(0, 10));
    expect(dates.at(-1)).to.equal(
      registrations
        .map((r) => r.at)
        .sort()
        .at(-1)
        ?.slice(0, 10),
    );
    expect(dates.length).to.be.within(DAYS, DAYS + 1);
    const waveTimeline = (id: string) =>
      last.report.byTarget.find((t) => t.id === id)?.timeline ?? [];
    const a = waveTimeline(WAVE_A);
    const b = waveTimeline(WAVE_B);
    let movedByThen = 0;
    dates.forEach((date, d) => {
      movedByThen += registrations.filter(
        (r) => phoneOnlyIds.has(r.id) && r.at.slice(0, 10) === date,
      ).length;
      expect(trend.points[d].phoneOnly, date).to.equal(phoneOnly.length - movedByThen);
      expect(a[d] + b[d], date).to.equal(movedByThen);
      expect(trend.points[d].phoneOnly, date).to.equal(trend.atStart - a[d] - b[d]);
    });
    // The page says what is counted for whom, with a row per method and a line for the passkey
    // users (two targets).
    const out = captureIo(env, dir);
    expect(await main(["report", "--html", "mixed.html"], out.io), out.stderr()).to.equal(0);
    const dom = await chromium(["--dump-dom", `file://${path.join(dir, "mixed.html")}`], dir);
    const fido2 = last.report.byMethod.fido2;
    expect(textOf(dom, "methods")).to.include(
      `Passkey ${fido2.targeted} ${fido2.registered} ${fido2.registeredSinceStart} ${fido2.notYet}`,
    );
    expect(dom).to.include('data-label="Passkey (targeted for it)"');
    // Authenticator is targeted through one group only: its line is that group's, drawn once.
    expect(dom).to.include('data-label="SMS users - Authenticator wave"');
    expect(dom).to.not.include('data-label="Microsoft Authenticator (targeted for it)"');
    expect(textOf(dom, "headline")).to.include(
      "have registered the method they are nudged to set up (a passkey or Microsoft Authenticator for push)",
    );
    // The pilot's passkeys rise in report and leave readiness untouched.
    expect(last.report.byMethod.fido2.timeline.at(-1)).to.equal(
      last.report.byMethod.fido2.registered,
    );
  });
});
