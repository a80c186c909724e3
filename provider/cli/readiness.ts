// `entra-nudge readiness`: who still has only SMS or voice for MFA, and whether the live (or, with
// --stack, the declared) campaign and method policies move them before 2027-02-01. Exit 0 with a
// report, 1 on any error (no P1/P2 licence, sign-in, permission, bad stack).
import * as fs from "node:fs";
import * as path from "node:path";
import { progressBar } from "../eligibility/progressBar";
import { declarationFromStack, requireResources } from "../declaration";
import { isGuid } from "../model";
import {
  analyzeReadiness,
  peopleCsv,
  readinessFleetJson,
  readinessFleetMarkdown,
  readinessFleetTable,
  readinessHtml,
  readinessJson,
  readinessMarkdown,
  readinessTable,
  type FleetRow,
  type ReadinessReport,
} from "../readiness";
import {
  basisOption,
  runCommand,
  warnUnknown,
  type CommandOptions,
  type Job,
  type Values,
} from "./command";
import { htmlTarget, writeHtml } from "./htmlFile";
import { scanCacheUse } from "./scanCache";
import type { CommandIO } from "./types";

const OPTIONS = {
  stack: { type: "string", multiple: true },
  users: { type: "string" },
  "exempt-group": { type: "string", multiple: true },
  cwd: { type: "string" },
  from: { type: "string" },
  json: { type: "boolean" },
  markdown: { type: "boolean" },
  html: { type: "string" },
  "cache-ttl": { type: "string" },
  "no-cache": { type: "boolean" },
} as const satisfies CommandOptions;

export const USAGE = `Usage: entra-nudge readiness [--stack NAME [--cwd PROJECT_DIR] [--from preview | --from state]]
       [--json | --markdown | --html FILE]
       [--users FILE] [--exempt-group ID]... [--cache-ttl LIFETIME | --no-cache]
       entra-nudge readiness --stack A --stack B ... [--json | --markdown] [--users FILE]

From 2027-02-01 Microsoft stops delivering SMS and voice codes, and users whose only MFA methods
are SMS or voice are stopped at sign-in until they register a passkey (Global Administrators and
external users from 2027-07-01; internal guests with everyone else). Counts those users per date, whether
the campaign nudges them and to what (by target and member/guest), why the others are not
reached, the SMS and Voice method policies, the days left, and once a campaign runs the pace at
which they move and the day the last one would. Reads the registration report (Entra ID P1/P2)
and the audit log (AuditLog.Read.All), paced within Graph's reports limit (5 requests / 10 s).

  --stack NAME          apply the stack's declaration (its RegistrationCampaign, AuthenticatorPolicy
                        and PasskeyPolicy) to the tenant: who would be nudged, and to what, after
                        \`pulumi up\`; what the stack leaves out stays the tenant's. Its
                        entra-nudge:* config gives the settings
  --cwd DIR             the Pulumi project directory (default: the current directory)
  --from preview        (the default) the stack's program as \`pulumi preview\` plans it now
                        (runs the preview in --cwd)
  --from state          the stack as last deployed: its recorded inputs (no preview run)
  --json                the report as JSON ({"deadline": "2027-02-01", "phoneOnly": n,
                        "phoneOnlyNudged": n, "phoneOnlyNotNudged": n, ...})
  --markdown            the report as Markdown
  --html FILE           also write a self-contained HTML page with a chart and the users not
                        reached, by reason (opens offline)
  --users FILE          also write a CSV, one row per phone-only user: id, userPrincipalName,
                        displayName, userType, population, deadline, nudgedTo, reason (with
                        several stacks, a stack column first)
  --exempt-group ID     a group whose users are routed to a customer-managed telephony provider:
                        counted apart as exempt, not at risk (repeatable; members transitively)
  --stack A --stack B   several stacks (one per tenant): one row per stack; --json prints
                        {"stacks": [{"stack": name, ...}]}
  --cache-ttl LIFETIME  reuse a scan read within LIFETIME, as \`impact\` does (default 1h; off for
                        a Graph endpoint that is not Microsoft's)
  --no-cache            read the tenant now (and cache nothing)

Exit codes: 0 report, 1 error.
`;

type Options = ReturnType<typeof parseOptions>;

function parseOptions(values: Values<typeof OPTIONS>) {
  if ((values.stack?.length ?? 0) > 1 && values.html !== undefined)
    throw new Error(
      "--html shows one tenant: give one --stack, or leave --html out for the fleet table.",
    );
  for (const id of values["exempt-group"] ?? []) {
    if (!isGuid(id))
      throw new Error(
        `--exempt-group ${id}: expected a group's object id (a GUID such as 6dbc0cdd-bcd1-5384-8dce-41a981a21b4c).`,
      );
  }
  if (values["no-cache"] && values["cache-ttl"] !== undefined)
    throw new Error("--no-cache and --cache-ttl cannot be combined: choose one.");
  return { ...values, from: basisOption(values.from, values.stack?.[0]) };
}

export async function run(args: string[], io: CommandIO): Promise<number> {
  return runCommand(
    {
      name: "readiness",
      usage: USAGE,
      options: OPTIONS,
      parse: parseOptions,
      run: readiness,
    },
    args,
    io,
  );
}

/** The --users file's path, checked before anything is read: its directory must exist. */
function usersTarget(file: string | undefined, cwd: string): string | undefined {
  if (file === undefined) return undefined;
  const resolved = path.resolve(cwd, file);
  if (!fs.statSync(path.dirname(resolved), { throwIfNoEntry: false })?.isDirectory())
    throw new Error(
      `--users ${file}: the directory ${path.dirname(resolved)} does not exist. Create it first, or give a file in an existing directory.`,
    );
  return resolved;
}

function writeUsers(file: string, csv: string): void {
  try {
    fs.writeFileSync(file, csv);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      `--users: could not write ${file}${code ? ` (${code})` : ""}. Choose a file you can write.`,
    );
  }
}

/** One tenant: the live campaign, or one stack's declaration applied to its tenant. */
async function readinessOf(
  values: Options,
  stack: string | undefined,
  { io, cwd, session: openSession }: Job,
): Promise<ReadinessReport> {
  const declaration =
    stack === undefined
      ? undefined
      : requireResources(await declarationFromStack({ stack, cwd, env: io.env }, values.from));
  if (declaration) warnUnknown(declaration, io);
  const session = openSession(declaration?.config);
  const report = await analyzeReadiness(session.graph, {
    ...(declaration ? { declaration } : {}),
    exemptGroups: values["exempt-group"] ?? [],
    progress: progressBar(io.stderr, {
      tty: process.stderr.isTTY === true,
      label: `Reading the registration report${stack === undefined ? "" : ` (${stack})`}`,
    }),
    cache: await scanCacheUse(values, io, session),
  });
  if (!report.populationsKnown.globalAdministrators)
    session.warn(
      "Global Administrators were not read (the app lacks RoleManagement.Read.Directory): they are counted on 2027-02-01, not on their date, 2027-07-01.",
    );
  if (!report.populationsKnown.externalUsers)
    session.warn(
      "External users were not told apart (reading users' identities needs User.Read.All): they are counted on 2027-02-01, not on their date, 2027-07-01.",
    );
  for (const group of report.exemptGroups) {
    if (!group.found)
      session.warn(
        `--exempt-group ${group.id}: no such group in the tenant, so nobody is exempt through it.`,
      );
  }
  return report;
}

async function readiness(values: Options, job: Job): Promise<number> {
  const { io, format } = job;
  const htmlFile = htmlTarget(values.html, io.cwd);
  const usersFile = usersTarget(values.users, io.cwd);
  const stacks = values.stack ?? [];
  if (stacks.length > 1) {
    // The fleet view: one tenant per stack, one after the other (each paced within its own
    // tenant's reports limit); an error stops that row only.
    const rows: FleetRow[] = [];
    for (const stack of stacks) {
      try {
        rows.push({ stack, report: await readinessOf(values, stack, job) });
      } catch (err) {
        io.stderr(`entra-nudge readiness: ${stack}: ${(err as Error).message}\n`);
        rows.push({ stack, error: err as Error });
      }
    }
    if (usersFile !== undefined) {
      writeUsers(
        usersFile,
        peopleCsv(
          rows
            .filter((r) => r.report)
            .map((r) => ({ stack: r.stack, people: (r.report as ReadinessReport).people })),
        ),
      );
      io.stderr(`Wrote ${usersFile}\n`);
    }
    if (format === "json") io.stdout(`${JSON.stringify(readinessFleetJson(rows), null, 2)}\n`);
    else if (format === "markdown") io.stdout(readinessFleetMarkdown(rows));
    else io.stdout(readinessFleetTable(rows));
    return rows.some((r) => r.error) ? 1 : 0;
  }
  const report = await readinessOf(values, stacks[0], job);
  if (htmlFile !== undefined) {
    writeHtml(htmlFile, readinessHtml(report));
    io.stderr(`Wrote ${htmlFile}\n`);
  }
  if (usersFile !== undefined) {
    writeUsers(usersFile, peopleCsv([{ people: report.people }]));
    io.stderr(`Wrote ${usersFile}\n`);
  }
  if (format === "json") io.stdout(`${JSON.stringify(readinessJson(report), null, 2)}\n`);
  else if (format === "markdown") io.stdout(readinessMarkdown(report));
  else if (values.html === undefined) io.stdout(readinessTable(report));
  return 0;
}
