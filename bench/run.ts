// `npm run bench` (docs/performance.md): Graph calls per operation through the real engine, the
// engine's overhead on a preview, `impact` at 10,000 and 100,000 users under Graph's throttling,
// `readiness` at the same sizes, the emulator's own throughput, and `npm start` itself. Writes
// bench/results/latest.json and the table of docs/performance.md. `npm run bench -- --quick` is a
// short trial: fewer repetitions and no 100,000-user scan. Parts: `--only
// calls,overhead,scans,readiness,throughput,pilot,methodloss,start` (pilot: one group of 5,000 members
// created, changed, refreshed and destroyed under Graph's throttling; methodloss: the method-loss
// check of a preview that narrows Authenticator on 100,000 users, 10,000 with --quick; start:
// `npm start` as a whole process, a first run and three warm ones). `--render` measures nothing: it
// writes docs/performance.md's table again from bench/results/latest.json.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { runTrustingEmulator } from "../scripts/trustEmulator";
import { PULUMI_VERSION, provideEngine } from "../scripts/engine";
import { log, repositoryRoot } from "./common";
import { measureGraphCalls } from "./graphCalls";
import { measureLargePilot } from "./largePilot";
import { measureMethodLoss } from "./methodLoss";
import { measureOverhead } from "./overhead";
import { measureReadiness } from "./readiness";
import { renderResults, replaceGenerated, type BenchResults } from "./report";
import { measureScans } from "./scans";
import { measureStart } from "./start";
import { measureThroughput } from "./throughput";

const PARTS = [
  "calls",
  "overhead",
  "scans",
  "readiness",
  "throughput",
  "pilot",
  "methodloss",
  "start",
] as const;
type Part = (typeof PARTS)[number];

const RESULTS_FILE = path.join(repositoryRoot, "bench", "results", "latest.json");
const DOC_FILE = path.join(repositoryRoot, "docs", "performance.md");

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean" },
      only: { type: "string" },
      render: { type: "boolean" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      `Usage: npm run bench [-- --quick] [-- --only ${PARTS.join(",")}] [-- --render]\n` +
        "Writes bench/results/latest.json and the table in docs/performance.md; --render only\n" +
        "writes the table again from bench/results/latest.json.",
    );
    return 0;
  }
  if (values.render) {
    const results = JSON.parse(fs.readFileSync(RESULTS_FILE, "utf8")) as BenchResults;
    await writeDocument(results);
    log(
      `rendered ${path.relative(repositoryRoot, DOC_FILE)} from ${path.relative(repositoryRoot, RESULTS_FILE)}`,
    );
    return 0;
  }
  const parts = new Set<Part>(
    values.only ? (values.only.split(",").map((p) => p.trim()) as Part[]) : PARTS,
  );
  for (const part of parts) {
    if (!PARTS.includes(part)) {
      console.error(`--only: "${part}" is not a part; choose among ${PARTS.join(", ")}.`);
      return 2;
    }
  }
  const quick = values.quick === true;
  const started = Date.now();
  // The engine's provider processes load this package by name (as scripts/run-tests.js ensures).
  /* eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain script, not a module of ours */
  const linker = require(path.join(repositoryRoot, "scripts", "link-self.js")) as {
    linkSelf(): void;
  };
  linker.linkSelf();
  const engine = await provideEngine();
  const machine = {
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.versions.node,
    engineVersion: PULUMI_VERSION,
    loadAverage: os.loadavg()[0],
    date: new Date().toISOString(),
  };
  // `--only` re-measures the parts it names and keeps the others from the last full run, saying so.
  const previous =
    values.only && fs.existsSync(RESULTS_FILE)
      ? (JSON.parse(fs.readFileSync(RESULTS_FILE, "utf8")) as BenchResults)
      : undefined;
  const results: BenchResults = previous
    ? {
        ...previous,
        remeasured: [...(previous.remeasured ?? []), { parts: [...parts], machine }],
      }
    : { machine, quick, durationMs: 0 };
  if (parts.has("throughput")) {
    log("emulator throughput");
    results.throughput = await measureThroughput(quick ? [1, 8] : [1, 8, 32], quick ? 1 : 3);
  }
  if (parts.has("calls")) {
    log("Graph calls per operation (seed scenario, 5 groups of 200, the passkey configuration)");
    results.graphCalls = await measureGraphCalls(engine.root);
  }
  if (parts.has("overhead")) {
    log("engine overhead (seed preview vs empty preview, alternating)");
    results.overhead = await measureOverhead(engine.root, quick ? 3 : 7);
  }
  if (parts.has("scans")) {
    log("impact scans with Graph's throttling on (10,000 users; 100,000 unless --quick)");
    results.scans = await measureScans(
      quick
        ? [{ users: 10_000, runs: 1 }]
        : [
            { users: 10_000, runs: 3 },
            { users: 100_000, runs: 1 },
          ],
    );
  }
  if (parts.has("readiness")) {
    log("readiness with Graph's throttling on (10,000 users; 100,000 unless --quick)");
    results.readiness = await measureReadiness(quick ? [10_000] : [10_000, 100_000]);
  }
  if (parts.has("pilot")) {
    log(
      "a 5,000-member pilot group under Graph's throttling (create, change 500, refresh, destroy)",
    );
    results.largePilot = await measureLargePilot(engine.root);
  }
  if (parts.has("methodloss")) {
    log("the method-loss check of a narrowing preview with Graph's throttling on");
    results.methodLoss = await measureMethodLoss(quick ? 10_000 : 100_000);
  }
  if (parts.has("start")) {
    log("npm start, as a user runs it: the first run, then the warm ones");
    results.start = await measureStart(quick ? 2 : 4);
  }
  const elapsedMs = Date.now() - started;
  // With --only, the results keep the whole run's duration; the log says this run's.
  if (!previous) results.durationMs = elapsedMs;

  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  await writeFormatted(RESULTS_FILE, JSON.stringify(results, null, 2));
  await writeDocument(results);
  log(
    `done in ${Math.round(elapsedMs / 1000)} s: ${path.relative(repositoryRoot, RESULTS_FILE)}, ${path.relative(repositoryRoot, DOC_FILE)}`,
  );
  return 0;
}

/** docs/performance.md with its generated block rendered from `results`. */
async function writeDocument(results: BenchResults): Promise<void> {
  const doc = fs.existsSync(DOC_FILE) ? fs.readFileSync(DOC_FILE, "utf8") : "# Performance\n";
  await writeFormatted(DOC_FILE, replaceGenerated(doc, renderResults(results)));
}

/** Writes the file as `prettier --check .` (npm run lint) expects it: both files are committed. */
async function writeFormatted(file: string, text: string): Promise<void> {
  const prettier = await import("prettier");
  const options = (await prettier.resolveConfig(file)) ?? {};
  fs.writeFileSync(file, await prettier.format(text, { ...options, filepath: file }));
}

runTrustingEmulator(() => main(process.argv.slice(2)), "bench failed");
