// The guardrails policy pack (policy/) through the real engine: `pulumi preview --policy-pack` on
// inline programs, the pack started by the analyzer launcher scripts/pulumi-analyzer-policy-nodejs
// installed into the stack's isolated plugin cache, on an engine root without a Node.js language
// host: the engine asks a host, when it finds one, to start the pack, and the test host built from
// sdk v3.68.0 cannot (scripts/engine.ts, engineWithoutLanguageHost). Asserts what a user sees: which policies
// report, at which enforcement level, and whether the preview fails.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { type EngineEvent, type PolicyEvent, type Stack } from "@pulumi/pulumi/automation";
import * as nudge from "../../provider";
import { POLICY, POLICY_PACK_NAME } from "../../provider/policy";
import { useEmulator } from "../support/emulator";
import { projectRoot, type IsolatedWorkspace } from "../support/engine";
import { EngineStack, policyWorkspace } from "../support/engineStack";

const POLICY_PACK_DIR = path.join(projectRoot, "policy");

// Objects of emulator/tenants/default.json.
const BREAK_GLASS_GROUP = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c";
const BREAK_GLASS_USER = "6ec85dbc-3f90-5c4f-9276-d103b845bee8";
const PILOT_GROUP = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31";
const SALES_GROUP = "2fbb5b75-4b8e-581b-9aaa-28ef3cb88c74";

const BREAK_GLASS_CONFIG = {
  [POLICY.breakGlassExcluded]: { groupIds: [BREAK_GLASS_GROUP], userIds: [BREAK_GLASS_USER] },
};

const breakGlassExclusions = [
  { id: BREAK_GLASS_GROUP, targetType: "group" as const },
  { id: BREAK_GLASS_USER, targetType: "user" as const },
];

const loginContext = {
  displayAppInformationRequiredState: { state: "enabled" as const },
  displayLocationInformationRequiredState: { state: "enabled" as const },
};

/** What an organisation following every guardrail declares; the pilot group is new (unknown id). */
function compliant(): void {
  const pilot = new nudge.PilotGroup("pilot", { displayName: "Authenticator pilot (policy test)" });
  new nudge.RegistrationCampaign("campaign", {
    state: "enabled",
    snoozeDurationInDays: 0,
    includeTargets: [{ id: pilot.id, targetType: "group" }],
    excludeTargets: breakGlassExclusions,
  });
  new nudge.AuthenticatorPolicy("authenticator", {
    // Who loses a method is not under test here (tests/e2e/methodLoss.test.ts): a careless program
    // must reach the pack's stack policies, which run only after every resource's check passed.
    allowMethodLoss: true,
    allowMethodLossFor: [
      "breakglass01@contoso.onmicrosoft.com",
      "breakglass02@contoso.onmicrosoft.com",
    ],
    state: "enabled",
    includeTargets: [{ id: pilot.id, targetType: "group", authenticationMode: "any" }],
    excludeTargets: breakGlassExclusions,
    isSoftwareOathEnabled: false,
    featureSettings: loginContext,
  });
}

/** Breaks every resource guardrail but the pinned state. */
function careless(): void {
  new nudge.RegistrationCampaign("campaign", {
    state: "enabled",
    snoozeDurationInDays: 7,
    includeTargets: [{ id: SALES_GROUP, targetType: "group" }],
  });
  new nudge.AuthenticatorPolicy("authenticator", {
    // Who loses a method is not under test here (tests/e2e/methodLoss.test.ts): a careless program
    // must reach the pack's stack policies, which run only after every resource's check passed.
    allowMethodLoss: true,
    allowMethodLossFor: [
      "breakglass01@contoso.onmicrosoft.com",
      "breakglass02@contoso.onmicrosoft.com",
    ],
    state: "enabled",
    includeTargets: [{ id: PILOT_GROUP, targetType: "group", authenticationMode: "any" }],
    isSoftwareOathEnabled: true,
    featureSettings: { displayAppInformationRequiredState: { state: "default" } },
  });
}

/** Compliant, except that the campaign is left Microsoft managed. */
function microsoftManaged(): void {
  new nudge.RegistrationCampaign("campaign", {
    state: "default",
    excludeTargets: breakGlassExclusions,
  });
  new nudge.AuthenticatorPolicy("authenticator", {
    // Who loses a method is not under test here (tests/e2e/methodLoss.test.ts): a careless program
    // must reach the pack's stack policies, which run only after every resource's check passed.
    allowMethodLoss: true,
    allowMethodLossFor: [
      "breakglass01@contoso.onmicrosoft.com",
      "breakglass02@contoso.onmicrosoft.com",
    ],
    state: "enabled",
    excludeTargets: breakGlassExclusions,
    isSoftwareOathEnabled: false,
    featureSettings: loginContext,
  });
}

/**
 * A passkey campaign, passkeys required of all users; `careless`: self-service setup off, and the
 * break-glass accounts excluded from the PasskeyPolicy (the pack's advice until 2026-12), which
 * takes the security keys they sign in with.
 */
function passkeys(careless: boolean): void {
  new nudge.RegistrationCampaign("campaign", {
    state: "enabled",
    snoozeDurationInDays: 0,
    includeTargets: [
      { id: PILOT_GROUP, targetType: "group", targetedAuthenticationMethod: "fido2" },
    ],
    excludeTargets: breakGlassExclusions,
  });
  new nudge.PasskeyPolicy("passkeys", {
    // Who loses a method is not under test here (tests/e2e/methodLoss.test.ts): a careless program
    // must reach the pack's stack policies, which run only after every resource's check passed.
    allowMethodLoss: true,
    allowMethodLossFor: [
      "breakglass01@contoso.onmicrosoft.com",
      "breakglass02@contoso.onmicrosoft.com",
    ],
    state: "enabled",
    isSelfServiceRegistrationAllowed: !careless,
    includeTargets: [{ id: "all_users", targetType: "group", isRegistrationRequired: true }],
    excludeTargets: careless ? breakGlassExclusions : [],
  });
}

interface PolicyPreview {
  error?: unknown;
  violations: PolicyEvent[];
}

describe("guardrails policy pack through the engine", function () {
  // Each preview starts the CLI, the provider and the policy pack: a few seconds each.
  this.timeout(120_000);
  const emulator = useEmulator();
  let workspace: IsolatedWorkspace;
  let stack: Stack;
  let program: () => void = compliant;

  before(async () => {
    workspace = await policyWorkspace();
    ({ stack } = await EngineStack.create({
      stackName: "policy",
      projectName: "entra-nudge-policy",
      workspace,
      program: () => program(),
      emulator,
    }));
  });
  after(async () => workspace?.cleanup());

  let configs = 0;
  async function preview(config: object): Promise<PolicyPreview> {
    const file = path.join(workspace.dir, `policy-config-${++configs}.json`);
    fs.writeFileSync(file, JSON.stringify(config));
    const violations: PolicyEvent[] = [];
    const onEvent = (event: EngineEvent) => {
      if (event.policyEvent) violations.push(event.policyEvent);
    };
    try {
      await stack.preview({ policyPacks: [POLICY_PACK_DIR], policyPackConfigs: [file], onEvent });
      return { violations };
    } catch (error) {
      return { error, violations };
    }
  }

  const byPolicy = (violations: PolicyEvent[]) =>
    violations.reduce<Record<string, number>>((counts, v) => {
      counts[v.policyName] = (counts[v.policyName] ?? 0) + 1;
      return counts;
    }, {});

  it("passes a program that follows every guardrail, with a group id unknown until apply", async () => {
    program = compliant;
    const result = await preview(BREAK_GLASS_CONFIG);
    expect(result.violations.map((v) => v.message)).to.deep.equal([]);
    expect(result.error, String(result.error)).to.equal(undefined);
  });

  it("fails a careless program, each guardrail saying what to fix", async () => {
    program = careless;
    const result = await preview(BREAK_GLASS_CONFIG);
    expect(result.error, "a mandatory violation fails the preview").not.to.equal(undefined);
    expect(byPolicy(result.violations)).to.deep.equal({
      [POLICY.breakGlassExcluded]: 2,
      [POLICY.campaignMaxSnooze]: 1,
      [POLICY.campaignTargetsEligible]: 1,
      [POLICY.loginContext]: 2,
      [POLICY.authenticatorOtpOff]: 1,
    });
    for (const v of result.violations) {
      expect(v.policyPackName).to.equal(POLICY_PACK_NAME);
      expect(v.enforcementLevel).to.equal("mandatory");
    }
    const text = result.violations.map((v) => v.message).join("\n");
    expect(text).to.include(`Add { id: "${BREAK_GLASS_GROUP}", targetType: "group" }`);
    expect(text).to.include(`group ${SALES_GROUP}`);
    expect(text).to.include("CISA SCuBA MS.AAD.3.3v2");
    const targets = result.violations.find((v) => v.policyName === POLICY.campaignTargetsEligible);
    expect(targets?.resourceUrn, "the stack policy points at the campaign").to.match(
      /RegistrationCampaign::campaign$/,
    );
  });

  it("reports a Microsoft-managed campaign unless the organisation allows it", async () => {
    program = microsoftManaged;
    const pinned = await preview(BREAK_GLASS_CONFIG);
    expect(byPolicy(pinned.violations)).to.deep.equal({ [POLICY.campaignPinned]: 1 });
    expect(pinned.error).not.to.equal(undefined);

    const allowed = await preview({
      ...BREAK_GLASS_CONFIG,
      [POLICY.campaignPinned]: { allowedStates: ["enabled", "disabled", "default"] },
    });
    expect(allowed.violations).to.deep.equal([]);
    expect(allowed.error, String(allowed.error)).to.equal(undefined);
  });

  it("takes each policy's enforcement level from the config", async () => {
    program = microsoftManaged;
    const advisory = await preview({ ...BREAK_GLASS_CONFIG, [POLICY.campaignPinned]: "advisory" });
    expect(
      advisory.error,
      `an advisory violation does not fail the preview: ${String((advisory.error as Error | undefined)?.message)}`,
    ).to.equal(undefined);
    // The 3.248 typings say "warning"; the engine's event says "advisory".
    expect(
      advisory.violations.map((v) => [v.policyName, String(v.enforcementLevel)]),
    ).to.deep.equal([[POLICY.campaignPinned, "advisory"]]);
  });

  it("checks a passkey campaign's PasskeyPolicy and that the break-glass accounts keep their passkeys", async () => {
    program = () => passkeys(true);
    const careless = await preview(BREAK_GLASS_CONFIG);
    expect(careless.error, "a mandatory violation fails the preview").not.to.equal(undefined);
    expect(byPolicy(careless.violations)).to.deep.equal({
      [POLICY.breakGlassExcluded]: 2,
      [POLICY.campaignPasskeyPolicy]: 1,
    });
    const text = careless.violations.map((v) => v.message).join("\n");
    expect(text).to.include("Set isSelfServiceRegistrationAllowed to true");
    expect(text).to.include(
      `Remove { id: "${BREAK_GLASS_GROUP}", targetType: "group" } from the PasskeyPolicy's excludeTargets and include it`,
    );
    expect(text).to.include("security-emergency-access");
    const passkey = careless.violations.find((v) => v.policyName === POLICY.campaignPasskeyPolicy);
    expect(passkey?.resourceUrn, "the stack policy points at the campaign").to.match(
      /RegistrationCampaign::campaign$/,
    );

    program = () => passkeys(false);
    const compliant = await preview(BREAK_GLASS_CONFIG);
    expect(compliant.violations.map((v) => v.message)).to.deep.equal([]);
    expect(compliant.error, String(compliant.error)).to.equal(undefined);
  });

  it("asks for the break-glass accounts when none are configured", async () => {
    program = microsoftManaged;
    const result = await preview({ [POLICY.campaignPinned]: "disabled" });
    expect(byPolicy(result.violations)).to.deep.equal({ [POLICY.breakGlassExcluded]: 2 });
    expect(result.violations[0].message).to.include("No break-glass (emergency access) accounts");
  });
});
