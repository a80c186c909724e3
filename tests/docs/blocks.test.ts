// The README and the docs/ pages against the product: every code block says how a test runs or
// checks it (tests/support/docBlocks.ts), every relative link and anchor resolves, and the blocks
// this file owns are run or compared with what the product really does: the first program is
// type-checked against the package, each command synopsis lists exactly the options the command
// accepts, the JSON examples have the shape of real output, the guardrails configuration is one
// the policy pack reads, and the `pulumi config set` of the break-glass groups is run.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import * as ts from "typescript";
import { main } from "../../provider/cli";
import { parseBreakGlassGroups } from "../../provider/model/eligibility";
import { CONFIG_SCHEMAS, POLICY } from "../../provider/policy/config";
import { applyConfiguration, captureIo } from "../eligibility/support";
import {
  blocksOf,
  commandLines,
  docBlock,
  documentationPages,
  readPage,
  shapeDifferences,
} from "../support/docBlocks";
import { useEmulator } from "../support/emulator";
import { isolatedWorkspace, projectRoot, pulumiBinary } from "../support/engine";

/** The default tenant's pilot group and break-glass group (emulator/tenants/default.json). */
const PILOT_GROUP = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31";
const BREAK_GLASS_GROUP = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c";

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, "")
    .replace(/ /g, "-");
}

function anchorsOf(page: string): Set<string> {
  const text = readPage(page).replace(/^```[\s\S]*?^```/gm, "");
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1])));
}

/** The `--options` a synopsis or usage text names. */
function optionsIn(text: string): Set<string> {
  return new Set([...text.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0]));
}

/** The options `entra-nudge COMMAND --help` lists (one per line, indented, first on the line). */
async function acceptedOptions(command: string): Promise<Set<string>> {
  const out = captureIo({});
  expect(await main([command, "--help"], out.io), out.stderr()).to.equal(0);
  return new Set([...out.stdout().matchAll(/^ {2}(--[a-z][a-z-]*)/gm)].map((m) => m[1]));
}

describe("documentation: the README and docs/ pages", function () {
  this.timeout(60_000);

  it("every code block says how a test runs or checks it, or why none does", () => {
    const problems: string[] = [];
    for (const page of documentationPages()) {
      const ids = new Set<string>();
      for (const block of blocksOf(page)) {
        const marker = block.marker;
        if (!marker) {
          problems.push(`${page}:${block.line}: no <!-- block ID: … --> marker before the block`);
          continue;
        }
        if (ids.has(marker.id)) problems.push(`${page}:${block.line}: block id ${marker.id} twice`);
        ids.add(marker.id);
        if (marker.how === "not run") continue;
        const test = path.join(projectRoot, marker.by);
        const source = fs.existsSync(test) ? fs.readFileSync(test, "utf8") : "";
        if (!source.includes(`"${page}"`) || !source.includes(`"${marker.id}"`)) {
          problems.push(`${page}:${block.line}: ${marker.by} does not use block "${marker.id}"`);
        }
      }
    }
    expect(problems).to.deep.equal([]);
  });

  it("every relative link and anchor of the README and docs/ resolves", () => {
    const broken: string[] = [];
    for (const page of documentationPages()) {
      const text = readPage(page).replace(/^```[\s\S]*?^```/gm, "");
      for (const [, target, anchor] of text.matchAll(/\]\(([^)#\s]*)(?:#([^)\s]+))?\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const file = target === "" ? page : path.posix.join(path.posix.dirname(page), target);
        if (!fs.existsSync(path.join(projectRoot, file))) broken.push(`${page}: ${target}`);
        else if (anchor && file.endsWith(".md") && !anchorsOf(file).has(anchor))
          broken.push(`${page}: ${target}#${anchor}`);
      }
    }
    expect(broken).to.deep.equal([]);
  });

  it("the README's first program type-checks against the package", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-first-program-"));
    try {
      const file = path.join(dir, "index.ts");
      fs.writeFileSync(file, docBlock("README.md", "first-program").text);
      const program = ts.createProgram([file], {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.Node10,
        types: [],
        // The package as its `types` entry declares it; its own imports resolve in this repository.
        paths: { "pulumi-entra-nudge": [path.join(projectRoot, "dist/provider/index.d.ts")] },
      });
      const errors = ts
        .getPreEmitDiagnostics(program)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      expect(errors).to.deep.equal([]);
      expect(program.getSourceFile(file)?.text).to.include("new nudge.RegistrationCampaign");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("each directory of the layout in docs/development.md exists", () => {
    const directories = docBlock("docs/development.md", "layout")
      .text.split("\n")
      .map((line) => /^(\S+)\/\s/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined);
    expect(directories.length).to.be.greaterThan(5);
    expect(directories.filter((d) => !fs.existsSync(path.join(projectRoot, d)))).to.deep.equal([]);
  });

  describe("each command synopsis names exactly the options the command accepts", () => {
    const synopses: [string, string[]][] = [
      ["drift", ["drift-usage"]],
      ["preview-summary", ["preview-summary-usage"]],
      ["impact", ["impact-usage"]],
      ["report", ["report-usage"]],
      ["export", ["export-usage"]],
    ];
    for (const [command, ids] of synopses) {
      it(`entra-nudge ${command}`, async () => {
        const documented = new Set<string>();
        for (const id of ids) {
          const lines = commandLines(docBlock("docs/commands.md", id));
          const own = lines.filter((line) => line.startsWith(`entra-nudge ${command} `));
          expect(own, `${id}: no entra-nudge ${command} line`).to.not.deep.equal([]);
          for (const option of optionsIn(own.join("\n"))) documented.add(option);
        }
        const accepted = await acceptedOptions(command);
        expect([...documented].sort(), `the usage of entra-nudge ${command}`).to.deep.equal(
          [...accepted].sort(),
        );
      });
    }

    it("the fleet check of docs/fleets.md uses options entra-nudge drift accepts", async () => {
      const line = commandLines(docBlock("docs/fleets.md", "fleet-drift")).find((l) =>
        l.startsWith("entra-nudge drift "),
      );
      const accepted = await acceptedOptions("drift");
      expect([...optionsIn(line ?? "")].filter((o) => !accepted.has(o))).to.deep.equal([]);
      const stacks = [...(line ?? "").matchAll(/--stack (\S+)/g)].map((m) => m[1]);
      for (const stack of stacks) {
        expect(
          fs.existsSync(path.join(projectRoot, "examples/fleet", `Pulumi.${stack}.yaml`)),
          stack,
        ).to.equal(true);
      }
    });

    it("npm run emulator", () => {
      const usage = spawnSync(process.execPath, ["dist/emulator/cli.js", "--help"], {
        cwd: projectRoot,
        encoding: "utf8",
      });
      const accepted = optionsIn(`${usage.stdout}${usage.stderr}`);
      accepted.delete("--help");
      expect(accepted.size, usage.stderr).to.be.greaterThan(0);
      const documented = optionsIn(docBlock("docs/emulator.md", "emulator-usage").text);
      expect([...documented].sort()).to.deep.equal([...accepted].sort());
    });
  });

  it("the emulator's ready line has the shape docs/emulator.md shows", async () => {
    const child = spawn(process.execPath, ["dist/emulator/cli.js", "--port", "0", "--quiet"], {
      cwd: projectRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes("\n")) resolve(out.split("\n")[0]);
        });
        child.on("exit", (code) => reject(new Error(`the emulator exited with ${code}`)));
      });
      const example: unknown = JSON.parse(docBlock("docs/emulator.md", "emulator-ready-line").text);
      expect(shapeDifferences(example, JSON.parse(line))).to.deep.equal([]);
    } finally {
      child.kill();
    }
  });

  it("the guardrails configuration of docs/guardrails.md names policies and settings the pack has", () => {
    const config = JSON.parse(docBlock("docs/guardrails.md", "guardrails-config").text) as Record<
      string,
      unknown
    >;
    const policies = Object.values(POLICY) as string[];
    const problems: string[] = [];
    for (const [name, value] of Object.entries(config)) {
      if (!policies.includes(name)) problems.push(`${name}: no such policy`);
      else if (typeof value === "string") {
        if (!["mandatory", "advisory", "disabled"].includes(value))
          problems.push(`${name}: ${value} is no enforcement level`);
      } else {
        const schema = CONFIG_SCHEMAS[name as keyof typeof CONFIG_SCHEMAS];
        for (const key of Object.keys(value as object)) {
          if (!schema?.properties?.[key]) problems.push(`${name}.${key}: no such setting`);
        }
      }
    }
    expect(problems).to.deep.equal([]);
  });

  describe("against the emulator", () => {
    const emulator = useEmulator();

    it("`entra-nudge impact --json` prints the shape docs/commands.md shows", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-impact-doc-"));
      try {
        fs.writeFileSync(
          path.join(dir, "proposal.json"),
          JSON.stringify({
            campaign: {
              state: "enabled",
              includeTargets: [{ id: PILOT_GROUP, targetType: "group" }],
            },
            breakGlassGroups: [BREAK_GLASS_GROUP],
          }),
        );
        const out = captureIo({ ...process.env, ...emulator.env("reader") }, dir);
        const code = await main(["impact", "--declaration", "proposal.json", "--json"], out.io);
        expect(code, out.stderr()).to.equal(0);
        const example: unknown = JSON.parse(docBlock("docs/commands.md", "impact-json").text);
        expect(shapeDifferences(example, JSON.parse(out.stdout()))).to.deep.equal([]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("readiness against the emulator", () => {
    const emulator = useEmulator();

    it("`entra-nudge readiness --json` prints the forecast and plan docs/commands.md shows", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-readiness-doc-"));
      try {
        await applyConfiguration(emulator, {
          campaign: {
            state: "enabled",
            includeTargets: [{ id: PILOT_GROUP, targetType: "group" }],
          },
        });
        emulator.simulate({ days: 7, seed: 3 });
        const out = captureIo({ ...process.env, ...emulator.env("reader") }, dir);
        const code = await main(["readiness", "--json"], out.io);
        expect(code, out.stderr()).to.equal(0);
        const example: unknown = JSON.parse(docBlock("docs/commands.md", "readiness-json").text);
        expect(shapeDifferences(example, JSON.parse(out.stdout()))).to.deep.equal([]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it("the break-glass groups are set as docs/who-gets-nudged.md says, and read back as one group", async function () {
    this.timeout(120_000);
    const workspace = await isolatedWorkspace();
    try {
      const project = workspace.workDir;
      fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: doc-config\nruntime: nodejs\n");
      const pulumi = await pulumiBinary();
      const env = { ...process.env, ...workspace.envVars };
      const run = (command: string) =>
        spawnSync("sh", ["-c", command], { cwd: project, env, encoding: "utf8" });
      const init = run(`"${pulumi}" stack init docs`);
      expect(init.status, init.stderr).to.equal(0);
      const lines = commandLines(docBlock("docs/who-gets-nudged.md", "break-glass-config"));
      for (const line of lines) {
        const result = run(line.replace(/^pulumi /, `"${pulumi}" `));
        expect(result.status, `${line}\n${result.stderr}`).to.equal(0);
      }
      const value = run(`"${pulumi}" config get entra-nudge:breakGlassGroups`);
      expect(parseBreakGlassGroups(value.stdout)).to.deep.equal({
        groups: [BREAK_GLASS_GROUP],
        problems: [],
      });
    } finally {
      await workspace.cleanup();
    }
  });
});
