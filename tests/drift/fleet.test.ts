// `entra-nudge drift` over several stacks at once: three emulators (three tenants), one small stack
// per tenant deployed by the real engine with that tenant's settings in its stack config, and one
// run checking them all with bounded concurrency: one line per stack and the combined exit code.
import { expect } from "chai";
import type { Stack } from "@pulumi/pulumi/automation";
import type { RunningEmulator } from "../../emulator/index.js";
import { RegistrationCampaign } from "../../provider";
import { mapWithConcurrency } from "../../provider/cli/pool";
import { useEmulator } from "../support/emulator";
import { isolatedWorkspace, type IsolatedWorkspace } from "../support/engine";
import { entraNudge } from "../support/cli";
import { EngineStack, ONE_RETRY } from "../support/engineStack";
import {
  BREAK_GLASS_GROUP_ID,
  ENGINEERING_GROUP_ID,
  Portal,
  tenantSettings,
  tenantWithId as tenant,
} from "../support/tenant";

type Json = Record<string, unknown>;

/** The stack config that points a stack at an emulator's tenant (the secret stored encrypted). */
function tenantConfig(emulator: RunningEmulator, clientSecret?: string) {
  const settings = tenantSettings(emulator);
  if (clientSecret) settings["entra-nudge:clientSecret"] = clientSecret;
  return Object.fromEntries(
    Object.entries(settings).map(([key, value]) => [
      key,
      { value, secret: key === "entra-nudge:clientSecret" },
    ]),
  );
}

describe("drift of many stacks at once (three tenants)", function () {
  this.timeout(180_000);
  const emulators = {
    a: useEmulator({ tenant: tenant("aaaaaaaa-1111-4111-8111-111111111111") }),
    b: useEmulator({ tenant: tenant("bbbbbbbb-2222-4222-8222-222222222222") }),
    c: useEmulator({ tenant: tenant("cccccccc-3333-4333-8333-333333333333") }),
  };
  const names = ["a", "b", "c"] as const;
  let workspace: IsolatedWorkspace;
  const stacks = {} as Record<(typeof names)[number], Stack>;
  let inSyncCampaign: Json;

  before(async function () {
    this.timeout(300_000);
    workspace = await isolatedWorkspace();
    for (const name of names) {
      const { stack } = await EngineStack.create({
        stackName: name,
        projectName: "entra-nudge-fleet-tests",
        workspace,
        program: () => {
          new RegistrationCampaign("campaign", {
            state: "enabled",
            snoozeDurationInDays: 0,
            includeTargets: [{ id: ENGINEERING_GROUP_ID, targetType: "group" }],
            excludeTargets: [{ id: BREAK_GLASS_GROUP_ID, targetType: "group" }],
          });
        },
        // No emulator: no AZURE_* variables, each stack's settings come from its own config only.
        env: { ...ONE_RETRY, NODE_EXTRA_CA_CERTS: emulators[name].info.caCertPath },
      });
      await stack.setAllConfig(tenantConfig(emulators[name]));
      await stack.up();
      stacks[name] = stack;
    }
    inSyncCampaign = await new Portal(emulators.c).campaign();
  });
  after(async () => workspace?.cleanup());

  /** What the pulumi CLI needs to find the stacks; no credentials in the environment. */
  function env(): NodeJS.ProcessEnv {
    const base = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !/^(AZURE_|ENTRA_NUDGE_GRAPH)/.test(key)),
    );
    return { ...base, ...workspace.envVars, ...ONE_RETRY };
  }

  function driftOfAll(format: string[] = []) {
    const args = ["drift", "--stack", "a", "--stack", "b", "--stack", "c", "--concurrency", "2"];
    return entraNudge([...args, "--cwd", workspace.workDir, ...format], env());
  }

  it("one line per stack with its verdict; error wins (1), then drift (2), then in sync (0)", async () => {
    // c drifts out of band; b's credentials are broken.
    await new Portal(emulators.c).editCampaign((c) => (c.snoozeDurationInDays = 7));
    await stacks.b.setAllConfig(tenantConfig(emulators.b, "not-the-secret"));

    const broken = await driftOfAll();
    expect(broken.code, broken.stderr).to.equal(1);
    const lines = broken.stdout.trimEnd().split("\n");
    expect(lines).to.have.length(3);
    expect(lines[0]).to.equal("a: in sync");
    expect(lines[1]).to.match(/^b: error — .*Sign-in to Microsoft Entra ID failed/);
    expect(lines[2]).to.equal("c: drift (1 difference: snoozeDurationInDays)");
    expect(broken.stderr).to.contain("entra-nudge drift: b: ");

    const json = await driftOfAll(["--json"]);
    expect(json.code).to.equal(1);
    const report = JSON.parse(json.stdout) as {
      schemaVersion: number;
      inSync: boolean;
      stacks: Json[];
    };
    expect(report.schemaVersion).to.equal(1);
    expect(report.inSync).to.equal(false);
    expect(report.stacks.map((s) => [s.stack, s.exitCode])).to.deep.equal([
      ["a", 0],
      ["b", 1],
      ["c", 2],
    ]);
    expect(report.stacks[0]).to.deep.equal({
      stack: "a",
      exitCode: 0,
      inSync: true,
      differences: [],
    });
    expect(report.stacks[1]).to.not.have.property("inSync");
    expect(report.stacks[1].error).to.include({ kind: "signIn" });
    expect(report.stacks[2]).to.include({ inSync: false });
    expect((report.stacks[2].differences as Json[]).map((d) => d.property)).to.deep.equal([
      "snoozeDurationInDays",
    ]);

    const markdown = await driftOfAll(["--markdown"]);
    expect(markdown.code).to.equal(1);
    expect(markdown.stdout).to.contain("| Stack | Verdict | Details |");
    expect(markdown.stdout).to.match(/^\| c \| drift \| 1 difference: snoozeDurationInDays \|$/m);

    // The credentials fixed: drift remains (2).
    await stacks.b.setAllConfig(tenantConfig(emulators.b));
    const drifted = await driftOfAll();
    expect(drifted.code, drifted.stderr).to.equal(2);
    expect(drifted.stdout).to.equal(
      "a: in sync\nb: in sync\nc: drift (1 difference: snoozeDurationInDays)\n",
    );

    // The tenant repaired: all in sync (0).
    await new Portal(emulators.c).editCampaign((c) => Object.assign(c, inSyncCampaign));
    const clean = await driftOfAll(["--json"]);
    expect(clean.code, clean.stderr).to.equal(0);
    expect(JSON.parse(clean.stdout)).to.deep.include({ inSync: true });
  });

  it("with the first tenant's answers delayed, every stack still reads its own tenant", async () => {
    // Each stack's check has its own Graph session: a's sign-in and reads stall while b and c
    // start, read and finish, and none of them borrows another's settings (each tenant holds its
    // own snooze, and a's recorded tenant must still be the one a's session signs in to).
    await new Portal(emulators.b).editCampaign((c) => (c.snoozeDurationInDays = 2));
    await new Portal(emulators.c).editCampaign((c) => (c.snoozeDurationInDays = 3));
    emulators.a.injectFault({ delayMs: 700 });
    emulators.a.injectFault({ delayMs: 700, pathPrefix: `/${emulators.a.info.tenantId}/oauth2` });
    try {
      const run = await entraNudge(
        [
          ...["drift", "--stack", "a", "--stack", "b", "--stack", "c", "--concurrency", "3"],
          ...["--cwd", workspace.workDir, "--json"],
        ],
        env(),
      );
      expect(run.code, run.stderr).to.equal(2);
      const stacksReport = (JSON.parse(run.stdout) as { stacks: Json[] }).stacks;
      const snooze = (s: Json) =>
        (s.differences as Json[]).find((d) => d.property === "snoozeDurationInDays")?.actual;
      expect(stacksReport.map((s) => [s.stack, s.exitCode, snooze(s)])).to.deep.equal([
        ["a", 0, undefined],
        ["b", 2, 2],
        ["c", 2, 3],
      ]);
    } finally {
      emulators.a.clearFaults();
      for (const name of ["b", "c"] as const) {
        await new Portal(emulators[name]).editCampaign((c) => Object.assign(c, inSyncCampaign));
      }
    }
  });

  it("an injected 403 in one tenant is that stack's error only", async () => {
    emulators.a.injectFault({ status: 403, pathPrefix: "/v1.0/policies" });
    try {
      const run = await driftOfAll();
      expect(run.code).to.equal(1);
      const lines = run.stdout.trimEnd().split("\n");
      expect(lines[0]).to.match(/^a: error — .*Policy\.Read\.AuthenticationMethod/);
      expect(lines.slice(1)).to.deep.equal(["b: in sync", "c: in sync"]);
    } finally {
      emulators.a.clearFaults();
    }
  });
});

describe("drift of many stacks: options and the pool", () => {
  for (const value of ["0", "-1", "1.5", "two"]) {
    it(`--concurrency ${value} is an error (exit 1) that says what is expected`, async () => {
      const run = await entraNudge(
        ["drift", "--stack", "a", "--stack", "b", `--concurrency=${value}`],
        process.env,
      );
      expect(run.code).to.equal(1);
      expect(run.stdout).to.equal("");
      expect(run.stderr).to.contain(
        `entra-nudge drift: --concurrency must be a whole number of at least 1 (got "${value}").`,
      );
    });
  }

  it("the pool never runs more than N at once, and keeps the items' order", async () => {
    for (const limit of [1, 2, 3, 20]) {
      let running = 0;
      let most = 0;
      const items = Array.from({ length: 12 }, (_, i) => i);
      const results = await mapWithConcurrency(items, limit, async (item) => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 1 + ((item * 7) % 5)));
        running--;
        return item * 10;
      });
      expect(most, `limit ${limit}`).to.equal(Math.min(limit, items.length));
      expect(results).to.deep.equal(items.map((i) => i * 10));
    }
  });

  it("the pool refuses a bound below 1", async () => {
    let error: unknown;
    await mapWithConcurrency([1], 0, async (x) => x).catch((err: unknown) => (error = err));
    expect(error).to.be.instanceOf(RangeError);
  });
});
