// Issue 13's "done when", through the real engine against the emulator: a program declaring a
// PasskeyPolicy as docs/passkeys.md does (a pilot profile, the pilot group enabled with it, the
// break-glass group keeping the default profile) and a passkey ("fido2") campaign
// previews, applies, refreshes with no changes, detects a portal edit (refresh exit 7, `entra-nudge
// drift` exit 2 naming the property in words), and destroys back to the original settings (a
// Microsoft-managed campaign's snooze days and method as Microsoft sets them).
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { PasskeyPolicy, RegistrationCampaign } from "../../provider";
import { getFido2Configuration } from "../../provider/graph";
import { MICROSOFT_MANAGED_AS_GRAPH, useEmulator } from "../support/emulator";
import type { IsolatedWorkspace } from "../support/engine";
import { entraNudge } from "../support/cli";
import { EngineStack, ONE_RETRY, exitCode } from "../support/engineStack";
import { BREAK_GLASS_GROUP_ID, Portal, SALES_GROUP_ID } from "../support/tenant";

type Json = Record<string, unknown>;

function passkeyProgram(): void {
  const passkeys = new PasskeyPolicy("passkeys", {
    state: "enabled",
    isSelfServiceRegistrationAllowed: true,
    passkeyProfiles: [
      {
        name: "Default passkey profile",
        passkeyTypes: ["deviceBound"],
        attestationEnforcement: "registrationOnly",
      },
      { name: "Pilot", passkeyTypes: ["deviceBound", "synced"] },
    ],
    includeTargets: [
      {
        id: BREAK_GLASS_GROUP_ID,
        targetType: "group",
        allowedPasskeyProfiles: ["Default passkey profile"],
      },
      { id: SALES_GROUP_ID, targetType: "group", allowedPasskeyProfiles: ["Pilot"] },
    ],
  });
  // The orchestration order the contract gives (passkeys §6): the users are enabled for passkeys
  // before the campaign nudges them to set one up.
  new RegistrationCampaign(
    "campaign",
    {
      state: "enabled",
      targetedAuthenticationMethod: "fido2",
      snoozeDurationInDays: 1,
      includeTargets: [{ id: SALES_GROUP_ID, targetType: "group" }],
      excludeTargets: [{ id: BREAK_GLASS_GROUP_ID, targetType: "group" }],
    },
    { dependsOn: [passkeys] as pulumi.Resource[] },
  );
}

describe("passkeys through the engine: PasskeyPolicy and a fido2 campaign", function () {
  this.timeout(300_000);
  const emulator = useEmulator();
  let workspace: IsolatedWorkspace;
  let stack: Stack;
  let portal: Portal;

  before(async () => {
    portal = new Portal(emulator);
    ({ stack, workspace } = await EngineStack.create({
      stackName: "passkeys",
      projectName: "entra-nudge-passkey-tests",
      program: passkeyProgram,
      emulator,
      env: ONE_RETRY,
    }));
  });
  after(async () => workspace?.cleanup());

  const methodConfiguration = async () => {
    const config = (await getFido2Configuration(portal.graph)) as Json;
    return {
      state: config.state,
      isSelfServiceRegistrationAllowed: config.isSelfServiceRegistrationAllowed,
      passkeyProfiles: config.passkeyProfiles,
      includeTargets: config.includeTargets,
      excludeTargets: config.excludeTargets,
    };
  };

  it("previews, applies, refreshes with no changes, detects a portal edit, and destroys back to the original", async () => {
    // The campaign found is Microsoft managed ("default"): its snooze days and method are set by
    // Microsoft, not the admin (HOWTO), so destroy writes back its state and targets only (an
    // emulator refusing the others whenever sent under "default") and reads them back as
    // Microsoft sets them: 1 day, and Authenticator once the passkey method is restored too.
    emulator.configure(MICROSOFT_MANAGED_AS_GRAPH);
    const original = { campaign: await portal.campaign(), passkeys: await methodConfiguration() };

    const preview = await stack.preview();
    expect(preview.changeSummary.create).to.equal(3); // the stack, the policy, the campaign
    await stack.up();
    const campaign = await portal.campaign();
    expect(
      (campaign.includeTargets as Json[]).map((t) =>
        String(t.targetedAuthenticationMethod).toLowerCase(),
      ),
    ).to.deep.equal(["fido2"]);
    const passkeys = await methodConfiguration();
    expect(passkeys.isSelfServiceRegistrationAllowed).to.equal(true);
    expect((passkeys.passkeyProfiles as Json[]).map((p) => p.name).sort()).to.deep.equal([
      "Default passkey profile",
      "Pilot",
    ]);
    await stack.previewRefresh({ expectNoChanges: true });
    await stack.preview({ expectNoChanges: true });

    // Someone switches the campaign back to Authenticator in the portal.
    await portal.editCampaign((c) => {
      for (const target of c.includeTargets as Json[]) {
        target.targetedAuthenticationMethod = "microsoftAuthenticator";
      }
    });
    const refresh = await stack.previewRefresh({ expectNoChanges: true }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(exitCode(refresh), String(refresh)).to.equal(7);
    const env = {
      ...process.env,
      ...workspace.envVars,
      ...emulator.env("reader"),
      ...ONE_RETRY,
    };
    const drift = await entraNudge(
      ["drift", "--stack", "passkeys", "--cwd", workspace.workDir, "--json"],
      env,
    );
    expect(drift.code, drift.stderr).to.equal(2);
    const differences = (JSON.parse(drift.stdout) as Json).differences as Json[];
    expect(differences[0]).to.deep.include({
      resource: "campaign",
      property: "targetedAuthenticationMethod",
      declared: "fido2",
      actual: "microsoftAuthenticator",
      significant: "Nudged to set up: a passkey → Microsoft Authenticator",
    });
    const words = await entraNudge(
      ["drift", "--stack", "passkeys", "--cwd", workspace.workDir],
      env,
    );
    expect(words.stdout).to.contain(
      "Significant change: Nudged to set up: a passkey → Microsoft Authenticator (campaign)",
    );

    await stack.up({ refresh: true });
    await stack.previewRefresh({ expectNoChanges: true });
    await stack.destroy();
    expect(await portal.campaign()).to.deep.equal(original.campaign);
    expect(await methodConfiguration()).to.deep.equal(original.passkeys);
  });
});

describe("passkeys through the engine: Microsoft's 2026-09-01 migration seen by drift", function () {
  this.timeout(300_000);
  const emulator = useEmulator();
  let workspace: IsolatedWorkspace;

  after(async () => workspace?.cleanup());

  it("a pinned Authenticator campaign moved to Microsoft managed passkeys: drift names the method change in words, first", async () => {
    const engine = await EngineStack.create({
      stackName: "pinned",
      projectName: "entra-nudge-migration-tests",
      program: () => {
        new RegistrationCampaign("campaign", {
          state: "enabled",
          targetedAuthenticationMethod: "microsoftAuthenticator",
          includeTargets: [{ id: SALES_GROUP_ID, targetType: "group" }],
          excludeTargets: [{ id: BREAK_GLASS_GROUP_ID, targetType: "group" }],
        });
      },
      emulator,
      env: ONE_RETRY,
    });
    workspace = engine.workspace;
    const stack = engine.stack;
    await stack.up();
    expect(emulator.microsoftMigration().migrated).to.equal(true);

    const env = { ...process.env, ...workspace.envVars, ...emulator.env("reader"), ...ONE_RETRY };
    const json = await entraNudge(
      ["drift", "--stack", "pinned", "--cwd", workspace.workDir, "--json"],
      env,
    );
    expect(json.code, json.stderr).to.equal(2);
    const differences = (JSON.parse(json.stdout) as Json).differences as Json[];
    expect(differences[0]).to.deep.include({
      property: "targetedAuthenticationMethod",
      declared: "microsoftAuthenticator",
      actual: "fido2",
      significant: "Nudged to set up: Microsoft Authenticator → a passkey",
    });
    expect(differences.map((d) => d.property)).to.include("state");
    const markdown = await entraNudge(
      ["drift", "--stack", "pinned", "--cwd", workspace.workDir, "--markdown"],
      env,
    );
    expect(markdown.stdout).to.contain(
      "> **Significant change:** Nudged to set up: Microsoft Authenticator → a passkey",
    );
  });
});
