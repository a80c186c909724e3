// Provides the Pulumi deployment engine (the `pulumi` CLI) on machines that reach only package
// registries: a `pulumi` on PATH if it works, otherwise a build from the Go module proxy, cached
// per version outside the git tree. `npm run engine` prints the binary's path as its last stdout
// line. Background and the facts this relies on: /work/shared/pulumi-engine.md.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CommandError } from "@pulumi/pulumi/automation";

/** The CLI release matching the project's `@pulumi/pulumi` npm SDK. */
export const PULUMI_VERSION = "3.248.0";

const PKG_MODULE = "github.com/pulumi/pulumi/pkg/v3";
const SDK_MODULE = "github.com/pulumi/pulumi/sdk/v3";
const CLI_PACKAGE = `${PKG_MODULE}/cmd/pulumi`;
const LANGUAGE_HOST_MODULE = "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3";
const VERSION_VARIABLE = `${SDK_MODULE}/go/common/version.Version`;
const LAUNCHER = "pulumi-resource-pulumi-nodejs";
const LANGUAGE_HOST = "pulumi-language-nodejs";
const LANGUAGE_HOST_MARKER = "language-host-unavailable.txt";

export interface Engine {
  /** Absolute path of the `pulumi` binary; always `<root>/bin/pulumi`. */
  pulumiPath: string;
  /** The installation root for `PulumiCommand.get({ root })`. */
  root: string;
  /** What `pulumi version` printed, e.g. `v3.248.0`. */
  version: string;
  /** Whether `pulumi-language-nodejs` is available (plain CLI runs of `runtime: nodejs`). */
  languageHost: boolean;
  /** Where the engine came from. */
  source: "path" | "cache" | "build";
}

export interface EngineOptions {
  /** CLI release to build when no `pulumi` is on PATH (default {@link PULUMI_VERSION}). */
  version?: string;
  /** Receives progress lines (default: stderr). */
  log?: (line: string) => void;
}

/** `${ENTRA_NUDGE_CACHE_DIR}` or `${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-entra-nudge`. */
export function cacheRoot(): string {
  const override = process.env.ENTRA_NUDGE_CACHE_DIR;
  if (override) return path.resolve(override);
  const xdg = process.env.XDG_CACHE_HOME;
  return path.join(
    xdg ? path.resolve(xdg) : path.join(os.homedir(), ".cache"),
    "pulumi-entra-nudge",
  );
}

/** Finds or builds the engine. Throws an actionable error when neither is possible. */
export async function provideEngine(options: EngineOptions = {}): Promise<Engine> {
  const version = options.version ?? PULUMI_VERSION;
  const log = options.log ?? ((line: string) => process.stderr.write(`engine: ${line}\n`));

  const fromPath = await engineFromPath(log);
  if (fromPath) return fromPath;

  const versionDir = path.join(cacheRoot(), "pulumi", `v${version}`);
  const binDir = path.join(versionDir, "bin");
  const pulumiPath = path.join(binDir, "pulumi");

  const cached = await reuseCached(pulumiPath, version, log);
  if (cached) return finish(cached, "cache", versionDir, log);

  const go = findGo();
  if (!go) {
    throw new Error(
      `No Pulumi engine available: there is no working \`pulumi\` on PATH, no cached build at ` +
        `${pulumiPath}, and no Go toolchain (\`go\` on PATH) to build v${version} from the Go ` +
        `module proxy. Install the Pulumi CLI (https://www.pulumi.com/docs/install/) or Go 1.25 ` +
        `or later, then run \`npm run engine\` again.`,
    );
  }

  fs.mkdirSync(binDir, { recursive: true });
  const unlock = await lock(path.join(versionDir, ".build.lock"), log);
  try {
    // Another process may have finished the build while this one waited for the lock.
    const builtMeanwhile = await reuseCached(pulumiPath, version, log);
    if (builtMeanwhile) return finish(builtMeanwhile, "cache", versionDir, log, go);
    const built = await buildCli(go, version, versionDir, pulumiPath, log);
    return finish(built, "build", versionDir, log, go);
  } finally {
    unlock();
  }
}

interface Located {
  pulumiPath: string;
  root: string;
  version: string;
}

/** Installs the launcher and settles the language host, the common tail of cache and build. */
async function finish(
  cli: Located,
  source: "cache" | "build",
  versionDir: string,
  log: (line: string) => void,
  go?: string,
): Promise<Engine> {
  const binDir = path.dirname(cli.pulumiPath);
  installLauncher(binDir);
  let languageHost = isExecutable(path.join(binDir, LANGUAGE_HOST));
  const marker = path.join(versionDir, LANGUAGE_HOST_MARKER);
  if (!languageHost && !fs.existsSync(marker)) {
    // Only reached when no attempt was recorded yet, so a cached engine never runs Go again.
    const goForHost = go ?? findGo();
    if (goForHost) {
      languageHost = await buildLanguageHost(goForHost, cli.version, versionDir, binDir, log);
    }
  } else if (!languageHost) {
    log(`${LANGUAGE_HOST} unavailable (inline Automation API programs only); see ${marker}`);
  }
  return { ...cli, languageHost, source };
}

async function reuseCached(
  pulumiPath: string,
  version: string,
  log: (line: string) => void,
): Promise<Located | undefined> {
  if (!isExecutable(pulumiPath)) return undefined;
  const printed = await pulumiVersion(pulumiPath);
  if (printed === `v${version}`) {
    return { pulumiPath, root: path.dirname(path.dirname(pulumiPath)), version: printed };
  }
  log(`cached ${pulumiPath} prints "${printed ?? ""}", not v${version}; rebuilding`);
  fs.rmSync(pulumiPath, { force: true });
  return undefined;
}

/** A user's own `pulumi` (official install) wins over any build, if it prints a version. */
async function engineFromPath(log: (line: string) => void): Promise<Engine | undefined> {
  const found = findOnPath("pulumi");
  if (!found) return undefined;
  const version = await pulumiVersion(found);
  if (!version || !/^v?\d+\.\d+\.\d+/.test(version)) {
    log(`ignoring ${found}: \`pulumi version\` printed "${version ?? ""}", not a version`);
    return undefined;
  }
  const realBin = path.dirname(fs.realpathSync(found));
  const languageHost =
    isExecutable(path.join(realBin, LANGUAGE_HOST)) || findOnPath(LANGUAGE_HOST) !== undefined;
  const dir = path.dirname(found);
  if (path.basename(dir) === "bin" && isExecutable(path.join(realBin, LAUNCHER))) {
    log(`using ${found} (${version}) from PATH`);
    return { pulumiPath: found, root: path.dirname(dir), version, languageHost, source: "path" };
  }
  // PulumiCommand needs `<root>/bin/pulumi`, and dynamic providers need the launcher beside it:
  // a root of our own links to the user's binary without writing into their installation.
  const binDir = path.join(cacheRoot(), "pulumi", "from-path", "bin");
  fs.mkdirSync(binDir, { recursive: true });
  const link = path.join(binDir, "pulumi");
  fs.rmSync(link, { force: true });
  fs.symlinkSync(fs.realpathSync(found), link);
  installLauncher(binDir);
  log(`using ${found} (${version}) from PATH through ${link}`);
  return { pulumiPath: link, root: path.dirname(binDir), version, languageHost, source: "path" };
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    // `npm run` puts node_modules/.bin first; the npm `pulumi` package there is only a downloader.
    if (!dir || /node_modules[\\/]\.bin[\\/]?$/.test(dir)) continue;
    const candidate = path.resolve(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function findGo(): string | undefined {
  const candidates = [findOnPath("go"), "/usr/local/go/bin/go"];
  return candidates.find(
    (go): go is string =>
      go !== undefined && isExecutable(go) && spawnSync(go, ["version"]).status === 0,
  );
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** What `pulumi version` prints (trimmed), or undefined if it fails. */
async function pulumiVersion(pulumiPath: string): Promise<string | undefined> {
  const result = await run(pulumiPath, ["version"], {
    // Skips the update check (a call to the Pulumi service); `pulumi version` writes no files.
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    capture: true,
    timeoutMs: 60_000,
  });
  return result.code === 0 ? result.stdout.trim().split("\n").pop()?.trim() : undefined;
}

/** Copies the npm SDK's dynamic-provider launcher next to the binary (mode 0755). */
function installLauncher(binDir: string): void {
  const source = path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), LAUNCHER);
  const target = path.join(binDir, LAUNCHER);
  const content = fs.readFileSync(source);
  if (isExecutable(target) && fs.readFileSync(target).equals(content)) return;
  const temp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temp, content, { mode: 0o755 });
  fs.chmodSync(temp, 0o755);
  fs.renameSync(temp, target);
}

async function downloadModule(
  go: string,
  module: string,
  cwd: string,
): Promise<{ goMod: string } | { error: string }> {
  const result = await run(go, ["mod", "download", "-json", module], {
    cwd,
    env: goEnv(),
    capture: true,
  });
  let parsed: { GoMod?: string; Error?: string };
  try {
    parsed = JSON.parse(result.stdout) as typeof parsed;
  } catch {
    return { error: result.stderr.trim() || `go mod download exited with ${result.code}` };
  }
  if (parsed.Error || !parsed.GoMod) return { error: parsed.Error ?? `no go.mod for ${module}` };
  return { goMod: parsed.GoMod };
}

/**
 * The commit behind a module version, from the proxy's `.info` (`Origin`). Asked over HTTP because
 * Go drops `Origin` when it caches the `.info`, so `go mod download -json` does not report it.
 */
async function proxyOrigin(
  go: string,
  modulePath: string,
  version: string,
): Promise<{ time: string; hash: string } | { error: string }> {
  const goproxy = (await run(go, ["env", "GOPROXY"], { env: goEnv(), capture: true })).stdout;
  const proxies = goproxy.split(/[,|]/).filter((entry) => /^https?:\/\//.test(entry.trim()));
  const errors: string[] = [];
  for (const proxy of proxies) {
    const base = proxy.trim().replace(/\/$/, "");
    const url = `${base}/${escapeModulePath(modulePath)}/@v/${version}.info`;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
      const info = (await response.json()) as { Time?: string; Origin?: { Hash?: string } };
      if (info.Time && info.Origin?.Hash) return { time: info.Time, hash: info.Origin.Hash };
      errors.push(`${url} has no Origin.Hash`);
    } catch (error) {
      errors.push(`${url}: ${errorMessage(error)}`);
    }
  }
  return { error: errors.join("; ") || `GOPROXY "${goproxy.trim()}" names no HTTP proxy` };
}

/** Module paths are case-encoded in proxy URLs (`Azure` → `!azure`). */
function escapeModulePath(modulePath: string): string {
  return modulePath.replace(/[A-Z]/g, (letter) => `!${letter.toLowerCase()}`);
}

/**
 * The replace directives of a go.mod that point at other modules. Local-path replaces
 * (`=> ../sdk`) only make sense inside the pulumi repository and are dropped.
 */
export function nonLocalReplaces(goMod: string): string[] {
  const lines = goMod.split("\n").map((line) => line.replace(/\/\/.*$/, "").trim());
  const replaces: string[] = [];
  let inBlock = false;
  for (const line of lines) {
    if (inBlock) {
      if (line === ")") inBlock = false;
      else if (line.includes("=>")) replaces.push(line);
    } else if (/^replace\s*\($/.test(line)) {
      inBlock = true;
    } else if (line.startsWith("replace ")) {
      replaces.push(line.slice("replace ".length).trim());
    }
  }
  return replaces.filter((replace) => {
    const target = replace.split("=>")[1].trim();
    return !/^(\.{1,2}|\/)/.test(target);
  });
}

function wrapperGoMod(
  goLine: string,
  requires: string[],
  replaces: string[],
  tool: string,
): string {
  return [
    "// Generated by pulumi-entra-nudge scripts/engine.ts: builds a Pulumi binary from the Go",
    "// module proxy, pinned to one release.",
    "module pulumi-entra-nudge.local/engine",
    "",
    goLine,
    "",
    "require (",
    ...requires.map((r) => `\t${r}`),
    ")",
    "",
    ...replaces.map((r) => `replace ${r}`),
    "",
    `tool ${tool}`,
    "",
  ].join("\n");
}

function goDirective(goMod: string): string {
  return goMod.split("\n").find((line) => /^go\s+\d/.test(line.trim())) ?? "go 1.25";
}

async function buildCli(
  go: string,
  version: string,
  versionDir: string,
  pulumiPath: string,
  log: (line: string) => void,
): Promise<Located> {
  const started = Date.now();
  const wrapper = path.join(versionDir, "wrapper-pulumi");
  fs.mkdirSync(wrapper, { recursive: true });
  log(`building pulumi v${version} from the Go module proxy with ${go}`);
  log(`wrapper module: ${wrapper}; with empty Go caches this takes about 5 minutes on 2 cores`);

  const pkg = await downloadModule(go, `${PKG_MODULE}@v${version}`, wrapper);
  if ("error" in pkg) {
    throw new Error(
      `The Go module proxy did not serve ${PKG_MODULE}@v${version}: ${pkg.error}. ` +
        `List the served versions with \`go list -m -versions ${PKG_MODULE}\`.`,
    );
  }
  const pkgGoMod = fs.readFileSync(pkg.goMod, "utf8");
  fs.writeFileSync(
    path.join(wrapper, "go.mod"),
    wrapperGoMod(
      goDirective(pkgGoMod),
      [`${PKG_MODULE} v${version}`, `${SDK_MODULE} v${version}`],
      nonLocalReplaces(pkgGoMod),
      CLI_PACKAGE,
    ),
  );
  await goStep(go, ["mod", "tidy"], wrapper, "go mod tidy (downloads the dependencies)", log);
  await checkPinnedSdk(go, wrapper, version);

  const binDir = path.dirname(pulumiPath);
  removeStaleTemps(binDir, "pulumi");
  const temp = path.join(binDir, `.pulumi.${process.pid}.tmp`);
  await goBuild(go, wrapper, CLI_PACKAGE, version, temp, log);
  const printed = await pulumiVersion(temp);
  if (printed !== `v${version}`) {
    fs.rmSync(temp, { force: true });
    throw new Error(`The freshly built pulumi prints "${printed ?? ""}" instead of v${version}.`);
  }
  // A rename within one directory is atomic: an interrupted build never leaves a broken binary.
  fs.renameSync(temp, pulumiPath);
  log(`built ${pulumiPath} in ${formatDuration(Date.now() - started)}`);
  return { pulumiPath, root: path.dirname(binDir), version: printed };
}

/** The release's sdk must be the one compiled in, or the ldflag version would be a lie. */
async function checkPinnedSdk(go: string, wrapper: string, version: string): Promise<void> {
  const result = await run(go, ["list", "-m", "-f", "{{.Version}}", SDK_MODULE], {
    cwd: wrapper,
    env: goEnv(),
    capture: true,
  });
  const resolved = result.stdout.trim();
  if (resolved !== `v${version}`) {
    throw new Error(
      `${SDK_MODULE} resolved to "${resolved}" instead of v${version} in ${wrapper}.`,
    );
  }
}

/**
 * The language host has no tags of its own, so the proxy can only serve it as a pseudo-version
 * at the commit of the `pkg/v<version>` tag. A refusal is recorded once, so later runs skip Go.
 */
async function buildLanguageHost(
  go: string,
  cliVersion: string,
  versionDir: string,
  binDir: string,
  log: (line: string) => void,
): Promise<boolean> {
  const version = cliVersion.replace(/^v/, "");
  const wrapper = path.join(versionDir, "wrapper-language-nodejs");
  const marker = path.join(versionDir, LANGUAGE_HOST_MARKER);
  fs.mkdirSync(wrapper, { recursive: true });
  const unavailable = (reason: string): boolean => {
    fs.writeFileSync(
      marker,
      `${new Date().toISOString()}\n${reason}\n` +
        `Only inline Automation API programs can run. Delete this file to try again.\n`,
    );
    log(`${LANGUAGE_HOST} unavailable: ${reason}`);
    return false;
  };

  log(`trying to build ${LANGUAGE_HOST} v${version}`);
  const pkg = await downloadModule(go, `${PKG_MODULE}@v${version}`, wrapper);
  if ("error" in pkg) return unavailable(`go mod download ${PKG_MODULE}@v${version}: ${pkg.error}`);
  const origin = await proxyOrigin(go, PKG_MODULE, `v${version}`);
  if ("error" in origin) {
    // Without the commit no pseudo-version can be named; ask for the module's versions at all so
    // the record says whether the proxy serves this module in any form.
    const listed = await run(go, ["list", "-m", "-versions", LANGUAGE_HOST_MODULE], {
      cwd: wrapper,
      env: goEnv(),
      capture: true,
    });
    return unavailable(
      `no commit for ${PKG_MODULE}@v${version} (${origin.error}); ` +
        `\`go list -m -versions ${LANGUAGE_HOST_MODULE}\`: ` +
        `${(listed.stderr || listed.stdout).trim().replace(/\s+/g, " ")}`,
    );
  }
  const stamp = origin.time.replace(/[-:TZ]/g, "").slice(0, 14);
  const hostModule = `${LANGUAGE_HOST_MODULE}@v3.0.0-${stamp}-${origin.hash.slice(0, 12)}`;
  const host = await downloadModule(go, hostModule, wrapper);
  if ("error" in host) return unavailable(`go mod download -json ${hostModule}: ${host.error}`);

  const pkgGoMod = fs.readFileSync(pkg.goMod, "utf8");
  const replaces = [
    ...new Set([
      ...nonLocalReplaces(pkgGoMod),
      ...nonLocalReplaces(fs.readFileSync(host.goMod, "utf8")),
    ]),
  ];
  fs.writeFileSync(
    path.join(wrapper, "go.mod"),
    wrapperGoMod(
      goDirective(pkgGoMod),
      [hostModule.replace("@", " "), `${PKG_MODULE} v${version}`, `${SDK_MODULE} v${version}`],
      replaces,
      LANGUAGE_HOST_MODULE,
    ),
  );
  try {
    await goStep(go, ["mod", "tidy"], wrapper, `go mod tidy for ${LANGUAGE_HOST}`, log);
    await checkPinnedSdk(go, wrapper, version);
    removeStaleTemps(binDir, LANGUAGE_HOST);
    const temp = path.join(binDir, `.${LANGUAGE_HOST}.${process.pid}.tmp`);
    await goBuild(go, wrapper, LANGUAGE_HOST_MODULE, version, temp, log);
    fs.renameSync(temp, path.join(binDir, LANGUAGE_HOST));
  } catch (error) {
    return unavailable(`building ${hostModule} failed: ${errorMessage(error)}`);
  }
  log(`built ${path.join(binDir, LANGUAGE_HOST)}`);
  return true;
}

async function goBuild(
  go: string,
  wrapper: string,
  goPackage: string,
  version: string,
  output: string,
  log: (line: string) => void,
): Promise<void> {
  const args = [
    "build",
    "-trimpath",
    "-tags",
    "osusergo,grpcnotrace",
    // Without the version variable `pulumi version` prints nothing and Automation API refuses it.
    "-ldflags",
    `-w -s -X ${VERSION_VARIABLE}=v${version}`,
    "-o",
    output,
    goPackage,
  ];
  await goStep(go, args, wrapper, `go build ${goPackage} (compiling; the slow part)`, log);
}

async function goStep(
  go: string,
  args: string[],
  cwd: string,
  what: string,
  log: (line: string) => void,
): Promise<void> {
  const started = Date.now();
  log(`${what}...`);
  // Go prints nothing while compiling: a heartbeat shows the build is alive.
  const heartbeat = setInterval(
    () => log(`  still running: ${what}, ${formatDuration(Date.now() - started)} so far`),
    30_000,
  );
  try {
    const result = await run(go, args, { cwd, env: goEnv() });
    if (result.code !== 0) {
      throw new Error(`\`go ${args.join(" ")}\` failed (exit ${result.code}) in ${cwd}`);
    }
  } finally {
    clearInterval(heartbeat);
  }
  log(`  done in ${formatDuration(Date.now() - started)}`);
}

function goEnv(): NodeJS.ProcessEnv {
  // No cgo anywhere in the CLI; a go.work above the cache dir must not pull in other modules.
  return { ...process.env, CGO_ENABLED: "0", GOWORK: "off" };
}

function removeStaleTemps(binDir: string, name: string): void {
  for (const entry of fs.readdirSync(binDir)) {
    if (entry.startsWith(`.${name}.`) && entry.endsWith(".tmp")) {
      fs.rmSync(path.join(binDir, entry), { force: true });
    }
  }
}

/** One build per version at a time; a lock left by a dead process is taken over. */
async function lock(file: string, log: (line: string) => void): Promise<() => void> {
  let announced = false;
  for (;;) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number.parseInt(fs.readFileSync(file, "utf8"), 10);
    if (!isAlive(holder)) {
      fs.rmSync(file, { force: true });
      continue;
    }
    if (!announced) log(`waiting for the build running in process ${holder}`);
    announced = true;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Capture stdout and stderr instead of forwarding both to stderr (stdout holds the result). */
  capture?: boolean;
  timeoutMs?: number;
}

function run(
  command: string,
  args: string[],
  options: RunOptions,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: options.capture
        ? ["ignore", "pipe", "pipe"]
        : ["ignore", process.stderr, process.stderr],
      timeout: options.timeoutMs,
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (error) => resolve({ code: -1, stdout, stderr: error.message }));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

if (require.main === module) {
  provideEngine().then(
    (engine) => {
      process.stderr.write(
        `engine: pulumi ${engine.version} (${engine.source}), language host: ` +
          `${engine.languageHost ? "yes" : "no"}\n`,
      );
      process.stdout.write(`${engine.pulumiPath}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`engine: ${errorMessage(error)}\n`);
      process.exitCode = 1;
    },
  );
}

/**
 * The `pulumi` CLI's exit code behind an Automation API CommandError (7: changes found where none
 * were expected). `commandResult` is private in the typings, and SDK 3.248.0 stores -2 as its
 * `code` (execa rejects before the code is read), keeping the real exit code on the execa error
 * in `commandResult.err`.
 */
export function commandExitCode(error: unknown): number | undefined {
  if (!(error instanceof CommandError)) return undefined;
  const result: unknown = Reflect.get(error, "commandResult");
  if (typeof result !== "object" || result === null) return undefined;
  const code = "code" in result ? result.code : undefined;
  if (typeof code === "number" && code >= 0) return code;
  const cause = "err" in result ? result.err : undefined;
  return typeof cause === "object" && cause !== null && "exitCode" in cause
    ? Number(cause.exitCode)
    : undefined;
}
