// The scan cache of `entra-nudge impact`: a rerun within the cache's lifetime reads nothing from
// Graph and says which time its data is from; another query, another app, --no-cache or an expired
// entry read the tenant again; the file holds no secret and only its owner can read it.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { generateTenant } from "../../emulator/generate";
import { main } from "../../provider/cli";
import { readCachedScan, scanCacheFile, type ScanQuery } from "../../provider/eligibility/cache";
import { captureIo } from "../eligibility/support";
import { useEmulator } from "../support/emulator";

const tenant = generateTenant({ users: 2_500, seed: 4 });
const groupNamed = (name: string) => {
  const group = tenant.groups.find((g) => g.displayName === name);
  if (!group) throw new Error(`the fixture has no group ${name}`);
  return group.id;
};

interface Report {
  declared: { nudged: number };
  current: { nudged: number };
  scan: { scannedAt: string; requests: number; fromCache?: boolean };
}

describe("impact: the scan cache", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ tenant });
  let dir: string;
  let cacheDir: string;
  let env: NodeJS.ProcessEnv;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-cache-"));
    cacheDir = path.join(dir, "cache");
    env = {
      ...process.env,
      ...emulator.env("reader"),
      ENTRA_NUDGE_REPORT_RATE_LIMIT: "off",
      ENTRA_NUDGE_CACHE_DIR: cacheDir,
      // The emulator is not Microsoft's Graph: the cache is off there unless asked for.
      ENTRA_NUDGE_SCAN_CACHE_TTL: "1h",
    };
    const declare = (file: string, group: string) =>
      fs.writeFileSync(
        path.join(dir, file),
        JSON.stringify({
          campaign: { state: "enabled", includeTargets: [{ id: group, targetType: "group" }] },
        }),
      );
    declare("wave2.json", groupNamed("Pilot - Authenticator wave 2"));
    declare("engineering.json", groupNamed("Engineering"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Graph requests and sign-ins the emulator saw during the run. */
  async function impact(
    args: string[],
    runEnv = env,
  ): Promise<{ code: number; report?: Report; stderr: string; requests: number }> {
    emulator.clearRequests();
    const out = captureIo(runEnv, dir);
    const code = await main(["impact", ...args, "--json"], out.io);
    return {
      code,
      report: code === 0 ? (JSON.parse(out.stdout()) as Report) : undefined,
      stderr: out.stderr(),
      requests: emulator.requests().length,
    };
  }

  it("a rerun within the lifetime reads nothing from Graph, says so, and counts the same", async () => {
    const first = await impact(["--declaration", "wave2.json"]);
    expect(first.code, first.stderr).to.equal(0);
    expect(first.requests).to.be.greaterThan(3); // report pages, policy, groups
    expect(first.stderr).not.to.include("cached");

    const second = await impact(["--declaration", "wave2.json"]);
    expect(second.code, second.stderr).to.equal(0);
    expect(second.requests, "requests to the emulator on the rerun").to.equal(0);
    expect(second.stderr).to.include(
      `Using the tenant scan cached at ${first.report?.scan.scannedAt}`,
    );
    expect(second.report?.scan.fromCache).to.equal(true);
    expect(second.report?.scan.scannedAt).to.equal(first.report?.scan.scannedAt);
    expect(second.report?.declared).to.deep.equal(first.report?.declared);
    expect(second.report?.current).to.deep.equal(first.report?.current);
  });

  it("another query, another app, or --no-cache reads the tenant again", async () => {
    await impact(["--declaration", "wave2.json"]);
    const otherGroups = await impact(["--declaration", "engineering.json"]);
    expect(otherGroups.requests).to.be.greaterThan(0);
    expect(otherGroups.stderr).not.to.include("cached");

    const otherApp = await impact(["--declaration", "wave2.json"], {
      ...env,
      ...emulator.env("writer"),
    });
    expect(otherApp.code, otherApp.stderr).to.equal(0);
    expect(otherApp.requests).to.be.greaterThan(0);

    const noCache = await impact(["--declaration", "wave2.json", "--no-cache"]);
    expect(noCache.requests).to.be.greaterThan(0);
    expect(noCache.report?.scan.fromCache).to.equal(undefined);
  });

  it("the emulator's endpoint is not cached unless asked for; a bad lifetime names the fix", async () => {
    const withoutTtl = { ...env };
    delete withoutTtl.ENTRA_NUDGE_SCAN_CACHE_TTL;
    await impact(["--declaration", "engineering.json"], withoutTtl);
    const again = await impact(["--declaration", "engineering.json"], withoutTtl);
    expect(again.requests).to.be.greaterThan(0);

    const bad = await impact(["--declaration", "wave2.json", "--cache-ttl", "soon"]);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.include('--cache-ttl: "soon" is not a lifetime');
  });

  it("a cache that cannot be written costs a warning, not the report", async () => {
    const blocked = path.join(dir, "not-a-directory");
    fs.writeFileSync(blocked, "");
    const run = await impact(["--declaration", "wave2.json"], {
      ...env,
      ENTRA_NUDGE_CACHE_DIR: blocked,
    });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.report?.declared.nudged).to.be.a("number");
    expect(run.stderr).to.include("warning: the scan could not be saved to the cache");
  });

  it("an entry past its lifetime is a miss; the file holds no secret and is the owner's only", async () => {
    await impact(["--declaration", "wave2.json"]);
    const query: ScanQuery = {
      graphEndpoint: emulator.info.graphEndpoint,
      tenantId: emulator.info.tenantId,
      clientId: emulator.info.apps.reader.clientId,
      groupIds: [groupNamed("Pilot - Authenticator wave 2")],
    };
    const settings = { ttlSeconds: 3600, root: cacheDir };
    const file = scanCacheFile(cacheDir, query);
    expect(fs.existsSync(file), file).to.equal(true);
    expect(readCachedScan(settings, query)?.scan.users).to.have.length.greaterThan(0);
    expect(readCachedScan(settings, query, Date.now() + 3601_000)).to.equal(undefined);
    expect(readCachedScan(settings, { ...query, tenantId: "another" })).to.equal(undefined);

    const text = fs.readFileSync(file, "utf8");
    for (const app of Object.values(emulator.info.apps)) {
      expect(text).not.to.include(app.clientSecret);
    }
    expect(text).not.to.match(/eyJ[\w-]+\.eyJ/); // no JWT
    expect(fs.statSync(file).mode & 0o077, "permissions for group and others").to.equal(0);
  });
});
