// The package on the Node.js releases users run in December 2026 (24, active LTS, and 22), with
// the newest @pulumi/pulumi and @azure/identity those releases allow (npm running under that
// Node.js picks the newest versions whose `engines` accept it): installed from `npm pack` into a
// consumer project with one copy of each shared runtime, the README's first program applied
// through the engine, then drift, impact and export through `npx`, and destroy. The Node.js
// binaries come from the npm registry (scripts/node-runtime.ts) and are cached.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { provideNode, runNpm, type NodeRuntime } from "../../scripts/node-runtime";
import { useEmulator } from "../support/emulator";
import { CAMPAIGN_PATH, Tenant } from "../support/tenant";
import { ConsumerProject } from "../support/consumer";
import { docBlock } from "../support/docBlocks";
import { expectCleanInstall, expectOneCopyEach } from "./support";

/** The version npm's `latest` tag names (npm installs it when its `engines` accept the Node.js). */
async function latestVersion(project: ConsumerProject, name: string): Promise<string> {
  const view = await runNpm(
    project.node,
    ["view", `${name}@latest`, "version"],
    project.dir,
    project.env,
  );
  return view.stdout.trim();
}

describe("the consumer install's one-copy check", () => {
  it("fails when npm nests a second @pulumi/pulumi under the package (as an exact pin did)", async () => {
    const project = await ConsumerProject.create({ name: "entra-nudge-two-copies" });
    try {
      for (const [dir, version] of [
        ["node_modules/@pulumi/pulumi", "3.276.0"],
        ["node_modules/pulumi-entra-nudge", "0.1.0"],
        ["node_modules/pulumi-entra-nudge/node_modules/@pulumi/pulumi", "3.248.0"],
        ["node_modules/@azure/identity", "4.14.1"],
        ["node_modules/@microsoft/microsoft-graph-client", "3.0.7"],
      ]) {
        project.writeFile(`${dir}/package.json`, JSON.stringify({ version }));
      }
      expect(() => expectOneCopyEach(project))
        .to.throw(/copies of @pulumi\/pulumi/)
        .with.property("message")
        .that.includes("node_modules/pulumi-entra-nudge/node_modules/@pulumi/pulumi");
    } finally {
      await project.cleanup();
    }
  });
});

for (const major of [24, 22]) {
  describe(`a consumer project on Node.js ${major} with the newest SDKs`, function () {
    this.timeout(600_000);
    const emulator = useEmulator();
    let node: NodeRuntime;
    let project: ConsumerProject;
    let tenant: Tenant;

    before(async function () {
      this.timeout(300_000);
      node = await provideNode(major);
      tenant = new Tenant(emulator);
      const info = emulator.info;
      project = await ConsumerProject.create({
        node,
        name: `entra-nudge-node${major}`,
        env: {
          ENTRA_NUDGE_GRAPH_ENDPOINT: info.graphEndpoint,
          AZURE_AUTHORITY_HOST: info.authorityHost,
        },
      });
      project.writeFile("index.ts", docBlock("README.md", "first-program").text);
    });
    after(async () => project?.cleanup());

    it(`installs on Node.js ${major} with the newest @pulumi/pulumi and @azure/identity, one copy of each`, async () => {
      expect((await project.run("node --version")).stdout.trim()).to.equal(node.version);
      const install = await project.run(
        "npm install pulumi-entra-nudge @pulumi/pulumi @azure/identity",
      );
      await expectCleanInstall(project, install);
      for (const name of ["@pulumi/pulumi", "@azure/identity"]) {
        const [copy] = project.installedCopies(name);
        expect(copy.version, `${name} on Node.js ${major}`).to.equal(
          await latestVersion(project, name),
        );
      }
      const pulumiVersion = project.installedCopies("@pulumi/pulumi")[0].version;
      process.stdout.write(
        `      (Node.js ${node.version}, @pulumi/pulumi ${pulumiVersion}, @azure/identity ` +
          `${project.installedCopies("@azure/identity")[0].version})\n`,
      );
    });

    it("applies the first program through the engine; drift, impact and export agree", async () => {
      const info = emulator.info;
      await project.run("pulumi stack init dev");
      await project.run(`pulumi config set entra-nudge:tenantId ${info.tenantId}`);
      await project.run(`pulumi config set entra-nudge:clientId ${info.apps.writer.clientId}`);
      await project.run("pulumi config set --secret entra-nudge:clientSecret", {
        input: info.apps.writer.clientSecret,
      });
      const up = await project.run("pulumi up");
      expect(up.stdout).to.match(/\+ 4 created/);
      expect((await tenant.campaign()).snoozeDurationInDays).to.equal(0);

      await project.run("npx entra-nudge drift --stack dev");
      await tenant.patch(CAMPAIGN_PATH, {
        registrationEnforcement: {
          authenticationMethodsRegistrationCampaign: {
            ...(await tenant.campaign()),
            snoozeDurationInDays: 7,
          },
        },
      });
      const drift = await project.run("npx entra-nudge drift --stack dev --json", {
        expectCode: 2,
      });
      const differences = (JSON.parse(drift.stdout) as { differences: { property: string }[] })
        .differences;
      expect(differences.map((d) => d.property)).to.deep.equal(["snoozeDurationInDays"]);

      const impact = await project.run("npx entra-nudge impact --stack dev --json --no-cache");
      expect(
        (JSON.parse(impact.stdout) as { declared: { nudged: number } }).declared.nudged,
      ).to.equal(1);

      const reader = emulator.env("reader");
      await project.run("npx entra-nudge export --out exported", {
        env: {
          AZURE_TENANT_ID: reader.AZURE_TENANT_ID,
          AZURE_CLIENT_ID: reader.AZURE_CLIENT_ID,
          AZURE_CLIENT_SECRET: reader.AZURE_CLIENT_SECRET,
        },
      });
      const exported = fs.readFileSync(path.join(project.dir, "exported", "program.ts"), "utf8");
      expect(exported, "the portal's 7 snooze days").to.include("snoozeDurationInDays: 7");

      await project.run("pulumi destroy");
      expect(await tenant.groupsNamed("Authenticator pilot")).to.deep.equal([]);
    });
  });
}
