// The pulumi and entra-nudge command lines of docs/ci-and-drift.md and docs/commands.md, run as
// written in a Pulumi project (the seed program as index.ts, a stack named prod) through the
// `pulumi` CLI with its Node.js language host and an `entra-nudge` on PATH, against the emulator:
// the Pulumi-native drift check, a state export checked by `entra-nudge drift --file`, and a JSON
// preview turned into a summary by `entra-nudge preview-summary`. Synopsis brackets are dropped:
// each line runs with its required arguments only.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { seedProjectName } from "../../examples/seed-scenario/project";
import { useEmulator } from "../support/emulator";
import { cliEnvironment, isolatedWorkspace, projectRoot, runShell } from "../support/engine";
import { commandLines, docBlock } from "../support/docBlocks";
import { CAMPAIGN_PATH, type GraphCampaign, Tenant } from "../support/tenant";

/** A documented line as it runs: synopsis options in brackets left out (nested ones too). */
function asTyped(line: string): string {
  let previous: string;
  let typed = line;
  do {
    previous = typed;
    typed = typed.replace(/\s*\[[^[\]]*\](\.\.\.)?/g, "");
  } while (typed !== previous);
  return typed.trim();
}

describe("documentation: pulumi and entra-nudge lines run in a project through the CLI", function () {
  this.timeout(300_000);
  const emulator = useEmulator();
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let cleanup: () => Promise<void>;
  let tenant: Tenant;
  let applied: GraphCampaign;

  const sh = (line: string) => runShell(line, { cwd: dir, env });

  function lines(page: string, id: string, startsWith: string): string[] {
    const found = commandLines(docBlock(page, id))
      .filter((line) => line.startsWith(startsWith))
      .map(asTyped);
    expect(found, `${page} ${id}: a line starting "${startsWith}"`).to.not.deep.equal([]);
    return found;
  }

  before(async function () {
    this.timeout(240_000);
    const workspace = await isolatedWorkspace();
    cleanup = workspace.cleanup;
    dir = workspace.workDir;
    // An `entra-nudge` on PATH, as `npm install` puts one in node_modules/.bin.
    const bin = path.join(workspace.dir, "bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(
      path.join(bin, "entra-nudge"),
      `#!/bin/sh\nexec "${process.execPath}" "${path.join(projectRoot, "dist/provider/cli.js")}" "$@"\n`,
      { mode: 0o755 },
    );
    const cli = await cliEnvironment(workspace.envVars);
    env = {
      ...cli.env,
      ...emulator.env("writer"),
      PATH: `${bin}${path.delimiter}${cli.env.PATH ?? ""}`,
    };
    fs.copyFileSync(
      path.join(projectRoot, "examples/seed-scenario/index.ts"),
      path.join(dir, "index.ts"),
    );
    fs.writeFileSync(
      path.join(dir, "Pulumi.yaml"),
      `name: ${seedProjectName()}\nruntime: nodejs\n`,
    );
    fs.writeFileSync(path.join(dir, "package.json"), '{ "name": "docs", "private": true }\n');
    fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(dir, "node_modules"));
    for (const line of ["pulumi stack init prod", "pulumi up --yes --skip-preview"]) {
      const run = await sh(line);
      expect(run.code, `${line}\n${run.output}`).to.equal(0);
    }
    tenant = new Tenant(emulator);
    applied = await tenant.campaign();
  });
  after(async () => cleanup?.());

  it("docs/ci-and-drift.md: the Pulumi-native check exits 0 in sync, 7 after a portal edit", async () => {
    const [check] = lines("docs/ci-and-drift.md", "native-drift-check", "pulumi refresh");
    const inSync = await sh(check);
    expect(inSync.code, inSync.output).to.equal(0);
    await tenant.patch(CAMPAIGN_PATH, {
      registrationEnforcement: {
        authenticationMethodsRegistrationCampaign: { ...applied, snoozeDurationInDays: 3 },
      },
    });
    const drift = await sh(check);
    expect(drift.code, drift.output).to.equal(7);
    expect(drift.output).to.match(/\[diff: ~snoozeDurationInDays\]/);
  });

  it("docs/commands.md: a state export, checked by entra-nudge drift --file (exit 2 on the edit)", async () => {
    const [exportLine] = lines("docs/commands.md", "drift-usage", "pulumi stack export");
    const exported = await sh(exportLine);
    expect(exported.code, exported.output).to.equal(0);
    const [drift] = lines("docs/commands.md", "drift-usage", "entra-nudge drift --file");
    const run = await sh(`${drift} --json`);
    expect(run.code, run.output).to.equal(2);
    const report = JSON.parse(run.stdout) as {
      differences: { property: string }[];
    };
    expect(report.differences.map((d) => d.property)).to.deep.equal(["snoozeDurationInDays"]);
  });

  it("docs/commands.md: a JSON preview and an event log of a change, each summarised by entra-nudge preview-summary", async () => {
    const set = await sh("pulumi config set snoozeDurationInDays 1");
    expect(set.code, set.output).to.equal(0);
    const [preview] = lines("docs/commands.md", "preview-summary-usage", "pulumi preview");
    const previewed = await sh(preview);
    expect(previewed.code, previewed.output).to.equal(0);
    const [summary] = lines("docs/commands.md", "preview-summary-usage", "entra-nudge preview");
    const summarised = await sh(summary);
    expect(summarised.code, summarised.output).to.equal(0);
    const markdown = fs.readFileSync(path.join(dir, "summary.md"), "utf8");
    expect(markdown).to.match(/\*\*Snooze\*\*: every sign-in → 1 day/);

    // The engine's event log, as documented: the pinned CLI refuses --event-log without
    // PULUMI_DEBUG_COMMANDS=true ("unknown flag").
    const [events] = lines(
      "docs/commands.md",
      "preview-summary-usage",
      "PULUMI_DEBUG_COMMANDS=true pulumi preview",
    );
    expect(events).to.include("--event-log events.jsonl");
    const logged = await sh(events);
    expect(logged.code, logged.output).to.equal(0);
    const fromEvents = await sh(summary.replace("--input preview.json", "--input events.jsonl"));
    expect(fromEvents.code, fromEvents.output).to.equal(0);
    expect(fs.readFileSync(path.join(dir, "summary.md"), "utf8")).to.match(
      /\*\*Snooze\*\*: every sign-in → 1 day/,
    );
  });
});
