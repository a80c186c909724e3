// What every `entra-nudge` subcommand does around its own work: its options parsed (unknown ones
// refused) and the ones they share applied once here (--help, --json/--markdown for the output
// format, --cwd for the Pulumi project directory of --stack), usage errors (the message, then the
// usage), errors reported on stderr (and in the requested format on stdout) with exit code 1, and
// the Graph sessions of the job, each with its own settings and warnings sent to stderr. Nothing
// here is process-wide: two commands can run in one process.
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { ConfigLookup } from "../config";
import { unknownValues, type Declaration, type DeclarationBasis } from "../declaration";
import { errorKind } from "../errors";
import { createSession, type Session } from "../session";
import type { CommandIO } from "./types";

export type Format = "table" | "json" | "markdown";

/** Every command takes --help (-h). */
const HELP = { help: { type: "boolean", short: "h" } } as const;

/** A command's options, as node:util parseArgs takes them. */
export type CommandOptions = NonNullable<ParseArgsConfig["options"]>;

/** The values parseArgs gives for a command's options (with --help). */
export type Values<O extends CommandOptions> = ReturnType<
  typeof parseArgs<{ options: O & typeof HELP; strict: true; allowPositionals: false }>
>["values"];

/** What a command's run gets besides its options. */
export interface Job {
  io: CommandIO;
  /** The requested format: --json, --markdown, else table. */
  format: Format;
  /** The Pulumi project directory of --stack: --cwd, else the current directory. */
  cwd: string;
  /**
   * A new Graph session for the job: settings from `config` (a stack's), then the environment;
   * warnings to stderr. Each stack of a multi-stack run has its own.
   */
  session(config?: ConfigLookup): Session;
}

export interface Command<O extends CommandOptions, T> {
  /** The subcommand's name, as messages show it ("drift"). */
  name: string;
  usage: string;
  /**
   * Its options; --help is added. Those it shares are applied by the runner: --json and
   * --markdown (one of them) give Job.format, --cwd (only with --stack) gives Job.cwd.
   */
  options: O;
  /** Checks the values of its own options and gives the run's; throws with a message on bad usage. */
  parse(values: Values<O>): T;
  /** Does the work and answers the exit code; throws to report an error (exit 1). */
  run(options: T, job: Job): Promise<number>;
  /**
   * What to write to stdout after an error, in the requested format. Default: with --json, the
   * error as JSON (jsonError); otherwise nothing.
   */
  errorReport?(err: unknown, format: Format): string | undefined;
  /** Added to an error's message on stderr (e.g. how to avoid what failed). */
  errorHint?(err: unknown): string;
}

/** The options the commands share, checked once: throws with a message on bad usage. */
function sharedOptions(
  values: Record<string, unknown>,
  io: CommandIO,
): { format: Format; cwd: string } {
  if (values.json === true && values.markdown === true)
    throw new Error("--json and --markdown cannot be combined: choose one format.");
  if (values.cwd !== undefined && values.stack === undefined)
    throw new Error("--cwd applies to --stack only.");
  return {
    format: values.json === true ? "json" : values.markdown === true ? "markdown" : "table",
    cwd: typeof values.cwd === "string" ? values.cwd : io.cwd,
  };
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

/** Runs a command: its options, --help, the work, and its errors (exit 1). */
export async function runCommand<O extends CommandOptions, T>(
  command: Command<O, T>,
  args: string[],
  io: CommandIO,
): Promise<number> {
  let options: T;
  let shared: { format: Format; cwd: string };
  try {
    const values: Record<string, unknown> = parseArgs({
      args,
      options: { ...command.options, ...HELP },
      strict: true,
      allowPositionals: false,
    }).values;
    if (values.help === true) {
      io.stdout(command.usage);
      return 0;
    }
    shared = sharedOptions(values, io);
    options = command.parse(values as Values<O>);
  } catch (err) {
    io.stderr(`entra-nudge ${command.name}: ${(err as Error).message}\n\n${command.usage}`);
    return 1;
  }
  const { format, cwd } = shared;
  try {
    return await command.run(options, {
      io,
      format,
      cwd,
      session: (config) => sessionFor(io, config),
    });
  } catch (err) {
    io.stderr(
      `entra-nudge ${command.name}: ${(err as Error).message}${command.errorHint?.(err) ?? ""}\n`,
    );
    const report = command.errorReport
      ? command.errorReport(err, format)
      : format === "json"
        ? jsonError(err)
        : undefined;
    if (report) io.stdout(report);
    return 1;
  }
}

/**
 * `--from preview|state` of a command that reads a stack's declaration: (the default) the program
 * as `pulumi preview` plans it, which is what the stack will deploy and what a pull request's
 * review needs; or the stack as last deployed. Of a `--declaration` file, the file is the
 * declaration and the basis does not apply.
 */
export function basisOption(
  from: string | undefined,
  stack: string | undefined,
  declarationFile?: string,
): DeclarationBasis {
  if (from === undefined) return declarationFile === undefined ? "preview" : "state";
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
