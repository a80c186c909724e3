// `entra-nudge impact`: how many users the declared configuration will nudge, compared with the
// current one, by target and by member/guest, with the main reasons the others will not be.
// Exit 0 with a report, 1 on any error (no P1/P2 licence, sign-in, permission, bad declaration).
import { progressBar } from "../eligibility/progressBar";
import {
  declarationFromProposalFile,
  declarationFromStack,
  requireResources,
  type Declaration,
} from "../declaration";
import { analyzeImpact, declaredSingletons, impactMarkdown, impactTable } from "../impact";
import {
  basisOption,
  runCommand,
  warnUnknown,
  type CommandOptions,
  type Job,
  type Values,
} from "./command";
import { scanCacheUse } from "./scanCache";
import type { CommandIO } from "./types";

const OPTIONS = {
  stack: { type: "string" },
  cwd: { type: "string" },
  declaration: { type: "string" },
  from: { type: "string" },
  json: { type: "boolean" },
  markdown: { type: "boolean" },
  "cache-ttl": { type: "string" },
  "no-cache": { type: "boolean" },
} as const satisfies CommandOptions;

export const USAGE = `Usage: entra-nudge impact --stack NAME [--cwd PROJECT_DIR] [--from preview | --from state] [--json | --markdown]
       entra-nudge impact --stack NAME [--cwd PROJECT_DIR] --declaration FILE [--json | --markdown]
       entra-nudge impact --declaration FILE [--json | --markdown]
       options for either: [--cache-ttl LIFETIME | --no-cache]

Counts who the registration campaign will nudge under the declared configuration and under the
current one (the tenant now), by campaign target and by member/guest, with the top reasons the
others will not be, and the difference ("+1,204 users will start seeing the nudge"). Reads group
memberships and the registration report (needs Entra ID P1/P2 and AuditLog.Read.All), paced
within Graph's reports limit (5 requests / 10 s).

  --stack NAME          the stack whose RegistrationCampaign, AuthenticatorPolicy and
                        PasskeyPolicy are declared; its entra-nudge:* config gives the settings
                        and entra-nudge:breakGlassGroups
  --cwd DIR             the Pulumi project directory (default: the current directory)
  --from preview        (the default) the stack's program as \`pulumi preview\` plans it now,
                        what \`pulumi up\` would deploy (runs the preview in --cwd): the change
                        a pull request makes, before it is deployed
  --from state          the stack as last deployed: its recorded inputs (no preview run)
  --declaration FILE    a proposed configuration instead of the stack's: JSON
                        { "campaign": {...}, "authenticator": {...}, "passkey": {...},
                        "breakGlassGroups": [...] } with the resources' arguments
                        (RegistrationCampaign, AuthenticatorPolicy, PasskeyPolicy), or a
                        \`pulumi stack export\` file
  --json                the report as JSON ({"declared": {"nudged": n, ...}, "current": {...}, ...})
  --markdown            the report as Markdown, for a job summary or a pull request
  --cache-ttl LIFETIME  reuse a scan of the same tenant, app and groups read within LIFETIME
                        (seconds, or 30m, 2h; default 1h, ENTRA_NUDGE_SCAN_CACHE_TTL; off for a
                        Graph endpoint that is not Microsoft's, such as the emulator): the
                        registration report lags hours anyway. Cached under
                        ~/.cache/pulumi-entra-nudge/scans (ENTRA_NUDGE_CACHE_DIR)
  --no-cache            read the tenant now (and cache nothing)

A singleton the declaration leaves out keeps the tenant's setting (a PasskeyPolicy without
passkeyProfiles keeps the tenant's profiles). Exit codes: 0 report, 1 error.
`;

type Options = ReturnType<typeof parseOptions>;

function parseOptions(values: Values<typeof OPTIONS>) {
  if (values["no-cache"] && values["cache-ttl"] !== undefined)
    throw new Error("--no-cache and --cache-ttl cannot be combined: choose one.");
  if (values.stack === undefined && values.declaration === undefined)
    throw new Error(
      "Give the stack with --stack NAME, or a proposed configuration with --declaration FILE.",
    );
  return { ...values, from: basisOption(values.from, values.stack, values.declaration) };
}

export async function run(args: string[], io: CommandIO): Promise<number> {
  return runCommand(
    {
      name: "impact",
      usage: USAGE,
      options: OPTIONS,
      parse: parseOptions,
      run: impact,
    },
    args,
    io,
  );
}

async function impact(
  values: Options,
  { io, format, cwd, session: openSession }: Job,
): Promise<number> {
  let declaration: Declaration;
  if (values.stack !== undefined) {
    const stack = { stack: values.stack, cwd, env: io.env };
    declaration = await declarationFromStack(stack, values.from);
    if (values.declaration === undefined) requireResources(declaration);
    else {
      // The file is the declaration; the stack still gives the settings and break-glass groups.
      const file = declarationFromProposalFile(values.declaration, io.cwd, io.env);
      declaration = {
        ...file,
        breakGlassGroups: file.breakGlassGroups.length
          ? file.breakGlassGroups
          : declaration.breakGlassGroups,
        config: declaration.config,
      };
    }
  } else {
    declaration = declarationFromProposalFile(values.declaration as string, io.cwd, io.env);
  }
  warnUnknown(declaration, io);
  const singletons = declaredSingletons(declaration);
  if (!singletons.campaign && !singletons.authenticator && !singletons.passkey) {
    io.stderr(
      `warning: ${declaration.name} declares no RegistrationCampaign, AuthenticatorPolicy or PasskeyPolicy, so the declared configuration is the tenant's current one.\n`,
    );
  }
  const session = openSession(declaration.config);
  const graph = session.graph;
  const report = await analyzeImpact(graph, declaration, {
    progress: progressBar(io.stderr, {
      tty: process.stderr.isTTY === true,
      label: "Reading the registration report",
    }),
    cache: await scanCacheUse(values, io, session),
  });
  if (format === "json") io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else if (format === "markdown") io.stdout(impactMarkdown(report));
  else io.stdout(impactTable(report));
  return 0;
}
