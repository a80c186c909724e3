// The CI templates (examples/ci/) are valid YAML, sign in without a stored secret, reference only
// inputs and parameters they declare, and call only `entra-nudge` commands and options that exist
// (each command's --help lists its options). The commands themselves are exercised against the
// emulator in drift.test.ts.
import * as path from "node:path";
import { expect } from "chai";
import { projectRoot } from "../support/engine";
import {
  expectCommandsExist,
  readYaml as readYamlIn,
  references,
  scripts,
  type Yaml,
} from "../support/workflows";

const CI_DIR = path.join(projectRoot, "examples", "ci");
const readYaml = (file: string) => readYamlIn(CI_DIR, file);

describe("CI templates (examples/ci)", () => {
  const github = ["github/entra-nudge-preview.yml", "github/entra-nudge-drift.yml"];

  for (const file of github) {
    it(`${file}: a GitHub workflow that signs in with OIDC and calls existing commands`, async () => {
      const { text, document } = readYaml(file);
      const on = document.on as Yaml;
      expect(on, "triggers").to.be.an("object");
      expect(document.permissions).to.deep.include({ "id-token": "write" });
      // No stored secret: nothing reads `secrets.*`, and no client secret is set.
      expect(references(text, "secrets")).to.deep.equal([]);
      expect(text).to.not.match(/AZURE_CLIENT_SECRET|clientSecret/);
      expect(text).to.contain("AZURE_FEDERATED_TOKEN_FILE");
      expect(text).to.contain("audience=api://AzureADTokenExchange");
      // Inputs used are declared.
      const declared = Object.keys(
        ((on.workflow_dispatch as Yaml | undefined)?.inputs as Yaml | undefined) ?? {},
      );
      for (const input of references(text, "inputs")) expect(declared).to.include(input);
      const jobs = document.jobs as Record<string, { steps: Yaml[] }>;
      for (const job of Object.values(jobs)) {
        expect(job.steps, "steps").to.be.an("array").with.length.greaterThan(0);
        for (const step of job.steps) {
          expect(Boolean(step.run) !== Boolean(step.uses), JSON.stringify(step)).to.equal(true);
        }
      }
      const commands = await expectCommandsExist(file, document);
      expect(commands).to.include(file.includes("drift") ? "drift" : "preview-summary");
    });
  }

  it("the preview workflow posts the summary as one comment, found by its marker", () => {
    const { text, document } = readYaml("github/entra-nudge-preview.yml");
    expect(Object.keys(document.on as Yaml)).to.include("pull_request");
    expect(document.permissions).to.deep.include({ "pull-requests": "write" });
    expect(text).to.contain("pulumi preview --stack");
    expect(text).to.contain("--json > preview.json");
    expect(text).to.contain("<!-- entra-nudge:preview-summary -->");
  });

  it("the drift workflow runs on a schedule, writes the job summary and keeps the exit code", () => {
    const { document } = readYaml("github/entra-nudge-drift.yml");
    expect((document.on as Yaml).schedule)
      .to.be.an("array")
      .with.length.greaterThan(0);
    const script = scripts(document).find((s) => s.includes("entra-nudge drift")) as string;
    expect(script).to.contain("--markdown");
    expect(script).to.contain('>> "$GITHUB_STEP_SUMMARY"');
    expect(script).to.match(/exit "\$code"/);
  });

  it("azure-devops/azure-pipelines.yml: both jobs, federated sign-in, declared parameters, existing commands", async () => {
    const file = "azure-devops/azure-pipelines.yml";
    const { text, document } = readYaml(file);
    expect(document.pr, "pull-request trigger").to.be.an("object");
    expect(document.schedules).to.be.an("array").with.length.greaterThan(0);
    const jobs = document.jobs as Yaml[];
    expect(jobs.map((job) => job.job)).to.deep.equal(["preview", "drift"]);
    const parameters = (document.parameters as { name: string }[]).map((p) => p.name);
    for (const parameter of references(text, "parameters"))
      expect(parameters).to.include(parameter);
    const azureCli = jobs
      .flatMap((job) => job.steps as Yaml[])
      .filter((s) => s.task === "AzureCLI@2");
    expect(azureCli).to.have.length(2);
    for (const step of azureCli) {
      expect(step.inputs).to.deep.include({ addSpnToEnvironment: true });
      const script = (step.inputs as Yaml).inlineScript as string;
      expect(script).to.contain("printf '%s' \"$idToken\"");
      expect(script).to.contain("AZURE_FEDERATED_TOKEN_FILE");
    }
    expect(text).to.not.match(/AZURE_CLIENT_SECRET|clientSecret/);
    expect(text).to.contain("##vso[task.uploadsummary]");
    const commands = await expectCommandsExist(file, document);
    expect(commands).to.have.members(["preview-summary", "drift"]);
  });
});
