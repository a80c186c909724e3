// `readiness --users FILE` on the 10,000-user generated tenant (seed 1): the CSV lists exactly the
// phone-only users that a walk of the emulator's registration report pages finds (plain HTTPS
// requests, no product code), each with the date Microsoft's FAQ gives them, decided from the
// tenant file's own data (graph-contract-passkeys.md §7: Global Administrators and external users
// on 2027-07-01, internal guests with everyone else on 2027-02-01).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { generateTenant } from "../../emulator/generate";
import type { TenantFile } from "../../emulator/tenants/format";
import { main } from "../../provider/cli";
import type { ReadinessReport } from "../../provider/readiness";
import { captureIo } from "../eligibility/support";
import { getToken, rawRequest, useEmulator } from "../support/emulator";
import { csvRecords, expectedDeadline, expectedPopulation } from "./support";

const tenant: TenantFile = generateTenant({ users: 10_000, seed: 1 });
const PHONE = ["mobilePhone", "alternateMobilePhone", "officePhone"];

describe("readiness --users on a 10,000-user tenant", function () {
  this.timeout(180_000);
  const emulator = useEmulator({ tenant });
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-people-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The report's rows, page by page, as any client would read them. */
  async function walkRegistrationReport(): Promise<{ id: string; methodsRegistered: string[] }[]> {
    const token = await getToken(emulator, "reader");
    const rows: { id: string; methodsRegistered: string[] }[] = [];
    let next: string | undefined = "/v1.0/reports/authenticationMethods/userRegistrationDetails";
    while (next) {
      const page = await rawRequest(emulator, { path: next, token });
      expect(page.status, page.text).to.equal(200);
      const body = page.json as { value: typeof rows; "@odata.nextLink"?: string };
      rows.push(...body.value);
      next =
        body["@odata.nextLink"] &&
        new URL(body["@odata.nextLink"]).pathname + new URL(body["@odata.nextLink"]).search;
    }
    return rows;
  }

  it("lists exactly the phone-only users of the report, each with the date that applies", async () => {
    const file = path.join(dir, "users.csv");
    const env = { ...process.env, ...emulator.env("reader"), ENTRA_NUDGE_REPORT_RATE_LIMIT: "off" };
    const out = captureIo(env, dir);
    expect(
      await main(["readiness", "--json", "--no-cache", "--users", file], out.io),
      out.stderr(),
    ).to.equal(0);
    expect(out.stderr()).to.not.match(/^warning:/m);
    const report = JSON.parse(out.stdout()) as ReadinessReport;

    const walked = (await walkRegistrationReport()).filter(
      (row) =>
        row.methodsRegistered.some((m) => PHONE.includes(m)) &&
        row.methodsRegistered.every(
          (m) => PHONE.includes(m) || m === "email" || m === "securityQuestion",
        ),
    );
    const byId = new Map(tenant.users.map((u) => [u.id.toLowerCase(), u]));
    const rows = csvRecords(fs.readFileSync(file, "utf8"));
    expect(rows.map((r) => r.id).sort()).to.deep.equal(
      walked.map((r) => r.id.toLowerCase()).sort(),
    );

    const dates = { "2027-02-01": 0, "2027-07-01": 0 } as Record<string, number>;
    const populations = new Map<string, number>();
    for (const row of rows) {
      const user = byId.get(row.id);
      expect(user, row.id).to.not.equal(undefined);
      if (!user) continue;
      expect(row.deadline, row.userPrincipalName).to.equal(expectedDeadline(user));
      expect(row.population, row.userPrincipalName).to.equal(expectedPopulation(user));
      expect(row.userPrincipalName).to.equal(user.userPrincipalName);
      expect(row.userType).to.equal(user.userType.toLowerCase());
      dates[row.deadline]++;
      populations.set(row.population, (populations.get(row.population) ?? 0) + 1);
    }
    // The generated tenant holds every population among its phone-only users.
    for (const population of ["member", "internal guest", "external user", "Global Administrator"])
      expect(populations.get(population) ?? 0, population).to.be.greaterThan(0);
    // External members: B2B users whose userType is Member, told apart by their identities.
    expect(
      rows.filter((r) => r.population === "external user" && r.userType === "member").length,
    ).to.be.greaterThan(0);
    expect(report.cohorts.map((c) => [c.deadline, c.phoneOnly])).to.deep.equal([
      ["2027-02-01", dates["2027-02-01"]],
      ["2027-07-01", dates["2027-07-01"]],
    ]);
    expect(report.phoneOnly).to.equal(rows.length);
    expect(report).to.not.have.property("people");
  });
});
