// Part `start`: `npm start` (the seed scenario against the embedded emulator, scripts/start.ts) as
// a user runs it, timed as a whole process: the first run of the series (cold: the seed program
// compiled and the provider plugin started from nothing after the previous part) and the warm runs
// after it. The goal is a warm run at or under 20 s; its floor is the three engine runs the demo
// types (`pulumi preview`, `pulumi up`, `pulumi up --refresh`), each at least an empty program's
// preview (part `overhead`).
import { spawn } from "node:child_process";
import * as path from "node:path";
import { log, repositoryRoot } from "./common";

export interface StartResult {
  /** Wall time of each run, in order: the first is the cold one. */
  runsMs: number[];
  /** Median of the warm runs (all but the first). */
  warmMedianMs: number;
}

/** Runs `npm start` (its script, with this Node.js) `runs` times, one after the other. */
export async function measureStart(runs: number): Promise<StartResult> {
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    await runStart();
    runsMs.push(Number(process.hrtime.bigint() - started) / 1e6);
    log(`npm start run ${i + 1} of ${runs}: ${(runsMs[i] / 1000).toFixed(1)} s`);
  }
  const warm = runsMs.slice(1).sort((a, b) => a - b);
  const warmMedianMs = warm.length === 0 ? runsMs[0] : warm[Math.floor(warm.length / 2)];
  return { runsMs, warmMedianMs };
}

function runStart(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(repositoryRoot, "dist", "scripts", "start.js")],
      {
        cwd: repositoryRoot,
        env: process.env,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`npm start exited with ${code}:\n${output.slice(-2000)}`)),
    );
  });
}
