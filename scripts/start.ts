// `npm start`: the seed scenario as a short narrated demo, against the Graph emulator and the real
// Pulumi engine. It previews and applies the program of the root Pulumi.yaml (run inline through
// the Automation API), edits the campaign the way the portal does, shows the drift a scheduled
// check would catch, repairs it, and ends with a one-screen summary. Everything Pulumi writes goes
// to a temporary PULUMI_HOME and file backend, removed at the end; no process is left running.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  LocalWorkspace,
  PulumiCommand,
  type EngineEvent,
  type Stack,
} from "@pulumi/pulumi/automation";
import seedScenario from "../examples/seed-scenario";
import { repositoryRoot, seedProjectName } from "../examples/seed-scenario/project";
import { startEmulator, type RunningEmulator } from "../emulator/index";
import { resolveSettings } from "../provider/config";
import {
  getAuthenticationMethodsPolicy,
  getAuthenticatorConfiguration,
  getGroup,
  GraphClient,
  listRelationship,
  patchRegistrationEnforcement,
} from "../provider/graph";
import { commandExitCode, provideEngine } from "./engine";
import { runTrustingEmulator } from "./trustEmulator";
import { analyzeImpact, declarationFromState, impactSummary } from "../provider/impact";
import { analyzeProgress, progressSummary } from "../provider/report";

const STACK = "demo";
/** Exit code of `--expect-no-changes` when changes were found (pulumi-engine.md §6). */
const EXIT_CHANGES_FOUND = 7;

type Campaign = {
  state?: string | null;
  snoozeDurationInDays?: number | null;
  includeTargets?: { id?: string | null; targetType?: string | null }[] | null;
  excludeTargets?: { id?: string | null; targetType?: string | null }[] | null;
};

// ---- narration ----

const timings: [string, number][] = [];

async function timed<T>(label: string, action: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await action();
  } finally {
    timings.push([label, Date.now() - started]);
  }
}

function seconds(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

let stepNumber = 0;
function step(title: string, why: string): void {
  stepNumber += 1;
  console.log(`\n== ${stepNumber}. ${title} ${"=".repeat(Math.max(3, 72 - title.length))}`);
  console.log(why);
}

function note(text: string): void {
  console.log(`   ${text}`);
}

/** The CLI's own output, indented; the progress dots of a non-interactive run are left out. */
function engineOutput(): { onOutput: (text: string) => void; flush: () => void } {
  let pending = "";
  const print = (line: string) => {
    if (line.trim() === "" || line.startsWith("@ ")) return;
    console.log(`   | ${line}`);
  };
  return {
    onOutput(text) {
      const lines = (pending + text).split("\n");
      pending = lines.pop() ?? "";
      lines.forEach(print);
    },
    flush() {
      print(pending);
      pending = "";
    },
  };
}

async function run<T>(operation: (options: { onOutput: (text: string) => void }) => Promise<T>) {
  const output = engineOutput();
  try {
    return await operation({ onOutput: output.onOutput });
  } finally {
    output.flush();
  }
}

// ---- the tenant, read and edited through Graph as anyone else would ----

class TenantView {
  constructor(readonly graph: GraphClient) {}

  async campaign(): Promise<Campaign> {
    const policy = await getAuthenticationMethodsPolicy(this.graph);
    return policy.registrationEnforcement?.authenticationMethodsRegistrationCampaign ?? {};
  }

  /** "Authenticator pilot (group, 1 member)"; users and all_users by name too. */
  async describeTarget(target: { id?: string | null; targetType?: string | null }) {
    if (target.id === "all_users") return "all users";
    if (target.targetType !== "group") return `user ${target.id}`;
    const [group, members] = await Promise.all([
      getGroup(this.graph, String(target.id)),
      listRelationship(this.graph, String(target.id), "members"),
    ]);
    return `${group.displayName} (group, ${members.length} member${members.length === 1 ? "" : "s"})`;
  }

  async describeTargets(targets: Campaign["includeTargets"]): Promise<string> {
    const names = await Promise.all((targets ?? []).map((t) => this.describeTarget(t)));
    return names.length > 0 ? names.join(", ") : "nobody";
  }
}

// ---- the demo ----

async function demo(emulator: RunningEmulator, workDir: string): Promise<void> {
  const tenant = new TenantView(
    new GraphClient(resolveSettings(() => undefined, emulator.env("writer"))),
  );
  const before = await tenant.campaign();
  note(`Contoso's tenant (${emulator.info.tenantId}) answers at ${emulator.info.graphEndpoint}.`);
  note(
    `Today the campaign is "${before.state}"${before.state === "default" ? " (Microsoft managed)" : ""} for ${await tenant.describeTargets(before.includeTargets)}.`,
  );

  step(
    "Get the deployment engine",
    "The real Pulumi CLI runs the program; it is built once from Pulumi's Go module and cached.",
  );
  const engine = await timed("engine", () =>
    provideEngine({
      // Build progress matters (minutes on a first run); the language host note is for developers.
      log: (line) => {
        if (!line.includes("pulumi-language-nodejs")) note(`engine: ${line}`);
      },
    }),
  );
  note(`pulumi ${engine.version} (${engine.source}) in ${seconds(timings.at(-1)?.[1] ?? 0)}`);

  const home = path.join(workDir, "home");
  const backend = path.join(workDir, "state");
  const project = path.join(workDir, "project");
  for (const dir of [home, backend, project]) fs.mkdirSync(dir);
  const projectName = seedProjectName();
  const stack: Stack = await LocalWorkspace.createOrSelectStack(
    { stackName: STACK, projectName, program: async () => seedScenario() },
    {
      pulumiCommand: await PulumiCommand.get({ root: engine.root }),
      pulumiHome: home,
      workDir: project,
      envVars: {
        PULUMI_HOME: home,
        PULUMI_BACKEND_URL: `file://${backend}`,
        PULUMI_CONFIG_PASSPHRASE: "entra-nudge-demo",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
        // The provider signs in as the emulator's "writer" app, as it would with a real app.
        ...emulator.env("writer"),
      },
      // The engine starts the dynamic provider in `main`; the repository root resolves the
      // package there. The program itself is the one the root Pulumi.yaml names.
      projectSettings: { name: projectName, runtime: "nodejs", main: repositoryRoot },
    },
  );

  step("Preview: what will change", "What CI shows on a pull request. Nothing is written yet.");
  const preview = await timed("preview", () => run((o) => stack.preview(o)));
  note(`Summary: ${JSON.stringify(preview.changeSummary)}`);

  step(
    "Up: apply the declaration",
    "The pilot group is created, the Authenticator policy and the campaign are adopted (their\n" +
      "settings before are kept, and restored by `pulumi destroy`) and set as declared.",
  );
  const up = await timed("up", () => run((o) => stack.up(o)));
  const groupId = String(up.outputs.pilotGroupId.value);
  const applied = await tenant.campaign();
  note(`Campaign now: ${applied.state}, snooze ${applied.snoozeDurationInDays} days.`);
  note(`Nudged:   ${await tenant.describeTargets(applied.includeTargets)}`);
  note(`Excluded: ${await tenant.describeTargets(applied.excludeTargets)}`);

  step(
    "Someone edits the campaign in the portal",
    "An administrator allows 3 snooze days and removes the break-glass exclusion in the Entra\n" +
      "admin center, which PATCHes the whole campaign through Microsoft Graph, as done here.",
  );
  await patchRegistrationEnforcement(tenant.graph, {
    authenticationMethodsRegistrationCampaign: {
      ...applied,
      snoozeDurationInDays: 3,
      excludeTargets: [],
    } as never,
  });
  note(
    "PATCH /v1.0/policies/authenticationMethodsPolicy → snoozeDurationInDays 3, excludeTargets []",
  );

  step(
    "The drift it causes",
    "A scheduled job runs `pulumi refresh --preview-only --expect-no-changes`: it fails with exit\n" +
      "code 7 when the tenant no longer matches the stack, which is what it alerts on.",
  );
  const events: EngineEvent[] = [];
  const drift = await timed("drift check", () =>
    run((o) =>
      stack.previewRefresh({ ...o, expectNoChanges: true, onEvent: (e) => events.push(e) }),
    ),
  ).then(
    () => undefined,
    (error: unknown) => error,
  );
  const code = drift === undefined ? 0 : commandExitCode(drift);
  if (code !== EXIT_CHANGES_FOUND) {
    throw new Error(`the drift check should exit ${EXIT_CHANGES_FOUND}, got ${String(drift ?? 0)}`);
  }
  note(`Exit code ${code}: drift found.`);
  for (const change of refreshedChanges(events)) note(`  ${change}`);

  step(
    "The fix",
    "`pulumi up --refresh` reads the tenant first, then puts the declaration back; a second drift\n" +
      "check passes.",
  );
  await timed("fix", () => run((o) => stack.up({ ...o, refresh: true })));
  await timed("drift check", () => stack.previewRefresh({ expectNoChanges: true }));
  note("Drift check: exit code 0, the tenant matches the declaration again.");

  step(
    "Who is nudged, and how the campaign goes",
    "`entra-nudge impact` counts who the declared campaign nudges and why others are not; the\n" +
      "emulator then simulates two weeks of MFA sign-ins, and `entra-nudge report` reads the\n" +
      "registration report and the audit log for the campaign's progress.",
  );
  // The reader app is enough for both; the emulator's reports are not paced like Graph's (5/10 s).
  const reader = new GraphClient(
    resolveSettings(() => undefined, emulator.env("reader")),
    {
      reportRateLimit: null,
    },
  );
  const state = await stack.exportStack();
  const impact = await timed("impact", async () =>
    analyzeImpact(reader, declarationFromState(state, "the seed scenario")),
  );
  console.log(impactSummary(impact));
  emulator.simulate({ days: 14, seed: 1 });
  const progress = await timed("report", () => analyzeProgress(reader));
  console.log(progressSummary(progress));

  const campaign = await tenant.campaign();
  const authenticator = await getAuthenticatorConfiguration(tenant.graph);
  const authenticatorTargets = await Promise.all(
    (authenticator.includeTargets ?? []).map(
      async (t) =>
        `${await tenant.describeTarget(t)}, mode ${(t as { authenticationMode?: string }).authenticationMode}`,
    ),
  );
  console.log(`\n${"=".repeat(78)}`);
  console.log("Summary");
  console.log(
    `  Registration campaign   ${campaign.state}; ${
      campaign.snoozeDurationInDays === 0
        ? "asked at every MFA sign-in (0 snooze days)"
        : `"Not now" snoozes it for ${campaign.snoozeDurationInDays} days`
    }`,
  );
  console.log(`  Who is nudged           ${await tenant.describeTargets(campaign.includeTargets)}`);
  console.log(`  Never nudged            ${await tenant.describeTargets(campaign.excludeTargets)}`);
  console.log(
    `  Microsoft Authenticator ${authenticator.state} for ${authenticatorTargets.join("; ")}`,
  );
  console.log(`  Pilot group id          ${groupId}`);
  console.log(`  Stack                   ${projectName}/${STACK}, in sync with the tenant`);
  console.log(
    `  Times                   ${timings.map(([label, ms]) => `${label} ${seconds(ms)}`).join(", ")}; whole demo ${seconds(performance.now())}`,
  );
  console.log(`${"=".repeat(78)}`);
  console.log(
    'Next: the same program against a real tenant, see docs/real-tenant.md.',
  );
}

/** The property changes a refresh found, from the engine's events: "campaign: snooze… 0 → 3". */
function refreshedChanges(events: EngineEvent[]): string[] {
  const changes: string[] = [];
  for (const event of events) {
    const refreshed = event.resOutputsEvent?.metadata;
    if (!refreshed || refreshed.op !== "update") continue;
    const name = refreshed.urn.split("::").pop();
    const before = refreshed.old?.outputs ?? {};
    const after = refreshed.new?.outputs ?? {};
    for (const key of Object.keys(after).filter((k) => k !== "__provider")) {
      const a = JSON.stringify(before[key]);
      const b = JSON.stringify(after[key]);
      if (a !== b) changes.push(`${name}: ${key} ${a} → ${b} (state → tenant)`);
    }
  }
  return changes;
}

async function main(): Promise<number> {
  console.log("pulumi-entra-nudge: the seed scenario");
  console.log(
    "Contoso's users sign in with SMS codes. The platform team nudges a pilot group to set up\n" +
      "Microsoft Authenticator after their next MFA sign-in (no snoozing), keeping the break-glass\n" +
      "accounts out of it, with policy as code: examples/seed-scenario/index.ts.",
  );
  step(
    "Start the Graph emulator",
    "A stand-in for a tenant: real HTTPS, real sign-in, on loopback.",
  );
  const emulator = await timed("emulator", () => startEmulator());
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-demo-"));
  try {
    await demo(emulator, workDir);
    return 0;
  } catch (error) {
    console.error(`\nThe demo failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await emulator.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

runTrustingEmulator(main, "The demo could not run");
