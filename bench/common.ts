// What every benchmark part shares: isolated Pulumi workspaces against the real engine, the
// emulator's request log read as Graph counts requests, and small statistics.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import type { RequestLogEntry, RunningEmulator } from "../emulator/index";

/** The repository root (this file is compiled to dist/bench/). */
export const repositoryRoot = path.resolve(__dirname, "..", "..");

export interface BenchStack {
  stack: Stack;
  cleanup(): Promise<void>;
}

/**
 * A stack with its own PULUMI_HOME and file:// backend in a temporary directory (never ~/.pulumi),
 * running `program` inline through the Automation API with the engine at `pulumiRoot`. The engine
 * starts the dynamic provider in the repository root, where the package resolves by name.
 */
export async function benchStack(options: {
  pulumiRoot: string;
  projectName: string;
  program: () => Promise<void>;
  env: Record<string, string>;
}): Promise<BenchStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-bench-"));
  const home = path.join(dir, "home");
  const backend = path.join(dir, "state");
  const work = path.join(dir, "work");
  for (const sub of [home, backend, work]) fs.mkdirSync(sub);
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: "bench", projectName: options.projectName, program: options.program },
    {
      pulumiCommand: await PulumiCommand.get({ root: options.pulumiRoot }),
      pulumiHome: home,
      workDir: work,
      envVars: {
        PULUMI_HOME: home,
        PULUMI_BACKEND_URL: `file://${backend}`,
        PULUMI_CONFIG_PASSPHRASE: "entra-nudge-bench",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
        ...options.env,
      },
      projectSettings: { name: options.projectName, runtime: "nodejs", main: repositoryRoot },
    },
  );
  return { stack, cleanup: () => fs.promises.rm(dir, { recursive: true, force: true }) };
}

/** Graph requests in a slice of the emulator's log, as Graph counts them for throttling. */
export interface CallCount {
  /** GETs (inside a $batch each counts). */
  reads: number;
  /** POST, PATCH, PUT, DELETE (inside a $batch each counts). */
  writes: number;
  /** HTTP requests to Graph (a $batch is one). */
  roundTrips: number;
  /** HTTP requests that carry at least one write. */
  writeRoundTrips: number;
  /** Token requests to the identity endpoint (sign-ins), not Graph calls. */
  signIns: number;
  /** Answers 429. */
  throttled: number;
}

const GRAPH_PATH = /^\/(v1\.0|beta)\//;

export function countCalls(entries: readonly RequestLogEntry[]): CallCount {
  const count: CallCount = {
    reads: 0,
    writes: 0,
    roundTrips: 0,
    writeRoundTrips: 0,
    signIns: 0,
    throttled: 0,
  };
  const batchesWithWrites = new Set<string>();
  for (const entry of entries) {
    if (!GRAPH_PATH.test(entry.path)) {
      if (/\/token$/.test(entry.path) && entry.method === "POST") count.signIns++;
      continue;
    }
    if (entry.status === 429) count.throttled++;
    const isBatch = /\/\$batch$/.test(entry.path);
    if (!entry.batchId) count.roundTrips++;
    if (isBatch) continue; // its steps are logged one by one, with batchId
    if (entry.method === "GET") count.reads++;
    else {
      count.writes++;
      if (entry.batchId) batchesWithWrites.add(entry.batchId);
      else count.writeRoundTrips++;
    }
  }
  count.writeRoundTrips += batchesWithWrites.size;
  return count;
}

/** The log entries of the requests sent while `action` ran (the log is cleared first). */
export async function logged<T>(
  emulator: RunningEmulator,
  action: () => Promise<T>,
): Promise<{ result: T; entries: RequestLogEntry[] }> {
  emulator.clearRequests();
  const result = await action();
  return { result, entries: emulator.requests() };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
