// `npm run faults -- [--seed N] [--lanes N] [--cycles N] [--rate R] [--json FILE]`: the fault
// campaign of docs/reliability.md. The seed scenario goes through up → change → refresh → destroy
// cycles under the real Pulumi engine while an embedded emulator injects seeded faults; the
// invariants are checked after every step. Lanes run side by side, each in its own process with
// its own emulator, tenant and stack (a run mostly waits on retries and stalls, so lanes multiply
// what is tried in the same minutes). Prints a Markdown report, writes it as JSON with --json, and
// exits 1 on any violation (2 on bad arguments).
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runTrustingEmulator } from "./trustEmulator";
import {
  markdownReport,
  mergeReports,
  runFaultCampaign,
  type CampaignReport,
} from "../tests/support/faultCampaign";

/** The default campaign: hundreds of faults in a few minutes (docs/reliability.md). */
export const DEFAULT_CAMPAIGN = { seed: 1, lanes: 4, cycles: 4, rate: 0.5 };

const USAGE =
  "usage: npm run faults -- [--seed N] [--lanes N] [--cycles N] [--rate R] [--json FILE]";

interface Arguments {
  seed: number;
  lanes: number;
  cycles: number;
  rate: number;
  json?: string;
  /** Internal: run only this lane and write its report to --json. */
  lane?: number;
}

function parseArguments(argv: string[]): Arguments {
  const options: Arguments = { ...DEFAULT_CAMPAIGN };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value.`);
    const integer = (minimum: number) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < minimum) {
        throw new Error(`${flag}: "${value}" is not an integer of at least ${minimum}.`);
      }
      return n;
    };
    switch (flag) {
      case "--seed":
        options.seed = integer(0);
        break;
      case "--lanes":
        options.lanes = integer(1);
        break;
      case "--cycles":
        options.cycles = integer(1);
        break;
      case "--lane":
        options.lane = integer(0);
        break;
      case "--rate": {
        const r = Number(value);
        if (!(r > 0 && r <= 1)) throw new Error(`--rate: "${value}" is not a share in (0, 1].`);
        options.rate = r;
        break;
      }
      case "--json":
        options.json = value;
        break;
      default:
        throw new Error(`unknown option ${flag}.`);
    }
  }
  return options;
}

/** One lane in this process: its report goes to --json for the parent to merge. */
async function runLane(options: Arguments & { lane: number }): Promise<number> {
  const report = await runFaultCampaign({ ...options, log: (line) => console.log(line) });
  if (options.json) fs.writeFileSync(options.json, JSON.stringify(report));
  return 0;
}

/** Starts every lane as a child process and waits for their reports. */
async function runLanes(options: Arguments): Promise<CampaignReport[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-faults-"));
  try {
    const lanes = Array.from({ length: options.lanes }, (_, lane) => lane);
    const codes = await Promise.all(
      lanes.map(
        (lane) =>
          new Promise<number>((resolve) => {
            const child = spawn(
              process.execPath,
              [
                __filename,
                ...["--seed", String(options.seed), "--cycles", String(options.cycles)],
                ...["--rate", String(options.rate), "--lane", String(lane)],
                ...["--json", path.join(dir, `lane-${lane}.json`)],
              ],
              { stdio: ["ignore", "inherit", "inherit"], env: process.env },
            );
            child.on("exit", (code) => resolve(code ?? 1));
          }),
      ),
    );
    return lanes.map((lane) => {
      const file = path.join(dir, `lane-${lane}.json`);
      if (codes[lane] !== 0 || !fs.existsSync(file)) {
        throw new Error(`lane ${lane} stopped with exit code ${codes[lane]} before its report.`);
      }
      return JSON.parse(fs.readFileSync(file, "utf8")) as CampaignReport;
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  let options: Arguments;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (options.lane !== undefined) return runLane({ ...options, lane: options.lane });
  console.log(
    `Fault campaign: seed ${options.seed}, ${options.lanes} lane(s) × ${options.cycles} cycles, fault rate ${options.rate}`,
  );
  const started = Date.now();
  const report = mergeReports(await runLanes(options));
  report.durationSeconds = Math.round((Date.now() - started) / 1000);
  console.log(`\n${markdownReport(report)}`);
  if (options.json) {
    fs.writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nJSON report: ${options.json}`);
  }
  return report.violations.length === 0 ? 0 : 1;
}

runTrustingEmulator(main, "The fault campaign could not run");
