// The one harness for tests that drive the real Pulumi engine: a program run inline through the
// Automation API against the emulator, in an isolated workspace (./engine), with the program's
// settings changeable between operations and every engine event, stdout and stderr line kept so
// that tests assert on what a user sees. `seedStack` is the seed program (examples/seed-scenario);
// any other program is `EngineStack.create` with that program.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import {
  LocalWorkspace,
  type EngineEvent,
  type OpType,
  type Stack,
  type StepEventMetadata,
} from "@pulumi/pulumi/automation";
import seedScenario from "../../examples/seed-scenario";
import { seedProjectName } from "../../examples/seed-scenario/project";
import type { RunningEmulator } from "../../emulator/index.js";
import { isolatedWorkspace, projectRoot, type IsolatedWorkspace } from "./engine";
import type { GraphCampaign, Tenant } from "./tenant";

/** Fast retries: the emulator's faults must not slow the suite down with real backoff. */
export const FAST_RETRIES = {
  ENTRA_NUDGE_RETRY_DELAY_SECONDS: "0",
  ENTRA_NUDGE_MAX_RETRIES: "4",
  ENTRA_NUDGE_TIMEOUT_MS: "10000",
};

/** One immediate retry and a short timeout: for tests where a fault should fail fast. */
export const ONE_RETRY = {
  ENTRA_NUDGE_RETRY_DELAY_SECONDS: "0",
  ENTRA_NUDGE_MAX_RETRIES: "1",
  ENTRA_NUDGE_TIMEOUT_MS: "5000",
};

export interface EngineStackSetup<O> {
  stackName: string;
  projectName: string;
  /** The program, called with the stack's current {@link EngineStack.options} at each run. */
  program: (options: O) => unknown;
  options?: O;
  /** The emulator whose app signs the provider in through AZURE_* variables; omitted: none. */
  emulator?: RunningEmulator;
  /** That emulator's app (default "writer"). */
  app?: string;
  /** Leave AZURE_CLIENT_SECRET out of the environment (the secret comes from stack config). */
  withoutSecretInEnvironment?: boolean;
  /** Further environment for the engine and the provider process (retries, CA, timeouts). */
  env?: Record<string, string>;
  /** A workspace shared with other stacks (one backend); by default the stack has its own. */
  workspace?: IsolatedWorkspace;
}

/**
 * A workspace whose engine runs this package's policy pack: no Node.js language host (the test
 * language host cannot start policy packs, see engineWithoutLanguageHost) and the analyzer plugin
 * installed from scripts/. Its stacks are created with `workspace` set to it.
 */
export async function policyWorkspace(): Promise<IsolatedWorkspace> {
  const workspace = await isolatedWorkspace({ languageHost: false });
  const analyzer = path.join(projectRoot, "scripts", "pulumi-analyzer-policy-nodejs");
  execFileSync(
    workspace.pulumiCommand.command,
    ["plugin", "install", "analyzer", "policy-nodejs", "3.248.0", "--file", analyzer],
    { env: { ...process.env, ...workspace.envVars }, stdio: "pipe" },
  );
  return workspace;
}

/** What one engine operation showed the user. */
export interface Operation<T> {
  result?: T;
  error?: unknown;
  events: EngineEvent[];
  stdout: string;
  stderr: string;
}

/** The callbacks an Automation API operation takes; pass them on as its options. */
export interface Handlers {
  onEvent: (event: EngineEvent) => void;
  onOutput: (text: string) => void;
  onError: (text: string) => void;
  /** Interrupts the CLI (SIGINT) when an operation hangs, before mocha's timeout would. */
  signal: AbortSignal;
}

export type Runner<T> = (handlers: Handlers) => Promise<T>;

/** No operation of the tests' programs takes this long, even cold and retrying. */
const OPERATION_TIMEOUT_MS = 60_000;

export class EngineStack<O = Record<string, never>> {
  /** Everything the engine showed across all operations (the secret test reads it all). */
  readonly transcript: string[] = [];

  private constructor(
    readonly stack: Stack,
    readonly workspace: IsolatedWorkspace,
    private readonly program: { options: O },
    private readonly ownsWorkspace: boolean,
  ) {}

  /** The program's settings; change them between operations to change the program. */
  get options(): O {
    return this.program.options;
  }

  set options(options: O) {
    this.program.options = options;
  }

  get stackName(): string {
    return this.stack.name;
  }

  static async create<O = Record<string, never>>(
    setup: EngineStackSetup<O>,
  ): Promise<EngineStack<O>> {
    const workspace = setup.workspace ?? (await isolatedWorkspace());
    const credentials = setup.emulator ? setup.emulator.env(setup.app ?? "writer") : {};
    if (setup.withoutSecretInEnvironment) delete credentials.AZURE_CLIENT_SECRET;
    // The closure reads the current options, so a test changes the program between runs.
    const program = { options: setup.options ?? ({} as O) };
    const stack = await LocalWorkspace.createOrSelectStack(
      {
        stackName: setup.stackName,
        projectName: setup.projectName,
        // What the program returns becomes the stack's outputs.
        program: async () => (await setup.program(program.options)) as Record<string, unknown>,
      },
      {
        pulumiCommand: workspace.pulumiCommand,
        pulumiHome: workspace.pulumiHome,
        envVars: { ...workspace.envVars, ...credentials, ...setup.env },
        workDir: workspace.workDir,
        // The engine starts the dynamic provider in `main`: the repository root resolves
        // @pulumi/pulumi and pulumi-entra-nudge (the self-link) there.
        projectSettings: { name: setup.projectName, runtime: "nodejs", main: projectRoot },
      },
    );
    return new EngineStack(stack, workspace, program, setup.workspace === undefined);
  }

  /** The environment the pulumi CLI needs to find this stack (backend, home, passphrase). */
  get pulumiEnv(): Record<string, string> {
    return { ...this.workspace.envVars };
  }

  /** Writes the stack's state as `pulumi stack export --file` would. */
  async exportTo(file: string): Promise<void> {
    const state = await this.stack.exportStack();
    fs.writeFileSync(file, JSON.stringify(state, null, 2));
  }

  /** Runs an operation, keeping what it showed; never throws (see {@link Operation.error}). */
  async attempt<T>(run: Runner<T>): Promise<Operation<T>> {
    const operation: Operation<T> = { events: [], stdout: "", stderr: "" };
    const signal = AbortSignal.timeout(OPERATION_TIMEOUT_MS);
    try {
      operation.result = await run({
        signal,
        onEvent: (event) => {
          operation.events.push(event);
          this.transcript.push(JSON.stringify(event));
        },
        onOutput: (text) => {
          operation.stdout += text;
          this.transcript.push(text);
        },
        onError: (text) => {
          operation.stderr += text;
          this.transcript.push(text);
        },
      });
    } catch (error) {
      operation.error = signal.aborted
        ? new Error(`the engine operation did not finish in ${OPERATION_TIMEOUT_MS / 1000} s`)
        : error;
      this.transcript.push(String(error));
    }
    return operation;
  }

  /** Like {@link attempt}, but a failed operation fails the test with the engine's message. */
  async succeed<T>(run: Runner<T>): Promise<Operation<T> & { result: T }> {
    const operation = await this.attempt(run);
    if (operation.error !== undefined) {
      expect.fail(`the engine operation failed: ${String(operation.error)}\n${operation.stderr}`);
    }
    return operation as Operation<T> & { result: T };
  }

  /** Removes the stack's workspace, unless it is shared (its owner removes it). */
  async cleanup(): Promise<void> {
    if (this.ownsWorkspace) await this.workspace.cleanup();
  }
}

export type SeedOptions = NonNullable<Parameters<typeof seedScenario>[0]>;

export type SeedStack = EngineStack<SeedOptions>;

/** The seed program's pilot group name (examples/seed-scenario). */
export const PILOT_GROUP_NAME = "Authenticator pilot";

/** The seed program, under the root Pulumi.yaml's project name, with fast retries. */
export function seedStack(
  emulator: RunningEmulator,
  setup: Pick<EngineStackSetup<SeedOptions>, "stackName" | "app" | "withoutSecretInEnvironment"> & {
    env?: Record<string, string>;
  },
): Promise<EngineStack<SeedOptions>> {
  return EngineStack.create<SeedOptions>({
    ...setup,
    emulator,
    projectName: seedProjectName(),
    program: (options) => seedScenario(options),
    env: { ...FAST_RETRIES, ...setup.env },
  });
}

/** One of the program's resources as a step event names it. */
export interface Step {
  /** The resource's name in the program ("pilot", "authenticator", "campaign"). */
  name: string;
  op: OpType;
  metadata: StepEventMetadata;
}

/** The program's resource steps announced before each operation (preview, update, refresh). */
export function steps(events: EngineEvent[]): Step[] {
  return events
    .map((event) => event.resourcePreEvent?.metadata)
    .filter((metadata): metadata is StepEventMetadata => metadata !== undefined)
    .filter((metadata) => metadata.type.includes("entra-nudge:"))
    .map((metadata) => ({
      name: metadata.urn.split("::").pop() as string,
      op: metadata.op,
      metadata,
    }));
}

/** The program's resources and what the engine did to each: `{ campaign: "update", ... }`. */
export function stepOps(events: EngineEvent[]): Record<string, OpType> {
  return Object.fromEntries(steps(events).map((step) => [step.name, step.op]));
}

export function diagnostics(
  events: EngineEvent[],
  severity: "warning" | "error" | "info",
): string[] {
  return events
    .map((event) => event.diagnosticEvent)
    .filter((d) => d !== undefined && d.severity === severity)
    .map((d) => (d as { message: string }).message);
}

/** Engine events as `pulumi preview --event-log FILE` writes them: one JSON object per line. */
export function writeEventLog(file: string, events: EngineEvent[]): void {
  fs.writeFileSync(file, events.map((event) => JSON.stringify(event)).join("\n") + "\n");
}

type Props = Record<string, unknown>;

interface StateResource {
  urn: string;
  type: string;
  id?: string;
  outputs?: Props;
}

/** The program's resources as the stack's state records them (read through `pulumi stack export`). */
export async function recordedResources<O>(
  engineStack: EngineStack<O>,
): Promise<Map<string, StateResource>> {
  const state = await engineStack.stack.exportStack();
  const resources = (state.deployment.resources ?? []) as StateResource[];
  return new Map(
    resources
      .filter((r) => r.type.includes("entra-nudge:"))
      .map((r) => [r.urn.split("::").pop() as string, r]),
  );
}

const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);

/**
 * The state never claims what Graph lacks: a recorded group exists with the recorded members, and
 * the recorded settings of the singletons are the tenant's.
 */
export async function expectStateTruthful<O>(
  engineStack: EngineStack<O>,
  tenant: Tenant,
): Promise<void> {
  const recorded = await recordedResources(engineStack);
  const pilot = recorded.get("pilot");
  if (pilot) {
    const members = await tenant.get<{ value: { id: string }[] }>(
      `/v1.0/groups/${pilot.id}/members?$select=id`,
    );
    expect(
      members.value.map((m) => m.id).sort(),
      "the recorded pilot group's members are Graph's",
    ).to.deep.equal(pilot.outputs?.memberIds);
  }
  const campaign = recorded.get("campaign");
  if (campaign) {
    const actual = await tenant.campaign();
    const outputs = campaign.outputs as unknown as GraphCampaign;
    expect({
      state: actual.state,
      snoozeDurationInDays: actual.snoozeDurationInDays,
      includeTargets: [...actual.includeTargets].sort(byId),
      excludeTargets: [...actual.excludeTargets].sort(byId),
    }).to.deep.equal({
      state: outputs.state,
      snoozeDurationInDays: outputs.snoozeDurationInDays,
      includeTargets: [...outputs.includeTargets].sort(byId),
      excludeTargets: [...outputs.excludeTargets].sort(byId),
    });
  }
  const authenticator = recorded.get("authenticator");
  if (authenticator) {
    const actual = await tenant.authenticator();
    const outputs = authenticator.outputs as Props;
    expect(actual.state).to.equal(outputs.state);
    expect([...(actual.includeTargets as { id: string }[])].sort(byId)).to.deep.equal(
      [...(outputs.includeTargets as { id: string }[])].sort(byId),
    );
  }
}

/** The CLI exit code behind a CommandError (one implementation, in scripts/engine). */
export { commandExitCode as exitCode } from "../../scripts/engine";
