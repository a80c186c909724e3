// `entra-nudge export --out DIR`: writes a Pulumi TypeScript project declaring the tenant's current
// campaign, Microsoft Authenticator and passkey settings (DESIGN.md). Exit 0 written, 1 error.
import { DEFAULT_PROJECT, DEFAULT_STACK, exportTenant } from "../export";
import { runCommand, type CommandOptions, type Job, type Values } from "./command";
import type { CommandIO } from "./types";

export const OPTIONS = {
  out: { type: "string" },
  "stack-name": { type: "string" },
  // Accepted only to refuse it with the fix: `--stack` means "read from this stack" in every
  // command (DESIGN.md), and export reads the tenant, not a stack.
  stack: { type: "string" },
  project: { type: "string" },
  "no-beta": { type: "boolean" },
  force: { type: "boolean" },
} as const satisfies CommandOptions;

export const USAGE = `Usage: entra-nudge export --out DIR [--stack-name NAME] [--project NAME] [--no-beta] [--force]

Reads the tenant's registration campaign, Microsoft Authenticator and passkey (FIDO2)
configurations and writes a ready-to-run Pulumi TypeScript project that declares them exactly: \`pulumi up\` on the same tenant
adopts them without writing anything. Group and user ids are annotated with their display names.

  --out DIR          where to write the project (created if missing; must be empty)
  --stack-name NAME  the stack whose settings file is written, Pulumi.NAME.yaml (default ${DEFAULT_STACK})
  --project NAME     the Pulumi project name (default ${DEFAULT_PROJECT})
  --no-beta          read Graph v1.0 only: beta-only settings (enforceRegistrationAfterAllowedSnoozes,
                     companionAppAllowedState) are not declared and stay unmanaged
  --force            write into a directory that is not empty, replacing the project's files

Settings and credentials: the environment (README, "Using a real tenant"). Read permissions suffice:
Policy.Read.AuthenticationMethod, GroupMember.Read.All and User.Read.All (for the names).
`;

type Options = ReturnType<typeof parseOptions>;

function parseOptions(values: Values<typeof OPTIONS>) {
  if (values.stack !== undefined) {
    throw new Error(
      `--stack names the stack a command reads its settings from, in every command; export reads the tenant, not a stack. ` +
        `To name the stack settings file it writes (Pulumi.NAME.yaml), use --stack-name ${values.stack}.`,
    );
  }
  if (!values.out) throw new Error("give the directory to write with --out DIR.");
  return values;
}

export async function run(args: string[], io: CommandIO): Promise<number> {
  return runCommand(
    {
      name: "export",
      usage: USAGE,
      options: OPTIONS,
      parse: parseOptions,
      run: exportTo,
    },
    args,
    io,
  );
}

async function exportTo(values: Options, { io, session }: Job): Promise<number> {
  const result = await exportTenant({
    outDir: values.out as string,
    stackName: values["stack-name"],
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
      `Next: cd ${result.outDir} && npm install && pulumi stack select --create ${values["stack-name"] ?? DEFAULT_STACK} && pulumi up`,
      "",
    ].join("\n"),
  );
  return 0;
}
