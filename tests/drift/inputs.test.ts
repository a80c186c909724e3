// Bad input is an error (exit 1) that says what is wrong, never a verdict: declaration files that
// are truncated, not JSON or of the wrong shape, recorded inputs that are invalid, preview and
// impact files that are not what they should be, and bad command lines. None needs Graph.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { entraNudge } from "../support/cli";

const TYPE = "pulumi-nodejs:dynamic/entra-nudge:";

/** A small `pulumi stack export` document with one campaign. */
function exported(campaignInputs: Record<string, unknown>): string {
  return JSON.stringify(
    {
      version: 3,
      deployment: {
        manifest: { time: "2026-11-29T00:00:00Z", version: "v3.248.0" },
        resources: [
          {
            urn: "urn:pulumi:dev::nudge::pulumi:pulumi:Stack::nudge-dev",
            type: "pulumi:pulumi:Stack",
            custom: false,
          },
          {
            urn: `urn:pulumi:dev::nudge::${TYPE}RegistrationCampaign::campaign`,
            type: `${TYPE}RegistrationCampaign`,
            custom: true,
            id: "178cc2f5-b89d-5285-a693-886d7454bd7a/registrationCampaign",
            inputs: campaignInputs,
            outputs: { ...campaignInputs, tenantId: "178cc2f5-b89d-5285-a693-886d7454bd7a" },
          },
        ],
      },
    },
    null,
    2,
  );
}

/** GOOD with fields of one resource replaced. */
function withResource(index: number, fields: Record<string, unknown>): string {
  const document = JSON.parse(GOOD) as { deployment: { resources: Record<string, unknown>[] } };
  Object.assign(document.deployment.resources[index], fields);
  return JSON.stringify(document);
}

const GOOD = exported({
  state: "enabled",
  snoozeDurationInDays: 0,
  includeTargets: [
    {
      id: "all_users",
      targetType: "group",
      targetedAuthenticationMethod: "microsoftAuthenticator",
    },
  ],
  excludeTargets: [],
  onDelete: "restore",
});

describe("bad input is an error, never a verdict", () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-inputs-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function file(name: string, text: string): string {
    fs.writeFileSync(path.join(dir, name), text);
    return name;
  }

  const declarations: { what: string; text: string; message: RegExp }[] = [
    {
      what: "an empty file",
      text: "",
      message: /state\.json is empty\. Write it with `pulumi stack export/,
    },
    {
      what: "a truncated file",
      text: GOOD.slice(0, GOOD.length / 2),
      message: /ends in the middle of its JSON .*truncated/,
    },
    { what: "not JSON", text: "Stack dev: 3 resources\n", message: /is not JSON/ },
    {
      what: "a list",
      text: "[]",
      message: /`\(the document\)` must be an object with a `deployment`, but it is a list/,
    },
    {
      what: "no deployment",
      text: '{"version": 3}',
      message: /`deployment` must be an object, but it is missing/,
    },
    {
      what: "resources of the wrong type",
      text: '{"deployment": {"resources": {"urn": "x"}}}',
      message: /`deployment\.resources` must be a list, but it is an object/,
    },
    {
      what: "inputs of the wrong type",
      text: withResource(1, { inputs: "state=enabled" }),
      message: /`deployment\.resources\[1\]\.inputs` must be an object, but it is a string/,
    },
    {
      what: "no resource of this package",
      text: JSON.stringify({
        deployment: { resources: [{ urn: "u", type: "azuread:index/group:Group" }] },
      }),
      message:
        /holds no pulumi-entra-nudge resource \(RegistrationCampaign, AuthenticatorPolicy, PasskeyPolicy or PilotGroup\)/,
    },
    {
      what: "recorded inputs the resource refuses",
      text: exported({ state: "enabled", snoozeDurationInDays: 99, onDelete: "restore" }),
      message:
        /the recorded inputs of RegistrationCampaign "campaign" cannot be used: .*snoozeDurationInDays: 99 is outside 0–14/s,
    },
  ];

  for (const c of declarations) {
    it(`drift --file with ${c.what}: exit 1, and --json says why without a verdict`, async () => {
      const name = file("state.json", c.text);
      const table = await entraNudge(["drift", "--file", name], {}, dir);
      expect(table.code).to.equal(1);
      expect(table.stdout).to.equal("");
      expect(table.stderr).to.match(c.message);
      const json = await entraNudge(["drift", "--file", name, "--json"], {}, dir);
      expect(json.code).to.equal(1);
      const report = JSON.parse(json.stdout) as { error: { kind: string; message: string } };
      expect(report).to.not.have.property("inSync");
      expect(report.error.kind).to.equal("input");
      expect(report.error.message).to.match(c.message);
    });
  }

  it("drift --file with a file that does not exist", async () => {
    const run = await entraNudge(["drift", "--file", "missing.json"], {}, dir);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain("missing.json does not exist");
  });

  const usages: { args: string[]; message: RegExp }[] = [
    { args: ["drift"], message: /Give the stack to check with --stack NAME/ },
    {
      args: ["drift", "--stack", "dev", "--json", "--markdown"],
      message: /cannot be combined: choose one format/,
    },
    {
      args: ["drift", "--stack", "dev", "--file", "x.json"],
      message: /--stack and --file cannot be combined/,
    },
    { args: ["drift", "--stack", "dev", "--bogus"], message: /Unknown option '--bogus'/ },
    { args: ["preview-summary"], message: /Give the preview with --input FILE/ },
    {
      args: ["preview-summary", "--input", "p.json", "--cwd", "."],
      message: /--cwd applies to --stack only/,
    },
  ];
  for (const c of usages) {
    it(`\`entra-nudge ${c.args.join(" ")}\`: exit 1 with the usage`, async () => {
      const run = await entraNudge(c.args, {}, dir);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.match(c.message);
      expect(run.stderr).to.contain(`Usage: entra-nudge ${c.args[0]}`);
    });
  }

  it("`entra-nudge --help` lists both commands; each command's --help exits 0", async () => {
    const top = await entraNudge(["--help"], {});
    expect(top.code).to.equal(0);
    expect(top.stdout).to.match(/^ {2}drift +/m);
    expect(top.stdout).to.match(/^ {2}preview-summary +/m);
    for (const command of ["drift", "preview-summary"]) {
      const run = await entraNudge([command, "--help"], {});
      expect(run.code).to.equal(0);
      expect(run.stdout).to.contain(`Usage: entra-nudge ${command}`);
    }
    expect((await entraNudge(["drift", "--help"], {})).stdout).to.contain(
      "Exit codes: 0 in sync, 2 drift, 1 error",
    );
  });

  const previews: { what: string; text: string; message: RegExp }[] = [
    {
      what: "an empty file",
      text: "",
      message: /is empty: give the output of `pulumi preview --json`/,
    },
    {
      what: "JSON without steps",
      text: '{"version": 3, "deployment": {}}',
      message: /has no `steps` list/,
    },
    {
      what: "an event log cut short",
      text: '{"sequence": 0, "timestamp": 1, "preludeEvent": {"config": {}}}\n{"sequence": 1, "timest',
      message: /line 2: not JSON/,
    },
    {
      what: "lines that are not events",
      text: '"hello"\n',
      message: /line 1: not an engine event/,
    },
  ];
  for (const c of previews) {
    it(`preview-summary with ${c.what}: exit 1`, async () => {
      const name = file("preview.json", c.text);
      const run = await entraNudge(["preview-summary", "--input", name, "--offline"], {}, dir);
      expect(run.code).to.equal(1);
      expect(run.stdout).to.equal("");
      expect(run.stderr).to.match(c.message);
    });
  }

  it("preview-summary with an impact file that is not impact's output: exit 1", async () => {
    const preview = file("preview.json", JSON.stringify({ steps: [], diagnostics: [] }));
    const impact = file(
      "impact.json",
      JSON.stringify({ declared: { nudged: "12" }, current: { nudged: 3 } }),
    );
    const run = await entraNudge(
      ["preview-summary", "--input", preview, "--impact", impact, "--offline"],
      {},
      dir,
    );
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain("`declared.nudged` must be a number");
  });
});
