// Part 4: how many requests per second the emulator serves on this machine (keep-alive GETs of
// the authentication methods policy and of one user, at a few concurrency levels), so that the
// other figures can be read as the tool's, not the emulator's. The load runs in its own process:
// the emulator keeps this process's event loop to itself.
import { spawn } from "node:child_process";
import { startEmulator } from "../emulator/index";
import { log } from "./common";

export interface ThroughputLevel {
  concurrency: number;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  /** Median latency, ms. */
  medianLatencyMs: number;
  errors: number;
}

const LOAD_SCRIPT = `
const https = require("node:https");
const [origin, token, paths, concurrency, seconds] = JSON.parse(process.argv[1]);
const agent = new https.Agent({ keepAlive: true, maxSockets: concurrency });
const latencies = [];
let errors = 0;
const deadline = Date.now() + seconds * 1000;
function get(path) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = https.request(origin + path, { agent, headers: { Authorization: "Bearer " + token } }, (res) => {
      res.resume();
      res.on("end", () => {
        if (res.statusCode !== 200) errors++;
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        resolve();
      });
    });
    req.on("error", () => { errors++; resolve(); });
    req.end();
  });
}
async function worker(k) {
  for (let i = k; Date.now() < deadline; i++) await get(paths[i % paths.length]);
}
const started = Date.now();
Promise.all(Array.from({ length: concurrency }, (_, k) => worker(k))).then(() => {
  const elapsed = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ requests: latencies.length, seconds: elapsed,
    median: latencies[Math.floor(latencies.length / 2)] ?? 0, errors }));
  agent.destroy();
});`;

function load(args: unknown[]): Promise<{
  requests: number;
  seconds: number;
  median: number;
  errors: number;
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", LOAD_SCRIPT, JSON.stringify(args)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      try {
        resolve(JSON.parse(out));
      } catch {
        reject(new Error(`the load generator exited with ${code}: ${out}`));
      }
    });
  });
}

export async function measureThroughput(
  levels: number[],
  seconds: number,
): Promise<ThroughputLevel[]> {
  const emulator = await startEmulator();
  try {
    const token = await emulator.issueAccessToken("reader");
    const paths = [
      "/v1.0/policies/authenticationMethodsPolicy",
      "/v1.0/users/pilot.user@contoso.onmicrosoft.com",
    ];
    const results: ThroughputLevel[] = [];
    for (const concurrency of levels) {
      emulator.reset();
      const r = await load([emulator.info.graphEndpoint, token, paths, concurrency, seconds]);
      const level = {
        concurrency,
        requests: r.requests,
        seconds: r.seconds,
        requestsPerSecond: r.requests / r.seconds,
        medianLatencyMs: r.median,
        errors: r.errors,
      };
      results.push(level);
      log(
        `emulator at concurrency ${concurrency}: ${Math.round(level.requestsPerSecond)} requests/s, median ${level.medianLatencyMs.toFixed(1)} ms, ${level.errors} errors`,
      );
    }
    return results;
  } finally {
    await emulator.close();
  }
}
