// What a stack may write, through the real engine (Automation API inline programs) against the
// emulator, each case checked against the emulator's request log (no write where none is allowed):
// - a target that names no user or group of the tenant fails at preview, and `up` writes nothing;
// - a stack pointed at another tenant is refused at preview, nothing written to either tenant;
// - destroy restores a property only where the tenant still holds what the stack applied, and two
//   stacks on one tenant end, both destroyed, with the tenant's settings from before either;
// - a PasskeyPolicy that leaves a profile's attestation out keeps the tenant's.
import { expect } from "chai";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import type { RunningEmulator } from "../../emulator/index.js";
import { PasskeyPolicy, RegistrationCampaign } from "../../provider";
import { MICROSOFT_MANAGED_AS_GRAPH, useEmulator } from "../support/emulator";
import { isolatedWorkspace, type IsolatedWorkspace } from "../support/engine";
import { EngineStack, diagnostics } from "../support/engineStack";
import { BREAK_GLASS_GROUP_ID, CAMPAIGN_PATH, Tenant, tenantWithId } from "../support/tenant";

const PROJECT = "entra-nudge-ownership-tests";
const NO_SUCH_GROUP = "0b5c8f0e-7d7a-4b44-9a5e-3c1f7a2b9d11";

/** What one engine operation showed. */
interface Outcome {
  error?: unknown;
  events: EngineEvent[];
  /** Everything the engine printed, errors included. */
  text: string;
}

/** A stack whose program is whatever `program` is when an operation runs. */
class ProgramStack {
  program: () => void = () => undefined;

  private constructor(readonly stack: Stack) {}

  static async create(
    workspace: IsolatedWorkspace,
    emulator: RunningEmulator,
    stackName: string,
  ): Promise<ProgramStack> {
    const holder: { self?: ProgramStack } = {};
    const { stack } = await EngineStack.create({
      stackName,
      projectName: PROJECT,
      workspace,
      program: () => holder.self?.program(),
      emulator,
      env: { ENTRA_NUDGE_RETRY_DELAY_SECONDS: "0" },
    });
    holder.self = new ProgramStack(stack);
    return holder.self;
  }

  /** Points the stack's provider at another emulator's tenant (its settings, as a user would). */
  signInTo(emulator: RunningEmulator): void {
    Object.assign(this.stack.workspace.envVars, emulator.env("writer"));
  }

  async run(operation: "preview" | "up" | "destroy"): Promise<Outcome> {
    const outcome: Outcome = { events: [], text: "" };
    const handlers = {
      onEvent: (event: EngineEvent) => outcome.events.push(event),
      onOutput: (text: string) => (outcome.text += text),
      onError: (text: string) => (outcome.text += text),
    };
    try {
      if (operation === "preview") await this.stack.preview(handlers);
      else if (operation === "up") await this.stack.up(handlers);
      else await this.stack.destroy(handlers);
    } catch (error) {
      outcome.error = error;
      outcome.text += String(error);
    }
    return outcome;
  }

  async succeed(operation: "preview" | "up" | "destroy"): Promise<Outcome> {
    const outcome = await this.run(operation);
    if (outcome.error !== undefined) expect.fail(`${operation} failed: ${outcome.text}`);
    return outcome;
  }
}

/** Policy writes (not reads, not sign-ins) in an emulator's request log since `from`. */
function policyWrites(emulator: RunningEmulator, from = 0): string[] {
  return emulator
    .requests()
    .slice(from)
    .filter((r) => /^\/(v1\.0|beta)\//.test(r.path) && r.method !== "GET")
    .filter((r) => !r.path.endsWith("/$batch"))
    .map((r) => `${r.method} ${r.path}`);
}

describe("what a stack may write, through the real engine", function () {
  this.timeout(300_000);
  const emulator = useEmulator();
  /** A second tenant (the same directory content, another tenant id), on its own emulator. */
  const other = useEmulator({ tenant: tenantWithId("c0ffee00-86f1-41af-91ab-2d7cd011db47") });
  let workspace: IsolatedWorkspace;
  let tenant: Tenant;

  before(async function () {
    this.timeout(60_000);
    workspace = await isolatedWorkspace();
    tenant = new Tenant(emulator);
  });
  after(async () => workspace?.cleanup());

  describe("targets must exist", () => {
    it("a campaign whose only include target is a group that does not exist fails at preview and at up; nothing is written, all users stay included", async () => {
      emulator.reset();
      const stack = await ProgramStack.create(workspace, emulator, "missing-target");
      stack.program = () =>
        new RegistrationCampaign("campaign", {
          state: "enabled",
          snoozeDurationInDays: 0,
          includeTargets: [{ id: NO_SUCH_GROUP, targetType: "group" }],
        });
      const before = await tenant.campaign();
      for (const operation of ["preview", "up"] as const) {
        const outcome = await stack.run(operation);
        expect(outcome.error, `${operation} fails`).to.not.equal(undefined);
        expect(outcome.text, outcome.text).to.include(
          `includeTargets[0]: "${NO_SUCH_GROUP}" is not a group of tenant ${emulator.info.tenantId.toLowerCase()}`,
        );
        expect(outcome.text).to.include("Use the object id of an existing group");
      }
      expect(policyWrites(emulator), "nothing written").to.deep.equal([]);
      expect(await tenant.campaign()).to.deep.equal(before);
    });
  });

  describe("a tenant switch is refused, not replaced", () => {
    it("a stack pointed at another tenant fails at preview and at up, naming the two safe ways; nothing is written to either tenant", async () => {
      emulator.reset();
      other.reset();
      other.configure(MICROSOFT_MANAGED_AS_GRAPH);
      const stack = await ProgramStack.create(workspace, emulator, "tenant-switch");
      stack.program = () =>
        new RegistrationCampaign("campaign", {
          state: "enabled",
          snoozeDurationInDays: 0,
          excludeTargets: [{ id: BREAK_GLASS_GROUP_ID, targetType: "group" }],
        });
      await stack.succeed("up");
      const applied = await tenant.campaign();
      const otherBefore = await new Tenant(other).campaign();
      const marks = { a: emulator.requests().length, b: other.requests().length };
      const a = emulator.info.tenantId.toLowerCase();
      const b = other.info.tenantId.toLowerCase();

      stack.signInTo(other);
      for (const operation of ["preview", "up"] as const) {
        const outcome = await stack.run(operation);
        expect(outcome.error, `${operation} fails`).to.not.equal(undefined);
        expect(outcome.text).to.include(
          `RegistrationCampaign: the stack now signs in to tenant ${b}, but this resource belongs to tenant ${a}, so nothing was written to either tenant.`,
        );
        expect(outcome.text).to.include(`point the stack back at tenant ${a}`);
        expect(outcome.text).to.include(`create a new stack for tenant ${b}`);
      }
      expect(policyWrites(emulator, marks.a), "nothing written to the old tenant").to.deep.equal(
        [],
      );
      expect(policyWrites(other, marks.b), "nothing written to the new tenant").to.deep.equal([]);
      expect(await tenant.campaign()).to.deep.equal(applied);
      expect(await new Tenant(other).campaign()).to.deep.equal(otherBefore);

      // The first safe way: destroy on the old tenant (restoring it), then up on the new one.
      stack.signInTo(emulator);
      await stack.succeed("destroy");
      expect((await tenant.campaign()).state).to.equal("default");
      stack.signInTo(other);
      await stack.succeed("up");
      expect((await new Tenant(other).campaign()).snoozeDurationInDays).to.equal(0);
      // Destroyed there too, the second tenant is as it was (and no stack manages its campaign).
      await stack.succeed("destroy");
      expect(await new Tenant(other).campaign()).to.deep.equal(otherBefore);
    });
  });

  describe("destroy never overwrites what it did not write", () => {
    it("a value someone changed since the stack applied it is left as found and named in words; the rest is restored", async () => {
      emulator.reset();
      const stack = await ProgramStack.create(workspace, emulator, "restore-unchanged");
      stack.program = () =>
        new RegistrationCampaign("campaign", {
          state: "enabled",
          snoozeDurationInDays: 0,
          excludeTargets: [{ id: BREAK_GLASS_GROUP_ID, targetType: "group" }],
        });
      const found = await tenant.campaign();
      await stack.succeed("up");
      // Someone edits the snooze in the portal after the stack applied it.
      await tenant.patch(CAMPAIGN_PATH, {
        registrationEnforcement: {
          authenticationMethodsRegistrationCampaign: { snoozeDurationInDays: 7 },
        },
      });
      const outcome = await stack.succeed("destroy");
      const after = await tenant.campaign();
      expect(after.snoozeDurationInDays, "the portal's value stays").to.equal(7);
      expect(after.state, "the stack's own change is restored").to.equal(found.state);
      expect(after.excludeTargets).to.deep.equal(found.excludeTargets);
      expect(diagnostics(outcome.events, "warning").join("\n")).to.match(
        /RegistrationCampaign: destroy left this setting of the registration campaign as found, because someone else \(another stack, the portal, a script or Microsoft\) changed it since this stack last applied it: Snooze: 7 days\./,
      );
    });
  });

  describe("two stacks declaring one tenant singleton", () => {
    /** Every write (any method but GET, batches included) in an emulator's log since `from`. */
    const anyWrite = (log: RunningEmulator, from: number) =>
      log
        .requests()
        .slice(from)
        .filter((r) => r.method !== "GET" && !r.path.startsWith("/_emulator"))
        .map((r) => `${r.method} ${r.path}`);

    it("the second stack is refused at preview and at up, naming the first, writing nothing; once the first is destroyed it adopts, and destroying it leaves the tenant's settings from before either", async () => {
      emulator.reset();
      other.reset();
      // The campaign found is Microsoft managed ("default"): destroy writes back its state and
      // targets only, and Graph shows the snooze days and method as Microsoft sets them.
      emulator.configure(MICROSOFT_MANAGED_AS_GRAPH);
      const original = await tenant.campaign();
      const a = await ProgramStack.create(workspace, emulator, "two-stacks-a");
      const b = await ProgramStack.create(workspace, emulator, "two-stacks-b");
      a.program = () =>
        new RegistrationCampaign("campaign", {
          state: "enabled",
          snoozeDurationInDays: 0,
          excludeTargets: [{ id: BREAK_GLASS_GROUP_ID, targetType: "group" }],
        });
      b.program = () =>
        new RegistrationCampaign("nudge", {
          state: "enabled",
          snoozeDurationInDays: 5,
          excludeTargets: [{ id: BREAK_GLASS_GROUP_ID, targetType: "group" }],
        });

      const upA = await a.succeed("up");
      expect(diagnostics(upA.events, "warning").join("\n")).to.not.include("could not be checked");
      const applied = await tenant.campaign();
      expect(applied.snoozeDurationInDays).to.equal(0);

      // The same declaration on another tenant is no conflict.
      const c = await ProgramStack.create(workspace, other, "two-stacks-c");
      c.program = b.program;
      await c.succeed("preview");

      const mark = emulator.requests().length;
      for (const operation of ["preview", "up"] as const) {
        const outcome = await b.run(operation);
        expect(outcome.error, `${operation} b fails`).to.not.equal(undefined);
        expect(outcome.text).to.match(
          new RegExp(
            `RegistrationCampaign: the registration campaign of tenant ${emulator.info.tenantId.toLowerCase()} is already managed by stack "[^"]*/${PROJECT}/two-stacks-a" \\(its RegistrationCampaign "campaign"\\), so this stack did not adopt it and nothing was written`,
          ),
        );
        expect(outcome.text).to.include("manage it in one stack only");
        expect(outcome.text).to.match(/`pulumi destroy --stack [^`]*two-stacks-a`/);
      }
      expect(anyWrite(emulator, mark), "stack b wrote nothing").to.deep.equal([]);
      expect(await tenant.campaign()).to.deep.equal(applied);

      await a.succeed("destroy");
      expect(await tenant.campaign(), "destroying a restores the tenant's own").to.deep.equal(
        original,
      );
      await b.succeed("up");
      expect((await tenant.campaign()).snoozeDurationInDays).to.equal(5);
      await b.succeed("destroy");
      expect(
        await tenant.campaign(),
        "after both, the tenant's settings from before either",
      ).to.deep.equal(original);
    });

    it("when the other stacks cannot be read, the adoption goes on and a warning says the check could not run", async () => {
      emulator.reset();
      const stack = await ProgramStack.create(workspace, emulator, "two-stacks-no-cli");
      stack.program = () =>
        new RegistrationCampaign("campaign", {
          state: "enabled",
          snoozeDurationInDays: 0,
          excludeTargets: [{ id: BREAK_GLASS_GROUP_ID, targetType: "group" }],
        });
      // The provider finds no pulumi CLI to list the stacks with.
      stack.stack.workspace.envVars.ENTRA_NUDGE_PULUMI = "/nonexistent/bin/pulumi";
      const preview = await stack.succeed("preview");
      const warnings = diagnostics(preview.events, "warning").filter((w) =>
        w.includes("could not be checked"),
      );
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.include(
        "RegistrationCampaign: whether another stack already manages the registration campaign of this tenant could not be checked (`pulumi stack ls` failed: the pulumi CLI was not found",
      );
      expect(warnings[0]).to.include("manage each tenant-wide setting in one stack only");
    });
  });

  describe("omitted means unmanaged, never weaker", () => {
    const FIDO2_PATH = `${CAMPAIGN_PATH}/authenticationMethodConfigurations/fido2`;
    const AAGUID = "de1e552d-db1d-4423-a619-566b625cdc84";
    type Profile = { name: string; attestationEnforcement: string; keyRestrictions?: unknown };

    it("a profile declared without attestation or key restrictions keeps the tenant's; turning them off is refused unless declared, and then called out", async () => {
      emulator.reset();
      // The tenant's default profile enforces attestation and allows one authenticator model.
      const config = await tenant.get<{ passkeyProfiles: Record<string, unknown>[] }>(FIDO2_PATH);
      const strict = {
        ...config.passkeyProfiles[0],
        passkeyTypes: "deviceBound",
        attestationEnforcement: "registrationOnly",
        keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [AAGUID] },
      };
      await tenant.patch(FIDO2_PATH, {
        "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
        passkeyProfiles: [strict],
      });
      const profileName = String(config.passkeyProfiles[0].name);
      const stack = await ProgramStack.create(workspace, emulator, "passkey-attestation");
      const declare = (profile: Record<string, unknown>) => () =>
        new PasskeyPolicy("passkeys", {
          state: "enabled",
          passkeyProfiles: [{ name: profileName, passkeyTypes: ["deviceBound"], ...profile }],
        });
      const profile = async () =>
        (await tenant.get<{ passkeyProfiles: Profile[] }>(FIDO2_PATH)).passkeyProfiles.find(
          (p) => p.name === profileName,
        ) as Profile;

      stack.program = declare({});
      await stack.succeed("up");
      expect(await profile(), "left out = kept").to.deep.include({
        attestationEnforcement: "registrationOnly",
        keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [AAGUID] },
      });

      // Synced passkeys cannot be attested: with attestation left out, up refuses, writing nothing.
      stack.program = declare({ passkeyTypes: ["deviceBound", "synced"] });
      let mark = emulator.requests().length;
      const refused = await stack.run("up");
      expect(refused.error).to.not.equal(undefined);
      expect(refused.text).to.include(
        `enforces attestation ("registrationOnly"), which synced passkeys cannot meet, and attestationEnforcement is left out (kept)`,
      );
      expect(policyWrites(emulator, mark), "nothing written").to.deep.equal([]);
      expect((await profile()).attestationEnforcement).to.equal("registrationOnly");

      // Declared, the weakening goes through and the preview calls it out.
      stack.program = declare({
        passkeyTypes: ["deviceBound", "synced"],
        attestationEnforcement: "disabled",
      });
      mark = emulator.requests().length;
      const preview = await stack.succeed("preview");
      expect(policyWrites(emulator, mark), "a preview writes nothing").to.deep.equal([]);
      const warnings = diagnostics(preview.events, "warning").join("\n");
      expect(warnings).to.include(
        `PasskeyPolicy: this change weakens the policy. Passkey profile "${profileName}": attestation no longer enforced (registrationOnly → disabled)`,
      );
      expect(warnings).to.include(`Passkey profile "${profileName}": synced passkeys allowed`);
      await stack.succeed("up");
      expect((await profile()).attestationEnforcement).to.equal("disabled");
    });
  });
});
