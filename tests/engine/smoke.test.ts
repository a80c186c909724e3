// The real engine runs this project's kind of program: an inline Automation API program with one
// dynamic resource goes through create, a no-change preview, drift found by refresh, and destroy.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { CommandError, LocalWorkspace } from "@pulumi/pulumi/automation";
import { commandExitCode as exitCode } from "../../scripts/engine";
import {
  cliEnvironment,
  isolatedWorkspace,
  IsolatedWorkspace,
  projectRoot,
} from "../support/engine";

interface StoredValue {
  path: string;
  value: string;
}

// Keeps the value in a JSON file whose path is an input, so the serialized provider captures
// nothing; the engine runs it in a separate process that loads `fs` itself.
const fileProvider: pulumi.dynamic.ResourceProvider<StoredValue, StoredValue> = {
  async create(inputs) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- runs in the provider
    const files = require("fs") as typeof import("fs");
    files.writeFileSync(inputs.path, JSON.stringify({ value: inputs.value }));
    return { id: inputs.path, outs: { path: inputs.path, value: inputs.value } };
  },
  async read(id) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- runs in the provider
    const files = require("fs") as typeof import("fs");
    const stored = JSON.parse(files.readFileSync(id, "utf8")) as { value: string };
    return { id, props: { path: id, value: stored.value } };
  },
  async diff(_id, olds, news) {
    return { changes: olds.value !== news.value || olds.path !== news.path };
  },
  async delete(id) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- runs in the provider
    const files = require("fs") as typeof import("fs");
    files.rmSync(id, { force: true });
  },
};

class StoredFile extends pulumi.dynamic.Resource {
  declare readonly value: pulumi.Output<string>;

  constructor(name: string, args: { path: string; value: string }) {
    super(fileProvider, name, args, undefined, "entra-nudge-smoke", "StoredFile");
  }
}

describe("engine smoke test", function () {
  // A cold engine start plus four engine operations, each starting the dynamic provider.
  this.timeout(180_000);
  let workspace: IsolatedWorkspace | undefined;

  after(async () => workspace?.cleanup());

  it("creates, previews, detects drift in and destroys a dynamic resource", async () => {
    workspace = await isolatedWorkspace();
    const valueFile = path.join(workspace.dir, "value.json");
    const projectName = "entra-nudge-engine-smoke";
    const stack = await LocalWorkspace.createOrSelectStack(
      {
        stackName: "smoke",
        projectName,
        program: async () => {
          const stored = new StoredFile("stored", { path: valueFile, value: "first" });
          return { value: stored.value };
        },
      },
      {
        pulumiCommand: workspace.pulumiCommand,
        pulumiHome: workspace.pulumiHome,
        envVars: workspace.envVars,
        workDir: workspace.workDir,
        // The engine starts the dynamic provider in `main`; it must resolve @pulumi/pulumi there.
        projectSettings: { name: projectName, runtime: "nodejs", main: projectRoot },
      },
    );

    const up = await stack.up();
    expect(up.summary.resourceChanges).to.deep.equal({ create: 2 });
    expect(up.outputs.value.value).to.equal("first");
    expect(JSON.parse(fs.readFileSync(valueFile, "utf8"))).to.deep.equal({ value: "first" });

    const preview = await stack.preview({ expectNoChanges: true });
    expect(preview.changeSummary).to.deep.equal({ same: 2 });

    fs.writeFileSync(valueFile, JSON.stringify({ value: "changed out of band" }));
    const drift = await stack.previewRefresh({ expectNoChanges: true }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(drift, "previewRefresh should reject on drift").to.be.instanceOf(CommandError);
    expect(exitCode(drift), String(drift)).to.equal(7);

    await stack.destroy();
    expect(fs.existsSync(valueFile)).to.equal(false);
  });

  it("runs a `runtime: nodejs` project with the plain `pulumi` CLI (the Node.js language host)", async () => {
    const cli = await isolatedWorkspace();
    try {
      const { env, engine } = await cliEnvironment(cli.envVars);
      // The engine looks for its language host beside its own binary first (no PATH warning).
      expect(path.dirname(engine.languageHostPath)).to.equal(path.dirname(engine.pulumiPath));
      fs.writeFileSync(
        path.join(cli.workDir, "Pulumi.yaml"),
        "name: entra-nudge-host-smoke\nruntime: nodejs\nmain: index.js\n",
      );
      fs.writeFileSync(
        path.join(cli.workDir, "index.js"),
        'const pulumi = require("@pulumi/pulumi");\n' +
          "exports.project = pulumi.getProject();\nexports.answer = 6 * 7;\n",
      );
      // The program resolves @pulumi/pulumi from its own directory, as in a user's project.
      fs.symlinkSync(
        path.join(projectRoot, "node_modules"),
        path.join(cli.workDir, "node_modules"),
      );
      const pulumiCli = (...args: string[]): string =>
        execFileSync("pulumi", args, { cwd: cli.workDir, env, encoding: "utf8", stdio: "pipe" });
      pulumiCli("stack", "init", "smoke");
      pulumiCli("up", "--yes", "--skip-preview");
      expect(JSON.parse(pulumiCli("stack", "output", "--json"))).to.deep.equal({
        answer: 42,
        project: "entra-nudge-host-smoke",
      });
    } finally {
      await cli.cleanup();
    }
  });
});
