// Part `readiness`: `entra-nudge readiness --json` on the generated tenants of 10,000 and 100,000
// users (Microsoft managed, as generated: the trend reads the audit log) with Graph's documented
// throttling on, each run in its own process (its peak RSS is the command's) with an empty cache,
// then a rerun that the scan cache answers. Its floor: bench/minimums.ts, readinessMinimum.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeTenant } from "../emulator/generate";
import { startEmulator, type RequestLogEntry } from "../emulator/index";
import type { TenantFile } from "../emulator/tenants/format";
import { log } from "./common";
import { readinessMinimum, type ReadinessMinimum, type ReadinessShape } from "./minimums";
import { runEntraNudge, summarize, type ScanRun } from "./scans";

export interface ReadinessRun extends ScanRun {
  /** Of the report requests, the audit log's pages (the rest: registration report pages). */
  auditRequests: number;
}

export interface ReadinessResult {
  users: number;
  /** What the tenant holds that readiness must read (the minimum's inputs). */
  shape: ReadinessShape;
  minimum: ReadinessMinimum;
  /** The uncached run: an empty cache, so it reads the tenant (and saves its scan). */
  run: ReadinessRun;
  /** The rerun within the cache's lifetime. */
  cachedRun: ReadinessRun;
  /** Phone-only users the report counted (a check that the run did the work). */
  phoneOnly: number;
}

const AUDIT_PATH = /^\/(v1\.0|beta)\/auditLogs\//i;
const SERVICE = "Authentication Methods";
const DAY_MS = 86_400_000;

function summarizeReadiness(
  entries: RequestLogEntry[],
  run: Parameters<typeof summarize>[1],
): ReadinessRun {
  return {
    ...summarize(entries, run),
    auditRequests: entries.filter((e) => AUDIT_PATH.test(e.path) && !e.batchId).length,
  };
}

/** Days before load of a tenant file's relative time ("-P12DT30M"), or of an absolute one. */
function ageInDays(time: unknown): number {
  if (typeof time !== "string") return Infinity;
  const relative = /^-P(\d+)D/.exec(time);
  if (relative) return Number(relative[1]);
  const at = Date.parse(time);
  return Number.isNaN(at) ? Infinity : (Date.now() - at) / DAY_MS;
}

/** The minimum's inputs, counted from the tenant file (the audit log's 30 days, §6.1). */
export function readinessShapeOf(tenant: TenantFile): ReadinessShape {
  const policy = tenant.authenticationMethodsPolicy as {
    registrationEnforcement?: { authenticationMethodsRegistrationCampaign?: { state?: string } };
  };
  const state = policy.registrationEnforcement?.authenticationMethodsRegistrationCampaign?.state;
  const recent = (tenant.directoryAudits ?? []).filter(
    (a) => a.loggedByService === SERVICE && ageInDays(a.activityDateTime) < 30,
  );
  const activity = (name: string) => recent.filter((a) => a.activityDisplayName === name).length;
  return {
    reportedUsers: tenant.users.filter((u) => u.accountEnabled).length,
    campaignState: state === "enabled" || state === "default" ? state : "disabled",
    registrationRecords: activity("User registered security info"),
    policyUpdateRecords: activity("Authentication Methods Policy Update"),
    serviceRecords: recent.length,
  };
}

async function readinessOfSize(users: number, dir: string): Promise<ReadinessResult> {
  const file = path.join(dir, `tenant-${users}.json`);
  writeTenant({ users, seed: 1 }, file);
  const shape = readinessShapeOf(JSON.parse(fs.readFileSync(file, "utf8")) as TenantFile);
  // Graph's documented limits (emulator/throttle.ts defaults): reports 5 / 10 s, 3,500 RU / 10 s.
  const emulator = await startEmulator({ tenant: file, throttling: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...emulator.env("reader"),
    ENTRA_NUDGE_REPORT_RATE_LIMIT: "5/10",
    // Its own cache directory, empty: impact's scans (another part, another directory) never
    // answer this run, so the first run reads the tenant.
    ENTRA_NUDGE_CACHE_DIR: path.join(dir, `readiness-cache-${users}`),
  };
  const args = ["readiness", "--json", "--cache-ttl", "1h"];
  try {
    emulator.reset(); // a fresh throttle window and log
    const first = await runEntraNudge(args, env, dir, { keepStdout: true });
    if (first.code !== 0) throw new Error(`readiness failed on ${users} users: ${first.stderr}`);
    const run = summarizeReadiness(emulator.requests(), first);
    if (/Using the tenant scan cached/.test(first.stderr))
      throw new Error(
        "The uncached readiness run found a cached scan: its directory was not empty.",
      );
    log(
      `readiness ${users} users: ${Math.round(run.wallMs)} ms, ${run.requests} requests ` +
        `(${run.reportRequests} report-limited, ${run.auditRequests} of them audit), ` +
        `${run.throttled} throttled, peak RSS ${Math.round(run.peakRssMb)} MB`,
    );
    // The rerun also starts on its own: its audit read is report-limited, and a new process does
    // not know the window the first run filled (started at once, it met one 429 and waited for its
    // Retry-After, ~9 s at 100,000 users). reset() clears the window and the log, not the cache.
    emulator.reset();
    const again = await runEntraNudge(args, env, dir);
    if (again.code !== 0) throw new Error(`readiness failed on ${users} users: ${again.stderr}`);
    const cachedRun = summarizeReadiness(emulator.requests(), again);
    log(
      `readiness ${users} users, cached rerun: ${Math.round(cachedRun.wallMs)} ms, ` +
        `${cachedRun.requests} requests (${cachedRun.reportRequests} report-limited)`,
    );
    return {
      users,
      shape,
      minimum: readinessMinimum(shape),
      run,
      cachedRun,
      phoneOnly: (JSON.parse(first.stdout) as { phoneOnly: number }).phoneOnly,
    };
  } finally {
    await emulator.close();
    fs.rmSync(file, { force: true });
  }
}

export async function measureReadiness(sizes: number[]): Promise<ReadinessResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-bench-readiness-"));
  try {
    const results: ReadinessResult[] = [];
    for (const users of sizes) results.push(await readinessOfSize(users, dir));
    return results;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
