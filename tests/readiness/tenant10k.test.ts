// `entra-nudge readiness --json` on the 10,000-user generated tenant (emulator/generate.ts, seed 1),
// for six configurations: the phone-only count is walked from the fixture with plain code; who is
// nudged is counted by hand where the rule is plain (disabled, a passkey campaign for all users or
// one pilot group, an Authenticator campaign) and, for the Microsoft-managed tenant as generated,
// after POST /_emulator/microsoft-migration and for an opted-out tenant, taken from the emulator's
// own sign-in rules (POST /_emulator/prompts, written independently of provider/). Each
// configuration also checks the model's whole nudged set against the emulator's: a slice of the
// differential test.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { generateTenant } from "../../emulator/generate";
import type { TenantFile, TenantUser } from "../../emulator/tenants/format";
import { main } from "../../provider/cli";
import { scanTenant } from "../../provider/eligibility/scan";
import { evaluateUser } from "../../provider/model";
import type { ReadinessReport } from "../../provider/readiness";
import { useEmulator } from "../support/emulator";
import {
  applyConfiguration,
  captureIo,
  enablePasskeysForAllUsers,
  graphClient,
} from "../eligibility/support";

const tenant: TenantFile = generateTenant({ users: 10_000, seed: 1 });

// ---- The independent count: the fixture's data, plain code -----------------------------------

const PHONE = ["mobilePhone", "alternateMobilePhone", "officePhone"];
const groupIds = new Set(tenant.groups.map((g) => g.id));
function usersIn(name: string): Set<string> {
  const start = tenant.groups.find((g) => g.displayName === name);
  if (!start) throw new Error(`the fixture has no group ${name}`);
  const found = new Set<string>();
  const seen = new Set<string>();
  const queue = [start.id];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const member of tenant.groups.find((g) => g.id === id)?.members ?? []) {
      if (groupIds.has(member)) queue.push(member);
      else found.add(member);
    }
  }
  return found;
}
const reported = tenant.users.filter((u) => u.accountEnabled);
const phoneOnly = reported.filter((u) => {
  const methods = u.methods ?? [];
  return (
    methods.some((m) => PHONE.includes(m)) &&
    methods.every((m) => PHONE.includes(m) || m === "email")
  );
});
const phoneOnlyIds = new Set(phoneOnly.map((u) => u.id.toLowerCase()));
const isGuest = (u: TenantUser) => u.userType === "Guest";
const phoneOnlyMembers = phoneOnly.filter((u) => !isGuest(u));
const pilot = usersIn("Pilot - Authenticator wave 2");

describe("readiness on a 10,000-user tenant", function () {
  this.timeout(180_000);
  const emulator = useEmulator({ tenant });
  let dir: string;
  let env: NodeJS.ProcessEnv;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-readiness-"));
    env = { ...process.env, ...emulator.env("reader"), ENTRA_NUDGE_REPORT_RATE_LIMIT: "off" };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => emulator.reset());

  async function readiness(): Promise<ReadinessReport> {
    const out = captureIo(env, dir);
    expect(await main(["readiness", "--json"], out.io), out.stderr()).to.equal(0);
    return JSON.parse(out.stdout()) as ReadinessReport;
  }

  /** The emulator's witness, restricted to phone-only users, and the model's whole set against it. */
  async function witness(): Promise<{ nudged: number; fido2: number; authenticator: number }> {
    const forecast = emulator.forecastPrompts();
    const scan = await scanTenant(graphClient(emulator, "reader", { reportRateLimit: null }));
    const predicted = scan.users
      .filter((user) => evaluateUser(user, scan.current).nudged)
      .map((user) => user.id)
      .sort();
    const prompted = forecast.prompted.map((p) => p.id.toLowerCase()).sort();
    expect(predicted.length, "model and emulator nudge as many users").to.equal(prompted.length);
    expect(predicted, "model and emulator nudge the same users").to.deep.equal(prompted);
    const onPhone = forecast.prompted.filter((p) => phoneOnlyIds.has(p.id.toLowerCase()));
    return {
      nudged: onPhone.length,
      fido2: onPhone.filter((p) => p.method === "fido2").length,
      authenticator: onPhone.filter((p) => p.method === "microsoftAuthenticator").length,
    };
  }

  function expectPhoneOnly(report: ReadinessReport): void {
    expect(report.deadline).to.equal("2027-02-01");
    expect(report.phoneOnly).to.equal(phoneOnly.length);
    expect(report.phoneOnly).to.be.greaterThan(2000);
    expect(report.byUserType.guest.phoneOnly).to.equal(phoneOnly.length - phoneOnlyMembers.length);
    expect(report.phoneOnlyNudged + report.phoneOnlyNotNudged).to.equal(report.phoneOnly);
    expect(report.methodPolicies.sms.state).to.equal("enabled");
    expect(report.methodPolicies.voice.state).to.equal("enabled");
  }

  it("disabled campaign: nobody phone-only is nudged, all for campaignDisabled", async () => {
    await applyConfiguration(emulator, { campaign: { state: "disabled" } });
    const report = await readiness();
    expectPhoneOnly(report);
    expect(report.phoneOnlyNudged).to.equal(0);
    expect(report.notNudgedReasons).to.deep.equal([
      {
        reason: "campaignDisabled",
        description: "the registration campaign is disabled",
        users: phoneOnly.length,
      },
    ]);
    expect(report.trend).to.equal(null);
    // The emulator prompts nobody either (its whole set, not only the phone-only users).
    expect(await witness()).to.deep.equal({ nudged: 0, fido2: 0, authenticator: 0 });
    expect(emulator.forecastPrompts().prompted).to.deep.equal([]);
  });

  it("passkey campaign for all users: every phone-only member, no guest (hand count)", async () => {
    await enablePasskeysForAllUsers(emulator);
    await applyConfiguration(emulator, {
      campaign: { state: "enabled", targetedAuthenticationMethod: "fido2" },
    });
    const report = await readiness();
    expectPhoneOnly(report);
    expect(report.phoneOnlyNudged).to.equal(phoneOnlyMembers.length);
    expect(report.phoneOnlyNudgedByMethod.fido2).to.equal(phoneOnlyMembers.length);
    const guests = report.notNudgedReasons.find((r) => r.reason === "guestNoPasskeyNudge");
    expect(guests?.users).to.equal(phoneOnly.length - phoneOnlyMembers.length);
    expect((await witness()).nudged).to.equal(report.phoneOnlyNudged);
  });

  it("passkey campaign for one pilot group: its phone-only members (groups walked by hand)", async () => {
    await enablePasskeysForAllUsers(emulator);
    const group = tenant.groups.find((g) => g.displayName === "Pilot - Authenticator wave 2");
    await applyConfiguration(emulator, {
      campaign: {
        state: "enabled",
        targetedAuthenticationMethod: "fido2",
        includeTargets: [{ id: group?.id as string, targetType: "group" }],
      },
    });
    const report = await readiness();
    expectPhoneOnly(report);
    const expected = phoneOnlyMembers.filter((u) => pilot.has(u.id)).length;
    expect(expected).to.be.greaterThan(0);
    expect(report.phoneOnlyNudged).to.equal(expected);
    expect(report.byTarget).to.have.length(1);
    expect(report.byTarget[0].nudgedToPasskey).to.equal(expected);
    expect((await witness()).nudged).to.equal(expected);
  });

  it("Authenticator campaign for all users, Authenticator for all users: every phone-only user, guests too", async () => {
    await applyConfiguration(emulator, {
      campaign: { state: "enabled" },
      authenticator: {
        state: "enabled",
        includeTargets: [{ id: "all_users", targetType: "group", authenticationMode: "any" }],
      },
    });
    const report = await readiness();
    expectPhoneOnly(report);
    expect(report.phoneOnlyNudged).to.equal(phoneOnly.length);
    expect(report.phoneOnlyNudgedByMethod.microsoftAuthenticator).to.equal(phoneOnly.length);
    expect((await witness()).nudged).to.equal(phoneOnly.length);
  });

  it("Microsoft managed as generated, and after POST /_emulator/microsoft-migration: as the emulator prompts", async () => {
    const before = await readiness();
    expectPhoneOnly(before);
    const asGenerated = await witness();
    expect(before.phoneOnlyNudged).to.equal(asGenerated.nudged);
    expect(before.phoneOnlyNudgedByMethod.fido2).to.equal(asGenerated.fido2);

    const result = emulator.microsoftMigration();
    expect(result.migrated).to.equal(true);
    const after = await readiness();
    expectPhoneOnly(after);
    const migrated = await witness();
    expect(after.campaign.state).to.equal("default");
    expect(after.phoneOnlyNudged).to.equal(migrated.nudged);
    expect(after.phoneOnlyNudgedByMethod.fido2).to.equal(migrated.fido2);
    expect(after.phoneOnlyNudgedByMethod.microsoftAuthenticator).to.equal(migrated.authenticator);
    // Passkeys by default: every phone-only member is now enabled for passkeys and nudged to one.
    expect(after.phoneOnlyNudgedByMethod.fido2).to.equal(phoneOnlyMembers.length);
  });

  it("an opted-out tenant is left alone by the migration: the same answer as before", async () => {
    const writer = graphClient(emulator, "writer", { reportRateLimit: null });
    await writer.request({
      operation: "opt out",
      method: "PATCH",
      permission: "Policy.ReadWrite.AuthenticationMethod",
      path: "/policies/authenticationMethodsPolicy",
      version: "beta",
      body: { optOutSettings: { passkeyDynamicMigration: true } },
    });
    const before = await readiness();
    expect(() => emulator.microsoftMigration()).to.throw();
    const after = await readiness();
    expectPhoneOnly(after);
    expect(after.phoneOnlyNudged).to.equal(before.phoneOnlyNudged);
    expect(after.phoneOnlyNudged).to.equal((await witness()).nudged);
  });
});
