// Offline, isolated settings for tests that drive the real Pulumi engine: every run gets its own
// PULUMI_HOME, a file:// backend and a passphrase in a fresh temp directory, so no test reads or
// writes the user's ~/.pulumi, logs in anywhere, or downloads a plugin.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { engineWithoutLanguageHost, provideEngine, type Engine } from "../../scripts/engine";

/** The repository root: it holds node_modules/@pulumi/pulumi, which dynamic providers resolve. */
export const projectRoot = path.resolve(__dirname, "..", "..", "..");

export interface IsolatedWorkspace {
  /** Temp directory holding everything below; removed by {@link IsolatedWorkspace.cleanup}. */
  dir: string;
  pulumiHome: string;
  backendUrl: string;
  /** Where Automation API writes Pulumi.yaml and stack settings. */
  workDir: string;
  /** Environment for every CLI call (LocalWorkspace `envVars`). */
  envVars: Record<string, string>;
  pulumiCommand: PulumiCommand;
  cleanup(): Promise<void>;
}

/**
 * The `pulumi` binary: `ENTRA_NUDGE_PULUMI` (set by scripts/run-tests.js), or the engine tool
 * when mocha runs directly. A missing engine is an error, never a reason to skip.
 */
export async function pulumiBinary(): Promise<string> {
  const fromEnv = process.env.ENTRA_NUDGE_PULUMI;
  return fromEnv ? path.resolve(fromEnv) : (await provideEngine()).pulumiPath;
}

export interface IsolatedWorkspaceOptions {
  /**
   * `false`: the engine finds no Node.js language host, so it starts Node.js policy packs through
   * the analyzer shim (see engineWithoutLanguageHost); only inline programs can run.
   */
  languageHost?: boolean;
}

export async function isolatedWorkspace(
  options: IsolatedWorkspaceOptions = {},
): Promise<IsolatedWorkspace> {
  const binary = await pulumiBinary();
  if (path.basename(path.dirname(binary)) !== "bin") {
    throw new Error(`${binary} is not <root>/bin/pulumi, which PulumiCommand.get({ root }) needs.`);
  }
  const root =
    options.languageHost === false
      ? engineWithoutLanguageHost(await provideEngine({ log: () => undefined }))
      : path.dirname(path.dirname(binary));
  const pulumiCommand = await PulumiCommand.get({ root });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-engine-"));
  const pulumiHome = path.join(dir, "home");
  const backendDir = path.join(dir, "state");
  const workDir = path.join(dir, "work");
  for (const sub of [pulumiHome, backendDir, workDir]) fs.mkdirSync(sub);
  const backendUrl = `file://${backendDir}`;

  const envVars: Record<string, string> = {
    PULUMI_HOME: pulumiHome,
    PULUMI_BACKEND_URL: backendUrl,
    PULUMI_CONFIG_PASSPHRASE: "entra-nudge-tests",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
  };

  return {
    dir,
    pulumiHome,
    backendUrl,
    workDir,
    envVars,
    pulumiCommand,
    cleanup: async () => fs.promises.rm(dir, { recursive: true, force: true }),
  };
}

/**
 * The environment for running the `pulumi` CLI itself (not through Automation API) in a workspace:
 * the engine's directory first on PATH, so `pulumi` is this engine and the engine finds its
 * language host and dynamic-provider launcher, plus the workspace's offline settings.
 */
export async function cliEnvironment(
  envVars: Record<string, string>,
): Promise<{ env: NodeJS.ProcessEnv; engine: Engine }> {
  const engine = await provideEngine({ log: () => undefined });
  const pathDirs = process.env.ENTRA_NUDGE_PULUMI
    ? [path.dirname(path.resolve(process.env.ENTRA_NUDGE_PULUMI)), ...engine.pathDirs]
    : engine.pathDirs;
  return {
    engine,
    env: {
      ...process.env,
      ...envVars,
      PATH: [...new Set(pathDirs), process.env.PATH ?? ""].join(path.delimiter),
    },
  };
}

export interface ShellRun {
  code: number | null;
  stdout: string;
  /** stdout and stderr, interleaved as a terminal shows them. */
  output: string;
}

/**
 * Runs one command line with sh in `cwd`, as a user's shell would (`pulumi …`, `entra-nudge …`
 * with the environment of {@link cliEnvironment}); asynchronously, since the emulator answers
 * from this process.
 */
export async function runShell(
  line: string,
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<ShellRun> {
  const child = spawn("sh", ["-c", line], { ...options, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    output += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { code, stdout, output };
}

/** One of this package's resources, as a state records it. */
export interface RecordedResource {
  /** "RegistrationCampaign", "PasskeyPolicy", … */
  kind: string;
  name: string;
  id: string;
  inputs: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/**
 * A stack's state (`pulumi stack import` JSON) holding these resources, as `pulumi up` records
 * them: for commands that read a stack (provider/stack.ts) without deploying it.
 */
export function recordedState(project: string, stack: string, resources: RecordedResource[]) {
  const urn = (type: string, name: string) => `urn:pulumi:${stack}::${project}::${type}::${name}`;
  const root = urn("pulumi:pulumi:Stack", `${project}-${stack}`);
  const providerId = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
  const provider = urn("pulumi:providers:pulumi-nodejs", "default");
  return {
    version: 3,
    deployment: {
      manifest: { time: new Date().toISOString(), magic: "", version: "" },
      resources: [
        { urn: root, custom: false, type: "pulumi:pulumi:Stack" },
        { urn: provider, custom: true, id: providerId, type: "pulumi:providers:pulumi-nodejs" },
        ...resources.map((r) => ({
          urn: urn(`pulumi-nodejs:dynamic/entra-nudge:${r.kind}`, r.name),
          custom: true,
          id: r.id,
          type: `pulumi-nodejs:dynamic/entra-nudge:${r.kind}`,
          inputs: r.inputs,
          outputs: r.outputs ?? r.inputs,
          parent: root,
          provider: `${provider}::${providerId}`,
        })),
      ],
    },
  };
}

/**
 * A stack "dev" that is never deployed (its state is imported with recordedState), in an isolated
 * workspace, and the environment the CLI's --stack commands read it with: the workspace's backend
 * and `appEnv` (an emulator app's sign-in), the reports pacing off.
 */
export async function undeployedStack(
  projectName: string,
  appEnv: Record<string, string>,
): Promise<{ workspace: IsolatedWorkspace; stack: Stack; env: NodeJS.ProcessEnv }> {
  const workspace = await isolatedWorkspace();
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: "dev", projectName, program: async () => undefined },
    {
      pulumiCommand: workspace.pulumiCommand,
      pulumiHome: workspace.pulumiHome,
      envVars: workspace.envVars,
      workDir: workspace.workDir,
      projectSettings: { name: projectName, runtime: "nodejs", main: projectRoot },
    },
  );
  const env = {
    ...process.env,
    ...workspace.envVars,
    ...appEnv,
    ENTRA_NUDGE_REPORT_RATE_LIMIT: "off",
  };
  return { workspace, stack, env };
}
