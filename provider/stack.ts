// Reading a Pulumi stack the way the `pulumi` CLI finds it (the project directory, the logged-in
// backend or PULUMI_BACKEND_URL): this package's resources as recorded in the state, and the
// stack's config (for the settings). The CLI is asked, so every backend it supports works.
import { execFile } from "node:child_process";
import type { ConfigLookup } from "./config";
import type { ResourceKind } from "./model";

const TYPE_PREFIX = "pulumi-nodejs:dynamic/entra-nudge:";
const KINDS: readonly ResourceKind[] = [
  "RegistrationCampaign",
  "AuthenticatorPolicy",
  "PasskeyPolicy",
  "PilotGroup",
];

export interface StackRef {
  /** The stack name, as `pulumi --stack` takes it (e.g. "dev" or "org/project/dev"). */
  stack: string;
  /** The Pulumi project directory (default: the current directory). */
  cwd?: string;
  /** The environment for the CLI (backend, passphrase, PULUMI_HOME...). */
  env?: NodeJS.ProcessEnv;
}

/** One of this package's resources as the state records it. */
export interface StackResource {
  kind: ResourceKind;
  urn: string;
  /** The resource's logical name (the last URN segment). */
  name: string;
  id: string;
  /** The canonical inputs the provider's check() produced. */
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

export interface StackSnapshot {
  resources: StackResource[];
  /** The stack's config, secrets decrypted in memory only. */
  config: ConfigLookup;
}

/** The `pulumi` binary: ENTRA_NUDGE_PULUMI when set (the tests' engine), else `pulumi` on PATH. */
export function pulumiBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.ENTRA_NUDGE_PULUMI || "pulumi";
}

function runPulumi(
  args: string[],
  ref: Pick<StackRef, "cwd" | "env">,
  /** Whether the output of a failed run is still the answer (a failed preview's JSON). */
  answersOnFailure: (stdout: string) => boolean = () => false,
): Promise<string> {
  const env = { ...process.env, ...ref.env, PULUMI_SKIP_UPDATE_CHECK: "true" };
  return new Promise((resolve, reject) => {
    execFile(
      pulumiBinary(env),
      args,
      { cwd: ref.cwd, env, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && !answersOnFailure(stdout)) {
          const code = (error as NodeJS.ErrnoException).code;
          const detail =
            code === "ENOENT"
              ? "the pulumi CLI was not found on PATH (install it, or set ENTRA_NUDGE_PULUMI to its path)"
              : (stderr.trim().split("\n").pop() ?? error.message);
          reject(new Error(`\`pulumi ${args.slice(0, 2).join(" ")}\` failed: ${detail}`));
          return;
        }
        resolve(stdout);
      },
    );
  });
}

interface ExportedResource {
  urn: string;
  type: string;
  id?: string;
  custom?: boolean;
  delete?: boolean;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/** This package's resources in an exported state (`pulumi stack export` JSON). */
export function resourcesOfState(state: unknown): StackResource[] {
  const deployment = (state as { deployment?: { resources?: unknown } })?.deployment;
  const resources = deployment?.resources;
  if (!Array.isArray(resources)) return [];
  return (resources as ExportedResource[])
    .filter((r) => r.type?.startsWith(TYPE_PREFIX) && !r.delete)
    .flatMap((r) => {
      const kind = r.type.slice(TYPE_PREFIX.length) as ResourceKind;
      if (!KINDS.includes(kind)) return [];
      const inputs = { ...r.inputs };
      delete inputs.__provider;
      const outputs = { ...r.outputs };
      delete outputs.__provider;
      return [
        {
          kind,
          urn: r.urn,
          name: r.urn.split("::").pop() ?? r.urn,
          id: r.id ?? "",
          inputs,
          outputs,
        },
      ];
    });
}

/** Reads the stack's state and config through the `pulumi` CLI. */
export async function readStack(ref: StackRef): Promise<StackSnapshot> {
  const [state, configText] = await Promise.all([
    runPulumi(["stack", "export", "--stack", ref.stack], ref),
    runPulumi(["config", "--json", "--show-secrets", "--stack", ref.stack], ref),
  ]);
  const config = JSON.parse(configText) as Record<string, { value?: unknown }>;
  const lookup: ConfigLookup = (key) => {
    const value = config[key]?.value;
    return value === undefined || value === null ? undefined : String(value);
  };
  // As the engine's configure() does: the keys let a misspelled entra-nudge: setting be named in
  // a warning (resolveSettings), in the CLI's commands as in `pulumi up`.
  lookup.keys = () => Object.keys(config);
  return { resources: resourcesOfState(JSON.parse(state)), config: lookup };
}

/**
 * What `pulumi up` would deploy now: `pulumi preview --json` of the stack, run in its project (the
 * program runs, and the providers' check() gives each resource's canonical inputs). A preview that
 * fails still answers with its JSON (its diagnostics say why); the caller reads them.
 * `--show-sames`: the engine's JSON lists an unchanged resource only when asked (its display's
 * shouldShow skips "same" steps otherwise, pulumi/pulumi pkg/backend/display), and an unchanged
 * resource is as much the program's declaration as a changed one.
 */
export function previewStack(ref: StackRef): Promise<string> {
  return runPulumi(["preview", "--json", "--show-sames", "--stack", ref.stack], ref, (stdout) =>
    stdout.trimStart().startsWith("{"),
  );
}

/** A stack of the backend as `pulumi stack ls --all --json` lists it. */
export interface BackendStack {
  /** Fully qualified ("organization/project/stack"), as `--stack` takes it from any directory. */
  name: string;
  /** Absent where the backend does not say. */
  resourceCount?: number;
}

/**
 * Every stack of the logged-in backend that the CLI can see, of every project: `pulumi stack ls
 * --all --json` (https://www.pulumi.com/docs/iac/cli/commands/pulumi_stack_ls/: by default only
 * the current project's stacks; `--all` every stack "you have access to"). Its names are fully
 * qualified, so `stack export --stack NAME` reads any of them from any directory.
 */
export async function listStacks(ref: Pick<StackRef, "cwd" | "env"> = {}): Promise<BackendStack[]> {
  const answer = JSON.parse(await runPulumi(["stack", "ls", "--all", "--json"], ref)) as unknown;
  if (!Array.isArray(answer)) return [];
  return answer.flatMap((entry: { name?: unknown; resourceCount?: unknown }) =>
    typeof entry?.name === "string"
      ? [
          {
            name: entry.name,
            ...(typeof entry.resourceCount === "number"
              ? { resourceCount: entry.resourceCount }
              : {}),
          },
        ]
      : [],
  );
}

/** This package's resources in a stack's state (`pulumi stack export`; secrets stay encrypted). */
export async function stackResources(
  name: string,
  ref: Pick<StackRef, "cwd" | "env"> = {},
): Promise<StackResource[]> {
  return resourcesOfState(JSON.parse(await runPulumi(["stack", "export", "--stack", name], ref)));
}
