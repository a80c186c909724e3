// Support for the drift and preview-summary suites: a small program (a pilot group, the
// Authenticator policy and the campaign, with the settings the tests change), its stack run inline
// by the real engine against the emulator, the `entra-nudge` command run in-process, and the
// "portal": out-of-band edits made with the writer's credentials through the typed Graph calls.
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, type EngineEvent, type Stack } from "@pulumi/pulumi/automation";
import { AuthenticatorPolicy, PilotGroup, RegistrationCampaign } from "../../provider";
import { main } from "../../provider/cli";
import { resolveSettings } from "../../provider/config";
import {
  GraphClient,
  changeRelationship,
  deleteGroup,
  getAuthenticationMethodsPolicy,
  getAuthenticatorConfiguration,
  patchAuthenticatorConfiguration,
  patchRegistrationEnforcement,
} from "../../provider/graph";
import type { RunningEmulator } from "../../emulator/index.js";
import { isolatedWorkspace, projectRoot, type IsolatedWorkspace } from "../support/engine";

/** Objects of the emulator's default tenant (emulator/tenants/default.json). */
export const BREAK_GLASS_GROUP_ID = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c"; // Emergency Access Accounts
export const ENGINEERING_GROUP_ID = "0b2aab64-4927-523f-872d-07057afedf1e";
export const SALES_GROUP_ID = "2fbb5b75-4b8e-581b-9aaa-28ef3cb88c74";
export const PILOT_USER_UPN = "pilot.user@contoso.onmicrosoft.com";
export const PILOT_USER_ID = "bb1d6c17-7043-5689-a17d-aa610e2a4115";
export const PILOT_GROUP_NAME = "Drift pilot";

type Target = { id: string; targetType: "user" | "group" };

/** What the tests change between runs of the program. */
export interface ProgramOptions {
  campaignState?: "enabled" | "disabled" | "default";
  snoozeDurationInDays?: number;
  excludeTargets?: Target[];
  authenticationMode?: "any" | "push" | "deviceBasedPush";
}

/** The seed scenario's shape, with two included groups so that one can be removed. */
export function driftProgram(options: ProgramOptions): void {
  const pilot = new PilotGroup("pilot", {
    displayName: PILOT_GROUP_NAME,
    description: "Users asked to set up Microsoft Authenticator first",
    members: [PILOT_USER_UPN],
  });
  // The campaign is declared before the policy, so the program's eligibility check (which only
  // warns here: Engineering is not enabled for Authenticator) never holds the campaign back.
  new RegistrationCampaign("campaign", {
    state: options.campaignState ?? "enabled",
    snoozeDurationInDays: options.snoozeDurationInDays ?? 0,
    includeTargets: [
      { id: pilot.id, targetType: "group" },
      { id: ENGINEERING_GROUP_ID, targetType: "group" },
    ],
    excludeTargets: options.excludeTargets ?? [{ id: BREAK_GLASS_GROUP_ID, targetType: "group" }],
  });
  new AuthenticatorPolicy("authenticator", {
    state: "enabled",
    includeTargets: [
      {
        id: pilot.id,
        targetType: "group",
        authenticationMode: options.authenticationMode ?? "any",
      },
    ],
    // Narrowing Authenticator to the pilot takes it from its users: accepted here, drift is under test.
    allowMethodLoss: true,
  });
}

/** The emulator's default tenant under another tenant id (several tenants in one test). */
export function tenantWithId(tenantId: string): Record<string, unknown> {
  const tenant = JSON.parse(
    fs.readFileSync(path.join(projectRoot, "emulator", "tenants", "default.json"), "utf8"),
  ) as Record<string, unknown>;
  return { ...tenant, tenantId };
}

/** Fast retries, so that injected faults do not slow the suite down with real backoff. */
export const RETRY_ENV = {
  ENTRA_NUDGE_RETRY_DELAY_SECONDS: "0",
  ENTRA_NUDGE_MAX_RETRIES: "1",
  ENTRA_NUDGE_TIMEOUT_MS: "5000",
};

export class DriftStack {
  private constructor(
    readonly stack: Stack,
    readonly workspace: IsolatedWorkspace,
    readonly stackName: string,
    private readonly program: { options: ProgramOptions },
  ) {}

  /** The program's settings; change them between operations to change the program. */
  get options(): ProgramOptions {
    return this.program.options;
  }

  set options(options: ProgramOptions) {
    this.program.options = options;
  }

  static async create(emulator: RunningEmulator, stackName: string): Promise<DriftStack> {
    const workspace = await isolatedWorkspace();
    const projectName = "entra-nudge-drift-tests";
    // The closure reads the current options, so a test changes the program between runs.
    const program = { options: {} as ProgramOptions };
    const stack = await LocalWorkspace.createOrSelectStack(
      {
        stackName,
        projectName,
        program: async () => driftProgram(program.options),
      },
      {
        pulumiCommand: workspace.pulumiCommand,
        pulumiHome: workspace.pulumiHome,
        envVars: { ...workspace.envVars, ...emulator.env("writer"), ...RETRY_ENV },
        workDir: workspace.workDir,
        // The engine starts the dynamic provider in `main`, which must resolve the package.
        projectSettings: { name: projectName, runtime: "nodejs", main: projectRoot },
      },
    );
    return new DriftStack(stack, workspace, stackName, program);
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

  async cleanup(): Promise<void> {
    await this.workspace.cleanup();
  }
}

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `entra-nudge <args>` in this process, as the bin does. */
export async function entraNudge(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string = projectRoot,
): Promise<CommandRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env,
    cwd,
  });
  return { code, stdout, stderr };
}

/** Someone editing the tenant in the portal: real Graph calls with the writer's credentials. */
export class Portal {
  readonly graph: GraphClient;

  constructor(emulator: RunningEmulator) {
    this.graph = new GraphClient(
      resolveSettings(() => undefined, emulator.env("writer")),
      {
        retryDelaySeconds: 0,
      },
    );
  }

  async campaign(): Promise<Record<string, unknown>> {
    const policy = await getAuthenticationMethodsPolicy(this.graph);
    return policy.registrationEnforcement?.authenticationMethodsRegistrationCampaign as Record<
      string,
      unknown
    >;
  }

  /** The portal sends the whole campaign back with the edit applied. */
  async editCampaign(edit: (campaign: Record<string, unknown>) => void): Promise<void> {
    const campaign = structuredClone(await this.campaign());
    edit(campaign);
    await patchRegistrationEnforcement(this.graph, {
      authenticationMethodsRegistrationCampaign: campaign,
    });
  }

  async authenticator(): Promise<Record<string, unknown>> {
    return (await getAuthenticatorConfiguration(this.graph)) as Record<string, unknown>;
  }

  async setAuthenticator(settings: Record<string, unknown>): Promise<void> {
    await patchAuthenticatorConfiguration(this.graph, {
      state: settings.state as "enabled" | "disabled",
      includeTargets: settings.includeTargets as never,
      excludeTargets: settings.excludeTargets as never,
    });
  }

  async removeMember(groupId: string, userId: string): Promise<void> {
    await changeRelationship(this.graph, groupId, "members", "remove", [userId]);
  }

  async addMember(groupId: string, userId: string): Promise<void> {
    await changeRelationship(this.graph, groupId, "members", "add", [userId]);
  }

  async deleteGroup(groupId: string): Promise<void> {
    await deleteGroup(this.graph, groupId);
  }
}

/** Engine events as `pulumi preview --event-log FILE` writes them: one JSON object per line. */
export function writeEventLog(file: string, events: EngineEvent[]): void {
  fs.writeFileSync(file, events.map((event) => JSON.stringify(event)).join("\n") + "\n");
}

export const fixturesDir = path.join(projectRoot, "tests", "fixtures", "drift");

/** The CLI exit code behind a CommandError (one implementation, in scripts/engine). */
export { commandExitCode as exitCode } from "../../scripts/engine";
