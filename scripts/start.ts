// `npm start`: the seed scenario as a short narrated demo, against the Graph emulator and the real
// Pulumi engine, showing what a user types. It writes a Pulumi project into a temporary directory
// (the seed program as index.ts, Pulumi.yaml, node_modules with this package), then runs the CLI
// there, each command printed as typed (`$ pulumi preview`, `$ entra-nudge drift --stack demo`):
// the stack and its settings, preview, up, an edit made the way the portal makes it, the drift it
// causes, the fix, who is nudged and how the campaign goes, and a one-screen summary. Everything
// Pulumi writes goes to a temporary PULUMI_HOME and file backend, removed at the end; no process
// is left running.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
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
  userRegistrationDetailsPages,
} from "../provider/graph";
import { provideEngine, type Engine } from "./engine";
import { runTrustingEmulator } from "./trustEmulator";

const STACK = "demo";
/** Exit code of `--expect-no-changes` when changes were found (pulumi-engine.md §6). */
const EXIT_CHANGES_FOUND = 7;
/** Exit code of `entra-nudge drift` when the tenant differs from the stack (docs/commands.md). */
const EXIT_DRIFT = 2;

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

  /**
   * Of the users with Authenticator push registered, how many may still use it, as the
   * registration report says (its strongest usable phone or app method is push while the
   * Authenticator policy allows it for them).
   */
  async authenticatorKept(): Promise<{ registered: number; kept: number }> {
    let registered = 0;
    let kept = 0;
    const filter = "methodsRegistered/any(m: m eq 'microsoftAuthenticatorPush')";
    for await (const page of userRegistrationDetailsPages(this.graph, { filter })) {
      for (const row of page) {
        registered += 1;
        if (row.systemPreferredAuthenticationMethods?.includes("push")) kept += 1;
      }
    }
    return { registered, kept };
  }
}

// ---- the commands, as a user types them ----

/** A resource's "creating (0s)" or "refreshing" line: a later line says how it ended. */
const PROGRESS = /\s(creating|updating|deleting|refreshing|reading|running)( \(\d+s\))?\s*$/;

/** The commands' output, indented; progress dots and in-progress lines are left out. */
function indented(): { write: (text: string) => void; flush: () => void } {
  let pending = "";
  const print = (line: string) => {
    if (line.trim() === "" || line.startsWith("@ ") || PROGRESS.test(line)) return;
    console.log(`   | ${line}`);
  };
  return {
    write(text) {
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

/** Runs commands in the demo's project: `pulumi` is the engine, `entra-nudge` this package's bin. */
class Terminal {
  constructor(
    readonly project: string,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  /**
   * Prints `$ <command line>`, runs it and prints its output indented. `input` is what the user
   * types at the command's prompt (never printed); `expect` the exit codes that are no failure.
   */
  async run(line: string, options: { input?: string; expect?: number[] } = {}): Promise<number> {
    // A long line is shown the way one types it: continued before each option.
    console.log(`\n$ ${line.length > 100 ? line.replace(/ (?=--)/g, " \\\n    ") : line}`);
    const [program, ...args] = line.split(" ");
    const [command, ...prefix] =
      program === "entra-nudge"
        ? [process.execPath, path.join(repositoryRoot, "dist", "provider", "cli.js")]
        : [program];
    const child = spawn(command, [...prefix, ...args], {
      cwd: this.project,
      env: this.env,
      stdio: "pipe",
    });
    child.stdin.end(options.input === undefined ? "" : `${options.input}\n`);
    const output = indented();
    child.stdout.on("data", (chunk: Buffer) => output.write(chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => output.write(chunk.toString()));
    const code = await new Promise<number>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (status) => resolve(status ?? 1));
    });
    output.flush();
    const expected = options.expect ?? [0];
    if (!expected.includes(code)) {
      throw new Error(`\`${line}\` exited with ${code}, expected ${expected.join(" or ")}`);
    }
    if (code !== 0) note(`(exit code ${code})`);
    return code;
  }
}

/**
 * A Pulumi TypeScript project as a user has it after `npm install pulumi-entra-nudge`: the seed
 * program as index.ts, a Pulumi.yaml, a package.json, and node_modules (this repository's, which
 * holds this package and @pulumi/pulumi, so nothing is downloaded).
 */
function writeProject(project: string): void {
  fs.mkdirSync(project);
  const own = JSON.parse(fs.readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as {
    name: string;
    version: string;
    dependencies: Record<string, string>;
  };
  const dependencies = {
    "@pulumi/pulumi": own.dependencies["@pulumi/pulumi"],
    [own.name]: own.version,
  };
  fs.writeFileSync(
    path.join(project, "package.json"),
    `${JSON.stringify({ name: "nudge", private: true, dependencies }, null, 2)}\n`,
  );
  fs.copyFileSync(
    path.join(repositoryRoot, "examples", "seed-scenario", "index.ts"),
    path.join(project, "index.ts"),
  );
  fs.writeFileSync(
    path.join(project, "Pulumi.yaml"),
    `name: ${seedProjectName()}\nruntime: nodejs\ndescription: The seed scenario of pulumi-entra-nudge\n`,
  );
  fs.symlinkSync(path.join(repositoryRoot, "node_modules"), path.join(project, "node_modules"));
}

/** The environment of every command: the engine first on PATH, Pulumi's files in `workDir`. */
function commandEnvironment(engine: Engine, workDir: string): NodeJS.ProcessEnv {
  const home = path.join(workDir, "home");
  const backend = path.join(workDir, "state");
  for (const dir of [home, backend]) fs.mkdirSync(dir);
  return {
    ...process.env,
    PATH: [...engine.pathDirs, process.env.PATH ?? ""].join(path.delimiter),
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "entra-nudge-demo",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
  };
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

  const project = path.join(workDir, "nudge");
  writeProject(project);
  const terminal = new Terminal(project, commandEnvironment(engine, workDir));
  const writer = emulator.info.apps.writer;

  step(
    "A Pulumi project and its stack",
    `The project ${project} holds the program (examples/seed-scenario/index.ts\n` +
      "as index.ts), a Pulumi.yaml and node_modules with this package. The stack's settings name\n" +
      "the tenant and the app the tool signs in as; the two endpoints point at the emulator instead\n" +
      "of Microsoft's (a real tenant needs neither).",
  );
  await timed("stack", async () => {
    await terminal.run(`pulumi stack init ${STACK}`);
    await terminal.run(
      [
        "pulumi config set-all",
        `--plaintext entra-nudge:tenantId=${emulator.info.tenantId}`,
        `--plaintext entra-nudge:clientId=${writer.clientId}`,
        `--plaintext entra-nudge:graphEndpoint=${emulator.info.graphEndpoint}`,
        `--plaintext entra-nudge:authorityHost=${emulator.info.authorityHost}`,
      ].join(" "),
    );
    // Typed at the prompt, as a user does: the secret is never on a command line or on screen.
    await terminal.run("pulumi config set --secret entra-nudge:clientSecret", {
      input: writer.clientSecret,
    });
  });

  step("Preview: what will change", "What CI shows on a pull request. Nothing is written yet.");
  await timed("preview", () => terminal.run("pulumi preview"));

  step(
    "Up: apply the declaration",
    "The pilot group is created, the Authenticator policy and the campaign are adopted (their\n" +
      "settings before are kept, and restored by `pulumi destroy`) and set as declared.\n" +
      "Authenticator stays enabled for every user, so nobody who signs in with it loses it.",
  );
  // `--skip-preview`: the preview is the step before (at a terminal, `pulumi up` asks to confirm).
  await timed("up", () => terminal.run("pulumi up --yes --skip-preview"));
  const applied = await tenant.campaign();
  note(`Campaign now: ${applied.state}, snooze ${applied.snoozeDurationInDays} days.`);
  note(`Nudged:   ${await tenant.describeTargets(applied.includeTargets)}`);
  note(`Excluded: ${await tenant.describeTargets(applied.excludeTargets)}`);
  const authenticator = await tenant.authenticatorKept();
  note(
    `Authenticator push: ${authenticator.kept} of the ${authenticator.registered} users who have it registered may still use it (registration report).`,
  );

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
    "A scheduled job checks the tenant against the stack: `entra-nudge drift` names each changed\n" +
      `property and exits ${EXIT_DRIFT}, writing nothing. Pulumi's own check (\`pulumi refresh --preview-only\n` +
      `--expect-no-changes\`, exit ${EXIT_CHANGES_FOUND}) finds it too; docs/ci-and-drift.md compares the two.`,
  );
  await timed("drift check", () =>
    terminal.run(`entra-nudge drift --stack ${STACK}`, { expect: [EXIT_DRIFT] }),
  );

  step(
    "The fix",
    "`pulumi up --refresh` reads the tenant first, then puts the declaration back; the drift\n" +
      "check passes again.",
  );
  await timed("fix", async () => {
    await terminal.run("pulumi up --refresh --yes --skip-preview");
    await terminal.run(`entra-nudge drift --stack ${STACK}`);
  });

  step(
    "Who is nudged, and how the campaign goes",
    "`entra-nudge impact` counts who the declared campaign nudges and why others are not (here\n" +
      "`--from state`, the stack as just deployed; by default it counts the program as `pulumi\n" +
      "preview` plans it, the change a pull request makes). The emulator then simulates two weeks\n" +
      "of MFA sign-ins, and `entra-nudge report` reads the registration report and the audit log\n" +
      "for the campaign's progress.",
  );
  await timed("impact", () => terminal.run(`entra-nudge impact --stack ${STACK} --from state`));
  emulator.simulate({ days: 14, seed: 1 });
  note("(14 simulated days of sign-ins: POST /_emulator/simulate)");
  await timed("report", () => terminal.run(`entra-nudge report --stack ${STACK}`));

  await summary(tenant, terminal);
}

/**
 * The one-screen summary, read from the tenant, what changed in 2026, and the tenant's readiness
 * for 2027-02-01 through `entra-nudge readiness` (docs/passkeys.md, docs/readiness.md).
 */
async function summary(tenant: TenantView, terminal: Terminal): Promise<void> {
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
  console.log(`  Stack                   ${seedProjectName()}/${STACK}, in sync with the tenant`);
  console.log(
    `  Times                   ${timings.map(([label, ms]) => `${label} ${seconds(ms)}`).join(", ")}; whole demo ${seconds(performance.now())}`,
  );
  console.log(`${"=".repeat(78)}`);
  // graph-contract-passkeys.md §2 and §7 (SMSRET): passkey campaigns, Microsoft managed moving
  // to passkeys from 2026-09-01, Microsoft-provided SMS and voice retired on 2027-02-01.
  console.log(
    'New in 2026: campaigns can nudge to passkeys ("fido2", docs/passkeys.md); Microsoft managed\n' +
      "now moves to passkeys; Microsoft-provided SMS and voice retire on 2027-02-01. Who is ready:",
  );
  await terminal.run(`entra-nudge readiness --stack ${STACK} --from state`);
  console.log("\nNext: the same program against a real tenant, see docs/real-tenant.md.");
}

/**
 * The demo's working directory, removed at the end. The same path every run, as a user's project
 * keeps its path: the TypeScript compiler Pulumi's Node.js runtime loads (the ts-node it vendors)
 * keeps compiled programs in os.tmpdir()/ts-node-*, under a digest that differs with the project's
 * directory, so a new directory each run compiled and type-checked index.ts again in the first
 * `pulumi preview` (about 1.5–2 s of a warm run, measured 2026-12-03). A directory another
 * running demo holds (its pid file names a live process) is left alone: this run takes a fresh one.
 */
function demoDirectory(): string {
  const stable = path.join(os.tmpdir(), "entra-nudge-demo");
  const pidFile = path.join(stable, "pid");
  try {
    const holder = Number(fs.readFileSync(pidFile, "utf8"));
    if (holder !== process.pid && processIsAlive(holder))
      return fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-demo-"));
  } catch {
    // No demo holds it.
  }
  fs.rmSync(stable, { recursive: true, force: true });
  fs.mkdirSync(stable, { mode: 0o700 });
  fs.writeFileSync(pidFile, String(process.pid));
  return stable;
}

function processIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function main(): Promise<number> {
  console.log("pulumi-entra-nudge: the seed scenario");
  console.log(
    "Contoso's users sign in with SMS codes. The platform team nudges a pilot group to set up\n" +
      "Microsoft Authenticator after their next MFA sign-in (no snoozing), keeping the break-glass\n" +
      "accounts out of it and Authenticator enabled for everyone who already uses it, with policy\n" +
      "as code: examples/seed-scenario/index.ts.",
  );
  step(
    "Start the Graph emulator",
    "A stand-in for a tenant: real HTTPS, real sign-in, on loopback.",
  );
  const emulator = await timed("emulator", () => startEmulator());
  const workDir = demoDirectory();
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
