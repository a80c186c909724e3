// Concurrency through the real engine (Automation API inline programs) against one emulator tenant:
// - two stacks that manage the same tenant's campaign from two backends (within one, the second is
//   refused at preview: ownership.test.ts), and a stack and a portal user, never overwrite each
//   other silently: each overwrite warns old → new, `entra-nudge drift` shows the
//   other's change, and `failOnExternalChange: true` turns the overwrite into an error that names
//   what changed, with nothing written;
// - two `up` runs of one stack at once: the DIY backend's lock stops the second, cleanly, and the
//   first completes. The overlap is made deterministic by holding the first run's Graph write until
//   the second run has failed (no timing involved).
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { ConcurrentUpdateError, type EngineEvent, type Stack } from "@pulumi/pulumi/automation";
import { RegistrationCampaign } from "../../provider";
import { run as runDrift } from "../../provider/cli/drift";
import { createGraphApi, DEFAULT_TENANT_FILE } from "../../emulator/graph/index.js";
import type { ConfigurableGraphApi } from "../../emulator/index.js";
import type { GraphRequest } from "../../emulator/types.js";
import type { RunningEmulator } from "../../emulator/index.js";
import { useEmulator } from "../support/emulator";
import { docBlock } from "../support/docBlocks";
import { isolatedWorkspace, type IsolatedWorkspace } from "../support/engine";
import { EngineStack, diagnostics, exitCode, stepOps, steps } from "../support/engineStack";
import { CAMPAIGN_PATH, type GraphCampaign, Tenant } from "../support/tenant";

type Target = { id: string; targetType: "user" | "group" };
type Props = Record<string, unknown>;

/** Groups of the emulator's default tenant (emulator/tenants/default.json). */
const BREAK_GLASS: Target = { id: "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c", targetType: "group" };
const SALES: Target = { id: "2fbb5b75-4b8e-581b-9aaa-28ef3cb88c74", targetType: "group" };

interface CampaignOptions {
  snoozeDurationInDays: number;
  excludeTargets: Target[];
  failOnExternalChange?: boolean;
}

/** The smallest program that manages the campaign (all users included, the default). */
function campaignProgram(options: CampaignOptions): void {
  new RegistrationCampaign("campaign", {
    state: "enabled",
    snoozeDurationInDays: options.snoozeDurationInDays,
    excludeTargets: options.excludeTargets,
    ...(options.failOnExternalChange === undefined
      ? {}
      : { failOnExternalChange: options.failOnExternalChange }),
  });
}

/** What one engine operation showed. */
interface Outcome<T> {
  result?: T;
  error?: unknown;
  events: EngineEvent[];
}

const PROJECT = "entra-nudge-concurrency-tests";

/** A stack of the campaign program in a shared workspace (backend, PULUMI_HOME, work dir). */
class CampaignStack {
  private constructor(private readonly engine: EngineStack<CampaignOptions>) {}

  get stack(): Stack {
    return this.engine.stack;
  }

  get options(): CampaignOptions {
    return this.engine.options;
  }

  set options(options: CampaignOptions) {
    this.engine.options = options;
  }

  static async create(
    emulator: RunningEmulator,
    workspace: IsolatedWorkspace,
    stackName: string,
    options: CampaignOptions,
    env: Record<string, string> = {},
  ): Promise<CampaignStack> {
    const engine = await EngineStack.create({
      stackName,
      projectName: PROJECT,
      workspace,
      program: campaignProgram,
      options,
      emulator,
      env: { ENTRA_NUDGE_RETRY_DELAY_SECONDS: "0", ...env },
    });
    return new CampaignStack(engine);
  }

  /** `pulumi up`, keeping the engine's events; never throws. */
  async up(): Promise<Outcome<unknown>> {
    const outcome: Outcome<unknown> = { events: [] };
    try {
      outcome.result = await this.stack.up({ onEvent: (e) => outcome.events.push(e) });
    } catch (error) {
      outcome.error = error;
    }
    return outcome;
  }

  async succeedUp(): Promise<EngineEvent[]> {
    const outcome = await this.up();
    if (outcome.error !== undefined) expect.fail(`up failed: ${String(outcome.error)}`);
    return outcome.events;
  }

  /** The campaign's recorded outputs. */
  async recorded(): Promise<Props> {
    const state = await this.stack.exportStack();
    const resources = (state.deployment.resources ?? []) as { urn: string; outputs?: Props }[];
    const campaign = resources.find((r) => r.urn.endsWith("::campaign"));
    return campaign?.outputs ?? {};
  }
}

/** The campaign's settings this suite changes, as Graph holds them (targets sorted by id). */
function settingsOf(campaign: Props | GraphCampaign): Props {
  const c = campaign as unknown as GraphCampaign;
  return {
    snoozeDurationInDays: c.snoozeDurationInDays,
    excludeTargets: [...c.excludeTargets]
      .map((t) => ({ id: t.id, targetType: t.targetType }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  };
}

function declared(options: CampaignOptions): Props {
  return settingsOf({
    snoozeDurationInDays: options.snoozeDurationInDays,
    excludeTargets: options.excludeTargets,
  } as unknown as Props);
}

function policyWrites(tenant: Tenant): string[] {
  return tenant.writes().filter((w) => w.includes("/policies/"));
}

describe("two stacks, or a stack and a portal user, managing one tenant's campaign", function () {
  this.timeout(180_000);
  const emulator = useEmulator();
  let workspace: IsolatedWorkspace;
  /**
   * Stack B's state lives in another backend (another team's, say): within one backend the second
   * stack's adoption is refused at preview (tests/e2e/ownership.test.ts), but a stack cannot see
   * the stacks of a backend it is not logged in to, so these warnings and failOnExternalChange
   * are what stands between them.
   */
  let otherBackend: IsolatedWorkspace;
  let tenant: Tenant;
  let stackA: CampaignStack;
  let stackB: CampaignStack;
  const A: CampaignOptions = { snoozeDurationInDays: 0, excludeTargets: [BREAK_GLASS] };
  const B: CampaignOptions = { snoozeDurationInDays: 5, excludeTargets: [SALES] };
  /** A's next declaration: something else changes too, so that the engine runs an update. */
  const A2: CampaignOptions = { ...A, snoozeDurationInDays: 1 };

  before(async function () {
    this.timeout(60_000);
    workspace = await isolatedWorkspace();
    tenant = new Tenant(emulator);
    stackA = await CampaignStack.create(emulator, workspace, "stack-a", A);
    otherBackend = await isolatedWorkspace();
    stackB = await CampaignStack.create(emulator, otherBackend, "stack-b", B);
  });
  after(async () => {
    await workspace?.cleanup();
    await otherBackend?.cleanup();
  });

  it("stack A adopts the campaign and applies its settings", async () => {
    await stackA.succeedUp();
    expect(settingsOf(await tenant.campaign())).to.deep.equal(declared(A));
  });

  it("stack B's adoption keeps A's values as originalSettings, applies B's and warns old → new", async () => {
    const events = await stackB.succeedUp();
    const warnings = diagnostics(events, "warning").join("\n");
    expect(warnings).to.match(
      /RegistrationCampaign: adopting the registration campaign; this create changes \d+ settings/,
    );
    expect(warnings).to.contain("Snooze: every sign-in → 5 days.");
    expect(warnings).to.contain("Excluded: − Emergency Access Accounts.");
    expect(warnings).to.contain("Excluded: + Sales.");
    expect(settingsOf((await stackB.recorded()).originalSettings as Props)).to.deep.equal(
      declared(A),
    );
    expect(settingsOf(await tenant.campaign())).to.deep.equal(declared(B));
  });

  it("`entra-nudge drift` for stack A shows B's change as drift (exit 2)", async () => {
    let stdout = "";
    let stderr = "";
    const code = await runDrift(["--stack", "stack-a", "--cwd", workspace.workDir, "--json"], {
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stderr += text),
      env: { ...process.env, ...workspace.envVars, ...emulator.env("reader") },
      cwd: workspace.workDir,
    });
    expect(code, stderr).to.equal(2);
    const report = JSON.parse(stdout) as { differences: Props[] };
    expect(report.differences.every((d) => d.resource === "campaign")).to.equal(true);
    expect(
      report.differences.map((d) => [d.property, d.declared, d.actual]),
    ).to.deep.include.members([
      ["snoozeDurationInDays", 0, 5],
      [`excludeTargets[${BREAK_GLASS.id}]`, BREAK_GLASS, null],
      [`excludeTargets[${SALES.id}]`, null, SALES],
    ]);
  });

  it("a preview does not read the tenant, so it cannot see B's change; `preview --refresh` does", async () => {
    emulator.clearRequests();
    const preview = await stackA.stack.preview();
    expect(Object.keys(preview.changeSummary ?? {})).to.deep.equal(["same"]);
    expect(emulator.requests().filter((r) => /^\/(v1\.0|beta)\//.test(r.path))).to.deep.equal([]);
    const refreshed = await stackA.stack.preview({ refresh: true });
    expect(refreshed.changeSummary).to.include({ update: 1 });
    expect(policyWrites(tenant)).to.deep.equal([]);
  });

  it("with failOnExternalChange: true, A's up fails naming B's change, and nothing is written", async () => {
    stackA.options = { ...A2, failOnExternalChange: true };
    emulator.clearRequests();
    const outcome = await stackA.up();
    expect(outcome.error, "the up should fail").to.not.equal(undefined);
    const errors = diagnostics(outcome.events, "error").join("\n");
    expect(errors).to.contain(
      "RegistrationCampaign: the tenant's settings were changed outside this stack since it last applied or refreshed them, and failOnExternalChange is true, so nothing was written.",
    );
    // B's change in reviewer words, last applied → live, then what A's update would have set:
    // the message docs/resources.md quotes, word for word.
    expect(errors).to.contain(docBlock("docs/resources.md", "external-change-error").text);
    expect(errors, "no JSON").to.not.match(/\{"id"|\(absent\)|snoozeDurationInDays:/);
    expect(errors).to.contain("run `pulumi refresh` to accept the live values");
    expect(policyWrites(tenant), "no PATCH reached Graph").to.deep.equal([]);
    expect(settingsOf(await tenant.campaign())).to.deep.equal(declared(B));
    // The state still holds what A last applied.
    expect(settingsOf(await stackA.recorded())).to.deep.equal(declared(A));
  });

  it("without it, A's update overwrites B's values and warns old → new (B's → A's)", async () => {
    stackA.options = { ...A2 };
    const events = await stackA.succeedUp();
    expect(stepOps(events)).to.deep.include({ campaign: "update" });
    const warnings = diagnostics(events, "warning").join("\n");
    expect(warnings).to.contain(
      [
        "RegistrationCampaign: the tenant's settings changed outside Pulumi since the last refresh; this update overwrites them with the declaration:",
        "  Snooze: 5 days → 1 day.",
      ].join("\n"),
    );
    expect(warnings).to.contain("\n  Excluded: − Sales.");
    expect(warnings).to.contain("\n  Excluded: + Emergency Access Accounts.");
    expect(warnings, "no JSON").to.not.match(/\{"id"|\(absent\)|excludeTargets\[/);
    expect(settingsOf(await tenant.campaign())).to.deep.equal(declared(A2));
  });

  it("a portal edit, then A's up with failOnExternalChange: true, fails naming the edit; refresh then up applies", async () => {
    // The portal PATCHes the whole campaign back with its edit, as the admin center does.
    await tenant.patch(CAMPAIGN_PATH, {
      registrationEnforcement: {
        authenticationMethodsRegistrationCampaign: {
          ...(await tenant.campaign()),
          snoozeDurationInDays: 9,
        },
      },
    });
    stackA.options = { ...A2, excludeTargets: [BREAK_GLASS, SALES], failOnExternalChange: true };
    emulator.clearRequests();
    const outcome = await stackA.up();
    expect(outcome.error, "the up should fail").to.not.equal(undefined);
    const errors = diagnostics(outcome.events, "error").join("\n");
    expect(errors).to.contain("failOnExternalChange is true, so nothing was written");
    expect(errors).to.contain("\n  Snooze: 1 day → 9 days.\n");
    expect(policyWrites(tenant)).to.deep.equal([]);
    expect(await tenant.campaign()).to.include({ snoozeDurationInDays: 9 });

    // The documented way on: accept the live values into the state, then apply deliberately.
    await stackA.stack.refresh();
    await stackA.succeedUp();
    expect(settingsOf(await tenant.campaign())).to.deep.equal(
      declared({ ...A2, excludeTargets: [BREAK_GLASS, SALES] }),
    );
  });
});

/**
 * Graph handlers that hold the first campaign PATCH until released: the test knows the first `up`
 * is inside its write (so it holds the stack's lock) for as long as it needs.
 */
function holdingGraphApi(): {
  api: ConfigurableGraphApi;
  held: Promise<void>;
  release: () => void;
} {
  const inner = createGraphApi(DEFAULT_TENANT_FILE);
  let arrived: () => void = () => undefined;
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (arrived = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  let holding = true;
  const api: ConfigurableGraphApi = {
    tenantId: inner.tenantId,
    apps: inner.apps,
    async handle(req: GraphRequest) {
      if (
        holding &&
        req.method === "PATCH" &&
        req.path === "/policies/authenticationMethodsPolicy"
      ) {
        holding = false;
        arrived();
        await released;
      }
      return inner.handle(req);
    },
    reset: () => inner.reset(),
    configure: (options) => inner.configure(options),
    simulate: (parameters) => inner.simulate(parameters),
  };
  return { api, held, release };
}

describe("two `up` runs of the same stack at once", function () {
  this.timeout(180_000);
  const holding = holdingGraphApi();
  const emulator = useEmulator({ graphApi: holding.api });
  let workspace: IsolatedWorkspace;
  after(async () => {
    holding.release();
    await workspace?.cleanup();
  });

  it("the backend's lock stops the second, which fails cleanly; the first completes and state and tenant agree", async () => {
    workspace = await isolatedWorkspace();
    const tenant = new Tenant(emulator);
    const options: CampaignOptions = { snoozeDurationInDays: 0, excludeTargets: [BREAK_GLASS] };
    // The held PATCH must not time out and be retried while the second run starts.
    const env = { ENTRA_NUDGE_TIMEOUT_MS: "170000" };
    const first = await CampaignStack.create(emulator, workspace, "shared", options, env);
    const second = await CampaignStack.create(emulator, workspace, "shared", options, env);

    const firstUp = first.up();
    await holding.held; // the first run is writing: it holds the lock
    let secondUp: Outcome<unknown>;
    try {
      secondUp = await second.up();
    } finally {
      holding.release();
    }
    const firstOutcome = await firstUp;

    // The second run failed before running the program: the DIY backend's lock.
    expect(secondUp.error).to.be.instanceOf(ConcurrentUpdateError);
    const message = String((secondUp.error as Error).message);
    // The message docs/resources.md quotes, word for word.
    const documented = docBlock("docs/resources.md", "lock-error").text.split("\n")[0];
    expect(documented).to.match(/^error: the stack is currently locked/);
    expect(message).to.contain(documented.replace(/^error: /, ""));
    expect(message).to.match(
      /\.pulumi\/locks\/organization\/entra-nudge-concurrency-tests\/shared\//,
    );
    expect(exitCode(secondUp.error)).to.equal(1);
    expect(steps(secondUp.events), "the second run never ran the program").to.deep.equal([]);

    // The first completed: one PATCH, state and tenant agree, the lock is gone.
    expect(firstOutcome.error, String(firstOutcome.error)).to.equal(undefined);
    expect(policyWrites(tenant)).to.deep.equal([
      "PATCH /v1.0/policies/authenticationMethodsPolicy",
    ]);
    expect(settingsOf(await tenant.campaign())).to.deep.equal(declared(options));
    expect(settingsOf(await first.recorded())).to.deep.equal(declared(options));
    const locks = path.join(workspace.dir, "state", ".pulumi", "locks");
    const remaining = fs.existsSync(locks)
      ? fs.readdirSync(locks, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
      : [];
    expect(remaining.map((e) => e.name)).to.deep.equal([]);

    // The second run, retried, now finds nothing to do.
    const rerun = await second.up();
    expect(rerun.error, String(rerun.error)).to.equal(undefined);
    expect(stepOps(rerun.events)).to.deep.equal({ campaign: "same" });
  });
});
