// `entra-nudge report`: the registration campaign's progress for the targeted users, registered
// for the method the campaign nudges them to (Microsoft Authenticator push or a passkey) or not
// yet, per target group, per method and day by day since the campaign was enabled. Exit 0 with a
// report, 1 on any error (no P1/P2 licence, sign-in, permission).
import { progressBar } from "../eligibility/progressBar";
import { analyzeProgress, progressHtml, progressMarkdown, progressTable } from "../report";
import { declarationFromStack } from "../declaration";
import { runCommand, type CommandOptions, type Job, type Values } from "./command";
import { htmlTarget, writeHtml } from "./htmlFile";
import type { CommandIO } from "./types";

const OPTIONS = {
  stack: { type: "string" },
  cwd: { type: "string" },
  json: { type: "boolean" },
  markdown: { type: "boolean" },
  html: { type: "string" },
} as const satisfies CommandOptions;

export const USAGE = `Usage: entra-nudge report [--stack NAME [--cwd PROJECT_DIR]] [--json | --markdown | --html FILE]

Tracks the registration campaign: of the users it targets (included, not excluded), how many have
registered the method it nudges them to and how many not yet (and why), per target group, per
method and day by day since the campaign was enabled. Each user counts by their own method: a
passkey (passKey*, fido2SecurityKey) where the campaign targets passkeys (fido2, or Microsoft
managed for users enabled for passkeys), Microsoft Authenticator for push otherwise. Reads the
registration report (Entra ID P1/P2) and the audit log (AuditLog.Read.All), paced within Graph's
reports limit (5 requests / 10 s).

  --stack NAME     take the settings from this stack's entra-nudge:* config (default: environment)
  --cwd DIR        the Pulumi project directory (default: the current directory)
  --json           the report as JSON
  --markdown       the report as Markdown
  --html FILE      also write a self-contained HTML page with a chart (opens offline)

Exit codes: 0 report, 1 error.
`;

export async function run(args: string[], io: CommandIO): Promise<number> {
  return runCommand(
    {
      name: "report",
      usage: USAGE,
      options: OPTIONS,
      parse: (values) => values,
      run: report,
    },
    args,
    io,
  );
}

async function report(
  values: Values<typeof OPTIONS>,
  { io, format, cwd, session }: Job,
): Promise<number> {
  const htmlFile = htmlTarget(values.html, io.cwd);
  const config =
    values.stack === undefined
      ? undefined
      : (
          await declarationFromStack({
            stack: values.stack,
            cwd,
            env: io.env,
          })
        ).config;
  const report = await analyzeProgress(session(config).graph, {
    progress: progressBar(io.stderr, {
      tty: process.stderr.isTTY === true,
      label: "Reading the registration report",
    }),
  });
  if (htmlFile !== undefined) {
    writeHtml(htmlFile, progressHtml(report));
    io.stderr(`Wrote ${htmlFile}\n`);
  }
  if (format === "json") io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else if (format === "markdown") io.stdout(progressMarkdown(report));
  else if (values.html === undefined) io.stdout(progressTable(report));
  return 0;
}
