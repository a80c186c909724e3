// A misspelled `entra-nudge:` key in the stack's config: `pulumi up` names it (the engine's
// configure() hands resolveSettings the config's keys); the CLI's commands that read a stack
// through the pulumi CLI (provider/stack.ts) must name it too, once per command, on stderr.
import { expect } from "chai";
import type { Stack } from "@pulumi/pulumi/automation";
import { main } from "../../provider/cli";
import { readStack } from "../../provider/stack";
import { captureIo } from "../eligibility/support";
import { recordedState, undeployedStack, type IsolatedWorkspace } from "../support/engine";
import { useEmulator } from "../support/emulator";

const WARNING =
  "warning: entra-nudge:tenantID is not a setting of pulumi-entra-nudge and is ignored. Did you mean entra-nudge:tenantId?";

describe("hostile input: a misspelled entra-nudge: key in the stack read by the CLI", function () {
  this.timeout(120_000);
  const emulator = useEmulator();
  let workspace: IsolatedWorkspace;
  let stack: Stack;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    const projectName = "entra-nudge-stack-config";
    // Never deployed: its state is imported below; the commands read it and the config.
    ({ workspace, stack, env } = await undeployedStack(projectName, emulator.env("reader")));
    await stack.setConfig("entra-nudge:tenantID", { value: "contoso" });
    // One campaign in the state, as `pulumi up` records it, so that drift has a resource to read.
    const campaign = { state: "default" };
    await stack.importStack(
      recordedState(projectName, "dev", [
        {
          kind: "RegistrationCampaign",
          name: "campaign",
          id: `${emulator.info.tenantId}/registrationCampaign`,
          inputs: campaign,
        },
      ]),
    );
  });
  after(async () => {
    await workspace?.cleanup();
  });

  it("the stack reader lists the config's keys, as the engine's configure() does", async () => {
    const { config } = await readStack({ stack: "dev", cwd: workspace.workDir, env });
    expect(config.keys?.()).to.include("entra-nudge:tenantID");
    expect(config("entra-nudge:tenantID")).to.equal("contoso");
  });

  for (const args of [
    ["report", "--stack", "dev"],
    ["impact", "--stack", "dev", "--from", "state"],
    ["drift", "--stack", "dev"],
  ]) {
    it(`\`${args.join(" ")}\` names the key once on stderr, with the likely meant one`, async () => {
      const out = captureIo(env, workspace.workDir);
      const code = await main(args, out.io);
      expect(code, out.stderr()).to.equal(0);
      const lines = out.stderr().split("\n");
      expect(
        lines.filter((line) => line.startsWith(WARNING)),
        out.stderr(),
      ).to.have.length(1);
      expect(out.stdout()).not.to.contain("tenantID");
    });
  }
});
