// The preview check through the real engine: an inline program that declares both singletons is
// previewed against the emulator, and the campaign's targets are checked against the
// Authenticator policy in the program's process (provider/resources/eligibilityCheck.ts):
// warnings that say who and why, a break-glass group named, a group created in the same program
// "cannot be checked yet" (never a failure), and strictEligibility failing the preview.
import { expect } from "chai";
import { type EngineEvent, type PreviewResult, type Stack } from "@pulumi/pulumi/automation";
import {
  AuthenticatorPolicy,
  PasskeyPolicy,
  PilotGroup,
  RegistrationCampaign,
} from "../../provider";
import { type IsolatedWorkspace } from "../support/engine";
import { EngineStack } from "../support/engineStack";
import { useEmulator } from "../support/emulator";

const PILOT_GROUP = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31"; // in the emulator's default tenant
const SALES = "2fbb5b75-4b8e-581b-9aaa-28ef3cb88c74";
const FINANCE = "cfb1e018-a781-5ff9-82c8-4ba8abe91a97";
const BREAK_GLASS = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c";

interface Program {
  strict?: boolean;
  /** Declare the campaign before the policy (the check then runs when the policy joins). */
  campaignFirst?: boolean;
  /** A passkey (fido2) campaign and a PasskeyPolicy instead (self-service setup off, SALES not enabled). */
  passkeys?: boolean;
}

function passkeyProgram(options: Program): void {
  const declarePasskey = () =>
    new PasskeyPolicy("passkeys", {
      state: "enabled",
      isSelfServiceRegistrationAllowed: false,
      // Who loses passkeys is not under test here (tests/resources/methodLoss.test.ts): the
      // narrowing, and the two break-glass accounts it leaves without MFA, are accepted as such.
      allowMethodLoss: true,
      allowMethodLossFor: [
        "breakglass01@contoso.onmicrosoft.com",
        "breakglass02@contoso.onmicrosoft.com",
      ],
      includeTargets: [{ id: PILOT_GROUP, targetType: "group" }],
    });
  const declareCampaign = () =>
    new RegistrationCampaign("campaign", {
      state: "enabled",
      snoozeDurationInDays: 0,
      strictEligibility: options.strict,
      includeTargets: [
        { id: PILOT_GROUP, targetType: "group", targetedAuthenticationMethod: "fido2" },
        { id: SALES, targetType: "group", targetedAuthenticationMethod: "fido2" },
      ],
    });
  if (options.campaignFirst) {
    declareCampaign();
    declarePasskey();
  } else {
    declarePasskey();
    declareCampaign();
  }
}

function program(options: Program): () => Promise<void> {
  return async () => {
    if (options.passkeys) return passkeyProgram(options);
    const newGroup = new PilotGroup("wave2", { displayName: "Authenticator pilot wave 2" });
    const declareAuthenticator = () =>
      new AuthenticatorPolicy("authenticator", {
        state: "enabled",
        allowMethodLoss: true, // the narrowing is not under test (tests/resources/methodLoss.test.ts)
        includeTargets: [
          { id: SALES, targetType: "group", authenticationMode: "any" },
          { id: BREAK_GLASS, targetType: "group", authenticationMode: "any" },
          { id: PILOT_GROUP, targetType: "group", authenticationMode: "deviceBasedPush" },
        ],
      });
    const declareCampaign = () =>
      new RegistrationCampaign("campaign", {
        state: "enabled",
        snoozeDurationInDays: 0,
        strictEligibility: options.strict,
        includeTargets: [
          { id: "all_users", targetType: "group" },
          { id: PILOT_GROUP, targetType: "group" },
          { id: FINANCE, targetType: "group" },
          { id: newGroup.id, targetType: "group" },
        ],
      });
    if (options.campaignFirst) {
      declareCampaign();
      declareAuthenticator();
    } else {
      declareAuthenticator();
      declareCampaign();
    }
  };
}

interface Outcome {
  events: EngineEvent[];
  error?: unknown;
  result?: PreviewResult;
}

function messages(outcome: Outcome, severity: string): string[] {
  return outcome.events
    .map((event) => event.diagnosticEvent)
    .filter((d) => d !== undefined && d.severity === severity)
    .map((d) => (d as { message: string }).message);
}

describe("eligibility: the preview check through the real engine", function () {
  // A cold engine start and three previews, each starting the dynamic provider.
  this.timeout(300_000);
  const emulator = useEmulator();
  let workspace: IsolatedWorkspace;
  const options: Program = {};
  let stack: Stack;

  before(async () => {
    ({ stack, workspace } = await EngineStack.create({
      stackName: "check",
      projectName: "entra-nudge-preview-check",
      program: () => program(options)(),
      emulator,
    }));
    await stack.setConfig("entra-nudge:breakGlassGroups", { value: BREAK_GLASS });
  });
  after(async () => workspace?.cleanup());

  async function preview(next: Program): Promise<Outcome> {
    Object.assign(
      options,
      { strict: undefined, campaignFirst: undefined, passkeys: undefined },
      next,
    );
    const outcome: Outcome = { events: [] };
    try {
      outcome.result = await stack.preview({ onEvent: (event) => outcome.events.push(event) });
    } catch (error) {
      outcome.error = error;
    }
    return outcome;
  }

  it("warns on the campaign, saying who and why, and names the break-glass group", async () => {
    const outcome = await preview({});
    expect(outcome.error, String(outcome.error)).to.equal(undefined);
    const warnings = messages(outcome, "warning").join("\n");
    expect(warnings).to.include(
      `The campaign includes group ${PILOT_GROUP}, but the AuthenticatorPolicy enables this group only in Passwordless mode`,
    );
    expect(warnings).to.include(
      `The campaign includes group ${FINANCE}, but the AuthenticatorPolicy enables group ${SALES}`,
    );
    expect(warnings).to.include("The campaign includes all users");
    expect(warnings).to.include(`The campaign would nudge the break-glass group ${BREAK_GLASS}`);
    // The new group's id is unknown during the preview: said, not failed.
    expect(messages(outcome, "info").join("\n")).to.include("Cannot check yet");
    // Writes nothing.
    expect(emulator.requests().filter((r) => r.method === "PATCH")).to.deep.equal([]);
  });

  it("fails the preview with strictEligibility: true", async () => {
    const outcome = await preview({ strict: true });
    expect(outcome.error).to.not.equal(undefined);
    const text = `${String(outcome.error)}\n${messages(outcome, "error").join("\n")}`;
    expect(text).to.include('RegistrationCampaign "campaign" (strictEligibility: true)');
    expect(text).to.include("Passwordless");
    // The break-glass finding stays a warning; an unknown id never fails.
    expect(messages(outcome, "warning").join("\n")).to.include("break-glass");
  });

  it("fails it too when the campaign is declared before the policy", async () => {
    const outcome = await preview({ strict: true, campaignFirst: true });
    expect(outcome.error).to.not.equal(undefined);
    expect(`${String(outcome.error)}\n${messages(outcome, "error").join("\n")}`).to.include(
      "strictEligibility: true",
    );
  });

  it("checks a passkey campaign against the PasskeyPolicy: self-service setup off and a target not enabled, each with its fix", async () => {
    const outcome = await preview({ passkeys: true });
    expect(outcome.error, String(outcome.error)).to.equal(undefined);
    const warnings = messages(outcome, "warning").join("\n");
    expect(warnings).to.include('Eligibility check (with PasskeyPolicy "passkeys")');
    expect(warnings).to.include(
      "but the PasskeyPolicy has isSelfServiceRegistrationAllowed: false: users cannot set up a passkey themselves",
    );
    expect(warnings).to.include("Set isSelfServiceRegistrationAllowed to true");
    expect(warnings).to.include(
      `The campaign includes group ${SALES} for passkeys (fido2), but the PasskeyPolicy enables only group ${PILOT_GROUP}`,
    );
    expect(warnings).to.include("Add the group to the PasskeyPolicy's includeTargets");
    expect(emulator.requests().filter((r) => r.method === "PATCH")).to.deep.equal([]);
  });

  it("fails a passkey campaign's preview with strictEligibility: true, whichever is declared first", async () => {
    for (const campaignFirst of [false, true]) {
      const outcome = await preview({ passkeys: true, strict: true, campaignFirst });
      expect(outcome.error, `campaignFirst: ${campaignFirst}`).to.not.equal(undefined);
      const text = `${String(outcome.error)}\n${messages(outcome, "error").join("\n")}`;
      expect(text).to.include('RegistrationCampaign "campaign" (strictEligibility: true)');
      expect(text).to.include("isSelfServiceRegistrationAllowed: false");
      expect(text).to.include(`group ${SALES} for passkeys (fido2)`);
    }
  });
});
