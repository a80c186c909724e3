// `entra-nudge readiness`: who still has only SMS or voice for MFA, and whether the live (or, with
// --stack, the declared) campaign and method policies move them before 2027-02-01. Exit 0 with a
// report, 1 on any error (no P1/P2 licence, sign-in, permission, bad stack).
import { parseArgs, type ParseArgsConfig } from "node:util";
import { progressBar } from "../eligibility/progressBar";
import { declarationFromStack } from "../impact";
import { analyzeReadiness, readinessHtml, readinessMarkdown, readinessTable } from "../readiness";
import { jsonError, runCommand, type Job } from "./command";
import { htmlTarget, writeHtml } from "./htmlFile";
import { scanCacheUse } from "./scanCache";
import type { CommandIO } from "./types";

const OPTIONS = {
  stack: { type: "string" },
  cwd: { type: "string" },
  json: { type: "boolean" },
  markdown: { type: "boolean" },
  html: { type: "string" },
  "cache-ttl": { type: "string" },
  "no-cache": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

export const USAGE = `Usage: entra-nudge readiness [--stack NAME [--cwd PROJECT_DIR]] [--json | --markdown | --html FILE]
       [--cache-ttl LIFETIME | --no-cache]

From 2027-02-01 Microsoft stops delivering SMS and voice codes, and users whose only MFA methods
are SMS or voice are stopped at sign-in until they register a passkey. Counts those users, whether
the campaign nudges them and to what (by target and member/guest), why the others are not
reached, the SMS and Voice method policies, the days left, and once a campaign runs the pace at
which they move and the day the last one would. Reads the registration report (Entra ID P1/P2)
and the audit log (AuditLog.Read.All), paced within Graph's reports limit (5 requests / 10 s).

  --stack NAME          apply the stack's declaration (the recorded inputs of its
                        RegistrationCampaign, AuthenticatorPolicy and PasskeyPolicy) to the tenant:
                        who would be nudged, and to what, after \`pulumi up\`; what the stack
                        leaves out stays the tenant's. Its entra-nudge:* config gives the settings
  --cwd DIR             the Pulumi project directory (default: the current directory)
  --json                the report as JSON ({"deadline": "2027-02-01", "phoneOnly": n,
                        "phoneOnlyNudged": n, "phoneOnlyNotNudged": n, ...})
  --markdown            the report as Markdown
  --html FILE           also write a self-contained HTML page with a chart (opens offline)
  --cache-ttl LIFETIME  reuse a scan read within LIFETIME, as \`impact\` does (default 1h; off for
                        a Graph endpoint that is not Microsoft's)
  --no-cache            read the tenant now (and cache nothing)

Exit codes: 0 report, 1 error.
`;

type Values = ReturnType<typeof parseOptions>;

function parseOptions(args: string[]) {
  const { values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false });
  if (values.json && values.markdown)
    throw new Error("--json and --markdown cannot be combined: choose one format.");
  if (values.cwd !== undefined && values.stack === undefined)
    throw new Error("--cwd applies to --stack only.");
  if (values["no-cache"] && values["cache-ttl"] !== undefined)
    throw new Error("--no-cache and --cache-ttl cannot be combined: choose one.");
  return values;
}

export async function run(args: string[], io: CommandIO): Promise<number> {
  return runCommand<Values>(
    {
      name: "readiness",
      usage: USAGE,
      parse: parseOptions,
      run: readiness,
      errorReport: (err, format) => (format === "json" ? jsonError(err) : undefined),
    },
    args,
    io,
  );
}

async function readiness(
  values: Values,
  { io, format, session: openSession }: Job,
): Promise<number> {
  const htmlFile = htmlTarget(values.html, io.cwd);
  const declaration =
    values.stack === undefined
      ? undefined
      : await declarationFromStack(values.stack, values.cwd ?? io.cwd, io.env);
  const session = openSession(declaration?.config);
  const report = await analyzeReadiness(session.graph, {
    ...(declaration ? { declaration } : {}),
    progress: progressBar(io.stderr, {
      tty: process.stderr.isTTY === true,
      label: "Reading the registration report",
    }),
    cache: await scanCacheUse(values, io, session),
  });
  if (htmlFile !== undefined) {
    writeHtml(htmlFile, readinessHtml(report));
    io.stderr(`Wrote ${htmlFile}\n`);
  }
  if (format === "json") io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else if (format === "markdown") io.stdout(readinessMarkdown(report));
  else if (values.html === undefined) io.stdout(readinessTable(report));
  return 0;
}
