// The package as users get it: `npm pack` (once per test run), a project in a temp directory
// outside the repository (so nothing can resolve through the repository's node_modules or its
// self-link), the tarball installed with npm, and command lines run literally through /bin/sh
// with the real `pulumi` CLI, its Node.js language host and `npx entra-nudge` on PATH. Reusable
// for any README or docs command block (docBlock, tests/support/docBlocks.ts):
// `project.run("pulumi preview")`.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run } from "../../scripts/engine";
import { currentNode, runNpm, type NodeRuntime } from "../../scripts/node-runtime";
import { cliEnvironment, projectRoot } from "./engine";

export interface CommandResult {
  commandLine: string;
  code: number;
  stdout: string;
  stderr: string;
}

export interface ConsumerProjectOptions {
  /** The Node.js that runs npm, the program, the providers and `entra-nudge` (default: this one). */
  node?: NodeRuntime;
  /** Project name in package.json and Pulumi.yaml (default "entra-nudge-consumer"). */
  name?: string;
  /** Environment for every command (e.g. the emulator's endpoints and CA). */
  env?: Record<string, string>;
}

let packed: Promise<string> | undefined;

/**
 * The package's tarball, packed once per process from the built repository (`npm test` builds
 * first; `--ignore-scripts` skips `prepare`, which would compile again). Removed at exit.
 */
export function packedTarball(): Promise<string> {
  packed ??= (async () => {
    if (!fs.existsSync(path.join(projectRoot, "dist", "provider", "index.js"))) {
      throw new Error("dist/ is missing: run `npm run build` before the consumer tests.");
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-pack-"));
    process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
    const result = await runNpm(
      currentNode(),
      ["pack", "--ignore-scripts", "--pack-destination", dir],
      projectRoot,
      cleanEnvironment(),
    );
    const name = result.stdout.trim().split("\n").pop() ?? "";
    const tarball = path.join(dir, name);
    if (result.code !== 0 || !name.endsWith(".tgz") || !fs.existsSync(tarball)) {
      throw new Error(`npm pack failed (exit ${result.code}): ${result.stderr}`);
    }
    return tarball;
  })();
  return packed;
}

/**
 * This process's environment without what only exists inside this repository's test run: npm's
 * `npm_*` variables (from `npm test`), NODE_PATH, NODE_OPTIONS, and ENTRA_NUDGE_PULUMI (a user
 * has `pulumi` on PATH).
 */
function cleanEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || ["NODE_PATH", "NODE_OPTIONS", "ENTRA_NUDGE_PULUMI"].includes(key)) {
      continue;
    }
    env[key] = value;
  }
  return env;
}

export class ConsumerProject {
  private constructor(
    /** The temp directory holding the project, Pulumi's home and the state backend. */
    readonly root: string,
    /** The project directory (cwd of every command). */
    readonly dir: string,
    readonly node: NodeRuntime,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  /** A new, empty Pulumi TypeScript project (`runtime: nodejs`, no dependencies yet). */
  static async create(options: ConsumerProjectOptions = {}): Promise<ConsumerProject> {
    const name = options.name ?? "entra-nudge-consumer";
    return ConsumerProject.setUp(name, options, (dir) => {
      fs.writeFileSync(
        path.join(dir, "package.json"),
        `${JSON.stringify({ name, version: "1.0.0", private: true, main: "index.ts" }, null, 2)}\n`,
      );
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
    });
  }

  /**
   * One of this repository's own Pulumi projects (the root, examples/*) run with the repository's
   * build, as its README says (`npm install` at the root, then `pulumi` in its directory): its
   * Pulumi.yaml and stack files are copied to a temp directory (a stack init writes its secrets
   * salt into them), with `main` made absolute, and node_modules links to the repository's.
   */
  static async fromRepository(
    relativeDir: string,
    options: ConsumerProjectOptions = {},
  ): Promise<ConsumerProject> {
    const source = path.join(projectRoot, relativeDir);
    const name = path.basename(path.resolve(source));
    return ConsumerProject.setUp(name, options, (dir) => {
      for (const file of fs.readdirSync(source).filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f))) {
        let text = fs.readFileSync(path.join(source, file), "utf8");
        if (file === "Pulumi.yaml") {
          text = text.replace(/^main: (.+)$/m, (_line, main: string) => {
            const absolute = path.resolve(source, main.trim());
            if (!fs.existsSync(absolute))
              throw new Error(`${relativeDir}/Pulumi.yaml: ${main} is missing`);
            return `main: ${absolute}`;
          });
        }
        fs.writeFileSync(path.join(dir, file), text);
      }
      fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(dir, "node_modules"));
    });
  }

  private static async setUp(
    name: string,
    options: ConsumerProjectOptions,
    populate: (dir: string) => void,
  ): Promise<ConsumerProject> {
    const node = options.node ?? currentNode();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-consumer-"));
    if (fs.realpathSync(root).startsWith(fs.realpathSync(projectRoot) + path.sep)) {
      throw new Error(`${root} is inside the repository; set TMPDIR to a directory outside it.`);
    }
    const dir = path.join(root, name);
    const home = path.join(root, "pulumi-home");
    const state = path.join(root, "state");
    for (const sub of [dir, home, state]) fs.mkdirSync(sub);
    populate(dir);

    const cli = await cliEnvironment({
      PULUMI_HOME: home,
      PULUMI_BACKEND_URL: `file://${state}`,
      PULUMI_CONFIG_PASSPHRASE: "entra-nudge-consumer",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
    });
    const env = { ...cleanEnvironment(), ...pick(cli.env, PULUMI_SETTINGS), ...options.env };
    // The chosen Node.js first (npx, the language host and the provider launcher run `node`), then
    // the engine's directory (pulumi, its language host and the launcher), then the rest.
    env.PATH = [path.dirname(node.nodePath), ...cli.engine.pathDirs, process.env.PATH ?? ""].join(
      path.delimiter,
    );
    delete env.ENTRA_NUDGE_PULUMI;
    return new ConsumerProject(root, dir, node, env);
  }

  /**
   * Runs a command line as a user types it (through /bin/sh, comments included). `npm install`
   * lines get the packed tarball for `pulumi-entra-nudge` and run under this project's Node.js.
   * Commands that would ask "Do you want to perform this update?" get PULUMI_SKIP_CONFIRMATIONS,
   * the answer "yes" (the CLI refuses it together with --preview-only, which never asks).
   * Rejects unless the exit code is `expectCode` (default 0).
   */
  async run(
    commandLine: string,
    options: { input?: string; expectCode?: number; env?: Record<string, string> } = {},
  ): Promise<CommandResult> {
    let line = commandLine;
    if (/^\s*npm\s+(install|i|add)\b/.test(line)) {
      line = line.replace(/(\s)pulumi-entra-nudge(?=\s|$)/, `$1${await packedTarball()}`);
    }
    const env: NodeJS.ProcessEnv = { ...this.env, ...options.env };
    if (/^\s*pulumi\s+(up|destroy|refresh|update)\b/.test(line) && !/--preview-only/.test(line)) {
      env.PULUMI_SKIP_CONFIRMATIONS = "true";
    }
    const result = await run("/bin/sh", ["-c", line], {
      cwd: this.dir,
      env,
      capture: true,
      input: options.input,
    });
    const outcome = { commandLine, ...result };
    const expected = options.expectCode ?? 0;
    if (result.code !== expected) {
      throw new Error(
        `\`${commandLine}\` exited ${result.code}, expected ${expected}\n` +
          `--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
      );
    }
    return outcome;
  }

  writeFile(relative: string, content: string): void {
    const file = path.join(this.dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }

  /** Every installed copy of a package in the project, with its version (one is what users want). */
  installedCopies(name: string): { path: string; version: string }[] {
    const copies: { path: string; version: string }[] = [];
    const visit = (modules: string): void => {
      if (!fs.existsSync(modules)) return;
      for (const entry of fs.readdirSync(modules)) {
        const names = entry.startsWith("@")
          ? fs.readdirSync(path.join(modules, entry)).map((sub) => `${entry}/${sub}`)
          : [entry];
        for (const packageName of names) {
          const dir = path.join(modules, packageName);
          if (fs.lstatSync(dir).isSymbolicLink()) continue;
          if (packageName === name) {
            const manifest = JSON.parse(
              fs.readFileSync(path.join(dir, "package.json"), "utf8"),
            ) as { version: string };
            copies.push({ path: path.relative(this.dir, dir), version: manifest.version });
          }
          visit(path.join(dir, "node_modules"));
        }
      }
    };
    visit(path.join(this.dir, "node_modules"));
    return copies;
  }

  async cleanup(): Promise<void> {
    await fs.promises.rm(this.root, { recursive: true, force: true });
  }
}

/** The Pulumi settings the isolated CLI environment adds (home, backend, offline switches). */
const PULUMI_SETTINGS = [
  "PULUMI_HOME",
  "PULUMI_BACKEND_URL",
  "PULUMI_CONFIG_PASSPHRASE",
  "PULUMI_SKIP_UPDATE_CHECK",
  "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION",
  "PULUMI_DIY_BACKEND_NO_LEGACY_WARNING",
];

function pick(env: NodeJS.ProcessEnv, keys: string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const key of keys) if (env[key] !== undefined) picked[key] = env[key];
  return picked;
}

/**
 * The first fenced code block after the first line that starts with `start` (a heading), for the
 * examples' READMEs; the README's and docs/ blocks have markers (tests/support/docBlocks.ts).
 */
export function markdownBlockAfter(file: string, start: string): string {
  const text = fs.readFileSync(file, "utf8");
  const at = text.indexOf(`\n${start}`);
  if (at < 0) throw new Error(`${file} has no line starting "${start}".`);
  const match = /```[^\n]*\n([\s\S]*?)```/.exec(text.slice(at));
  if (!match) throw new Error(`${file}: no fenced code block after "${start}".`);
  return match[1];
}
