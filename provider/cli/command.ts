// What every `entra-nudge` subcommand does around its own work: the output format, usage errors
// (the message, then the usage), --help, errors reported on stderr (and in the requested format on
// stdout) with exit code 1, and the Graph sessions of the job, each with its own settings and
// warnings sent to stderr. Nothing here is process-wide: two commands can run in one process.
import type { ConfigLookup } from "../config";
import { unknownValues, type Declaration, type DeclarationBasis } from "../declaration";
import { errorKind } from "../errors";
import { createSession, type Session } from "../session";
import type { CommandIO } from "./types";

export type Format = "table" | "json" | "markdown";

/** What a command's run gets besides its options. */
export interface Job {
  io: CommandIO;
  /** The requested format (table when neither --json nor --markdown was given). */
  format: Format;
  /**
   * A new Graph session for the job: settings from `config` (a stack's), then the environment;
   * warnings to stderr. Each stack of a multi-stack run has its own.
   */
  session(config?: ConfigLookup): Session;
}

export interface Command<T> {
  /** The subcommand's name, as messages show it ("drift"). */
  name: string;
  usage: string;
  /** The options ("help", or `help: true`, for --help); throws with a message on bad usage. */
  parse(args: string[]): T | "help";
  /** Does the work and answers the exit code; throws to report an error (exit 1). */
  run(options: T, job: Job): Promise<number>;
  /** What to write to stdout after an error, in the requested format (none by default). */
  errorReport?(err: unknown, format: Format): string | undefined;
  /** Added to an error's message on stderr (e.g. how to avoid what failed). */
  errorHint?(err: unknown): string;
}

/** The format the raw arguments ask for (known even when they do not parse). */
export function formatOf(args: readonly string[]): Format {
  return args.includes("--json") ? "json" : args.includes("--markdown") ? "markdown" : "table";
}

/** Where a command's sessions send their warnings: stderr, after the report's progress. */
export function sessionFor(io: CommandIO, config?: ConfigLookup): Session {
  return createSession({
    config,
    env: io.env,
    warn: (message) => io.stderr(`warning: ${message}\n`),
  });
}

/**
 * The JSON error object that --json prints on failure: {"error": {"kind", "message"}}, with the
 * kinds drift's --json uses (docs/commands.md).
 */
export function jsonError(err: unknown): string {
  const error = { kind: errorKind(err), message: (err as Error).message ?? String(err) };
  return `${JSON.stringify({ error }, null, 2)}\n`;
}

/** Runs a command: parse, --help, the work, and its errors (exit 1). */
export async function runCommand<T>(
  command: Command<T>,
  args: string[],
  io: CommandIO,
): Promise<number> {
  let format = formatOf(args);
  let options: T | "help";
  try {
    options = command.parse(args);
  } catch (err) {
    io.stderr(`entra-nudge ${command.name}: ${(err as Error).message}\n\n${command.usage}`);
    return 1;
  }
  if (options === "help" || (options as { help?: unknown }).help === true) {
    io.stdout(command.usage);
    return 0;
  }
  const parsedFormat = (options as { format?: unknown }).format;
  if (parsedFormat === "table" || parsedFormat === "json" || parsedFormat === "markdown") {
    format = parsedFormat;
  }
  try {
    return await command.run(options, {
      io,
      format,
      session: (config) => sessionFor(io, config),
    });
  } catch (err) {
    io.stderr(
      `entra-nudge ${command.name}: ${(err as Error).message}${command.errorHint?.(err) ?? ""}\n`,
    );
    const report = command.errorReport?.(err, format);
    if (report) io.stdout(report);
    return 1;
  }
}

/**
 * `--from preview|state` of a command that reads a stack's declaration: the program as `pulumi
 * preview` plans it, or (the default) the stack as last deployed.
 */
export function basisOption(
  from: string | undefined,
  stack: string | undefined,
  declarationFile?: string,
): DeclarationBasis {
  if (from === undefined) return "state";
  if (from !== "preview" && from !== "state")
    throw new Error(`--from must be "preview" or "state" (got "${from}").`);
  if (stack === undefined) throw new Error("--from applies to --stack only.");
  if (declarationFile !== undefined)
    throw new Error("--from and --declaration cannot be combined: the file is the declaration.");
  return from;
}

/** Says on stderr which declared values are known only after `pulumi up`, and how they count. */
export function warnUnknown(declaration: Declaration, io: CommandIO): void {
  const unknown = unknownValues(declaration);
  if (unknown.length === 0) return;
  io.stderr(
    `warning: ${declaration.name}: ${unknown.join(", ")} ${unknown.length === 1 ? "is" : "are"} known only after \`pulumi up\` (an object the program creates, such as a new group), so ${unknown.length === 1 ? "it counts" : "they count"} as a target with no members.\n`,
  );
}
