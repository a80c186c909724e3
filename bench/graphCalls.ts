// Part 1: Graph calls per operation, through the real engine (Automation API, inline programs)
// against the emulator, counted from the emulator's request log.
import { generateTenant } from "../emulator/generate";
import { startEmulator, type RunningEmulator } from "../emulator/index";
import seedScenario from "../examples/seed-scenario";
import { seedProjectName } from "../examples/seed-scenario/project";
import { AuthenticatorPolicy, PasskeyPolicy, PilotGroup, RegistrationCampaign } from "../provider";
import { benchStack, countCalls, log, logged, type CallCount } from "./common";
import {
  LARGE_SHAPE,
  OPERATIONS,
  PASSKEY_SHAPE,
  SEED_SHAPE,
  minimumCalls,
  type CallFigure,
  type Operation,
  type ScenarioShape,
} from "./minimums";

export interface OperationResult {
  operation: Operation;
  measured: CallCount;
  minimum: CallFigure;
  wallMs: number;
}

export interface ScenarioResult {
  scenario: "seed" | "large" | "passkey";
  description: string;
  operations: OperationResult[];
}

/** The larger scenario's program: 5 pilot groups of 200 members (object ids), both singletons. */
function largeProgram(
  memberIds: string[][],
  breakGlassGroupId: string,
  options: { snoozeDurationInDays: number },
): void {
  const groups = memberIds.map(
    (members, i) =>
      new PilotGroup(`pilot-${i + 1}`, {
        displayName: `Authenticator pilot wave ${i + 1}`,
        members,
      }),
  );
  const authenticator = new AuthenticatorPolicy("authenticator", {
    state: "enabled",
    includeTargets: groups.map((g) => ({
      id: g.id,
      targetType: "group" as const,
      authenticationMode: "any" as const,
    })),
  });
  new RegistrationCampaign(
    "campaign",
    {
      state: "enabled",
      snoozeDurationInDays: options.snoozeDurationInDays,
      includeTargets: groups.map((g) => ({ id: g.id, targetType: "group" as const })),
      excludeTargets: [{ id: breakGlassGroupId, targetType: "group" }],
    },
    { dependsOn: [authenticator] },
  );
}

/**
 * The passkey scenario's program: the FIDO2 configuration with the tenant's default profile kept
 * and a "Pilot" profile added for everyone; the change turns self-service setup off.
 */
function passkeyProgram(changed: boolean): void {
  new PasskeyPolicy("passkeys", {
    state: "enabled",
    isSelfServiceRegistrationAllowed: !changed,
    passkeyProfiles: [
      { name: "Default passkey profile", passkeyTypes: ["deviceBound"] },
      { name: "Pilot", passkeyTypes: ["deviceBound", "synced"] },
    ],
    includeTargets: [{ id: "all_users", targetType: "group", allowedPasskeyProfiles: ["Pilot"] }],
  });
}

interface ScenarioSetup {
  scenario: ScenarioResult["scenario"];
  description: string;
  shape: ScenarioShape;
  emulator: RunningEmulator;
  projectName: string;
  /** The program; `changed` makes the one-property change (the campaign's snooze days). */
  program: (changed: boolean) => void;
}

async function runScenario(pulumiRoot: string, setup: ScenarioSetup): Promise<ScenarioResult> {
  const { emulator } = setup;
  const state = { changed: false };
  const bench = await benchStack({
    pulumiRoot,
    projectName: setup.projectName,
    program: async () => setup.program(state.changed),
    env: {
      ...emulator.env("writer"),
      // As the end-to-end tests: no real backoff if the emulator ever answers with a fault.
      ENTRA_NUDGE_RETRY_DELAY_SECONDS: "0",
    },
  });
  const operations: OperationResult[] = [];
  const steps: Record<Operation, () => Promise<unknown>> = {
    up: () => bench.stack.up(),
    preview: () => bench.stack.preview(),
    previewRefresh: () => bench.stack.preview({ refresh: true }),
    upNoChange: () => bench.stack.up(),
    change: () => {
      state.changed = true;
      return bench.stack.up();
    },
    refresh: () => bench.stack.refresh(),
    destroy: () => bench.stack.destroy(),
  };
  try {
    for (const operation of OPERATIONS) {
      const started = process.hrtime.bigint();
      const { entries } = await logged(emulator, steps[operation]);
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const measured = countCalls(entries);
      operations.push({
        operation,
        measured,
        minimum: minimumCalls(setup.shape, operation),
        wallMs,
      });
      log(
        `${setup.scenario} ${operation}: ${measured.reads} reads, ${measured.writes} writes ` +
          `(${measured.roundTrips} round trips), ${measured.signIns} sign-ins, ${Math.round(wallMs)} ms`,
      );
    }
  } finally {
    await bench.cleanup();
  }
  return { scenario: setup.scenario, description: setup.description, operations };
}

/** Runs a scenario on its own emulator (started with `options`), closed afterwards. */
async function onOwnEmulator(
  pulumiRoot: string,
  options: Parameters<typeof startEmulator>[0],
  setup: Omit<ScenarioSetup, "emulator">,
): Promise<ScenarioResult> {
  const emulator = await startEmulator(options);
  try {
    return await runScenario(pulumiRoot, { ...setup, emulator });
  } finally {
    await emulator.close();
  }
}

export async function measureGraphCalls(pulumiRoot: string): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  results.push(
    await onOwnEmulator(pulumiRoot, undefined, {
      scenario: "seed",
      description:
        "the seed scenario: a pilot group with 1 member (by UPN), Authenticator, the campaign",
      shape: SEED_SHAPE,
      projectName: seedProjectName(),
      program: (changed) => {
        seedScenario({ snoozeDurationInDays: changed ? 3 : 0 });
      },
    }),
  );

  // A tenant with enough users for 5 groups of 200 (emulator/generate.ts, fixed seed).
  const tenant = generateTenant({ users: 1_200, seed: 8 });
  const breakGlass = tenant.groups.find((g) => g.displayName === "Emergency Access Accounts");
  if (!breakGlass) throw new Error("The generated tenant has no break-glass group.");
  const groupSize = LARGE_SHAPE.groups[0].members;
  const memberIds = LARGE_SHAPE.groups.map((_, i) =>
    tenant.users.slice(i * groupSize, (i + 1) * groupSize).map((u) => u.id),
  );
  results.push(
    await onOwnEmulator(
      pulumiRoot,
      { tenant },
      {
        scenario: "large",
        description:
          "the larger scenario: 5 pilot groups of 200 members (by object id), Authenticator, the campaign",
        shape: LARGE_SHAPE,
        projectName: "entra-nudge-bench-large",
        program: (changed) =>
          largeProgram(memberIds, breakGlass.id, { snoozeDurationInDays: changed ? 3 : 0 }),
      },
    ),
  );

  results.push(
    await onOwnEmulator(pulumiRoot, undefined, {
      scenario: "passkey",
      description:
        "the passkey scenario: the passkey (FIDO2) configuration alone, adding a profile a target names",
      shape: PASSKEY_SHAPE,
      projectName: "entra-nudge-bench-passkey",
      program: passkeyProgram,
    }),
  );
  return results;
}
