// `entra-nudge preview-summary`: a stack's preview as a short Markdown summary for a pull request,
// dangerous changes first. Exit 0 with the summary on stdout, 1 on error.
import * as fs from "node:fs";
import * as path from "node:path";
import { declarationFromStack, type Declaration } from "../declaration";
import type { GraphClient } from "../graph";
import { ReportError } from "../errors";
import { readImpact, summarizePreview } from "../preview";
import { runCommand, type CommandOptions, type Job, type Values } from "./command";
import type { CommandIO } from "./types";

export const OPTIONS = {
  input: { type: "string" },
  impact: { type: "string" },
  "break-glass": { type: "string", multiple: true },
  stack: { type: "string" },
  cwd: { type: "string" },
  offline: { type: "boolean" },
} as const satisfies CommandOptions;

export const USAGE = `Usage: entra-nudge preview-summary --input FILE [--impact FILE] [--break-glass ID]...
                                   [--stack NAME [--cwd PROJECT_DIR]] [--offline]

Turns a stack's preview into a short Markdown summary for a pull request: per resource, each
property from → to in words, dangerous changes called out at the top.

  --input FILE       the output of \`pulumi preview --json\`, or the event log written by
                     \`PULUMI_DEBUG_COMMANDS=true pulumi preview --event-log FILE\` (detected from the content)
  --impact FILE      the output of \`entra-nudge impact --json\`, shown as an impact table
  --break-glass ID   object id of a break-glass (emergency access) group or user; repeatable.
                     Groups named like "break glass" or "emergency access" count too.
  --stack NAME       the stack: its config gives the settings (credentials) and its
                     entra-nudge:breakGlassGroups count beside --break-glass; named in the summary
  --cwd DIR          the Pulumi project directory of --stack (default: the current directory)
  --offline          do not read Microsoft Graph: no display names, and resources being created
                     show their declared settings instead of the changes to the tenant's

Without --offline, Graph is read with read permissions only: display names of the groups and
users named, and the current settings of a campaign or Authenticator policy being adopted.
Exit codes: 0 summary written, 1 error.
`;

interface Options {
  input: string;
  impact?: string;
  breakGlass: string[];
  stack?: string;
  offline: boolean;
}

function options(values: Values<typeof OPTIONS>): Options {
  if (values.input === undefined) {
    throw new ReportError(
      "usage",
      "Give the preview with --input FILE (`pulumi preview --json` output or an event log).",
    );
  }
  return {
    input: values.input,
    impact: values.impact,
    breakGlass: (values["break-glass"] ?? []).map((id) => id.toLowerCase()),
    stack: values.stack,
    offline: values.offline === true,
  };
}

function readInput(file: string, cwd: string): string {
  try {
    return fs.readFileSync(path.resolve(cwd, file), "utf8");
  } catch (err) {
    throw new ReportError("input", `--input ${file} cannot be read: ${(err as Error).message}`);
  }
}

export async function run(args: string[], io: CommandIO): Promise<number> {
  return runCommand(
    {
      name: "preview-summary",
      usage: USAGE,
      options: OPTIONS,
      parse: options,
      run: summarize,
      errorHint: offlineHint,
    },
    args,
    io,
  );
}

async function summarize(parsed: Options, { io, cwd, session }: Job): Promise<number> {
  const previewText = readInput(parsed.input, io.cwd);
  const impact = parsed.impact ? readImpact(parsed.impact, io.cwd) : undefined;
  // --stack: the stack's settings, and its configured break-glass groups beside --break-glass.
  const declaration: Declaration | undefined = parsed.stack
    ? await declarationFromStack({ stack: parsed.stack, cwd, env: io.env })
    : undefined;
  const graph: GraphClient | undefined = parsed.offline
    ? undefined
    : session(declaration?.config).graph;
  io.stdout(
    await summarizePreview({
      previewText,
      source: parsed.input,
      impact,
      breakGlass: [...parsed.breakGlass, ...(declaration?.breakGlassGroups ?? [])],
      stack: parsed.stack,
      graph,
    }),
  );
  return 0;
}

/** Graph failures can be avoided by summarizing without it. */
function offlineHint(err: unknown): string {
  return err instanceof ReportError
    ? ""
    : " To summarize without reading Microsoft Graph, add --offline.";
}
