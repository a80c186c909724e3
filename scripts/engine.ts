// Provides the Pulumi deployment engine (the `pulumi` CLI) on machines that reach only package
// registries: a `pulumi` on PATH if it works, otherwise a build from the Go module proxy, cached
// per version outside the git tree. `npm run engine` prints the binary's path as its last stdout
// line. Background and the facts this relies on: /work/shared/pulumi-engine.md.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The CLI release matching the project's `@pulumi/pulumi` npm SDK. */
export const PULUMI_VERSION = "3.248.0";

const PKG_MODULE = "github.com/pulumi/pulumi/pkg/v3";
const SDK_MODULE = "github.com/pulumi/pulumi/sdk/v3";
const CLI_PACKAGE = `${PKG_MODULE}/cmd/pulumi`;
/**
 * The SDK release the test language host is built from: the last one whose module contains it.
 * Users' CLI installs bring a host matching their engine; this older one is for this repository's
 * tests and demos only (see {@link buildLanguageHost}).
 */
export const LANGUAGE_HOST_SDK_VERSION = "3.68.0";
const LANGUAGE_HOST_PACKAGE = `${SDK_MODULE}/nodejs/cmd/pulumi-language-nodejs`;
const VERSION_VARIABLE = `${SDK_MODULE}/go/common/version.Version`;
const LAUNCHER = "pulumi-resource-pulumi-nodejs";
const LANGUAGE_HOST = "pulumi-language-nodejs";
/** Written by earlier versions of this script when the host could not be built; now obsolete. */
const OBSOLETE_HOST_MARKER = "language-host-unavailable.txt";

export interface Engine {
  /** Absolute path of the `pulumi` binary; always `<root>/bin/pulumi`. */
  pulumiPath: string;
  /** The installation root for `PulumiCommand.get({ root })`. */
  root: string;
  /** What `pulumi version` printed, e.g. `v3.248.0`. */
  version: string;
  /**
   * The `pulumi-language-nodejs` the engine uses for `runtime: nodejs` projects: beside the engine
   * binary, or (for a `pulumi` on PATH that lacks one) in the first directory of {@link pathDirs}.
   */
  languageHostPath: string;
  /** Directories to put first on PATH for plain `pulumi` CLI runs (the engine's own bin first). */
  pathDirs: string[];
  /** One line saying which language host runs and, if it is the older test build, why. */
  languageHostNote: string;
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

/** Installs the launcher and the language host, the common tail of cache and build. */
async function finish(
  cli: Located,
  source: "cache" | "build",
  versionDir: string,
  log: (line: string) => void,
  go?: string,
): Promise<Engine> {
  const binDir = path.dirname(cli.pulumiPath);
  installLauncher(binDir);
  fs.rmSync(path.join(versionDir, OBSOLETE_HOST_MARKER), { force: true });
  const languageHostPath = await provideLanguageHost(binDir, log, go);
  return {
    ...cli,
    languageHostPath,
    pathDirs: [binDir],
    languageHostNote: olderHostNote(cli.version),
    source,
  };
}

function olderHostNote(engineVersion: string): string {
  return (
    `${LANGUAGE_HOST}: built from sdk v${LANGUAGE_HOST_SDK_VERSION}, older than the engine ` +
    `(${engineVersion}), because later releases moved it into a Go module the proxy here does ` +
    `not serve; it only starts @pulumi/pulumi's own program runner, and users' CLI installs ` +
    `bring a host matching their engine`
  );
}

/** The host beside the engine if it answers, else the cached build (built on first use). */
async function provideLanguageHost(
  binDir: string,
  log: (line: string) => void,
  go?: string,
): Promise<string> {
  const beside = path.join(binDir, LANGUAGE_HOST);
  if (await languageHostWorks(beside)) return beside;
  const goForHost = go ?? findGo();
  if (!goForHost) {
    throw new Error(
      `No ${LANGUAGE_HOST} beside ${binDir}/pulumi and no Go toolchain (\`go\` on PATH) to build ` +
        `it from ${SDK_MODULE}@v${LANGUAGE_HOST_SDK_VERSION}. Install the Pulumi CLI ` +
        `(https://www.pulumi.com/docs/install/), which brings its own, or Go 1.24 or later.`,
    );
  }
  return installBeside(binDir, await buildLanguageHost(goForHost, log));
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
  // An official install has its own, matching language host beside the binary: used as is.
  const ownHost = path.join(realBin, LANGUAGE_HOST);
  const hasOwnHost = isExecutable(ownHost);
  const dir = path.dirname(found);
  if (path.basename(dir) === "bin" && isExecutable(path.join(realBin, LAUNCHER)) && hasOwnHost) {
    log(`using ${found} (${version}) from PATH`);
    return {
      pulumiPath: found,
      root: path.dirname(dir),
      version,
      languageHostPath: ownHost,
      pathDirs: [dir],
      languageHostNote: `${LANGUAGE_HOST}: the one installed with pulumi ${version}`,
      source: "path",
    };
  }
  // PulumiCommand needs `<root>/bin/pulumi`, and dynamic providers need the launcher beside it:
  // a root of our own links to the user's binary without writing into their installation.
  const binDir = path.join(cacheRoot(), "pulumi", "from-path", "bin");
  fs.mkdirSync(binDir, { recursive: true });
  const link = path.join(binDir, "pulumi");
  fs.rmSync(link, { force: true });
  fs.symlinkSync(fs.realpathSync(found), link);
  installLauncher(binDir);
  // The engine looks beside its resolved binary, then on PATH: without its own host, ours goes in
  // this directory, which pathDirs puts first on PATH.
  if (hasOwnHost) fs.rmSync(path.join(binDir, LANGUAGE_HOST), { force: true });
  const languageHostPath = hasOwnHost ? ownHost : await provideLanguageHost(binDir, log);
  log(`using ${found} (${version}) from PATH through ${link}`);
  return {
    pulumiPath: link,
    root: path.dirname(binDir),
    version,
    languageHostPath,
    pathDirs: [binDir, realBin],
    languageHostNote: hasOwnHost
      ? `${LANGUAGE_HOST}: the one installed with pulumi ${version}`
      : olderHostNote(version),
    source: "path",
  };
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

/**
 * A root whose `bin/pulumi` is the same engine with no language host beside it, for Node.js
 * policy packs started through the analyzer shim (scripts/pulumi-analyzer-policy-nodejs). The
 * engine (v3.248.0 `NewPolicyAnalyzer`, sdk/go/common/resource/plugin/analyzer_plugin.go) uses
 * the shim only when it finds no `nodejs` language host; when it finds one it asks that host's
 * `RunPlugin` to start the pack, and the test host from sdk v3.68.0 answers "not supported"
 * (nodejs/cmd/pulumi-language-nodejs/main.go, `RunPlugin`). The binary is hard-linked (copied
 * across file systems): the engine looks beside the path it was started from, so a symbolic link
 * would lead it back to the host. Only Automation API inline programs, which need no host, can
 * run on this root.
 */
export function engineWithoutLanguageHost(engine: Engine): string {
  const root = path.join(cacheRoot(), "pulumi", `${engine.version}-without-language-host`);
  const binDir = path.join(root, "bin");
  const target = path.join(binDir, "pulumi");
  const source = fs.realpathSync(engine.pulumiPath);
  fs.mkdirSync(binDir, { recursive: true });
  const current = fs.statSync(source);
  const existing = isExecutable(target) ? fs.statSync(target) : undefined;
  const same =
    existing !== undefined &&
    ((existing.ino === current.ino && existing.dev === current.dev) ||
      (existing.size === current.size && existing.mtimeMs >= current.mtimeMs));
  if (!same) {
    removeStaleTemps(binDir, "pulumi");
    const temp = path.join(binDir, `.pulumi.${process.pid}.tmp`);
    try {
      fs.linkSync(source, temp);
    } catch {
      fs.copyFileSync(source, temp);
      fs.chmodSync(temp, 0o755);
    }
    fs.renameSync(temp, target);
  }
  fs.rmSync(path.join(binDir, LANGUAGE_HOST), { force: true });
  installLauncher(binDir);
  return root;
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
 * Builds the language host from `sdk/v3@v3.68.0`, the last release whose module still contains
 * `nodejs/cmd/pulumi-language-nodejs`: later releases moved it into its own module, which has no
 * tags and which the Go proxy here refuses (403 for every version). Issue 15 and
 * /work/shared/pulumi-engine.md ("The Node.js language host") record the trial. It is older than
 * the engine, which is fine for this project's use: the host only starts `@pulumi/pulumi/cmd/run`
 * from the project's own node_modules. Built once into its own cache, under its own lock.
 */
async function buildLanguageHost(go: string, log: (line: string) => void): Promise<string> {
  const hostDir = path.join(cacheRoot(), LANGUAGE_HOST, `v${LANGUAGE_HOST_SDK_VERSION}`);
  const hostPath = path.join(hostDir, "bin", LANGUAGE_HOST);
  if (await languageHostWorks(hostPath)) return hostPath;
  fs.mkdirSync(path.dirname(hostPath), { recursive: true });
  const unlock = await lock(path.join(hostDir, ".build.lock"), log);
  try {
    if (await languageHostWorks(hostPath)) return hostPath;
    const started = Date.now();
    const wrapper = path.join(hostDir, "wrapper");
    fs.mkdirSync(wrapper, { recursive: true });
    log(
      `building ${LANGUAGE_HOST} from ${SDK_MODULE}@v${LANGUAGE_HOST_SDK_VERSION} ` +
        `(about 1 minute on 2 cores)`,
    );
    const sdk = await downloadModule(go, `${SDK_MODULE}@v${LANGUAGE_HOST_SDK_VERSION}`, wrapper);
    if ("error" in sdk) {
      throw new Error(
        `The Go module proxy did not serve ${SDK_MODULE}@v${LANGUAGE_HOST_SDK_VERSION}, which ` +
          `${LANGUAGE_HOST} is built from: ${sdk.error}. Install the Pulumi CLI ` +
          `(https://www.pulumi.com/docs/install/), which brings its own ${LANGUAGE_HOST}.`,
      );
    }
    // The `tool` directive needs go 1.24; sdk v3.68.0's own go.mod says 1.18. Its replace of
    // golang.org/x/text is not copied: the main module's requirements decide, as in a release.
    fs.writeFileSync(
      path.join(wrapper, "go.mod"),
      wrapperGoMod(
        "go 1.24",
        [`${SDK_MODULE} v${LANGUAGE_HOST_SDK_VERSION}`],
        [],
        LANGUAGE_HOST_PACKAGE,
      ),
    );
    await goStep(go, ["mod", "tidy"], wrapper, `go mod tidy for ${LANGUAGE_HOST}`, log);
    await checkPinnedSdk(go, wrapper, LANGUAGE_HOST_SDK_VERSION);
    const binDir = path.dirname(hostPath);
    removeStaleTemps(binDir, LANGUAGE_HOST);
    const temp = path.join(binDir, `.${LANGUAGE_HOST}.${process.pid}.tmp`);
    await goBuild(go, wrapper, LANGUAGE_HOST_PACKAGE, LANGUAGE_HOST_SDK_VERSION, temp, log);
    if (!(await languageHostWorks(temp))) {
      fs.rmSync(temp, { force: true });
      throw new Error(`The freshly built ${LANGUAGE_HOST} does not answer \`-help\`.`);
    }
    fs.renameSync(temp, hostPath);
    log(`built ${hostPath} in ${formatDuration(Date.now() - started)}`);
    return hostPath;
  } finally {
    unlock();
  }
}

/** `-help` makes Go's flag package print the options and exit 0 without starting a server. */
async function languageHostWorks(hostPath: string): Promise<boolean> {
  if (!isExecutable(hostPath)) return false;
  const result = await run(hostPath, ["-help"], { capture: true, timeoutMs: 30_000 });
  return result.code === 0 && result.stderr.includes("-typescript");
}

/**
 * Places the language host beside the engine binary (where the engine looks first; on PATH only
 * it prints a warning), atomically, unless an identical copy is already there.
 */
function installBeside(binDir: string, hostPath: string): string {
  const target = path.join(binDir, LANGUAGE_HOST);
  if (path.resolve(target) === path.resolve(hostPath)) return target;
  const source = fs.statSync(hostPath);
  if (isExecutable(target)) {
    const existing = fs.statSync(target);
    if (existing.size === source.size && existing.mtimeMs >= source.mtimeMs) return target;
  }
  removeStaleTemps(binDir, LANGUAGE_HOST);
  const temp = path.join(binDir, `.${LANGUAGE_HOST}.${process.pid}.tmp`);
  fs.copyFileSync(hostPath, temp);
  fs.chmodSync(temp, 0o755);
  fs.renameSync(temp, target);
  return target;
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
export async function lock(file: string, log: (line: string) => void): Promise<() => void> {
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

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Capture stdout and stderr instead of forwarding both to stderr (stdout holds the result). */
  capture?: boolean;
  timeoutMs?: number;
  /** Written to the command's stdin (otherwise stdin is closed). */
  input?: string;
}

export function run(
  command: string,
  args: string[],
  options: RunOptions,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: [
        options.input === undefined ? "ignore" : "pipe",
        options.capture ? "pipe" : process.stderr,
        options.capture ? "pipe" : process.stderr,
      ],
      timeout: options.timeoutMs,
    });
    child.stdin?.end(options.input);
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
        `engine: pulumi ${engine.version} (${engine.source}) at ${engine.pulumiPath}\n` +
          `engine: ${engine.languageHostNote}\n`,
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
  // Loaded here, not at the top: the Automation API takes ~0.6 s to load, and the scripts that
  // import this module (npm start, the faults and the bench) mostly never need it.
  const { CommandError } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("@pulumi/pulumi/automation") as typeof import("@pulumi/pulumi/automation");
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
