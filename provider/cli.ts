#!/usr/bin/env node
// The `entra-nudge` command. Each subcommand lives in its own module under provider/cli/ and is
// loaded only when asked for, so `entra-nudge drift` never pays for the report code.
import type { CommandModule, CommandIO } from "./cli/types";

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {};

/** Registers a subcommand (kept in one table so `--help` lists them all). */
function command(name: string, summary: string, load: () => Promise<CommandModule>): void {
  COMMANDS[name] = { summary, load };
}

// Subcommands register here, one line each:
// command("name", "what it does", () => import("./cli/name"));
command("drift", "compare a stack's declaration with the tenant", () => import("./cli/drift.js"));
command("preview-summary", "preview as Markdown for PRs", () => import("./cli/previewSummary.js"));
command(
  "impact",
  "who the declared campaign nudges, compared with now",
  () => import("./cli/impact.js"),
);
command(
  "report",
  "campaign progress: registered Authenticator or not yet",
  () => import("./cli/report.js"),
);
command(
  "readiness",
  "SMS/voice retirement: who is phone-only, who the campaign moves by 2027-02-01",
  () => import("./cli/readiness.js"),
);
command("export", "the tenant's settings as a Pulumi program", () => import("./cli/export.js"));

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return [
    "Usage: entra-nudge <command> [options]",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `entra-nudge <command> --help` for a command's options; `entra-nudge --version` prints",
    "the package's version.",
  ].join("\n");
}

/** The installed package's version, read from its package.json (two levels above dist/provider/). */
function packageVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("../../package.json") as { version: string }).version;
}

export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout(`${usage()}\n`);
    return name ? 0 : 1;
  }
  if (name === "--version" || name === "-v" || name === "version") {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    io.stderr(`entra-nudge: unknown command "${name}".\n\n${usage()}\n`);
    return 1;
  }
  const module = await entry.load();
  try {
    return await module.run(rest, io);
  } catch (err) {
    io.stderr(`entra-nudge ${name}: ${(err as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  const io: CommandIO = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`entra-nudge: ${(err as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
