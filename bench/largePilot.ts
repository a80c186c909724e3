// Part 5: a large pilot. One PilotGroup of 5,000 members (object ids) created, changed by 500
// members (250 out, 250 in), refreshed and destroyed through the real engine, with the emulator's
// Graph throttling on at the documented limits (identity: 3,500 resource units / 10 s and 3,000
// writes / 150 s per app and tenant, §7.3). Peak memory is the dynamic provider's: its processes'
// resident set sampled from /proc while each operation runs (Linux; elsewhere not measured).
import * as fs from "node:fs";
import { generateTenant } from "../emulator/generate";
import { startEmulator } from "../emulator/index";
import { DEFAULT_THROTTLE } from "../emulator/throttle";
import { PilotGroup } from "../provider";
import { benchStack, countCalls, log, logged, type CallCount } from "./common";
import {
  groupCreationWrites,
  memberChangeWrites,
  minimumCalls,
  minimumPacedMs,
  type CallFigure,
  type ScenarioShape,
} from "./minimums";

export const PILOT_MEMBERS = 5_000;
export const PILOT_CHANGED = 500;

export const PILOT_STEPS = ["create", "change", "refresh", "destroy"] as const;
export type PilotStep = (typeof PILOT_STEPS)[number];

export interface PilotStepResult {
  step: PilotStep;
  measured: CallCount;
  floor: CallFigure;
  wallMs: number;
  /** The least wall time Graph's write limit allows for the floor's writes (first to last), ms. */
  throttleMinimumMs: number;
  /** Peak RSS of the dynamic provider's processes while the step ran, MB (null: not measurable). */
  providerPeakRssMb: number | null;
}

export interface PilotResult {
  members: number;
  changed: number;
  writeLimit: { requests: number; windowSeconds: number };
  steps: PilotStepResult[];
}

const SHAPE: ScenarioShape = {
  singletons: 0,
  groups: [{ members: PILOT_MEMBERS, membersByName: 0, owners: 0 }],
};

/** The floor of each step for one group with no singletons (bench/minimums.ts). */
export function pilotFloor(step: PilotStep): CallFigure {
  switch (step) {
    case "create": {
      // Look (1 mailNickname read), POST binding 20, then 249 PATCHes: 13 batches.
      const writes = groupCreationWrites(SHAPE.groups[0]);
      return {
        reads: 1,
        writes,
        roundTrips: 1 + 1 + Math.ceil((writes - 1) / 20),
        writeRoundTrips: 1 + Math.ceil((writes - 1) / 20),
      };
    }
    case "change": {
      // Read the group and its members (6 pages of 999, one after the other), then the writes.
      const reads = minimumCalls(SHAPE, "refresh");
      const writes = memberChangeWrites(PILOT_CHANGED / 2, PILOT_CHANGED / 2);
      const writeRoundTrips = Math.ceil(writes / 20);
      return {
        reads: reads.reads,
        writes,
        roundTrips: reads.roundTrips + writeRoundTrips,
        writeRoundTrips,
      };
    }
    case "refresh":
      return minimumCalls(SHAPE, "refresh");
    case "destroy":
      return minimumCalls(SHAPE, "destroy");
  }
}

/** Whether `pid` descends from this process (other programs on the machine run providers too). */
function descendsFromUs(pid: string): boolean {
  let current = pid;
  for (let depth = 0; depth < 16; depth++) {
    const stat = fs.readFileSync(`/proc/${current}/stat`, "utf8");
    // "pid (comm) state ppid …": comm may hold spaces, so split after its closing parenthesis.
    const parent = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1];
    if (Number(parent) === process.pid) return true;
    if (!parent || parent === "0" || parent === "1") return false;
    current = parent;
  }
  return false;
}

/**
 * Peak RSS (MB) of this run's own processes running Pulumi's dynamic-provider host (descendants
 * of this process: the engine's children), sampled every 100 ms.
 */
function sampleProviderMemory(): { stop(): number | null } {
  if (!fs.existsSync("/proc/self/status")) return { stop: () => null };
  let peakKb = 0;
  const sample = () => {
    for (const pid of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
        if (!cmdline.includes("dynamic-provider") || !descendsFromUs(pid)) continue;
        const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        if (rss) peakKb = Math.max(peakKb, Number(rss[1]));
      } catch {
        // The process ended between listing and reading.
      }
    }
  };
  const timer = setInterval(sample, 100);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peakKb > 0 ? Math.round(peakKb / 1024) : null;
    },
  };
}

export async function measureLargePilot(pulumiRoot: string): Promise<PilotResult> {
  // Enough users for the group and the 250 who join it (emulator/generate.ts, fixed seed).
  const tenant = generateTenant({ users: PILOT_MEMBERS + PILOT_CHANGED, seed: 16 });
  const ids = tenant.users.map((u) => u.id);
  const before = ids.slice(0, PILOT_MEMBERS);
  const half = PILOT_CHANGED / 2;
  const after = [...before.slice(half), ...ids.slice(PILOT_MEMBERS, PILOT_MEMBERS + half)];
  const emulator = await startEmulator({ tenant, throttling: true });
  const state = { members: before };
  const bench = await benchStack({
    pulumiRoot,
    projectName: "entra-nudge-bench-pilot",
    program: async () => {
      new PilotGroup("pilot", { displayName: "Authenticator pilot 5000", members: state.members });
    },
    env: { ...emulator.env("writer") },
  });
  const steps: Record<PilotStep, () => Promise<unknown>> = {
    create: () => bench.stack.up(),
    change: () => {
      state.members = after;
      return bench.stack.up();
    },
    refresh: () => bench.stack.refresh(),
    destroy: () => bench.stack.destroy(),
  };
  const writeLimit = DEFAULT_THROTTLE.writes;
  const results: PilotStepResult[] = [];
  try {
    for (const step of PILOT_STEPS) {
      const memory = sampleProviderMemory();
      const started = process.hrtime.bigint();
      const { entries } = await logged(emulator, steps[step]);
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const providerPeakRssMb = memory.stop();
      const floor = pilotFloor(step);
      const measured = countCalls(entries);
      results.push({
        step,
        measured,
        floor,
        wallMs,
        throttleMinimumMs: minimumPacedMs(
          floor.writes,
          writeLimit.requests,
          writeLimit.windowSeconds * 1000,
        ),
        providerPeakRssMb,
      });
      log(
        `pilot ${step}: ${measured.reads} reads, ${measured.writes} writes (${measured.roundTrips} round trips), ` +
          `${measured.throttled} × 429, ${Math.round(wallMs)} ms, provider ${providerPeakRssMb ?? "?"} MB`,
      );
    }
  } finally {
    await bench.cleanup();
    await emulator.close();
  }
  return { members: PILOT_MEMBERS, changed: PILOT_CHANGED, writeLimit, steps: results };
}
