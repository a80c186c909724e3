// What the program declares now (issue "Never take a sign-in method away by surprise"): a program
// changed after `up` (the campaign moved from all users to one group) is counted as `pulumi
// preview` plans it with `impact --stack` (`--from preview`, the default), and `preview-summary
// --impact` then shows the change's real before and after; the stack as last deployed (`--from
// state`) still shows no change, and says which it used. A program the preview leaves unchanged
// is read too (the engine lists unchanged resources only when asked: `--show-sames`). Through the CLI and the real engine, in a project
// directory as a user has one.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { main } from "../../provider/cli";
import { captureIo } from "../eligibility/support";
import { useEmulator } from "../support/emulator";
import { cliEnvironment, isolatedWorkspace, projectRoot, runShell } from "../support/engine";

const ENGINEERING_GROUP_ID = "0b2aab64-4927-523f-872d-07057afedf1e";

/** The campaign alone, its include target from the stack's config (all users by default). */
const PROGRAM = `const pulumi = require("@pulumi/pulumi");
const nudge = require("pulumi-entra-nudge");
const config = new pulumi.Config();
new nudge.RegistrationCampaign("campaign", {
  state: "enabled",
  snoozeDurationInDays: 1,
  includeTargets: [{ id: config.get("target") ?? "all_users", targetType: "group" }],
  onDelete: "retain",
});
`;

interface ImpactJson {
  declared: { source: string; nudged: number };
  current: { nudged: number };
}

describe("impact --from preview: what the program declares now", function () {
  this.timeout(300_000);
  const emulator = useEmulator();
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let cleanup: () => Promise<void>;

  const sh = (line: string) => runShell(line, { cwd: dir, env });

  async function impact(...args: string[]): Promise<{ report: ImpactJson; stderr: string }> {
    const out = captureIo(env, dir);
    const code = await main(["impact", "--stack", "dev", "--json", "--no-cache", ...args], out.io);
    expect(code, out.stderr()).to.equal(0);
    return { report: JSON.parse(out.stdout()) as ImpactJson, stderr: out.stderr() };
  }

  before(async function () {
    this.timeout(240_000);
    const workspace = await isolatedWorkspace();
    cleanup = workspace.cleanup;
    dir = workspace.workDir;
    const cli = await cliEnvironment(workspace.envVars);
    env = { ...cli.env, ...emulator.env("writer"), ENTRA_NUDGE_REPORT_RATE_LIMIT: "off" };
    fs.writeFileSync(path.join(dir, "index.js"), PROGRAM);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: entra-nudge-planned\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "package.json"), '{ "name": "planned", "private": true }\n');
    fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(dir, "node_modules"));
    for (const line of [
      "pulumi stack init dev",
      "pulumi up --yes --skip-preview",
      // The change, in the program, not deployed: the campaign for the Engineering group only.
      `pulumi config set target ${ENGINEERING_GROUP_ID}`,
    ]) {
      const run = await sh(line);
      expect(run.code, `${line}\n${run.output}`).to.equal(0);
    }
  });
  after(async () => cleanup?.());

  it("by default (--from preview) counts the program's change; --from state the stack as deployed, and each says which", async () => {
    const deployed = await impact("--from", "state");
    expect(deployed.report.declared.source).to.equal("stack dev");
    expect(deployed.report.declared.nudged, "nothing deployed changed").to.equal(
      deployed.report.current.nudged,
    );
    const planned = await impact();
    expect(planned.report.declared.source).to.equal("stack dev, as `pulumi preview` plans it");
    expect(planned.report.current.nudged).to.equal(deployed.report.current.nudged);
    expect(planned.report.declared.nudged).to.be.greaterThan(0);
    expect(planned.report.declared.nudged).to.be.lessThan(planned.report.current.nudged);
  });

  it("preview-summary --impact shows the change's real before and after", async () => {
    const preview = await sh("pulumi preview --json > preview.json");
    expect(preview.code, preview.output).to.equal(0);
    const { report } = await impact();
    fs.writeFileSync(path.join(dir, "impact.json"), JSON.stringify(report));
    const out = captureIo(env, dir);
    const code = await main(
      ["preview-summary", "--input", "preview.json", "--impact", "impact.json", "--offline"],
      out.io,
    );
    expect(code, out.stderr()).to.equal(0);
    expect(out.stdout()).to.include(
      `| Users nudged | ${report.current.nudged.toLocaleString("en-US")} | ${report.declared.nudged.toLocaleString("en-US")} |`,
    );
    expect(report.current.nudged).to.not.equal(report.declared.nudged);
  });

  it("a program with no change is read too: its unchanged campaign is the declaration", async () => {
    const back = await sh("pulumi config rm target");
    expect(back.code, back.output).to.equal(0);
    try {
      const planned = await impact();
      expect(planned.report.declared.source).to.equal("stack dev, as `pulumi preview` plans it");
      expect(planned.report.declared.nudged).to.equal(planned.report.current.nudged);
    } finally {
      const again = await sh(`pulumi config set target ${ENGINEERING_GROUP_ID}`);
      expect(again.code, again.output).to.equal(0);
    }
  });

  it("--from preview of a program that declares nothing says so instead of answering with the tenant's settings", async () => {
    fs.writeFileSync(path.join(dir, "index.js"), "// nothing declared\n");
    try {
      const out = captureIo(env, dir);
      const code = await main(
        ["impact", "--stack", "dev", "--from", "preview", "--json", "--no-cache"],
        out.io,
      );
      expect(code).to.equal(1);
      expect(out.stderr()).to.contain(
        'The program of the stack "dev" declares no pulumi-entra-nudge resource',
      );
    } finally {
      fs.writeFileSync(path.join(dir, "index.js"), PROGRAM);
    }
  });
});
