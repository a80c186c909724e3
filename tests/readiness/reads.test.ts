// What `entra-nudge readiness` reads from Graph: the SMS and Voice configurations come with the
// policy's one GET (graph-contract.md §1.1: its method configurations are expanded), never one by
// one; and a rerun within the cache's lifetime reads nothing at all (the scan and readiness's own
// audit reads are cached together), while a scan `impact` cached without them does not make
// readiness skip its audit read.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { generateTenant } from "../../emulator/generate";
import { main } from "../../provider/cli";
import type { ReadinessReport } from "../../provider/readiness";
import { captureIo } from "../eligibility/support";
import { useEmulator } from "../support/emulator";

const tenant = generateTenant({ users: 600, seed: 9 });
const groupIds = tenant.groups.map((g) => g.id);
// SMS scoped to one group minus another, Voice to a third: targets a per-configuration read would
// show, so the report must carry them from the policy's response.
const SMS_INCLUDE = groupIds[0];
const SMS_EXCLUDE = groupIds[1];
const VOICE_INCLUDE = groupIds[2];
for (const config of tenant.authenticationMethodConfigurations) {
  if (config.id === "Sms") {
    config.state = "enabled";
    config.includeTargets = [
      {
        targetType: "group",
        id: SMS_INCLUDE,
        isRegistrationRequired: false,
        isUsableForSignIn: false,
      },
    ];
    config.excludeTargets = [{ targetType: "group", id: SMS_EXCLUDE }];
  }
  if (config.id === "Voice") {
    config.state = "enabled";
    config.includeTargets = [
      { targetType: "group", id: VOICE_INCLUDE, isRegistrationRequired: false },
    ];
    config.excludeTargets = [];
  }
}

const PHONE_CONFIGURATION = /authenticationMethodConfigurations\/(sms|voice)$/i;
const AUDIT = /\/auditLogs\//i;
const REPORT = /\/reports\/authenticationMethods\/userRegistrationDetails/i;

describe("readiness: its Graph reads", function () {
  this.timeout(90_000);
  const emulator = useEmulator({ tenant });
  let dir: string;
  let env: NodeJS.ProcessEnv;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-readiness-reads-"));
    env = { ...process.env, ...emulator.env("reader"), ENTRA_NUDGE_REPORT_RATE_LIMIT: "off" };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function run(
    command: string,
    args: string[],
    runEnv = env,
  ): Promise<{ code: number; stdout: string; stderr: string; paths: string[] }> {
    emulator.clearRequests();
    const out = captureIo(runEnv, dir);
    const code = await main([command, ...args], out.io);
    return {
      code,
      stdout: out.stdout(),
      stderr: out.stderr(),
      paths: emulator.requests().map((r) => r.path),
    };
  }

  it("reads SMS and Voice (state and targets) from the policy's one GET, not one by one", async () => {
    const result = await run("readiness", ["--json", "--no-cache"]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.paths.filter((p) => PHONE_CONFIGURATION.test(p))).to.deep.equal([]);
    const report = JSON.parse(result.stdout) as ReadinessReport;
    expect(report.methodPolicies.sms).to.deep.equal({
      state: "enabled",
      includeTargets: [{ id: SMS_INCLUDE, targetType: "group", isUsableForSignIn: false }],
      excludeTargets: [{ id: SMS_EXCLUDE, targetType: "group" }],
    });
    expect(report.methodPolicies.voice).to.deep.equal({
      state: "enabled",
      includeTargets: [{ id: VOICE_INCLUDE, targetType: "group" }],
      excludeTargets: [],
    });
  });

  /** The environment of a run with the cache on (the emulator's endpoint is not cached unless asked for). */
  function cached(name: string): NodeJS.ProcessEnv {
    return {
      ...env,
      ENTRA_NUDGE_CACHE_DIR: path.join(dir, name),
      ENTRA_NUDGE_SCAN_CACHE_TTL: "1h",
    };
  }

  it("a rerun within the lifetime sends no Graph request, says so, and reports the same", async () => {
    const cacheEnv = cached("rerun");
    const first = await run("readiness", ["--json"], cacheEnv);
    expect(first.code, first.stderr).to.equal(0);
    // The generated tenant is Microsoft managed: the trend reads the audit log.
    expect(first.paths.filter((p) => AUDIT.test(p)).length).to.be.greaterThan(0);
    const before = JSON.parse(first.stdout) as ReadinessReport;
    if (!before.trend) expect.fail(`readiness reported no trend (${String(before.trend)})`);

    const second = await run("readiness", ["--json"], cacheEnv);
    expect(second.code, second.stderr).to.equal(0);
    expect(second.paths, "Graph requests on the rerun").to.deep.equal([]);
    expect(second.stderr).to.include(`Using the tenant scan cached at ${before.scan.scannedAt}`);
    const after = JSON.parse(second.stdout) as ReadinessReport;
    expect(after.scan.fromCache).to.equal(true);
    // The same audit records: the same trend (its 30 days are counted back from each run's now).
    if (!after.trend) expect.fail(`the rerun reported no trend (${String(after.trend)})`);
    const { periodStart: _start, ...trend } = after.trend;
    const { periodStart: _before, ...trendBefore } = before.trend;
    void _start;
    void _before;
    expect(trend).to.deep.equal(trendBefore);
    expect(after.methodPolicies).to.deep.equal(before.methodPolicies);
    expect(after.phoneOnlyNudged).to.equal(before.phoneOnlyNudged);
  });

  it("a scan impact cached (without the audit part) still makes readiness read the audit log", async () => {
    const cacheEnv = cached("shared");
    fs.writeFileSync(
      path.join(dir, "all.json"),
      JSON.stringify({
        campaign: { state: "enabled", includeTargets: [{ id: "all_users", targetType: "group" }] },
      }),
    );
    const impact = await run("impact", ["--declaration", "all.json", "--json"], cacheEnv);
    expect(impact.code, impact.stderr).to.equal(0);

    const readiness = await run("readiness", ["--json"], cacheEnv);
    expect(readiness.code, readiness.stderr).to.equal(0);
    expect(readiness.stderr, "the same key: impact's scan is used").to.include(
      "Using the tenant scan cached",
    );
    expect(readiness.paths.filter((p) => REPORT.test(p))).to.deep.equal([]);
    expect(readiness.paths.filter((p) => AUDIT.test(p)).length).to.be.greaterThan(0);
    expect((JSON.parse(readiness.stdout) as ReadinessReport).trend).to.be.an("object");

    const again = await run("readiness", ["--json"], cacheEnv);
    expect(again.paths, "Graph requests on readiness's rerun").to.deep.equal([]);
    const impactAgain = await run("impact", ["--declaration", "all.json", "--json"], cacheEnv);
    expect(impactAgain.paths, "impact's rerun beside readiness's part").to.deep.equal([]);
  });
});
