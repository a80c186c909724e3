// The end-to-end harness: the seed program (examples/seed-scenario) run inline through the
// Automation API by the real engine against the emulator, with every engine event, stdout and
// stderr line kept so that tests assert on what a user sees. One SeedStack per describe() block.
import { expect } from "chai";
import {
  LocalWorkspace,
  type EngineEvent,
  type OpType,
  type Stack,
  type StepEventMetadata,
} from "@pulumi/pulumi/automation";
import seedScenario from "../../examples/seed-scenario";
import { repositoryRoot, seedProjectName } from "../../examples/seed-scenario/project";
import type { RunningEmulator } from "../../emulator/index.js";
import { getToken, rawRequest } from "../support/emulator";
import { isolatedWorkspace, type IsolatedWorkspace } from "../support/engine";

export type SeedOptions = NonNullable<Parameters<typeof seedScenario>[0]>;

/** The default tenant's objects the seed scenario names (emulator/tenants/default.json). */
export const BREAK_GLASS_GROUP_ID = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c";
export const PILOT_USER_UPN = "pilot.user@contoso.onmicrosoft.com";
export const PILOT_USER_ID = "bb1d6c17-7043-5689-a17d-aa610e2a4115";
export const PILOT_GROUP_NAME = "Authenticator pilot";

export const CAMPAIGN_PATH = "/v1.0/policies/authenticationMethodsPolicy";
export const AUTHENTICATOR_PATH = `${CAMPAIGN_PATH}/authenticationMethodConfigurations/MicrosoftAuthenticator`;

/** What one engine operation showed the user. */
export interface Operation<T> {
  result?: T;
  error?: unknown;
  events: EngineEvent[];
  stdout: string;
  stderr: string;
}

/** One of the program's resources as a step event names it. */
export interface Step {
  /** The resource's name in the program ("pilot", "authenticator", "campaign"). */
  name: string;
  op: OpType;
  metadata: StepEventMetadata;
}

interface SeedStackOptions {
  stackName: string;
  /** The emulator app whose credential the provider uses (default "writer"). */
  app?: string;
  /** Leave AZURE_CLIENT_SECRET out of the environment (the secret comes from stack config). */
  withoutSecretInEnvironment?: boolean;
  /** Further environment for the engine and the provider process. */
  env?: Record<string, string>;
}

/** The callbacks an Automation API operation takes; pass them on as its options. */
export interface Handlers {
  onEvent: (event: EngineEvent) => void;
  onOutput: (text: string) => void;
  onError: (text: string) => void;
  /** Interrupts the CLI (SIGINT) when an operation hangs, before mocha's timeout would. */
  signal: AbortSignal;
}

/** No operation of the seed program takes this long, even cold and retrying. */
const OPERATION_TIMEOUT_MS = 60_000;

export type Runner<T> = (handlers: Handlers) => Promise<T>;

/** Fast retries: the emulator's faults must not slow the suite down with real backoff. */
const RETRY_ENV = {
  ENTRA_NUDGE_RETRY_DELAY_SECONDS: "0",
  ENTRA_NUDGE_MAX_RETRIES: "4",
  ENTRA_NUDGE_TIMEOUT_MS: "10000",
};

export class SeedStack {
  /** Everything the engine showed across all operations (the secret test reads it all). */
  readonly transcript: string[] = [];

  private constructor(
    readonly stack: Stack,
    readonly workspace: IsolatedWorkspace,
    private readonly program: { options: SeedOptions },
  ) {}

  /** The program's arguments; change them between operations to change the program. */
  get options(): SeedOptions {
    return this.program.options;
  }

  set options(options: SeedOptions) {
    this.program.options = options;
  }

  static async create(emulator: RunningEmulator, options: SeedStackOptions): Promise<SeedStack> {
    const workspace = await isolatedWorkspace();
    const credentials = emulator.env(options.app ?? "writer");
    if (options.withoutSecretInEnvironment) delete credentials.AZURE_CLIENT_SECRET;
    const projectName = seedProjectName();
    const program = { options: {} };
    const stack = await LocalWorkspace.createOrSelectStack(
      {
        stackName: options.stackName,
        projectName,
        // The closure reads the current options, so a test changes the program between runs.
        program: async () => seedScenario(program.options),
      },
      {
        pulumiCommand: workspace.pulumiCommand,
        pulumiHome: workspace.pulumiHome,
        envVars: { ...workspace.envVars, ...credentials, ...RETRY_ENV, ...options.env },
        workDir: workspace.workDir,
        // The engine starts the dynamic provider in `main`: the repository root resolves
        // @pulumi/pulumi and pulumi-entra-nudge (the self-link) there.
        projectSettings: { name: projectName, runtime: "nodejs", main: repositoryRoot },
      },
    );
    return new SeedStack(stack, workspace, program);
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

  async cleanup(): Promise<void> {
    await this.workspace.cleanup();
  }
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

/** Reads and writes Graph as anyone else would (the portal, an admin's script): real calls. */
export class Tenant {
  constructor(private readonly emulator: RunningEmulator) {}

  async get<T>(path: string, app = "writer"): Promise<T> {
    const response = await rawRequest(this.emulator, {
      path,
      token: await getToken(this.emulator, app),
    });
    expect(response.status, `GET ${path}: ${response.text}`).to.equal(200);
    return response.json as T;
  }

  async patch(path: string, body: unknown, app = "writer"): Promise<void> {
    const response = await rawRequest(this.emulator, {
      method: "PATCH",
      path,
      body,
      token: await getToken(this.emulator, app),
    });
    expect(response.status, `PATCH ${path}: ${response.text}`).to.be.oneOf([200, 204]);
  }

  async campaign(version: "v1.0" | "beta" = "v1.0"): Promise<GraphCampaign> {
    const policy = await this.get<{
      registrationEnforcement: { authenticationMethodsRegistrationCampaign: GraphCampaign };
    }>(CAMPAIGN_PATH.replace("/v1.0", `/${version}`));
    return policy.registrationEnforcement.authenticationMethodsRegistrationCampaign;
  }

  async authenticator(version: "v1.0" | "beta" = "v1.0"): Promise<Record<string, unknown>> {
    return this.get(AUTHENTICATOR_PATH.replace("/v1.0", `/${version}`));
  }

  /** The groups with this display name, with their member ids (sorted). */
  async groupsNamed(displayName: string): Promise<{ id: string; memberIds: string[] }[]> {
    const filter = encodeURIComponent(`displayName eq '${displayName.replace(/'/g, "''")}'`);
    const groups = await this.get<{ value: { id: string }[] }>(
      `/v1.0/groups?$filter=${filter}&$select=id`,
    );
    return Promise.all(
      groups.value.map(async (group) => {
        const members = await this.get<{ value: { id: string }[] }>(
          `/v1.0/groups/${group.id}/members?$select=id`,
        );
        return { id: group.id, memberIds: members.value.map((m) => m.id).sort() };
      }),
    );
  }

  /** Graph writes in the request log (not reads, not sign-ins), as "METHOD /path". */
  writes(): string[] {
    const guid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
    return this.emulator
      .requests()
      .filter((r) => /^\/(v1\.0|beta)\//.test(r.path) && r.method !== "GET")
      .filter((r) => !r.path.endsWith("/$batch"))
      .map((r) => `${r.method} ${r.path.replace(guid, "{id}")}`);
  }
}

export interface GraphCampaign {
  state: string;
  snoozeDurationInDays: number;
  enforceRegistrationAfterAllowedSnoozes?: boolean;
  includeTargets: { id: string; targetType: string; targetedAuthenticationMethod: string }[];
  excludeTargets: { id: string; targetType: string }[];
}

interface StateResource {
  urn: string;
  type: string;
  id?: string;
  outputs?: Props;
}

type Props = Record<string, unknown>;

/** The program's resources as the stack's state records them (read through `pulumi stack export`). */
export async function recordedResources(seed: SeedStack): Promise<Map<string, StateResource>> {
  const state = await seed.stack.exportStack();
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
export async function expectStateTruthful(seed: SeedStack, tenant: Tenant): Promise<void> {
  const recorded = await recordedResources(seed);
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
