// The files of an exported Pulumi TypeScript project, as text. Pure: the declaration, the object
// labels and the project's facts in, file name → content out. The program declares the canonical
// settings explicitly (so adoption is exact), says in comments who every id is, and keeps
// Microsoft-managed states ("default") as they are.
import type {
  AuthenticatorPolicyArgs,
  FeatureSetting,
  PasskeyPolicyArgs,
  RegistrationCampaignArgs,
} from "../model";
import type { ExportedDeclaration } from "./declaration";
import { describeTargetId, type ObjectLabels } from "./names";

export interface ExportProject {
  /** Pulumi project name (Pulumi.yaml `name`, package.json `name`). */
  project: string;
  /** The stack whose settings file is written (Pulumi.<stack>.yaml). */
  stack: string;
  /** Stack config (non-secret settings), namespaced keys such as "entra-nudge:tenantId". */
  config: Record<string, string>;
  tenantId: string;
  /** When the settings were read (ISO 8601), for the header. */
  exportedAt: string;
  /** Versions the generated package.json pins: this package's and its own dependencies'. */
  versions: { package: string; pulumi: string; typescript: string; typesNode: string };
  /** Whether beta-only settings were read (and so are declared). */
  beta: boolean;
}

export const PROGRAM_FUNCTION = "declareTenantSettings";

const str = (value: string): string => JSON.stringify(value);

/** A target's value as TypeScript: strings quoted, lists (profile names) of quoted strings. */
function literal(value: string | boolean | string[]): string {
  if (Array.isArray(value)) return `[${value.map(str).join(", ")}]`;
  return typeof value === "string" ? str(value) : String(value);
}

/** A target on one line, with who it is as the comment above it. */
function targetLines(
  targets: readonly object[] | undefined,
  indent: string,
  labels: ObjectLabels,
): string[] {
  if (!targets || targets.length === 0) return [];
  return targets.flatMap((target) => {
    const record = target as Record<string, string | boolean | string[]>;
    const fields = Object.entries(record)
      .map(([key, value]) => `${key}: ${literal(value)}`)
      .join(", ");
    return [
      `${indent}// ${describeTargetId(String(record.id), String(record.targetType), labels)}`,
      `${indent}{ ${fields} },`,
    ];
  });
}

function list(
  name: string,
  targets: readonly object[] | undefined,
  indent: string,
  labels: ObjectLabels,
): string[] {
  const lines = targetLines(targets, `${indent}  `, labels);
  return lines.length === 0
    ? [`${indent}${name}: [],`]
    : [`${indent}${name}: [`, ...lines, `${indent}],`];
}

const CAMPAIGN_STATE_NOTE: Record<string, string> = {
  default:
    '"default" is Microsoft managed: Microsoft chooses the method (since 2026, passkeys), the snooze days and the snooze limit. Pin "enabled" to decide them here.',
  enabled: "The campaign nudges its targets after each MFA sign-in.",
  disabled: "The campaign nudges nobody.",
};

function campaignLines(args: RegistrationCampaignArgs, labels: ObjectLabels): string[] {
  const i = "    ";
  const enforce = args.enforceRegistrationAfterAllowedSnoozes;
  return [
    `  const campaign = new nudge.RegistrationCampaign("campaign", {`,
    `${i}// ${CAMPAIGN_STATE_NOTE[args.state] ?? ""}`,
    `${i}state: ${str(args.state)},`,
    ...(args.targetedAuthenticationMethod === undefined
      ? []
      : [
          `${i}// The one method the campaign nudges to: ${args.targetedAuthenticationMethod === "fido2" ? "a passkey (FIDO2)" : "Microsoft Authenticator"}.`,
          `${i}targetedAuthenticationMethod: ${str(args.targetedAuthenticationMethod)},`,
        ]),
    ...(args.snoozeDurationInDays === undefined
      ? []
      : [
          `${i}// Days a user may postpone the prompt (0 = asked at every MFA sign-in).`,
          `${i}snoozeDurationInDays: ${args.snoozeDurationInDays},`,
        ]),
    ...(enforce === undefined
      ? []
      : [
          `${i}// Beta only: ${enforce ? "registration is required after 3 snoozes" : "users may snooze without limit"}.`,
          `${i}enforceRegistrationAfterAllowedSnoozes: ${enforce},`,
        ]),
    ...list("includeTargets", args.includeTargets, i, labels),
    `${i}// Exclusion wins over inclusion.`,
    ...list("excludeTargets", args.excludeTargets, i, labels),
    ...(args.passkeyMigrationOptOut === undefined
      ? []
      : [
          `${i}// Beta only: whether the tenant opted out of Microsoft's move to passkeys (effective only until 2027-02-01).`,
          `${i}passkeyMigrationOptOut: ${args.passkeyMigrationOptOut},`,
        ]),
    `${i}// Destroying the stack leaves the tenant's campaign as it is (see README.md).`,
    `${i}onDelete: ${str(args.onDelete ?? "retain")},`,
    `  });`,
  ];
}

const FEATURE_NOTE: Record<string, string> = {
  displayAppInformationRequiredState: "Show the application name in notifications.",
  displayLocationInformationRequiredState:
    "Show the sign-in's geographic location in notifications.",
  companionAppAllowedState: "Beta only: Authenticator Lite (approve in other Microsoft apps).",
};

function featureLines(
  settings: AuthenticatorPolicyArgs["featureSettings"],
  indent: string,
  labels: ObjectLabels,
): string[] {
  const entries = Object.entries(settings ?? {}).filter(
    (entry): entry is [string, FeatureSetting] => entry[1] !== undefined,
  );
  if (entries.length === 0) return [`${indent}featureSettings: {},`];
  const inner = `${indent}  `;
  const body = `${inner}  `;
  const target = (name: string, t: FeatureSetting["includeTarget"]): string[] =>
    t
      ? [
          `${body}// ${describeTargetId(t.id, t.targetType, labels)}`,
          `${body}${name}: { id: ${str(t.id)}, targetType: ${str(t.targetType)} },`,
        ]
      : [];
  return [
    `${indent}featureSettings: {`,
    ...entries.flatMap(([name, setting]) => [
      `${inner}// ${FEATURE_NOTE[name] ?? name}`,
      `${inner}${name}: {`,
      ...(setting.state === "default" ? [`${body}// Microsoft managed.`] : []),
      `${body}state: ${str(setting.state)},`,
      ...target("includeTarget", setting.includeTarget),
      ...target("excludeTarget", setting.excludeTarget),
      `${inner}},`,
    ]),
    `${indent}},`,
  ];
}

function authenticatorLines(args: AuthenticatorPolicyArgs, labels: ObjectLabels): string[] {
  const i = "    ";
  return [
    `  const authenticator = new nudge.AuthenticatorPolicy("authenticator", {`,
    `${i}state: ${str(args.state)},`,
    `${i}// Mode "any" or "push" makes users eligible for the campaign; "deviceBasedPush" (Passwordless) does not.`,
    ...list("includeTargets", args.includeTargets, i, labels),
    ...list("excludeTargets", args.excludeTargets, i, labels),
    ...(args.isSoftwareOathEnabled === undefined
      ? []
      : [
          `${i}// One-time codes generated by Microsoft Authenticator.`,
          `${i}isSoftwareOathEnabled: ${args.isSoftwareOathEnabled},`,
        ]),
    ...featureLines(args.featureSettings, i, labels),
    `${i}// Destroying the stack leaves the tenant's configuration as it is (see README.md).`,
    `${i}onDelete: ${str(args.onDelete ?? "retain")},`,
    `  });`,
  ];
}

function passkeyProfileLines(args: PasskeyPolicyArgs, indent: string): string[] {
  const profiles = args.passkeyProfiles;
  if (profiles === undefined) return [];
  const inner = `${indent}  `;
  return [
    `${indent}// The whole set: Graph replaces the list, so a profile removed here is deleted (never the`,
    `${indent}// default profile). "registrationOnly" attestation allows device-bound passkeys only.`,
    `${indent}passkeyProfiles: [`,
    ...profiles.map((profile) => {
      const fields = [
        `name: ${str(profile.name)}`,
        `passkeyTypes: [${profile.passkeyTypes.map(str).join(", ")}]`,
        ...(profile.attestationEnforcement === undefined
          ? []
          : [`attestationEnforcement: ${str(profile.attestationEnforcement)}`]),
        ...(profile.keyRestrictions === undefined
          ? []
          : [
              `keyRestrictions: { enforcementType: ${str(profile.keyRestrictions.enforcementType)}, aaGuids: [${profile.keyRestrictions.aaGuids.map(str).join(", ")}] }`,
            ]),
      ];
      return `${inner}{ ${fields.join(", ")} },`;
    }),
    `${indent}],`,
  ];
}

function passkeyLines(args: PasskeyPolicyArgs, labels: ObjectLabels): string[] {
  const i = "    ";
  return [
    `  const passkey = new nudge.PasskeyPolicy("passkey", {`,
    `${i}state: ${str(args.state)},`,
    `${i}// Users may set up passkeys themselves (a passkey campaign needs it).`,
    `${i}isSelfServiceRegistrationAllowed: ${String(args.isSelfServiceRegistrationAllowed ?? true)},`,
    ...passkeyProfileLines(args, i),
    `${i}// Each target's allowedPasskeyProfiles names the profiles its users may register, by name.`,
    ...list("includeTargets", args.includeTargets, i, labels),
    ...list("excludeTargets", args.excludeTargets, i, labels),
    `${i}// Destroying the stack leaves the tenant's configuration as it is (see README.md).`,
    `${i}onDelete: ${str(args.onDelete ?? "retain")},`,
    `  });`,
  ];
}

export function renderProgram(
  declaration: ExportedDeclaration,
  labels: ObjectLabels,
  project: ExportProject,
): string {
  return [
    `// Generated by \`entra-nudge export\` at ${project.exportedAt} from tenant ${project.tenantId}.`,
    `// The tenant's registration campaign, Microsoft Authenticator and passkey (FIDO2) configurations`,
    `// exactly as they were read: \`pulumi up\` adopts them without writing anything, and`,
    `// \`pulumi preview\` then shows no changes. Edit from here on to change the tenant.`,
    `import * as nudge from "pulumi-entra-nudge";`,
    ``,
    `/** Declares the tenant's settings (index.ts calls it; tests run it as an inline program). */`,
    `export function ${PROGRAM_FUNCTION}(): {`,
    `  campaign: nudge.RegistrationCampaign;`,
    `  authenticator: nudge.AuthenticatorPolicy;`,
    `  passkey: nudge.PasskeyPolicy;`,
    `} {`,
    ...authenticatorLines(declaration.authenticator, labels),
    ``,
    ...passkeyLines(declaration.passkey, labels),
    ``,
    ...campaignLines(declaration.campaign, labels),
    ``,
    `  return { campaign, authenticator, passkey };`,
    `}`,
    ``,
  ].join("\n");
}

function renderIndex(): string {
  return [
    `// The Pulumi program: the tenant's settings as declared in program.ts.`,
    `import { ${PROGRAM_FUNCTION} } from "./program";`,
    ``,
    `const { campaign, authenticator, passkey } = ${PROGRAM_FUNCTION}();`,
    ``,
    `export const campaignState = campaign.state;`,
    `export const authenticatorState = authenticator.state;`,
    `export const passkeyState = passkey.state;`,
    `export const passkeyProfileIds = passkey.passkeyProfileIds;`,
    ``,
  ].join("\n");
}

/** A YAML scalar that stays a string (ids, URLs): double-quoted JSON is valid YAML. */
const yaml = (value: string): string => JSON.stringify(value);

function renderStackConfig(project: ExportProject): string {
  const entries = Object.entries(project.config).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [
    `# Settings of stack "${project.stack}" (non-secret only). Give the credential through the`,
    `# environment (AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, a certificate, workload identity or the`,
    `# Azure CLI), or as config: pulumi config set entra-nudge:clientId <id> &&`,
    `# pulumi config set --secret entra-nudge:clientSecret <secret>`,
    `config:`,
    ...entries.map(([key, value]) => `  ${key}: ${yaml(value)}`),
    ``,
  ].join("\n");
}

function renderPulumiYaml(project: ExportProject): string {
  return [
    `name: ${project.project}`,
    `description: Microsoft Entra registration campaign, Microsoft Authenticator and passkey settings of tenant ${project.tenantId}, exported by entra-nudge.`,
    `runtime:`,
    `  name: nodejs`,
    `  options:`,
    `    typescript: true`,
    ``,
  ].join("\n");
}

function renderPackageJson(project: ExportProject): string {
  return `${JSON.stringify(
    {
      name: project.project,
      private: true,
      description: `Microsoft Entra registration campaign, Authenticator and passkey settings of tenant ${project.tenantId}.`,
      scripts: { build: "tsc -p ." },
      dependencies: {
        "@pulumi/pulumi": project.versions.pulumi,
        "pulumi-entra-nudge": `^${project.versions.package}`,
      },
      devDependencies: {
        "@types/node": project.versions.typesNode,
        typescript: project.versions.typescript,
      },
    },
    null,
    2,
  )}\n`;
}

function renderTsconfig(): string {
  return `${JSON.stringify(
    {
      compilerOptions: {
        strict: true,
        target: "ES2022",
        module: "node16",
        moduleResolution: "node16",
        outDir: "bin",
        sourceMap: true,
        skipLibCheck: true,
        types: ["node"],
      },
      files: ["index.ts", "program.ts"],
    },
    null,
    2,
  )}\n`;
}

function renderReadme(project: ExportProject, notFound: string[]): string {
  return [
    `# ${project.project}`,
    ``,
    `The Microsoft Entra registration campaign, the Microsoft Authenticator configuration and the`,
    `passkey (FIDO2) configuration of tenant \`${project.tenantId}\`, as \`entra-nudge export\` read them at`,
    `${project.exportedAt}, declared with [pulumi-entra-nudge](https://www.npmjs.com/package/pulumi-entra-nudge).`,
    ``,
    `## Use it`,
    ``,
    "```bash",
    `npm install`,
    `pulumi stack select --create ${project.stack}   # Pulumi.${project.stack}.yaml holds its settings`,
    `pulumi up                                       # adopts the settings: no change is written`,
    `pulumi preview --expect-no-changes              # from now on, drift and changes show here`,
    "```",
    ``,
    `The credential needs \`Policy.Read.AuthenticationMethod\` to preview and`,
    `\`Policy.ReadWrite.AuthenticationMethod\` to apply changes.`,
    ``,
    `## What was exported, and how`,
    ``,
    `- \`program.ts\` declares every setting explicitly, in the form the resources compare (lower-case`,
    `  ids, sorted targets, defaults spelled out), so adopting it is exact. Comments name each group`,
    `  and user; ids whose object was not found are marked \`NOT FOUND\`.`,
    `- States that are "Microsoft managed" in the portal are \`"default"\` and stay so: Microsoft keeps`,
    `  choosing those settings until you pin them.`,
    project.beta
      ? `- Settings that exist only on Graph's beta endpoint (\`enforceRegistrationAfterAllowedSnoozes\`,\n  \`companionAppAllowedState\`) were read and are declared, so the resources use the beta endpoint for\n  them. Remove them from the program (or export with \`--no-beta\`) to leave them unmanaged.`
      : `- Beta-only settings were not read (\`--no-beta\`): they are not declared, so they stay unmanaged.`,
    `- \`onDelete: "retain"\`: these settings existed before this stack. Destroying the stack stops`,
    `  managing them and leaves the tenant as it is then; \`"restore"\` would instead write back the`,
    `  settings found when the stack adopted them, undoing every change made since.`,
    ...(notFound.length > 0
      ? [
          ``,
          `## Objects not found`,
          ``,
          `The tenant's settings name objects that no longer exist (deleted groups or users). They are`,
          `declared as found, so adoption writes nothing; remove them from \`program.ts\` to clean the`,
          `policy up:`,
          ``,
          ...notFound.map((id) => `- \`${id}\``),
        ]
      : []),
    ``,
  ].join("\n");
}

/** Every file of the exported project, by name. */
export function renderProject(
  declaration: ExportedDeclaration,
  labels: ObjectLabels,
  project: ExportProject,
): Record<string, string> {
  const notFound = [...labels.entries()]
    .filter(([, label]) => label.status === "notFound")
    .map(([id, label]) => `${label.kind} ${id}`);
  return {
    "Pulumi.yaml": renderPulumiYaml(project),
    [`Pulumi.${project.stack}.yaml`]: renderStackConfig(project),
    "package.json": renderPackageJson(project),
    "tsconfig.json": renderTsconfig(),
    "program.ts": renderProgram(declaration, labels, project),
    "index.ts": renderIndex(),
    "README.md": renderReadme(project, notFound),
  };
}
