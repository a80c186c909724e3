// `entra-nudge drift`: does the tenant still match the stack? Exit 0 in sync, 2 drift, 1 error
// (an error is never reported as drift or as no drift).
import { declarationFromFile, declarationFromStack, requireResources } from "../declaration";
import { detectDrift, type DriftReport } from "../drift/detect";
import { ReportError } from "../errors";
import {
  driftJson,
  driftMarkdown,
  driftTable,
  errorJson,
  errorMarkdown,
  fleetJson,
  fleetMarkdown,
  fleetTable,
  type StackOutcome,
} from "../drift/format";
import { mapWithConcurrency } from "./pool";
import { runCommand, sessionFor, type CommandOptions, type Format, type Values } from "./command";
import type { CommandIO } from "./types";

export const EXIT = { inSync: 0, error: 1, drift: 2 } as const;

export const OPTIONS = {
  stack: { type: "string", multiple: true },
  concurrency: { type: "string" },
  cwd: { type: "string" },
  file: { type: "string" },
  json: { type: "boolean" },
  markdown: { type: "boolean" },
} as const satisfies CommandOptions;

export const USAGE = `Usage: entra-nudge drift --stack NAME [--cwd PROJECT_DIR] [--json | --markdown]
       entra-nudge drift --stack A --stack B ... [--concurrency N] [--cwd PROJECT_DIR] [--json | --markdown]
       entra-nudge drift --file STATE_FILE [--json | --markdown]

Compares the resources a stack declares (their recorded inputs) with the tenant, property by
property, reading each live object once with read permissions only.

  --stack NAME       the stack, as \`pulumi --stack\` takes it; found the way the pulumi CLI finds
                     it (project directory, logged-in backend or PULUMI_BACKEND_URL); give it several
                     times to check many stacks, one line per stack
  --cwd DIR          the Pulumi project directory (default: the current directory)
  --concurrency N    with several stacks, how many are checked at once (default 4)
  --file FILE        a \`pulumi stack export\` file instead of a stack (settings: environment only)
  --json             the report as JSON (schema: docs/commands.md)
  --markdown         the report as Markdown, for a job summary or a comment

Settings and credentials: the stack's entra-nudge:* config, then the environment (docs/real-tenant.md).
Exit codes: 0 in sync, 2 drift, 1 error (sign-in, permission, timeout, bad input); with several
stacks, 1 if any stack errored, else 2 if any drifted, else 0.
`;

/** Stacks checked at once when --concurrency is not given. */
export const DEFAULT_CONCURRENCY = 4;

function options(values: Values<typeof OPTIONS>): {
  stacks: string[];
  concurrency: number;
  file?: string;
} {
  const stacks = values.stack ?? [];
  if (stacks.length === 0 && values.file === undefined) {
    throw new ReportError(
      "usage",
      "Give the stack to check with --stack NAME (or a state file with --file).",
    );
  }
  if (stacks.length > 0 && values.file !== undefined) {
    throw new ReportError("usage", "--stack and --file cannot be combined: give one declaration.");
  }
  let concurrency = DEFAULT_CONCURRENCY;
  if (values.concurrency !== undefined) {
    const text = values.concurrency.trim();
    concurrency = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
      throw new ReportError(
        "usage",
        `--concurrency must be a whole number of at least 1 (got "${values.concurrency}").`,
      );
    }
  }
  return { stacks, concurrency, file: values.file };
}

/**
 * The check of one declaration, with a Graph session of its own (the stack's settings, then the
 * environment): the report and its exit code, or the error (exit 1).
 */
export async function checkDrift(
  source: { stack: string } | { file: string },
  cwd: string,
  io: CommandIO,
): Promise<{ exitCode: number; report?: DriftReport; error?: unknown }> {
  try {
    const declaration = requireResources(
      "file" in source
        ? declarationFromFile(source.file, cwd, io.env)
        : await declarationFromStack({ stack: source.stack, cwd, env: io.env }),
    );
    const report = await detectDrift(declaration, sessionFor(io, declaration.config));
    return { exitCode: report.inSync ? EXIT.inSync : EXIT.drift, report };
  } catch (error) {
    return { exitCode: EXIT.error, error };
  }
}

/** The combined exit code of several checks: 1 if any errored, else 2 if any drifted, else 0. */
export function combinedExitCode(codes: number[]): number {
  if (codes.includes(EXIT.error)) return EXIT.error;
  if (codes.includes(EXIT.drift)) return EXIT.drift;
  return EXIT.inSync;
}

/** Several stacks, at most `concurrency` at once, each with its own config; one line per stack. */
async function runMany(
  stacks: string[],
  cwd: string,
  concurrency: number,
  format: Format,
  io: CommandIO,
): Promise<number> {
  const outcomes: StackOutcome[] = await mapWithConcurrency(stacks, concurrency, async (stack) => ({
    stack,
    ...(await checkDrift({ stack }, cwd, io)),
  }));
  for (const { stack, error } of outcomes) {
    if (error !== undefined)
      io.stderr(`entra-nudge drift: ${stack}: ${(error as Error).message}\n`);
  }
  if (format === "json") io.stdout(`${JSON.stringify(fleetJson(outcomes), null, 2)}\n`);
  else if (format === "markdown") io.stdout(fleetMarkdown(outcomes));
  else io.stdout(fleetTable(outcomes));
  return combinedExitCode(outcomes.map((o) => o.exitCode));
}

export async function run(args: string[], io: CommandIO): Promise<number> {
  return runCommand(
    {
      name: "drift",
      usage: USAGE,
      options: OPTIONS,
      parse: options,
      async run(parsed, { format, cwd }) {
        if (parsed.stacks.length > 1) {
          return await runMany(parsed.stacks, cwd, parsed.concurrency, format, io);
        }
        const checked = await checkDrift(
          parsed.file ? { file: parsed.file } : { stack: parsed.stacks[0] },
          cwd,
          io,
        );
        if (checked.report === undefined) throw checked.error;
        const report = checked.report;
        if (format === "json") io.stdout(`${JSON.stringify(driftJson(report), null, 2)}\n`);
        else if (format === "markdown") io.stdout(driftMarkdown(report));
        else io.stdout(driftTable(report));
        return checked.exitCode;
      },
      errorReport: (err, format) =>
        format === "json"
          ? `${JSON.stringify(errorJson(err), null, 2)}\n`
          : format === "markdown"
            ? errorMarkdown(err)
            : undefined,
    },
    args,
    io,
  );
}
