// Shared by the export suites: tenants built from the default tenant and a fixture overlay
// (tests/fixtures/export/*.json), the command run in-process, the Graph writes the emulator saw,
// and compiling an exported project with the TypeScript compiler API.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { main } from "../../provider/cli";
import type { RunningEmulator } from "../../emulator/index.js";
import { projectRoot } from "../support/engine";

export const FIXTURES_DIR = path.join(projectRoot, "tests", "fixtures", "export");
const DEFAULT_TENANT = path.join(projectRoot, "emulator", "tenants", "default.json");

type Json = Record<string, unknown>;

/** A fixture: the campaign and Authenticator configuration (Graph beta JSON) that replace the default's. */
export interface ExportFixture {
  description: string;
  campaign: Json | null;
  /** Merged over the default tenant's MicrosoftAuthenticator configuration. */
  authenticator: Json | null;
}

export function fixtureNames(): string[] {
  return fs
    .readdirSync(FIXTURES_DIR)
    .filter((name) => name.endsWith(".json"))
    .map((name) => name.slice(0, -".json".length))
    .sort();
}

export function readFixture(name: string): ExportFixture {
  return JSON.parse(
    fs.readFileSync(path.join(FIXTURES_DIR, `${name}.json`), "utf8"),
  ) as ExportFixture;
}

/** The default tenant with the fixture's campaign and Authenticator configuration. */
export function tenantWith(
  fixture: ExportFixture,
  extra: (tenant: Json) => void = () => undefined,
): Json {
  const tenant = JSON.parse(fs.readFileSync(DEFAULT_TENANT, "utf8")) as Json & {
    authenticationMethodsPolicy: {
      registrationEnforcement: { authenticationMethodsRegistrationCampaign: Json };
    };
    authenticationMethodConfigurations: Json[];
  };
  if (fixture.campaign) {
    tenant.authenticationMethodsPolicy.registrationEnforcement.authenticationMethodsRegistrationCampaign =
      fixture.campaign;
  }
  if (fixture.authenticator) {
    const configs = tenant.authenticationMethodConfigurations;
    const at = configs.findIndex((c) => c.id === "MicrosoftAuthenticator");
    configs[at] = { ...configs[at], ...fixture.authenticator };
  }
  extra(tenant);
  return tenant;
}

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `entra-nudge export ...` in-process, with the given environment. */
export async function runExport(args: string[], env: NodeJS.ProcessEnv): Promise<CommandRun> {
  const run: CommandRun = { code: -1, stdout: "", stderr: "" };
  run.code = await main(["export", ...args], {
    stdout: (text) => (run.stdout += text),
    stderr: (text) => (run.stderr += text),
    env,
    cwd: process.cwd(),
  });
  return run;
}

/** The emulator environment of an app (NODE_EXTRA_CA_CERTS is already the test process's). */
export function appEnv(emulator: RunningEmulator, app = "reader"): NodeJS.ProcessEnv {
  return { ...process.env, ...emulator.env(app) };
}

/** Graph writes in the emulator's request log (reads, sign-ins and $batch envelopes left out). */
export function graphWrites(emulator: RunningEmulator): string[] {
  return emulator
    .requests()
    .filter((r) => /^\/(v1\.0|beta)\//.test(r.path) && r.method !== "GET")
    .filter((r) => !r.path.endsWith("/$batch"))
    .map((r) => `${r.method} ${r.path}`);
}

/**
 * Type-checks and compiles an exported project with its own tsconfig.json (as `npm run build`
 * would), resolving its dependencies through a node_modules link to this repository's (as `npm
 * install` would provide them). Throws with the compiler's messages when it does not compile.
 */
export function compileProject(dir: string): void {
  const link = path.join(dir, "node_modules");
  if (!fs.existsSync(link)) fs.symlinkSync(path.join(projectRoot, "node_modules"), link, "dir");
  const configFile = ts.readConfigFile(path.join(dir, "tsconfig.json"), (file) =>
    ts.sys.readFile(file),
  );
  if (configFile.error)
    throw new Error(ts.flattenDiagnosticMessageText(configFile.error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, dir);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  const emitted = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
  if (diagnostics.length > 0) {
    throw new Error(
      ts.formatDiagnostics(diagnostics, {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => dir,
        getNewLine: () => "\n",
      }),
    );
  }
}
