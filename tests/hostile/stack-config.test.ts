// A misspelled `entra-nudge:` key in the stack's config: `pulumi up` names it (the engine's
// configure() hands resolveSettings the config's keys); the CLI's commands that read a stack
// through the pulumi CLI (provider/stack.ts) must name it too, once per command, on stderr.
import { expect } from "chai";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { main } from "../../provider/cli";
import { readStack } from "../../provider/stack";
import { captureIo } from "../eligibility/support";
import { isolatedWorkspace, projectRoot, type IsolatedWorkspace } from "../support/engine";
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
    workspace = await isolatedWorkspace();
    const projectName = "entra-nudge-stack-config";
    // Never deployed: its state is imported below; the commands read it and the config.
    stack = await LocalWorkspace.createOrSelectStack(
      { stackName: "dev", projectName, program: async () => undefined },
      {
        pulumiCommand: workspace.pulumiCommand,
        pulumiHome: workspace.pulumiHome,
        envVars: workspace.envVars,
        workDir: workspace.workDir,
        projectSettings: { name: projectName, runtime: "nodejs", main: projectRoot },
      },
    );
    await stack.setConfig("entra-nudge:tenantID", { value: "contoso" });
    // One campaign in the state, as `pulumi up` records it, so that drift has a resource to read.
    const urn = (type: string, name: string) => `urn:pulumi:dev::${projectName}::${type}::${name}`;
    const provider = `${urn("pulumi:providers:pulumi-nodejs", "default")}::04da6b54-80e4-46f7-96ec-b56ff0331ba9`;
    const campaign = { state: "default" };
    await stack.importStack({
      version: 3,
      deployment: {
        manifest: { time: new Date().toISOString(), magic: "", version: "" },
        resources: [
          {
            urn: urn("pulumi:pulumi:Stack", `${projectName}-dev`),
            custom: false,
            type: "pulumi:pulumi:Stack",
          },
          {
            urn: urn("pulumi:providers:pulumi-nodejs", "default"),
            custom: true,
            id: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
            type: "pulumi:providers:pulumi-nodejs",
          },
          {
            urn: urn("pulumi-nodejs:dynamic/entra-nudge:RegistrationCampaign", "campaign"),
            custom: true,
            id: `${emulator.info.tenantId}/registrationCampaign`,
            type: "pulumi-nodejs:dynamic/entra-nudge:RegistrationCampaign",
            inputs: campaign,
            outputs: campaign,
            parent: urn("pulumi:pulumi:Stack", `${projectName}-dev`),
            provider,
          },
        ],
      },
    });
    env = {
      ...process.env,
      ...workspace.envVars,
      ...emulator.env("reader"),
      ENTRA_NUDGE_REPORT_RATE_LIMIT: "off",
    };
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
    ["impact", "--stack", "dev"],
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
