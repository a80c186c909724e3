// The README's first program as a user runs it: the packed package installed into a new project
// outside the repository with the README's `npm install` line, the program written from the
// README, and the README's command sequence run literally with the `pulumi` CLI against the
// emulator (with the emulator's ids for the placeholders), a portal edit in between, then every
// `entra-nudge` command through `npx`.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { MICROSOFT_MANAGED_AS_GRAPH, useEmulator } from "../support/emulator";
import { CAMPAIGN_PATH, type GraphCampaign, Tenant } from "../support/tenant";
import { ConsumerProject } from "../support/consumer";
import { commandLines, docBlock } from "../support/docBlocks";
import { expectCleanInstall, runTemplates } from "./support";

const BREAK_GLASS_GROUP = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c";

describe("the README's first program in a consumer project, through the pulumi CLI", function () {
  // npm install (about 30 s with a warm npm cache) and ten CLI commands of 5–20 s each.
  this.timeout(600_000);
  const emulator = useEmulator();
  let project: ConsumerProject;
  let tenant: Tenant;
  let commands: string[];
  let secret: string;
  let original: GraphCampaign;

  before(async function () {
    this.timeout(300_000);
    tenant = new Tenant(emulator);
    // The default tenant's campaign is Microsoft managed, as Graph treats it (docs/emulator.md):
    // snooze days and method refused in a PATCH, read back as Microsoft sets them. The README's
    // destroy gives back its state and targets, so the tenant ends with the campaign found.
    emulator.configure(MICROSOFT_MANAGED_AS_GRAPH);
    original = await tenant.campaign();
    const info = emulator.info;
    secret = info.apps.writer.clientSecret;
    project = await ConsumerProject.create({
      // Where Graph and the sign-in authority are (the emulator's CA is trusted by the test run).
      env: {
        ENTRA_NUDGE_GRAPH_ENDPOINT: info.graphEndpoint,
        AZURE_AUTHORITY_HOST: info.authorityHost,
      },
    });
    // The README's placeholders become the emulator's tenant and app.
    commands = commandLines(docBlock("README.md", "first-program-commands")).map((line) =>
      line
        .replace(/(entra-nudge:tenantId )\S+/, `$1${info.tenantId}`)
        .replace(/(entra-nudge:clientId )\S+/, `$1${info.apps.writer.clientId}`),
    );
    project.writeFile("index.ts", docBlock("README.md", "first-program").text);
  });
  after(async () => project?.cleanup());

  /** Runs the README's next command, checking that it is the one this step expects. */
  async function next(expected: RegExp, options: { input?: string; expectCode?: number } = {}) {
    const line = commands.shift();
    expect(line, `the README's next command should match ${expected}`).to.match(expected);
    return project.run(line as string, options);
  }

  it("installs with the README's npm install line: one @pulumi/pulumi, no warning from this package", async () => {
    const install = await next(/^npm install pulumi-entra-nudge @pulumi\/pulumi$/);
    await expectCleanInstall(project, install);
  });

  it("ships what the README links to: every relative link resolves in the installed package", () => {
    const installed = path.join(project.dir, "node_modules", "pulumi-entra-nudge");
    const readme = fs.readFileSync(path.join(installed, "README.md"), "utf8");
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
      .map((m) => m[1])
      .filter((target) => !/^[a-z]+:/i.test(target));
    expect(links, "the README links to docs/ pages").to.include("docs/commands.md");
    const missing = [...new Set(links)].filter((t) => !fs.existsSync(path.join(installed, t)));
    expect(missing, "README links to files the package does not ship").to.deep.equal([]);
  });

  it("previews and applies the program, the secret set from stdin and never shown", async () => {
    await next(/^pulumi stack init dev$/);
    await next(/^pulumi config set entra-nudge:tenantId /);
    await next(/^pulumi config set entra-nudge:clientId /);
    await next(/^pulumi config set --secret entra-nudge:clientSecret/, { input: secret });
    const stackConfig = fs.readFileSync(path.join(project.dir, "Pulumi.dev.yaml"), "utf8");
    expect(stackConfig).to.include("secure:").and.not.include(secret);

    const preview = await next(/^pulumi preview\b/);
    expect(preview.stdout).to.match(/\+ 4 to create/);
    const up = await next(/^pulumi up\b/);
    expect(up.stdout).to.match(/\+ 4 created/);
    for (const output of [preview, up])
      expect(output.stdout + output.stderr).not.to.include(secret);

    const campaign = await tenant.campaign();
    expect(campaign.state).to.equal("enabled");
    expect(campaign.snoozeDurationInDays).to.equal(0);
    expect(campaign.excludeTargets.map((t) => t.id)).to.deep.equal([BREAK_GLASS_GROUP]);
    const [pilot] = await tenant.groupsNamed("Authenticator pilot");
    expect(campaign.includeTargets.map((t) => t.id)).to.deep.equal([pilot.id]);
    expect(pilot.memberIds).to.have.length(1);
  });

  it("finds a portal edit with the README's drift check (exit 7) and repairs it with up --refresh", async () => {
    const driftCheck = commands[0];
    await next(/^pulumi refresh --preview-only --expect-no-changes --run-program\b/);

    // Someone sets 7 snooze days in the admin center (the portal PATCHes the whole campaign).
    await tenant.patch(CAMPAIGN_PATH, {
      registrationEnforcement: {
        authenticationMethodsRegistrationCampaign: {
          ...(await tenant.campaign()),
          snoozeDurationInDays: 7,
        },
      },
    });
    const drift = await project.run(driftCheck, { expectCode: 7 });
    expect(drift.stdout).to.match(/campaign\s+update\s+\[diff: ~snoozeDurationInDays\]/);

    // entra-nudge drift agrees, and names the property with both values.
    const report = await project.run("npx entra-nudge drift --stack dev --json", { expectCode: 2 });
    const differences = (JSON.parse(report.stdout) as { differences: object[] }).differences;
    expect(differences).to.deep.include.members([
      {
        resource: "campaign",
        kind: "RegistrationCampaign",
        urn: "urn:pulumi:dev::entra-nudge-consumer::pulumi-nodejs:dynamic/entra-nudge:RegistrationCampaign::campaign",
        property: "snoozeDurationInDays",
        declared: 0,
        actual: 7,
      },
    ]);

    await next(/^pulumi up --refresh\b/);
    expect((await tenant.campaign()).snoozeDurationInDays).to.equal(0);
  });

  it("ships its licence and changelog, and `entra-nudge --version` names the installed version", async () => {
    const installed = path.join(project.dir, "node_modules", "pulumi-entra-nudge");
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")) as {
      version: string;
      keywords?: string[];
    };
    expect(fs.readFileSync(path.join(installed, "LICENSE"), "utf8")).to.match(
      /Apache License\s+Version 2\.0, January 2004/,
    );
    expect(fs.readFileSync(path.join(installed, "CHANGELOG.md"), "utf8")).to.match(/^# Changelog/);
    expect(manifest.keywords).to.include("pulumi");
    const version = await project.run("npx entra-nudge --version");
    expect(version.stdout.trim()).to.equal(manifest.version);
  });

  it("runs every entra-nudge command through npx", async () => {
    const help = await project.run("npx entra-nudge --help");
    const listed = [...help.stdout.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((m) => m[1]);
    expect(listed).to.have.members([
      "drift",
      "preview-summary",
      "impact",
      "report",
      "readiness",
      "export",
    ]);

    await project.run("pulumi preview --json > preview.json");
    const summary = await project.run(
      `npx entra-nudge preview-summary --input preview.json --stack dev --break-glass ${BREAK_GLASS_GROUP}`,
    );
    expect(summary.stdout).to.include("No change to the registration campaign");

    const impact = await project.run("npx entra-nudge impact --stack dev --json --no-cache");
    const declared = (JSON.parse(impact.stdout) as { declared: { nudged: number } }).declared;
    expect(declared.nudged, "the pilot's user is on SMS only").to.equal(1);

    const report = await project.run("npx entra-nudge report --stack dev --json");
    expect(JSON.parse(report.stdout)).to.have.property("targeted", 1);

    const reader = emulator.env("reader");
    await project.run("npx entra-nudge export --out exported --stack-name prod", {
      env: {
        AZURE_TENANT_ID: reader.AZURE_TENANT_ID,
        AZURE_CLIENT_ID: reader.AZURE_CLIENT_ID,
        AZURE_CLIENT_SECRET: reader.AZURE_CLIENT_SECRET,
      },
    });
    const exported = fs.readFileSync(path.join(project.dir, "exported", "program.ts"), "utf8");
    expect(exported).to.include("snoozeDurationInDays: 0").and.include(BREAK_GLASS_GROUP);
    expect(fs.existsSync(path.join(project.dir, "exported", "Pulumi.prod.yaml"))).to.equal(true);
  });

  it("runs the CI templates' pulumi and entra-nudge lines with the environment they set", async () => {
    // The team's CI signs in with workload identity federation only: no credential in the stack.
    await project.run("pulumi config rm entra-nudge:clientSecret");
    await project.run("pulumi config rm entra-nudge:clientId");
    const reader = emulator.info.apps.reader.clientId;
    const subject = "repo:contoso/identity-policy:ref:refs/heads/main";
    emulator.addFederatedCredential("reader", { subject });
    const idToken = await emulator.mintFederatedToken(subject, {
      audience: "api://AzureADTokenExchange",
    });
    const context = {
      "inputs.stack": "",
      "vars.ENTRA_NUDGE_STACK": "dev",
      "vars.AZURE_TENANT_ID": emulator.info.tenantId,
      "vars.AZURE_READER_CLIENT_ID": reader,
      "vars.PULUMI_ORGANIZATION": "contoso",
      "vars.ENTRA_NUDGE_IMPACT": "true",
      "parameters.stack": "dev",
      "parameters.serviceConnection": "entra-nudge-reader",
    };
    emulator.clearRequests();
    const runs = await runTemplates(project, context, idToken, {
      // The Azure DevOps task's service connection hands these to its script.
      idToken,
      servicePrincipalId: reader,
      tenantId: emulator.info.tenantId,
    });
    expect(runs.map((r) => `${r.file}: ${r.step}`)).to.deep.equal([
      "github/entra-nudge-preview.yml: Microsoft Entra ID token (workload identity federation)",
      "github/entra-nudge-preview.yml: Preview",
      "github/entra-nudge-preview.yml: Impact of the proposed declaration",
      "github/entra-nudge-preview.yml: Summarize",
      "github/entra-nudge-drift.yml: Microsoft Entra ID token (workload identity federation)",
      "github/entra-nudge-drift.yml: Check for drift",
      "azure-devops/azure-pipelines.yml: Preview and summarize",
      "azure-devops/azure-pipelines.yml: Check for drift",
    ]);
    const summaries = runs.filter((r) => /Summarize|Preview and summarize/.test(r.step));
    for (const run of summaries) {
      expect(run.files["summary.md"], run.file).to.include(
        "No change to the registration campaign",
      );
    }
    for (const run of runs.filter((r) => r.step === "Check for drift")) {
      expect(run.files["drift.md"], run.file).to.match(/in sync/i);
    }
    // Graph was read as the reader app, signed in with the federated token (nothing else exists).
    const graphCalls = emulator.requests().filter((r) => /^\/(v1\.0|beta)\//.test(r.path));
    expect(graphCalls.length).to.be.greaterThan(0);
    expect([...new Set(graphCalls.map((r) => r.clientId))]).to.deep.equal([reader]);

    // Back to the README's setup for its last command.
    await project.run(
      `pulumi config set entra-nudge:clientId ${emulator.info.apps.writer.clientId}`,
    );
    await project.run("pulumi config set --secret entra-nudge:clientSecret", { input: secret });
  });

  it("destroys the stack with the README's last command, restoring the tenant", async () => {
    await next(/^pulumi destroy\b/);
    expect(commands, "every README command ran").to.deep.equal([]);
    expect(await tenant.campaign()).to.deep.equal(original);
    expect(await tenant.groupsNamed("Authenticator pilot")).to.deep.equal([]);
  });
});
