// `entra-nudge drift` and `entra-nudge preview-summary` on a real stack: the engine creates it
// against the emulator once; each case then edits the tenant "in the portal" (real Graph calls),
// checks the command's verdict in all three formats, and puts the tenant back. The Pulumi-native
// check (`refresh --preview-only --expect-no-changes`, exit 7) is run beside it.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { useEmulator } from "../support/emulator";
import { projectRoot, pulumiBinary } from "../support/engine";
import { docBlock, shapeDifferences } from "../support/docBlocks";
import { entraNudge, type CommandRun } from "../support/cli";
import { EngineStack, ONE_RETRY, exitCode, writeEventLog } from "../support/engineStack";
import {
  BREAK_GLASS_GROUP_ID,
  ENGINEERING_GROUP_ID,
  PILOT_USER_ID,
  PILOT_USER_UPN,
  Portal,
  SALES_GROUP_ID,
} from "../support/tenant";
import { AuthenticatorPolicy, PilotGroup, RegistrationCampaign } from "../../provider";
import { expectGolden as expectGoldenFile } from "../support/golden";

type Json = Record<string, unknown>;

const fixturesDir = path.join(projectRoot, "tests", "fixtures", "drift");
const PROJECT = "entra-nudge-drift-tests";

type Target = { id: string; targetType: "user" | "group" };

/** What the tests change between runs of the program. */
interface ProgramOptions {
  campaignState?: "enabled" | "disabled" | "default";
  snoozeDurationInDays?: number;
  excludeTargets?: Target[];
  authenticationMode?: "any" | "push" | "deviceBasedPush";
}

/** The seed scenario's shape, with two included groups so that one can be removed. */
function driftProgram(options: ProgramOptions): void {
  const pilot = new PilotGroup("pilot", {
    displayName: "Drift pilot",
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

/** A golden file compared as a whole (tests/support/golden.ts: never rewritten where CI is set). */
function expectGolden(name: string, actual: string): void {
  expectGoldenFile(path.join(fixturesDir, name), actual);
}

describe("drift and preview summaries through the engine", function () {
  // One stack for the whole block: one `up`, then cheap Graph edits between the cases.
  this.timeout(120_000);
  const emulator = useEmulator();
  let drift: EngineStack<ProgramOptions>;
  let portal: Portal;
  let pilotGroupId: string;
  let stateFile: string;
  let inSync: { campaign: Json; authenticator: Json };
  let groupDeleted = false;

  before(async function () {
    this.timeout(180_000);
    drift = await EngineStack.create({
      stackName: "drift",
      projectName: PROJECT,
      program: driftProgram,
      emulator,
      env: ONE_RETRY,
    });
    portal = new Portal(emulator);
    await drift.stack.up();
    const state = await drift.stack.exportStack();
    const pilot = (state.deployment.resources as { urn: string; id: string }[]).find((r) =>
      r.urn.endsWith("::pilot"),
    );
    pilotGroupId = pilot?.id as string;
    stateFile = path.join(drift.workspace.dir, "state.json");
    await drift.exportTo(stateFile);
    inSync = { campaign: await portal.campaign(), authenticator: await portal.authenticator() };
  });
  after(async () => drift?.cleanup());

  /** Puts back what a case changed in the portal. */
  afterEach(async () => {
    emulator.clearFaults();
    await portal.editCampaign((campaign) => Object.assign(campaign, inSync.campaign));
    await portal.setAuthenticator(inSync.authenticator);
    if (!groupDeleted) await portal.addMember(pilotGroupId, PILOT_USER_ID);
  });

  /** The reader app's environment plus what the pulumi CLI needs to find the stack. */
  function readerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      ...drift.pulumiEnv,
      ...emulator.env("reader"),
      ...ONE_RETRY,
      ...extra,
    };
  }

  function driftOfStack(format: string[] = [], env = readerEnv()): Promise<CommandRun> {
    const args = ["drift", "--stack", "drift", "--cwd", drift.workspace.workDir, ...format];
    return entraNudge(args, env);
  }

  function driftOfFile(format: string[] = [], env = readerEnv(), file = stateFile) {
    return entraNudge(["drift", "--file", file, ...format], env);
  }

  function parsed(run: CommandRun): Json {
    return JSON.parse(run.stdout) as Json;
  }

  it("in sync: exits 0 in all three formats, reading with the reader app and writing nothing", async () => {
    emulator.clearRequests();
    const [table, json, markdown] = [
      await driftOfStack(),
      await driftOfStack(["--json"]),
      await driftOfStack(["--markdown"]),
    ];
    for (const run of [table, json, markdown]) expect(run.code, run.stderr).to.equal(0);
    expect(table.stdout).to.match(/^campaign\s+RegistrationCampaign\s+in sync$/m);
    expect(table.stdout).to.contain("In sync: every resource matches the tenant.");
    expect(parsed(json)).to.deep.include({
      schemaVersion: 1,
      inSync: true,
      source: { stack: "drift", cwd: drift.workspace.workDir },
      tenantId: emulator.info.tenantId,
      summary: { resources: 3, drifted: 0, missing: 0, differences: 0 },
      differences: [],
    });
    expect(
      (parsed(json).resources as Json[]).map((r) => [r.resource, r.status]),
    ).to.have.deep.members([
      ["pilot", "inSync"],
      ["campaign", "inSync"],
      ["authenticator", "inSync"],
    ]);
    expect(markdown.stdout).to.contain("## entra-nudge drift: in sync");

    const reader = emulator.info.apps.reader.clientId;
    const graphCalls = emulator
      .requests()
      .filter((r) => r.clientId === reader && /^\/(v1\.0|beta)\//.test(r.path));
    expect(graphCalls.length, "the reader read the tenant").to.be.greaterThan(0);
    expect(
      graphCalls.filter((r) => r.method !== "GET" && !r.path.endsWith("/$batch")),
    ).to.deep.equal([]);
    const writer = emulator.info.apps.writer.clientId;
    expect(emulator.requests().filter((r) => r.clientId === writer)).to.deep.equal([]);

    // The Pulumi-native check agrees.
    await drift.stack.previewRefresh({ expectNoChanges: true });
  });

  interface OutOfBand {
    what: string;
    edit: () => Promise<void>;
    resource: string;
    property: () => string;
    declared: () => unknown;
    actual: () => unknown;
    /** What the Markdown shows for it (words, display names). */
    markdown: RegExp;
    /** The drift docs/commands.md shows as its JSON example: the report must have its shape. */
    documented?: true;
    /** The sentence of a significant change, shown first in every format. */
    significant?: string | (() => string);
  }

  const cases: OutOfBand[] = [
    {
      what: "the campaign is switched to passkeys (spelled as the Graph reference does)",
      edit: () =>
        portal.editCampaign((c) => {
          for (const target of c.includeTargets as Json[]) {
            target.targetedAuthenticationMethod = "Fido2";
          }
        }),
      resource: "campaign",
      property: () => "targetedAuthenticationMethod",
      declared: () => "microsoftAuthenticator",
      actual: () => "fido2",
      markdown:
        /\| Nudged to set up \(`targetedAuthenticationMethod`\) \| Microsoft Authenticator \| a passkey \|/,
      significant: "Nudged to set up: Microsoft Authenticator → a passkey",
    },
    {
      what: "the campaign is disabled",
      edit: () => portal.editCampaign((c) => (c.state = "disabled")),
      resource: "campaign",
      property: () => "state",
      declared: () => "enabled",
      actual: () => "disabled",
      markdown: /\| State \(`state`\) \| Enabled \| Disabled \|/,
    },
    {
      what: "the snooze is changed",
      edit: () => portal.editCampaign((c) => (c.snoozeDurationInDays = 7)),
      resource: "campaign",
      property: () => "snoozeDurationInDays",
      declared: () => 0,
      actual: () => 7,
      markdown: /\| Snooze \(`snoozeDurationInDays`\) \| every sign-in \| 7 days \|/,
    },
    {
      what: "an included group is added",
      edit: () =>
        portal.editCampaign((c) =>
          (c.includeTargets as Json[]).push({
            id: SALES_GROUP_ID,
            targetType: "group",
            targetedAuthenticationMethod: "microsoftAuthenticator",
          }),
        ),
      resource: "campaign",
      property: () => `includeTargets[${SALES_GROUP_ID}]`,
      declared: () => null,
      actual: () => ({ id: SALES_GROUP_ID, targetType: "group" }),
      markdown:
        /\| Included: Sales \(`includeTargets\[2fbb5b75-[^`]*\]`\) \| \(absent\) \| group \|/,
    },
    {
      what: "an included group is removed",
      edit: () =>
        portal.editCampaign(
          (c) =>
            (c.includeTargets = (c.includeTargets as Json[]).filter(
              (t) => t.id !== ENGINEERING_GROUP_ID,
            )),
        ),
      resource: "campaign",
      property: () => `includeTargets[${ENGINEERING_GROUP_ID}]`,
      declared: () => ({ id: ENGINEERING_GROUP_ID, targetType: "group" }),
      actual: () => null,
      markdown:
        /\| Included: Engineering \(`includeTargets\[0b2aab64-[^`]*\]`\) \| group \| \(absent\) \|/,
    },
    {
      what: "the break-glass exclusion is removed",
      edit: () => portal.editCampaign((c) => (c.excludeTargets = [])),
      resource: "campaign",
      property: () => `excludeTargets[${BREAK_GLASS_GROUP_ID}]`,
      declared: () => ({ id: BREAK_GLASS_GROUP_ID, targetType: "group" }),
      actual: () => null,
      documented: true,
      markdown:
        /\| Excluded: Emergency Access Accounts \(`excludeTargets\[6dbc0cdd-[^`]*\]`\) \| group \| \(absent\) \|/,
    },
    {
      what: "the Authenticator mode is changed",
      edit: async () => {
        const settings = structuredClone(inSync.authenticator);
        (settings.includeTargets as Json[])[0].authenticationMode = "deviceBasedPush";
        await portal.setAuthenticator(settings);
      },
      resource: "authenticator",
      property: () => `includeTargets[${pilotGroupId}].authenticationMode`,
      declared: () => "any",
      actual: () => "deviceBasedPush",
      // Someone else's change that takes a method away is named first (issue 23).
      significant: () =>
        `Push taken away: the stack declares ${pilotGroupId} in mode "any", the tenant only allows Passwordless ("deviceBasedPush"); push users there can no longer approve sign-ins.`,
      markdown:
        /\| Authentication mode for Drift pilot \(`includeTargets\[[^`]*\]\.authenticationMode`\) \| Any \(push or passwordless\) \| Passwordless \|/,
    },
    {
      what: "a pilot member is removed",
      edit: () => portal.removeMember(pilotGroupId, PILOT_USER_ID),
      resource: "pilot",
      property: () => `members[${PILOT_USER_UPN}]`,
      declared: () => PILOT_USER_UPN,
      actual: () => null,
      markdown:
        /\| Members: pilot\.user@contoso\.onmicrosoft\.com \(`members\[pilot\.user@contoso\.onmicrosoft\.com\]`\) \| pilot\.user@contoso\.onmicrosoft\.com \| \(absent\) \|/,
    },
  ];

  for (const c of cases) {
    it(`drift when ${c.what}: exits 2 naming ${c.resource}'s property in all three formats`, async () => {
      await c.edit();
      const json = await driftOfStack(["--json"]);
      const table = await driftOfFile();
      const markdown = await driftOfFile(["--markdown"]);
      for (const run of [json, table, markdown]) expect(run.code, run.stderr).to.equal(2);

      const report = parsed(json);
      expect(report.inSync).to.equal(false);
      const significant = typeof c.significant === "function" ? c.significant() : c.significant;
      if (c.documented) {
        const example: unknown = JSON.parse(docBlock("docs/commands.md", "drift-json").text);
        expect(shapeDifferences(example, report), "docs/commands.md's example").to.deep.equal([]);
      }
      const differences = (report.differences as Json[]).map(({ urn, ...rest }) => {
        expect(urn).to.match(new RegExp(`::${c.resource}$`));
        return rest;
      });
      expect(differences).to.deep.equal([
        {
          resource: c.resource,
          kind: (report.resources as Json[]).find((r) => r.resource === c.resource)?.kind,
          property: c.property(),
          declared: c.declared(),
          actual: c.actual(),
          ...(significant ? { significant } : {}),
        },
      ]);
      if (significant) {
        expect(table.stdout).to.contain(`Significant change: ${significant} (${c.resource})`);
        expect(markdown.stdout).to.contain(`> **Significant change:** ${significant}`);
      }
      expect(
        (report.resources as Json[]).filter((r) => r.status !== "inSync").map((r) => r.resource),
      ).to.deep.equal([c.resource]);

      const row = table.stdout
        .split("\n")
        .find((line) => line.startsWith(`${c.resource} `) && line.includes(c.property()));
      expect(row, table.stdout).to.not.equal(undefined);
      expect(table.stdout).to.contain("Drift: 1 difference in 1 of 3 resources.");
      expect(markdown.stdout).to.contain("## entra-nudge drift: drift detected");
      expect(markdown.stdout).to.match(c.markdown);
    });
  }

  it("the Pulumi-native check finds the same drift (exit 7); the installed bin exits 2 for it", async () => {
    await portal.editCampaign((c) => (c.snoozeDurationInDays = 3));
    const refresh = await drift.stack.previewRefresh({ expectNoChanges: true }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(exitCode(refresh), String(refresh)).to.equal(7);

    // A child process (the emulator answers from this one, so never spawnSync).
    const bin = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve) => {
        const cli = path.join(projectRoot, "dist", "provider", "cli.js");
        const args = [cli, "drift", "--file", stateFile, "--json"];
        const child = execFile(process.execPath, args, { env: readerEnv() }, (_e, stdout, stderr) =>
          resolve({ code: child.exitCode, stdout, stderr }),
        );
      },
    );
    expect(bin.code, bin.stderr).to.equal(2);
    expect(JSON.parse(bin.stdout)).to.deep.include({ inSync: false });
  });

  const errorOf = (run: CommandRun) => {
    expect(run.code, run.stdout).to.equal(1);
    const report = parsed(run);
    expect(report, "no verdict on an error").to.not.have.property("inSync");
    return report.error as { kind: string; message: string };
  };

  // Errors are errors, never drift or no drift: exit 1 with the reason, and no verdict.
  it("error: a missing permission (403) names the permission", async () => {
    emulator.injectFault({ status: 403, pathPrefix: "/v1.0/policies" });
    const run = await driftOfStack(["--json"]);
    expect(errorOf(run)).to.include({ kind: "forbidden" });
    expect(run.stderr).to.contain("Policy.Read.AuthenticationMethod");
  });

  it("error: Graph failing (503) after the retries", async () => {
    // A group is read on beta with its owners (v1.0 does not list app owners), its members on v1.0.
    emulator.injectFault({ status: 503, pathPrefix: "/v1.0/groups" });
    emulator.injectFault({ status: 503, pathPrefix: "/beta/groups" });
    const run = await driftOfFile(["--json"]);
    expect(errorOf(run)).to.include({ kind: "unavailable" });
    expect(run.stderr).to.match(/Could not read the group .*503/);
  });

  it("error: a timeout", async () => {
    emulator.injectFault({
      delayMs: 2_000,
      pathPrefix: "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations",
    });
    const run = await driftOfFile(["--json"], readerEnv({ ENTRA_NUDGE_TIMEOUT_MS: "500" }));
    expect(errorOf(run)).to.include({ kind: "transport" });
    expect(run.stderr).to.contain(
      "Could not read the Microsoft Authenticator method configuration",
    );
  });

  it("error: a failed sign-in, in the table and Markdown formats too", async () => {
    const env = readerEnv({ AZURE_CLIENT_SECRET: "not-the-secret" });
    expect(errorOf(await driftOfFile(["--json"], env))).to.include({ kind: "signIn" });
    const table = await driftOfFile([], env);
    expect(table.code).to.equal(1);
    expect(table.stdout).to.equal("");
    expect(table.stderr).to.contain("Sign-in to Microsoft Entra ID failed");
    const markdown = await driftOfFile(["--markdown"], env);
    expect(markdown.code).to.equal(1);
    expect(markdown.stdout).to.contain("## entra-nudge drift: the check failed");
  });

  it("error: credentials for another tenant than the stack's", async () => {
    const state = JSON.parse(fs.readFileSync(stateFile, "utf8")) as {
      deployment: { resources: { type: string; outputs?: Json }[] };
    };
    for (const r of state.deployment.resources) {
      if (r.outputs?.tenantId) r.outputs.tenantId = "11111111-2222-4333-8444-555555555555";
    }
    const other = path.join(drift.workspace.dir, "other-tenant.json");
    fs.writeFileSync(other, JSON.stringify(state));
    const run = await driftOfFile(["--json"], readerEnv(), other);
    expect(errorOf(run)).to.include({ kind: "tenant" });
    expect(run.stderr).to.contain("belongs to tenant 11111111-2222-4333-8444-555555555555");
  });

  it("error: a stack that does not exist", async () => {
    const run = await entraNudge(
      ["drift", "--stack", "nope", "--cwd", drift.workspace.workDir, "--json"],
      readerEnv(),
    );
    expect(errorOf(run)).to.include({ kind: "stack" });
    expect(run.stderr).to.contain('Could not read the stack "nope"');
  });

  // The preview summary runs before the deletion case, which cannot be undone.
  it("preview-summary: a realistic change, from the JSON preview and from the event log, matches the golden file", async () => {
    // The pull request: pilot users move to passwordless, the snooze gets longer, the
    // break-glass exclusion is swapped for Sales.
    drift.options = {
      snoozeDurationInDays: 3,
      authenticationMode: "deviceBasedPush",
      excludeTargets: [{ id: SALES_GROUP_ID, targetType: "group" }],
    };
    const events: EngineEvent[] = [];
    let stdout = "";
    const jsonStack = await LocalWorkspace.selectStack(
      {
        stackName: "drift",
        projectName: PROJECT,
        program: async () => driftProgram(drift.options),
      },
      {
        pulumiCommand: await jsonPreviewCommand(drift.workspace.dir),
        pulumiHome: drift.workspace.pulumiHome,
        envVars: { ...drift.workspace.envVars, ...emulator.env("writer"), ...ONE_RETRY },
        workDir: drift.workspace.workDir,
        projectSettings: { name: PROJECT, runtime: "nodejs", main: projectRoot },
      },
    );
    // The same program as the stack's own, so the preview is the pull request's.
    await jsonStack.preview({
      onEvent: (event) => events.push(event),
      onOutput: (text) => (stdout += text),
    });
    drift.options = {};

    const eventLog = path.join(drift.workspace.dir, "preview.events.jsonl");
    writeEventLog(eventLog, events);
    const previewJson = path.join(drift.workspace.dir, "preview.json");
    fs.writeFileSync(previewJson, stdout);
    expect(JSON.parse(stdout), "pulumi preview --json output").to.have.property("steps");

    const impact = path.join(fixturesDir, "impact.json");
    const summarize = (input: string) =>
      entraNudge(
        [
          "preview-summary",
          "--input",
          input,
          "--impact",
          impact,
          "--stack",
          "drift",
          "--cwd",
          drift.workspace.workDir,
        ],
        readerEnv(),
      );
    const fromEvents = await summarize(eventLog);
    const fromJson = await summarize(previewJson);
    expect(fromEvents.code, fromEvents.stderr).to.equal(0);
    expect(fromJson.code, fromJson.stderr).to.equal(0);
    expect(fromJson.stdout, "both inputs give the same summary").to.equal(fromEvents.stdout);
    expectGolden(
      "preview-summary.md.golden",
      fromEvents.stdout.split(pilotGroupId).join("<pilot-group-id>"),
    );
  });

  it("a deleted pilot group is drift of the resource itself (exists: declared true, actual false)", async () => {
    await portal.deleteGroup(pilotGroupId);
    groupDeleted = true;
    const run = await driftOfFile(["--json"]);
    expect(run.code, run.stderr).to.equal(2);
    const report = parsed(run);
    expect(
      (report.differences as Json[]).map(({ resource, property, declared, actual }) => ({
        resource,
        property,
        declared,
        actual,
      })),
    ).to.deep.equal([{ resource: "pilot", property: "exists", declared: true, actual: false }]);
    expect((report.resources as Json[]).find((r) => r.resource === "pilot")).to.include({
      status: "missing",
    });
  });
});

/**
 * A pulumi command whose `preview` prints `pulumi preview --json` output, so that one real preview
 * yields both inputs a CI job can give preview-summary: the JSON document and the event log.
 */
async function jsonPreviewCommand(dir: string): Promise<PulumiCommand> {
  const real = await pulumiBinary();
  const bin = path.join(dir, "json-preview", "bin");
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(
    path.join(bin, "pulumi"),
    `#!/bin/sh\nif [ "$1" = "preview" ]; then exec "${real}" "$@" --json; fi\nexec "${real}" "$@"\n`,
    { mode: 0o755 },
  );
  return PulumiCommand.get({ root: path.dirname(bin) });
}
