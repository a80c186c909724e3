// What `pulumi refresh` shows for a singleton changed outside the stack: the changed setting, and
// no noise about provider-only arguments that never live in Graph (issue 17: the display showed
// `[diff: -failOnExternalChange~snoozeDurationInDays]`).
import { expect } from "chai";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { RegistrationCampaign } from "../../provider";
import { useEmulator } from "../support/emulator";
import { isolatedWorkspace, projectRoot, type IsolatedWorkspace } from "../support/engine";
import { CAMPAIGN_PATH, Tenant } from "./harness";

describe("engine: a refresh shows only what changed in the tenant", function () {
  this.timeout(300_000);
  const emulator = useEmulator();
  let workspace: IsolatedWorkspace;
  let stack: Stack;

  before(async () => {
    workspace = await isolatedWorkspace();
    const projectName = "entra-nudge-refresh-display";
    stack = await LocalWorkspace.createOrSelectStack(
      {
        stackName: "refresh",
        projectName,
        program: async () => {
          new RegistrationCampaign("campaign", {
            state: "enabled",
            snoozeDurationInDays: 0,
            failOnExternalChange: true,
            strictEligibility: false,
            onDelete: "retain",
          });
        },
      },
      {
        pulumiCommand: workspace.pulumiCommand,
        pulumiHome: workspace.pulumiHome,
        envVars: { ...workspace.envVars, ...emulator.env("writer") },
        workDir: workspace.workDir,
        projectSettings: { name: projectName, runtime: "nodejs", main: projectRoot },
      },
    );
    await stack.up();
  });
  after(async () => workspace?.cleanup());

  it("names the setting changed in the portal and no provider-only argument", async () => {
    await new Tenant(emulator).patch(CAMPAIGN_PATH, {
      registrationEnforcement: {
        authenticationMethodsRegistrationCampaign: { snoozeDurationInDays: 5 },
      },
    });
    let output = "";
    await stack.refresh({ onOutput: (text) => (output += text) });
    expect(output).to.match(/\[diff: ~snoozeDurationInDays\]/);
    expect(output).to.not.match(/failOnExternalChange|strictEligibility|onDelete/);
  });
});
