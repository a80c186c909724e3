// The two retirement dates per user, the people, and what Microsoft changes around them, on the
// emulator's default tenant (emulator/tenants/default.json): its phone-only Global Administrator
// (GradyA), external user (the Fabrikam guest, an ExternalAzureAD identity) and internal guest
// (Pat O'Neil, a Contoso account with userType Guest). Counts are checked against the tenant file.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { DEFAULT_TENANT_FILE } from "../../emulator/graph";
import type { TenantFile } from "../../emulator/tenants/format";
import { main } from "../../provider/cli";
import { csvCell, type ReadinessReport } from "../../provider/readiness";
import { applyConfiguration, captureIo } from "../eligibility/support";
import { getToken, rawRequest, useEmulator } from "../support/emulator";
import { csvRecords, expectedDeadline, parseCsv } from "./support";

const seed = JSON.parse(fs.readFileSync(DEFAULT_TENANT_FILE, "utf8")) as TenantFile;
const PHONE = ["mobilePhone", "alternateMobilePhone", "officePhone"];
const phoneOnly = seed.users.filter(
  (u) =>
    u.accountEnabled &&
    (u.methods ?? []).some((m) => PHONE.includes(m)) &&
    (u.methods ?? []).every((m) => PHONE.includes(m) || m === "email"),
);
const SALES = "2fbb5b75-4b8e-581b-9aaa-28ef3cb88c74";
const PILOT = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31";

describe("readiness: the two dates, the people, exempt groups and the opt-out", function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-cohorts-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function run(
    emulator: ReturnType<typeof useEmulator>,
    args: string[],
    app = "reader",
  ): Promise<{ report: ReadinessReport; stderr: string }> {
    const env = { ...process.env, ...emulator.env(app), ENTRA_NUDGE_REPORT_RATE_LIMIT: "off" };
    const out = captureIo(env, dir);
    expect(
      await main(["readiness", "--json", "--no-cache", ...args], out.io),
      out.stderr(),
    ).to.equal(0);
    return { report: JSON.parse(out.stdout()) as ReadinessReport, stderr: out.stderr() };
  }

  describe("on the default tenant", () => {
    const emulator = useEmulator({ resetEachTest: true });

    it("gives Global Administrators and external users 2027-07-01, internal guests 2027-02-01", async () => {
      const file = path.join(dir, "users.csv");
      const { report, stderr } = await run(emulator, ["--users", file]);
      expect(stderr).to.not.match(/^warning:/m);
      const rows = csvRecords(fs.readFileSync(file, "utf8"));
      expect(rows.map((r) => r.id).sort()).to.deep.equal(phoneOnly.map((u) => u.id).sort());
      const byUpn = new Map(rows.map((r) => [r.userPrincipalName, r]));
      expect(byUpn.get("GradyA@contoso.onmicrosoft.com")).to.include({
        population: "Global Administrator",
        deadline: "2027-07-01",
      });
      expect(byUpn.get("alex_fabrikam.com#EXT#@contoso.onmicrosoft.com")).to.include({
        userType: "guest",
        population: "external user",
        deadline: "2027-07-01",
      });
      expect(byUpn.get("pat.o'neil@contoso.onmicrosoft.com")).to.include({
        userType: "guest",
        population: "internal guest",
        deadline: "2027-02-01",
      });
      for (const u of phoneOnly)
        expect(rows.find((r) => r.id === u.id)?.deadline, u.userPrincipalName).to.equal(
          expectedDeadline(u),
        );
      const later = phoneOnly.filter((u) => expectedDeadline(u) === "2027-07-01").length;
      expect(report.cohorts).to.deep.equal([
        {
          deadline: "2027-02-01",
          phoneOnly: phoneOnly.length - later,
          phoneOnlyNudged: report.cohorts[0].phoneOnlyNudged,
          phoneOnlyNotNudged: report.cohorts[0].phoneOnlyNotNudged,
          populations: { member: phoneOnly.length - later - 1, internalGuest: 1 },
        },
        {
          deadline: "2027-07-01",
          phoneOnly: later,
          phoneOnlyNudged: report.cohorts[1].phoneOnlyNudged,
          phoneOnlyNotNudged: report.cohorts[1].phoneOnlyNotNudged,
          populations: { globalAdministrator: 1, externalUser: 1 },
        },
      ]);
      for (const c of report.cohorts)
        expect(c.phoneOnlyNudged + c.phoneOnlyNotNudged, c.deadline).to.equal(c.phoneOnly);
      expect(report.optOut).to.deep.equal({ passkeyDynamicMigration: false, until: "2027-02-01" });
    });

    it("counts --exempt-group members apart, out of the top-level counts", async () => {
      const before = (await run(emulator, [])).report;
      const file = path.join(dir, "exempt.csv");
      const { report } = await run(emulator, ["--exempt-group", SALES, "--users", file]);
      const sales = new Set(seed.groups.find((g) => g.id === SALES)?.members ?? []);
      const exempt = phoneOnly.filter((u) => sales.has(u.id)).length;
      expect(exempt).to.be.greaterThan(0);
      expect(report.exempt).to.equal(exempt);
      expect(report.phoneOnly).to.equal(before.phoneOnly - exempt);
      expect(report.cohorts[0].phoneOnly + report.cohorts[1].phoneOnly).to.equal(report.phoneOnly);
      expect(report.exemptGroups).to.deep.equal([
        { id: SALES, displayName: "Sales", found: true, phoneOnly: exempt },
      ]);
      // The CSV still lists them, with why they are not at risk.
      const rows = csvRecords(fs.readFileSync(file, "utf8"));
      expect(rows).to.have.length(phoneOnly.length);
      expect(rows.filter((r) => /telephony provider/.test(r.reason))).to.have.length(exempt);
    });

    it("the HTML page lists the users not reached, by reason, with their population and date", async () => {
      await applyConfiguration(emulator, {
        campaign: { state: "enabled", includeTargets: [{ id: PILOT, targetType: "group" }] },
      });
      const html = path.join(dir, "readiness.html");
      const { report } = await run(emulator, ["--html", html]);
      const page = fs.readFileSync(html, "utf8");
      const section = page.slice(page.indexOf('id="not-reached-users"'));
      expect(section).to.include("not included in the campaign&#39;s targets (");
      const notIncluded = report.notNudgedReasons.find((r) => r.reason === "notIncluded");
      expect(notIncluded?.users).to.be.greaterThan(0);
      const rows = section.match(/<tr><td>[^<]*<\/td><td>[^<]+<\/td>/g) ?? [];
      expect(rows).to.have.length(report.phoneOnlyNotNudged);
      expect(section).to.match(
        /<td>GradyA@contoso\.onmicrosoft\.com<\/td><td>Global Administrator<\/td><td>2027-07-01<\/td>/,
      );
    });

    it("words: the Markdown has the campaign line, and a target line says what its numbers are", async () => {
      await applyConfiguration(emulator, {
        campaign: { state: "enabled", includeTargets: [{ id: PILOT, targetType: "group" }] },
      });
      const env = {
        ...process.env,
        ...emulator.env("reader"),
        ENTRA_NUDGE_REPORT_RATE_LIMIT: "off",
      };
      const markdown = captureIo(env, dir);
      expect(await main(["readiness", "--markdown", "--no-cache"], markdown.io)).to.equal(0);
      expect(markdown.stdout()).to.match(/^- Campaign \(tenant\): enabled/m);
      const table = captureIo(env, dir);
      expect(await main(["readiness", "--no-cache"], table.io)).to.equal(0);
      // A target line says what its numbers are (it read "Pilot - Authenticator wave 1: 3: 0 / 2 / 1").
      expect(table.stdout()).to.match(
        /^ {2}Pilot - Authenticator wave 1: \d+ phone-only users?: \d+ nudged to a passkey, \d+ to Authenticator, \d+ not nudged$/m,
      );
    });

    it("refuses an --exempt-group that is not an object id, before reading anything", async () => {
      const out = captureIo({ ...process.env, ...emulator.env("reader") }, dir);
      expect(await main(["readiness", "--exempt-group", "Sales"], out.io)).to.equal(1);
      expect(out.stderr()).to.match(/--exempt-group Sales: expected a group's object id/);
      expect(emulator.requests()).to.deep.equal([]);
    });

    it("shows the opt-out's state and its end, before and after the tenant opts out", async () => {
      const { report: before } = await run(emulator, []);
      expect(before.optOut).to.deep.equal({ passkeyDynamicMigration: false, until: "2027-02-01" });
      const patched = await rawRequest(emulator, {
        method: "PATCH",
        path: "/beta/policies/authenticationMethodsPolicy",
        token: await getToken(emulator, "writer"),
        body: { optOutSettings: { passkeyDynamicMigration: true } },
      });
      expect(patched.status, patched.text).to.be.oneOf([200, 204]);
      const out = captureIo(
        { ...process.env, ...emulator.env("reader"), ENTRA_NUDGE_REPORT_RATE_LIMIT: "off" },
        dir,
      );
      expect(await main(["readiness", "--no-cache"], out.io), out.stderr()).to.equal(0);
      expect(out.stdout()).to.include(
        "Passkeys-by-default opt-out: on, until 2027-02-01; it never delays the retirement.",
      );
    });
  });

  describe("a Global Administrator through a role-assignable group", () => {
    const tenant: TenantFile = JSON.parse(JSON.stringify(seed)) as TenantFile;
    const diego = tenant.users.find((u) => u.userPrincipalName.startsWith("DiegoS@"));
    tenant.groups.push({
      id: "9a7b7c1e-0000-4000-8000-000000000001",
      displayName: "Tier 0 administrators",
      mailNickname: "tier0",
      mailEnabled: false,
      securityEnabled: true,
      isAssignableToRole: true,
      adminRoles: ["Global Administrator"],
      createdDateTime: "2024-01-01T00:00:00Z",
      members: [diego?.id ?? ""],
    });
    const emulator = useEmulator({ tenant });

    it("counts the group's members as Global Administrators", async () => {
      const file = path.join(dir, "group.csv");
      await run(emulator, ["--users", file]);
      const row = csvRecords(fs.readFileSync(file, "utf8")).find((r) => r.id === diego?.id);
      expect(row).to.include({ population: "Global Administrator", deadline: "2027-07-01" });
    });
  });

  describe("without the permissions that tell the populations apart", () => {
    const tenant: TenantFile = JSON.parse(JSON.stringify(seed)) as TenantFile;
    tenant.authenticationMethodsPolicy.registrationEnforcement.authenticationMethodsRegistrationCampaign.state =
      "disabled";
    tenant.apps.push({
      name: "bare reader",
      clientId: "5e3f1a2b-0000-4000-8000-000000000002",
      // Enough for a tenant whose campaign is disabled (no audit read, which needs
      // Directory.Read.All): neither Directory.Read.All nor RoleManagement.Read.Directory nor
      // User.Read.All, which tell the populations apart.
      roles: ["Policy.Read.AuthenticationMethod", "GroupMember.Read.All", "AuditLog.Read.All"],
    });
    const emulator = useEmulator({ tenant });

    it("counts everyone on 2027-02-01, says so, and warns naming each permission", async () => {
      const { report, stderr } = await run(emulator, [], "bare reader");
      expect(report.populationsKnown).to.deep.equal({
        globalAdministrators: false,
        externalUsers: false,
      });
      expect(report.cohorts[1].phoneOnly).to.equal(0);
      expect(report.cohorts[0].phoneOnly).to.equal(phoneOnly.length);
      expect(stderr).to.match(/^warning: .*RoleManagement\.Read\.Directory/m);
      expect(stderr).to.match(/^warning: .*User\.Read\.All/m);
    });
  });
});

describe("the --users CSV cells", () => {
  it("quotes as RFC 4180 requires and never starts a cell with a formula", () => {
    expect(csvCell("plain")).to.equal("plain");
    expect(csvCell('say "hi", then go')).to.equal('"say ""hi"", then go"');
    expect(csvCell("two\r\nlines")).to.equal('"two\r\nlines"');
    for (const formula of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", '=HYPERLINK("x","y")']) {
      const cell = csvCell(formula);
      const [[parsed]] = parseCsv(`${cell}\r\n`);
      expect(parsed.startsWith("'"), formula).to.equal(true);
      expect(parsed.slice(1)).to.equal(formula);
    }
  });
});
