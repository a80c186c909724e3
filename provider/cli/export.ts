// `entra-nudge export --out DIR`: writes a Pulumi TypeScript project declaring the tenant's current
// campaign and Microsoft Authenticator settings (DESIGN.md). Exit 0 written, 1 error.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { DEFAULT_PROJECT, DEFAULT_STACK, exportTenant } from "../export";
import { runCommand, type Job } from "./command";
import type { CommandIO } from "./types";

export const OPTIONS = {
  out: { type: "string" },
  stack: { type: "string" },
  project: { type: "string" },
  "no-beta": { type: "boolean" },
  force: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

export const USAGE = `Usage: entra-nudge export --out DIR [--stack NAME] [--project NAME] [--no-beta] [--force]

Reads the tenant's registration campaign and Microsoft Authenticator configuration and writes a
ready-to-run Pulumi TypeScript project that declares them exactly: \`pulumi up\` on the same tenant
adopts them without writing anything. Group and user ids are annotated with their display names.

  --out DIR          where to write the project (created if missing; must be empty)
  --stack NAME       the stack whose settings file is written, Pulumi.NAME.yaml (default ${DEFAULT_STACK})
  --project NAME     the Pulumi project name (default ${DEFAULT_PROJECT})
  --no-beta          read Graph v1.0 only: beta-only settings (enforceRegistrationAfterAllowedSnoozes,
                     companionAppAllowedState) are not declared and stay unmanaged
  --force            write into a directory that is not empty, replacing the project's files

Settings and credentials: the environment (README, "Using a real tenant"). Read permissions suffice:
Policy.Read.AuthenticationMethod, GroupMember.Read.All and User.Read.All (for the names).
`;

type Values = ReturnType<typeof parseOptions>;

function parseOptions(args: string[]) {
  const { values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false });
  if (!values.help && !values.out) throw new Error("give the directory to write with --out DIR.");
  return values;
}

export async function run(args: string[], io: CommandIO): Promise<number> {
  return runCommand<Values>(
    {
      name: "export",
      usage: USAGE,
      parse: parseOptions,
      run: exportTo,
    },
    args,
    io,
  );
}

async function exportTo(values: Values, { io, session }: Job): Promise<number> {
  const result = await exportTenant({
    outDir: values.out as string,
    stack: values.stack,
    project: values.project,
    beta: values["no-beta"] !== true,
    force: values.force === true,
    session: () => session(),
  });
  const notFound = [...result.labels.values()].filter((l) => l.status === "notFound").length;
  io.stdout(
    [
      `Exported tenant ${result.tenantId} to ${result.outDir}: ${result.files.join(", ")}.`,
      ...(notFound > 0
        ? [`${notFound} target(s) name objects that no longer exist; see NOT FOUND in program.ts.`]
        : []),
      `Next: cd ${result.outDir} && npm install && pulumi stack select --create ${values.stack ?? DEFAULT_STACK} && pulumi up`,
      "",
    ].join("\n"),
  );
  return 0;
}
