// `readiness` reads what its floor says (bench/minimums.ts, readinessMinimum) on a generated
// tenant: every registration report page and, while a campaign runs, the audit log's pages the
// trend needs; no campaign, no audit read. Counted in the emulator's log as the bench counts them
// (the reports family: /reports and /auditLogs, which Graph limits to 5 requests / 10 s).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { generateTenant } from "../../emulator/generate";
import { readinessMinimum } from "../../bench/minimums";
import { readinessShapeOf } from "../../bench/readiness";
import { REPORT_PATH } from "../../bench/scans";
import { main } from "../../provider/cli";
import { captureIo, graphClient } from "../eligibility/support";
import { useEmulator } from "../support/emulator";

const tenant = generateTenant({ users: 3_000, seed: 2 });

describe("bench: readiness reads at its floor", function () {
  this.timeout(120_000);
  const emulator = useEmulator({ tenant, resetEachTest: true });
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-readiness-floor-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function reportLimitedRequests(): Promise<{ report: number; audit: number }> {
    emulator.clearRequests();
    const env = { ...process.env, ...emulator.env("reader"), ENTRA_NUDGE_REPORT_RATE_LIMIT: "off" };
    const out = captureIo(env, dir);
    expect(await main(["readiness", "--json", "--no-cache"], out.io), out.stderr()).to.equal(0);
    const paced = emulator.requests().filter((e) => REPORT_PATH.test(e.path) && !e.batchId);
    const audit = paced.filter((e) => e.path.includes("/auditLogs/")).length;
    return { report: paced.length - audit, audit };
  }

  it("Microsoft managed (as generated): the report's pages and one audit page, not the policy updates", async () => {
    const shape = readinessShapeOf(tenant);
    // The inputs, by hand: the generator logs 500 registrations within 28 days, no policy update.
    expect(shape).to.include({
      campaignState: "default",
      registrationRecords: 500,
      policyUpdateRecords: 0,
      serviceRecords: 500,
    });
    const floor = readinessMinimum(shape);
    expect(floor).to.include({ reportPages: Math.ceil(shape.reportedUsers / 999), auditPages: 1 });
    // Before the fix, the campaign's state changes were read too (and thrown away): one more.
    expect(await reportLimitedRequests()).to.deep.equal({
      report: floor.reportPages,
      audit: floor.auditPages,
    });
  });

  it("no campaign running: the report's pages only, no audit read", async () => {
    const writer = graphClient(emulator, "writer", { reportRateLimit: null });
    await writer.request({
      operation: "disable the campaign",
      method: "PATCH",
      permission: "Policy.ReadWrite.AuthenticationMethod",
      path: "/policies/authenticationMethodsPolicy",
      body: {
        registrationEnforcement: {
          authenticationMethodsRegistrationCampaign: { state: "disabled" },
        },
      },
    });
    const floor = readinessMinimum({ ...readinessShapeOf(tenant), campaignState: "disabled" });
    expect(floor.auditPages).to.equal(0);
    expect(await reportLimitedRequests()).to.deep.equal({ report: floor.reportPages, audit: 0 });
  });
});
