// Part 3: `entra-nudge impact` on emulator tenants of 10,000 and 100,000 users with Graph's
// documented throttling on (reports: 5 requests / 10 s per app and tenant), each run in its own
// process (its peak RSS is the command's), then a rerun that the scan cache answers.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeTenant } from "../emulator/generate";
import { startEmulator, type RequestLogEntry, type RunningEmulator } from "../emulator/index";
import type { TenantFile } from "../emulator/tenants/format";
import { countCalls, log, median, repositoryRoot } from "./common";
import { reportPages, scanMinimum } from "./minimums";

export interface ScanRun {
  wallMs: number;
  /** Peak resident set size of the impact process (getrusage maxrss), MB. */
  peakRssMb: number;
  requests: number;
  reportRequests: number;
  throttled: number;
  /** First to last report request's arrival at the emulator, ms. */
  reportSpanMs: number;
  exitCode: number;
}

export interface ScanResult {
  users: number;
  /** Users the registration report lists (enabled users). */
  reportedUsers: number;
  reportPages: number;
  /** The least time the reports limit allows for those pages (first to last arrival), ms. */
  minimumMs: number;
  runs: ScanRun[];
  medianWallMs: number;
  medianReportSpanMs: number;
  maxPeakRssMb: number;
  throttled: number;
  /** The rerun within the cache's lifetime. */
  cachedRun: ScanRun;
}

/** The reports family Graph limits to 5 requests / 10 s per app and tenant (§7.3). */
export const REPORT_PATH = /^\/(v1\.0|beta)\/(reports|auditLogs)\//i;

/**
 * Runs `entra-nudge <args>` (impact, readiness) in a child process and reports its peak RSS (a
 * marker line on stderr).
 */
export function runEntraNudge(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  options: { keepStdout?: boolean } = {},
): Promise<{ code: number; wallMs: number; peakRssMb: number; stderr: string; stdout: string }> {
  const cli = path.join(repositoryRoot, "dist", "provider", "cli.js");
  // The output is dropped in the child unless asked for (a small JSON report: readiness's counts).
  const stdout = options.keepStdout ? "(t) => process.stdout.write(t)" : "() => undefined";
  const script = `
    const { main } = require(${JSON.stringify(cli)});
    const io = { stdout: ${stdout}, stderr: (t) => process.stderr.write(t), env: process.env, cwd: process.cwd() };
    main(process.argv.slice(1), io).then((code) => {
      process.stderr.write("\\nBENCH_MAXRSS_KB=" + process.resourceUsage().maxRSS + "\\n");
      process.exit(code);
    });`;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ["-e", script, ...args], {
      cwd,
      env,
      stdio: ["ignore", options.keepStdout ? "pipe" : "ignore", "pipe"],
    });
    let stderr = "";
    let out = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    // "close": the process has exited and its output is read to the end.
    child.on("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const match = /BENCH_MAXRSS_KB=(\d+)/.exec(stderr);
      resolve({
        code: code ?? 1,
        wallMs,
        peakRssMb: match ? Number(match[1]) / 1024 : NaN,
        stderr: stderr.replace(/\nBENCH_MAXRSS_KB=\d+\n/, ""),
        stdout: out,
      });
    });
  });
}

export function summarize(
  entries: RequestLogEntry[],
  run: { code: number; wallMs: number; peakRssMb: number },
): ScanRun {
  const calls = countCalls(entries);
  const reports = entries.filter((e) => REPORT_PATH.test(e.path) && !e.batchId);
  const times = reports.map((e) => Date.parse(e.time));
  return {
    wallMs: run.wallMs,
    peakRssMb: run.peakRssMb,
    requests: calls.reads + calls.writes,
    reportRequests: reports.length,
    throttled: calls.throttled,
    reportSpanMs: times.length > 1 ? Math.max(...times) - Math.min(...times) : 0,
    exitCode: run.code,
  };
}

/** Reads the tenant file's header fields without holding the users twice. */
function groupIdNamed(tenant: TenantFile, name: string): string {
  const group = tenant.groups.find((g) => g.displayName === name);
  if (!group) throw new Error(`The generated tenant has no group "${name}".`);
  return group.id;
}

async function scanTenantOfSize(users: number, runs: number, dir: string): Promise<ScanResult> {
  const file = path.join(dir, `tenant-${users}.json`);
  writeTenant({ users, seed: 1 }, file);
  const tenant = JSON.parse(fs.readFileSync(file, "utf8")) as TenantFile;
  const reportedUsers = tenant.users.filter((u) => u.accountEnabled).length;
  const declaration = path.join(dir, `declaration-${users}.json`);
  const pilot = groupIdNamed(tenant, "Pilot - Authenticator wave 2");
  const breakGlass = groupIdNamed(tenant, "Emergency Access Accounts");
  fs.writeFileSync(
    declaration,
    JSON.stringify({
      campaign: {
        state: "enabled",
        snoozeDurationInDays: 0,
        includeTargets: [{ id: pilot, targetType: "group" }],
        excludeTargets: [{ id: breakGlass, targetType: "group" }],
      },
      authenticator: {
        state: "enabled",
        includeTargets: [{ id: pilot, targetType: "group", authenticationMode: "any" }],
      },
      breakGlassGroups: [breakGlass],
    }),
  );
  // Graph's documented limits (emulator/throttle.ts defaults): reports 5 / 10 s, 3,500 RU / 10 s.
  const emulator: RunningEmulator = await startEmulator({ tenant: file, throttling: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...emulator.env("reader"),
    // The client paces itself at Graph's documented limit (its default, spelled out).
    ENTRA_NUDGE_REPORT_RATE_LIMIT: "5/10",
  };
  // As a user runs it: the cache on (1 h), empty at each measured run, which therefore reads the
  // tenant and saves its scan; the rerun then finds the last run's.
  const args = ["impact", "--declaration", declaration, "--json", "--cache-ttl", "1h"];
  const cacheDir = (run: number) => path.join(dir, `cache-${users}-${run}`);
  const measured: ScanRun[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      emulator.reset(); // a fresh throttle window, as for a scan started on its own
      const run = await runEntraNudge(args, { ...env, ENTRA_NUDGE_CACHE_DIR: cacheDir(i) }, dir);
      if (run.code !== 0) throw new Error(`impact failed on ${users} users: ${run.stderr}`);
      measured.push(summarize(emulator.requests(), run));
      const last = measured[measured.length - 1];
      log(
        `impact ${users} users run ${i + 1}/${runs}: ${Math.round(last.wallMs)} ms, ${last.requests} requests ` +
          `(${last.reportRequests} reports), ${last.throttled} throttled, peak RSS ${Math.round(last.peakRssMb)} MB`,
      );
    }
    // The rerun within the cache's lifetime must read nothing.
    emulator.clearRequests();
    const rerun = await runEntraNudge(
      args,
      { ...env, ENTRA_NUDGE_CACHE_DIR: cacheDir(runs - 1) },
      dir,
    );
    if (rerun.code !== 0) throw new Error(`impact failed on ${users} users: ${rerun.stderr}`);
    const cachedRun = summarize(emulator.requests(), rerun);
    log(
      `impact ${users} users, cached rerun: ${Math.round(cachedRun.wallMs)} ms, ${cachedRun.requests} requests`,
    );
    const minimum = scanMinimum(reportedUsers);
    return {
      users,
      reportedUsers,
      reportPages: reportPages(reportedUsers),
      minimumMs: minimum.minimumMs,
      runs: measured,
      medianWallMs: median(measured.map((r) => r.wallMs)),
      medianReportSpanMs: median(measured.map((r) => r.reportSpanMs)),
      maxPeakRssMb: Math.max(...measured.map((r) => r.peakRssMb)),
      throttled: measured.reduce((sum, r) => sum + r.throttled, 0),
      cachedRun,
    };
  } finally {
    await emulator.close();
    fs.rmSync(file, { force: true });
  }
}

export async function measureScans(
  sizes: { users: number; runs: number }[],
): Promise<ScanResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-bench-scan-"));
  try {
    const results: ScanResult[] = [];
    for (const size of sizes) results.push(await scanTenantOfSize(size.users, size.runs, dir));
    return results;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
