#!/usr/bin/env node
// `npm run emulator -- [--port N] [--tenant FILE] [--throttling] [--replication-delay MS] [--quiet]`
// Prints the ready line (one JSON object, DESIGN.md) as the first stdout line once the emulator
// accepts connections, then one line per request on stderr (never a secret or a token).
import {
  startEmulator,
  type RequestLogEntry,
  type RunningEmulator,
  type StartEmulatorOptions,
} from "./index.js";

const USAGE =
  "usage: npm run emulator -- [--port N] [--tenant FILE] [--throttling] [--replication-delay MS] [--quiet]";

function parseArgs(argv: string[]): StartEmulatorOptions & { quiet: boolean } {
  const options: StartEmulatorOptions & { quiet: boolean } = { quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] =
      arg.startsWith("--") && arg.includes("=") ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value.\n${USAGE}`);
      return v;
    };
    const integer = (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0)
        throw new Error(`${flag} needs a non-negative integer, got '${v}'.`);
      return n;
    };
    switch (flag) {
      case "--port":
        options.port = integer(value());
        break;
      case "--tenant":
        options.tenant = value();
        break;
      case "--throttling":
        options.throttling = true;
        break;
      case "--replication-delay":
        options.replicationDelayMs = integer(value());
        break;
      case "--quiet":
        options.quiet = true;
        break;
      case "-h":
      case "--help":
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        throw new Error(`Unknown option '${arg}'.\n${USAGE}`);
    }
  }
  return options;
}

function logLine(e: RequestLogEntry): string {
  const query = e.query ? `?${e.query}` : "";
  const batch = e.batchId ? ` batch=${e.batchId}` : "";
  return `${e.time} ${e.method} ${e.path}${query} ${e.status === 0 ? "RESET" : e.status} client=${e.clientId ?? "-"}${batch}\n`;
}

async function main(): Promise<void> {
  let options: StartEmulatorOptions & { quiet: boolean };
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
  const { quiet, ...startOptions } = options;
  // Handlers first: a client may signal as soon as it has read the ready line.
  const running: { emulator?: RunningEmulator } = {};
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!quiet) process.stderr.write(`emulator: ${signal}, stopping\n`);
    (running.emulator ? running.emulator.close() : Promise.resolve()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));

  running.emulator = await startEmulator({
    ...startOptions,
    onRequest: quiet ? undefined : (e) => process.stderr.write(logLine(e)),
  });
  if (!stopping) process.stdout.write(`${JSON.stringify(running.emulator.info)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`emulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
