// Checks on a consumer's `npm install` of the packed package: one copy of each runtime the
// package shares with the user's program, and no npm warning this package causes.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import type { CommandResult, ConsumerProject } from "../support/consumer";
import { projectRoot } from "../support/engine";
import { readYaml, type Yaml } from "../support/workflows";

/** Packages a user's program shares with this package: a second copy means two runtimes. */
export const SHARED_PACKAGES = [
  "@pulumi/pulumi",
  "@azure/identity",
  "@microsoft/microsoft-graph-client",
];

export async function expectCleanInstall(
  project: ConsumerProject,
  install: CommandResult,
): Promise<void> {
  expectOneCopyEach(project);
  expectOnlyForeignWarnings(project, install.stderr);
}

/** One copy of each shared package, the project's own (a nested second copy names its path). */
export function expectOneCopyEach(project: ConsumerProject): void {
  for (const name of SHARED_PACKAGES) {
    const copies = project.installedCopies(name);
    const found = copies.map((copy) => `${copy.path} (${copy.version})`).join(", ");
    expect(copies, `copies of ${name} in the consumer project: ${found}`).to.deep.equal([
      { path: path.join("node_modules", name), version: copies[0]?.version },
    ]);
  }
}

/**
 * npm's warnings, except the install-scripts notice for packages that `@pulumi/pulumi` itself
 * brings (protobufjs, through @grpc/grpc-js and OpenTelemetry: every Pulumi program has it), and
 * this package's own `prepare`, which npm lists only because a tarball is a non-registry source
 * (arborist lib/install-scripts.js: "prepare, but only for non-registry sources") and never runs
 * for one; an install from the registry does not list it.
 */
function expectOnlyForeignWarnings(project: ConsumerProject, stderr: string): void {
  const lines = stderr.split("\n").filter((line) => /^npm warn/i.test(line));
  const other = lines.filter((line) => !/^npm warn install-scripts/i.test(line));
  expect(other, "npm warnings").to.deep.equal([]);
  const listed = [...stderr.matchAll(/^npm warn install-scripts {3}(\S+?)@(\S+) \((.*)\)$/gm)];
  const fromPulumi = reachableFrom(project.dir, "node_modules/@pulumi/pulumi");
  for (const [, name, , scripts] of listed) {
    if (name === "pulumi-entra-nudge") {
      expect(scripts, "this package's install scripts").to.match(/^prepare: [^;]*$/);
    } else {
      expect(fromPulumi, `${name}'s install script comes with @pulumi/pulumi`).to.include(name);
    }
  }
}

interface LockedPackage {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** Names of the packages `start` depends on, transitively, resolved as Node.js resolves them. */
function reachableFrom(projectDir: string, start: string): string[] {
  const lock = JSON.parse(fs.readFileSync(path.join(projectDir, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockedPackage>;
  };
  const seen = new Set<string>();
  const resolve = (from: string, name: string): string | undefined => {
    for (let dir = from; ; dir = dir.slice(0, dir.lastIndexOf("/node_modules/"))) {
      const candidate = `${dir}/node_modules/${name}`;
      if (lock.packages[candidate]) return candidate;
      if (!dir.includes("/node_modules/")) break;
    }
    return lock.packages[`node_modules/${name}`] ? `node_modules/${name}` : undefined;
  };
  const visit = (key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    const entry = lock.packages[key];
    for (const name of Object.keys({ ...entry?.dependencies, ...entry?.optionalDependencies })) {
      const found = resolve(key, name);
      if (found) visit(found);
    }
  };
  visit(start);
  return [...seen].map((key) =>
    key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length),
  );
}

const CI_DIR = path.join(projectRoot, "examples", "ci");

export interface TemplateRun {
  file: string;
  step: string;
  /** Files the step left in the project directory (summary.md, drift.md), by name. */
  files: Record<string, string>;
}

/**
 * The CI templates' shell steps that call `pulumi` or `entra-nudge`, taken from the YAML files and
 * run in the consumer project with the environment the templates set (`${{ vars.* }}`,
 * `${{ inputs.* }}` and `${{ parameters.* }}` from `context`). What a hosted runner provides is
 * stood in for: the GitHub OIDC endpoint (`curl` answers `{"value": idToken}`), `$GITHUB_ENV`,
 * `$GITHUB_STEP_SUMMARY`, `$RUNNER_TEMP`, the Azure DevOps task's `$idToken`,
 * `$servicePrincipalId` and `$tenantId` (`serviceConnection`), `$(Agent.TempDirectory)` and the
 * backend variable. Not run: `uses:` actions and tasks (checkout, Node.js and Pulumi CLI setup,
 * Pulumi Cloud sign-in, the pull-request comment), `npm ci` (the project is installed) and the
 * Azure DevOps steps that only install the CLI or post the comment.
 */
export async function runTemplates(
  project: ConsumerProject,
  context: Record<string, string>,
  idToken: string,
  serviceConnection: Record<string, string>,
): Promise<TemplateRun[]> {
  const runs: TemplateRun[] = [];
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-runner-"));
  try {
    const evaluate = (text: string): string =>
      text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_match, expression: string) => {
        for (const operand of expression.split("||").map((part) => part.trim())) {
          if (!(operand in context)) throw new Error(`no value for \${{ ${operand} }} in the test`);
          if (context[operand] !== "") return context[operand];
        }
        return "";
      });
    const shell = async (
      file: string,
      step: string,
      script: string,
      env: Record<string, string>,
    ) => {
      const scriptFile = path.join(temp, "step.sh");
      fs.writeFileSync(scriptFile, script);
      // GitHub's and Azure DevOps' bash: no profile, errexit and pipefail for GitHub.
      await project.run(`bash --noprofile --norc -eo pipefail ${scriptFile}`, { env });
      const files: Record<string, string> = {};
      for (const name of ["summary.md", "drift.md"]) {
        const produced = path.join(project.dir, name);
        if (fs.existsSync(produced)) files[name] = fs.readFileSync(produced, "utf8");
        fs.rmSync(produced, { force: true });
      }
      runs.push({ file, step, files });
    };

    for (const file of ["github/entra-nudge-preview.yml", "github/entra-nudge-drift.yml"]) {
      const { document } = readYaml(CI_DIR, file);
      const githubEnv = path.join(temp, "github-env");
      fs.writeFileSync(githubEnv, "");
      const runner = {
        RUNNER_TEMP: temp,
        GITHUB_ENV: githubEnv,
        GITHUB_STEP_SUMMARY: path.join(temp, "step-summary.md"),
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: "runner-request-token",
        ACTIONS_ID_TOKEN_REQUEST_URL: "https://token.actions.invalid/request?api-version=2.0",
      };
      const jobs = document.jobs as Record<string, { env?: Yaml; steps: Yaml[] }>;
      for (const job of Object.values(jobs)) {
        const env = { ...evaluateEnv(document.env, evaluate), ...evaluateEnv(job.env, evaluate) };
        for (const step of job.steps) {
          const run = step.run as string | undefined;
          if (!run || run.trim() === "npm ci") continue;
          const condition = step.if as string | undefined;
          if (condition && evaluateCondition(condition, context) === false) continue;
          // Every curl in a run step is the OIDC token request (the template fetches one per step).
          expect(
            run
              .split("\n")
              .filter((l) => /\bcurl\b/.test(l))
              .join("\n"),
          ).to.satisfy(
            (lines: string) => lines === "" || lines.includes("ACTIONS_ID_TOKEN_REQUEST_TOKEN"),
          );
          const stub = `curl() { printf '{"value": "%s"}' '${idToken}'; }\n`;
          const exported = Object.fromEntries(
            fs
              .readFileSync(githubEnv, "utf8")
              .split("\n")
              .filter((line) => line.includes("="))
              .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
          );
          await shell(file, String(step.name ?? run.split("\n")[0]), stub + evaluate(run), {
            ...env,
            ...runner,
            ...exported,
          });
        }
      }
    }

    const file = "azure-devops/azure-pipelines.yml";
    const { document } = readYaml(CI_DIR, file);
    const variables = evaluateEnv(document.variables, (text) =>
      text.replace("$(entraNudgeBackendUrl)", project.env.PULUMI_BACKEND_URL ?? ""),
    );
    for (const job of document.jobs as { steps: Yaml[] }[]) {
      for (const step of job.steps) {
        const inputs = step.inputs as Yaml | undefined;
        const script = inputs?.inlineScript as string | undefined;
        if (!script) continue;
        const expanded = evaluate(script).replaceAll("$(Agent.TempDirectory)", temp);
        await shell(file, String(step.displayName), expanded, {
          ...variables,
          ...serviceConnection,
        });
      }
    }
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
  return runs;
}

function evaluateEnv(env: unknown, evaluate: (text: string) => string): Record<string, string> {
  const evaluated: Record<string, string> = {};
  for (const [key, value] of Object.entries((env as Yaml | undefined) ?? {})) {
    evaluated[key] = evaluate(String(value));
  }
  return evaluated;
}

/** `vars.NAME == 'value'` conditions (the only kind the templates' run steps have). */
function evaluateCondition(condition: string, context: Record<string, string>): boolean {
  const match = /^\s*([\w.]+)\s*==\s*'([^']*)'\s*$/.exec(condition);
  if (!match) throw new Error(`the test cannot evaluate the step condition "${condition}"`);
  return context[match[1]] === match[2];
}
