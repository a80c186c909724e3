// `readiness --stack` and `impact --stack` apply the stack's declared PasskeyPolicy to the tenant:
// a stack whose state (imported as `pulumi up` records it) declares passkeys for the pilot group,
// read through the pulumi CLI like every --stack command, against a tenant whose passkey method is
// off, and the reverse. Checked against hand counts from the fixture and against the tenant once
// the same passkey configuration is really written to it.
import { expect } from "chai";
import type { Stack } from "@pulumi/pulumi/automation";
import { main } from "../../provider/cli";
import type { ReadinessReport } from "../../provider/readiness";
import { applyConfiguration, captureIo, graphClient } from "../eligibility/support";
import { recordedState, undeployedStack, type IsolatedWorkspace } from "../support/engine";
import { useEmulator } from "../support/emulator";

const PILOT_GROUP = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31";
const DEFAULT_PROFILE = "00000000-0000-0000-0000-000000000001";
const FIDO2 = "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Fido2";
/**
 * The pilot group's phone-only users (emulator/tenants/default.json): pilot.user and DiegoS
 * (members, SMS only) and the Fabrikam guest (SMS only), whom no passkey campaign nudges.
 */
const PILOT_PHONE_ONLY_MEMBERS = 2;

describe("readiness/impact --stack with a declared PasskeyPolicy", function () {
  this.timeout(180_000);
  const emulator = useEmulator();
  let workspace: IsolatedWorkspace;
  let stack: Stack;
  let env: NodeJS.ProcessEnv;
  const projectName = "entra-nudge-passkey-stack";

  /** Records a PasskeyPolicy with these canonical inputs in the stack's state, as `pulumi up` does. */
  async function declare(inputs: Record<string, unknown>): Promise<void> {
    await stack.importStack(
      recordedState(projectName, "dev", [
        {
          kind: "PasskeyPolicy",
          name: "passkeys",
          id: `${emulator.info.tenantId}/fido2`,
          inputs,
          outputs: { ...inputs, defaultPasskeyProfile: DEFAULT_PROFILE },
        },
      ]),
    );
  }

  /** Writes the tenant's passkey configuration (the default profile for every target). */
  async function tenantPasskey(state: string, targets: string[]): Promise<void> {
    await graphClient(emulator, "writer", { reportRateLimit: null }).request({
      operation: "write the passkey configuration",
      method: "PATCH",
      path: FIDO2,
      permission: "Policy.ReadWrite.AuthenticationMethod",
      body: {
        "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
        state,
        isSelfServiceRegistrationAllowed: true,
        includeTargets: targets.map((id) => ({
          id,
          targetType: "group",
          isRegistrationRequired: false,
          allowedPasskeyProfiles: [DEFAULT_PROFILE],
        })),
        excludeTargets: [],
      },
    });
  }

  async function readiness(...args: string[]): Promise<ReadinessReport> {
    const out = captureIo(env, workspace.workDir);
    // The stack as deployed (its state is written by the test, not by a program to preview).
    const basis = args.includes("--stack") ? ["--from", "state"] : [];
    const code = await main(["readiness", "--json", "--no-cache", ...basis, ...args], out.io);
    expect(code, out.stderr()).to.equal(0);
    return JSON.parse(out.stdout()) as ReadinessReport;
  }

  /** What decides who is nudged, for comparing two reports. */
  const nudges = (report: ReadinessReport) => ({
    phoneOnly: report.phoneOnly,
    phoneOnlyNudged: report.phoneOnlyNudged,
    phoneOnlyNudgedByMethod: report.phoneOnlyNudgedByMethod,
    byUserType: report.byUserType,
    notNudgedReasons: report.notNudgedReasons,
  });

  before(async () => {
    ({ workspace, stack, env } = await undeployedStack(projectName, emulator.env("reader")));
  });
  after(async () => {
    await workspace?.cleanup();
  });
  beforeEach(async () => {
    // The tenant runs a passkey campaign for all users (the stack declares no campaign).
    await applyConfiguration(emulator, {
      campaign: {
        state: "enabled",
        targetedAuthenticationMethod: "fido2",
        includeTargets: [{ id: "all_users", targetType: "group" }],
      },
    });
  });

  it("the tenant's passkey method is off, the stack enables it for the pilot group: its phone-only members would be nudged to a passkey", async () => {
    await tenantPasskey("disabled", ["all_users"]);
    const passkeyInputs = {
      state: "enabled",
      isSelfServiceRegistrationAllowed: true,
      includeTargets: [{ id: PILOT_GROUP, targetType: "group", isRegistrationRequired: false }],
      excludeTargets: [],
      onDelete: "restore",
    };
    await declare(passkeyInputs);
    const live = await readiness();
    expect(live.phoneOnlyNudgedByMethod.fido2, "the tenant nudges no one to a passkey").to.equal(0);
    const declared = await readiness("--stack", "dev");
    expect(declared.source).to.equal("stack dev");
    expect(declared.phoneOnlyNudgedByMethod).to.deep.equal({
      fido2: PILOT_PHONE_ONLY_MEMBERS,
      microsoftAuthenticator: 0,
    });
    expect(declared.byUserType.guest.nudged).to.equal(0);
    // The report says which passkey method it counted.
    expect(live.passkeyMethod.state).to.equal("disabled");
    expect(declared.passkeyMethod).to.deep.equal({
      state: "enabled",
      isSelfServiceRegistrationAllowed: true,
      includeTargets: [{ id: PILOT_GROUP, targetType: "group" }],
      excludeTargets: [],
    });
    const table = captureIo(env, workspace.workDir);
    expect(
      await main(["readiness", "--stack", "dev", "--from", "state", "--no-cache"], table.io),
    ).to.equal(0);
    // The group is named where the scan read its name (it used to be shown by id alone).
    expect(table.stdout()).to.include(
      "Passkey method (stack dev): enabled, for group Pilot - Authenticator wave 1; self-service setup on",
    );

    // impact --stack agrees: the pilot's users start seeing the passkey nudge.
    const out = captureIo(env, workspace.workDir);
    expect(
      await main(["impact", "--stack", "dev", "--from", "state", "--json", "--no-cache"], out.io),
    ).to.equal(0);
    const impact = JSON.parse(out.stdout()) as {
      declared: { nudged: number };
      current: { nudged: number };
    };
    expect(impact.current.nudged).to.equal(0);
    expect(impact.declared.nudged).to.be.at.least(PILOT_PHONE_ONLY_MEMBERS);

    // After `pulumi up` the tenant holds that configuration: the live report says the same.
    await tenantPasskey("enabled", [PILOT_GROUP]);
    expect(nudges(await readiness())).to.deep.equal(nudges(declared));
    // And the emulator's own sign-in rules prompt the two members to a passkey.
    const prompted = emulator
      .forecastPrompts()
      .prompted.filter((p) => p.method === "fido2")
      .map((p) => p.userPrincipalName);
    expect(prompted).to.include.members([
      "pilot.user@contoso.onmicrosoft.com",
      "DiegoS@contoso.onmicrosoft.com",
    ]);
  });

  it("the reverse: the tenant enables passkeys for all users, the stack declares them disabled: no one would be nudged to a passkey", async () => {
    await tenantPasskey("enabled", ["all_users"]);
    await declare({
      state: "disabled",
      isSelfServiceRegistrationAllowed: true,
      includeTargets: [{ id: "all_users", targetType: "group", isRegistrationRequired: false }],
      excludeTargets: [],
      onDelete: "restore",
    });
    const live = await readiness();
    expect(live.phoneOnlyNudgedByMethod.fido2).to.be.greaterThan(PILOT_PHONE_ONLY_MEMBERS);
    const declared = await readiness("--stack", "dev");
    expect(declared.phoneOnlyNudgedByMethod.fido2).to.equal(0);
    const notEnabled = declared.notNudgedReasons.find((r) => r.reason === "notEnabledForPasskeys");
    expect(notEnabled?.users, "the members the tenant nudges today").to.equal(
      live.phoneOnlyNudgedByMethod.fido2,
    );
    await tenantPasskey("disabled", ["all_users"]);
    expect(nudges(await readiness())).to.deep.equal(nudges(declared));
  });
});
