// `entra-nudge drift`: does the tenant still match the stack? Exit 0 in sync, 2 drift, 1 error
// (an error is never reported as drift or as no drift).
import { parseArgs, type ParseArgsConfig } from "node:util";
import { declarationFromFile, declarationFromStack } from "../drift/declaration";
import { detectDrift } from "../drift/detect";
import { ReportError } from "../drift/errors";
import { driftJson, driftMarkdown, driftTable, errorJson, errorMarkdown } from "../drift/format";
import { setWarningSink } from "../resources/providers/context";
import type { CommandIO } from "./types";

export const EXIT = { inSync: 0, error: 1, drift: 2 } as const;

export const OPTIONS = {
  stack: { type: "string" },
  cwd: { type: "string" },
  file: { type: "string" },
  json: { type: "boolean" },
  markdown: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

export const USAGE = `Usage: entra-nudge drift --stack NAME [--cwd PROJECT_DIR] [--json | --markdown]
       entra-nudge drift --file STATE_FILE [--json | --markdown]

Compares the resources a stack declares (their recorded inputs) with the tenant, property by
property, reading each live object once with read permissions only.

  --stack NAME       the stack, as \`pulumi --stack\` takes it; found the way the pulumi CLI finds
                     it (project directory, logged-in backend or PULUMI_BACKEND_URL)
  --cwd DIR          the Pulumi project directory (default: the current directory)
  --file FILE        a \`pulumi stack export\` file instead of a stack (settings: environment only)
  --json             the report as JSON (schema: README, "Drift detection and CI previews")
  --markdown         the report as Markdown, for a job summary or a comment

Settings and credentials: the stack's entra-nudge:* config, then the environment (README).
Exit codes: 0 in sync, 2 drift, 1 error (sign-in, permission, timeout, bad input).
`;

type Format = "table" | "json" | "markdown";

function options(args: string[]): {
  stack?: string;
  cwd?: string;
  file?: string;
  format: Format;
  help: boolean;
} {
  const { values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false });
  if (values.json && values.markdown) {
    throw new ReportError("usage", "--json and --markdown cannot be combined: choose one format.");
  }
  if (!values.help && values.stack === undefined && values.file === undefined) {
    throw new ReportError(
      "usage",
      "Give the stack to check with --stack NAME (or a state file with --file).",
    );
  }
  if (values.stack !== undefined && values.file !== undefined) {
    throw new ReportError("usage", "--stack and --file cannot be combined: give one declaration.");
  }
  if (values.file !== undefined && values.cwd !== undefined) {
    throw new ReportError("usage", "--cwd applies to --stack only; give --file a path instead.");
  }
  return {
    stack: values.stack,
    cwd: values.cwd,
    file: values.file,
    format: values.json ? "json" : values.markdown ? "markdown" : "table",
    help: values.help === true,
  };
}

export async function run(args: string[], io: CommandIO): Promise<number> {
  let format: Format = args.includes("--json")
    ? "json"
    : args.includes("--markdown")
      ? "markdown"
      : "table";
  setWarningSink((message) => io.stderr(`warning: ${message}\n`));
  try {
    let parsed;
    try {
      parsed = options(args);
    } catch (err) {
      io.stderr(`entra-nudge drift: ${(err as Error).message}\n\n${USAGE}`);
      return EXIT.error;
    }
    if (parsed.help) {
      io.stdout(USAGE);
      return EXIT.inSync;
    }
    format = parsed.format;
    const declaration = parsed.file
      ? declarationFromFile(parsed.file, io.cwd)
      : await declarationFromStack(parsed.stack as string, parsed.cwd ?? io.cwd, io.env);
    const report = await detectDrift(declaration, io.env);
    if (format === "json") io.stdout(`${JSON.stringify(driftJson(report), null, 2)}\n`);
    else if (format === "markdown") io.stdout(driftMarkdown(report));
    else io.stdout(driftTable(report));
    return report.inSync ? EXIT.inSync : EXIT.drift;
  } catch (err) {
    io.stderr(`entra-nudge drift: ${(err as Error).message}\n`);
    if (format === "json") io.stdout(`${JSON.stringify(errorJson(err), null, 2)}\n`);
    else if (format === "markdown") io.stdout(errorMarkdown(err));
    return EXIT.error;
  } finally {
    setWarningSink(undefined);
  }
}
