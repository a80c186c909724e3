// The one reader of a declaration: what `--stack NAME` means in every command (the stack's
// settings, from its config, and the resources it declares, as recorded), and the files that stand
// in for a stack (a `pulumi stack export` file). A file is checked before use, so that a truncated
// download or the wrong file is an error that says what is wrong, never an empty declaration that
// would read as "in sync" or as the tenant's own settings.
import * as fs from "node:fs";
import * as path from "node:path";
import {
  BREAK_GLASS_CONFIG_KEY,
  BREAK_GLASS_ENVIRONMENT,
  InputValidationError,
  isRecord,
  isUnknown,
  parseArgs,
  parseBreakGlassGroups,
  type InputsByKind,
  type ResourceKind,
} from "../model";
import { parsePreview } from "../preview/parse";
import { previewStack, readStack, resourcesOfState, type StackResource } from "../stack";
import type { ConfigLookup } from "../config";
import { ReportError } from "../errors";

const TYPE_PREFIX = "pulumi-nodejs:dynamic/entra-nudge:";

/** Where the declaration came from, as reports show it. */
export type DeclarationSource = { stack: string; cwd: string } | { file: string };

/** A resource of the declaration with its canonical recorded inputs, checked. */
export interface DeclaredResource extends StackResource {
  declared: InputsByKind[ResourceKind];
}

/** What a stack (or a file standing in for one) declares, and the settings to read the tenant with. */
export interface Declaration {
  source: DeclarationSource;
  /**
   * The source in words, as reports name it: "stack dev" (as last deployed), "stack dev, as
   * `pulumi preview` plans it", "file proposal.json".
   */
  name: string;
  /** For a stack: its program as a preview plans it, or its state as last deployed. */
  basis?: DeclarationBasis;
  /** This package's resources, each checked with its resource's own validator. */
  resources: DeclaredResource[];
  /** The stack's config (settings and credentials); empty for a file. */
  config: ConfigLookup;
  /**
   * Break-glass groups: the stack's `entra-nudge:breakGlassGroups`, else
   * ENTRA_NUDGE_BREAK_GLASS_GROUPS, else (for a declaration file) its own list.
   */
  breakGlassGroups: string[];
}

/** Where a stack is found: its name, the project directory and the environment of the CLI. */
export interface StackOption {
  stack: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

function describeJsonType(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

const EXPORT_HINT = "Write it with `pulumi stack export --stack NAME --file FILE`.";

/** Parses and checks the shape of a `pulumi stack export` file; throws ReportError("input"). */
export function parseStateFile(text: string, file: string): StackResource[] {
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const truncated = text.trim() !== "" && /end of (JSON )?input|Unterminated/i.test(message);
    throw new ReportError(
      "input",
      text.trim() === ""
        ? `${file} is empty. ${EXPORT_HINT}`
        : truncated
          ? `${file} ends in the middle of its JSON (${message}): the file is truncated. Export it again. ${EXPORT_HINT}`
          : `${file} is not JSON (${message}). ${EXPORT_HINT}`,
    );
  }
  const problem = (where: string, expected: string, value: unknown) =>
    new ReportError(
      "input",
      `${file}: \`${where}\` must be ${expected}, but it is ${describeJsonType(value)}. This is not a \`pulumi stack export\` file. ${EXPORT_HINT}`,
    );
  if (typeof state !== "object" || state === null || Array.isArray(state)) {
    throw problem("(the document)", "an object with a `deployment`", state);
  }
  const deployment = (state as { deployment?: unknown }).deployment;
  if (typeof deployment !== "object" || deployment === null || Array.isArray(deployment)) {
    throw problem("deployment", "an object", deployment);
  }
  const resources = (deployment as { resources?: unknown }).resources;
  // A stack with no resource at all exports no `resources`.
  if (resources !== undefined && !Array.isArray(resources)) {
    throw problem("deployment.resources", "a list", resources);
  }
  (resources ?? []).forEach((resource: unknown, index: number) => {
    const where = `deployment.resources[${index}]`;
    if (typeof resource !== "object" || resource === null || Array.isArray(resource)) {
      throw problem(where, "an object", resource);
    }
    const r = resource as Record<string, unknown>;
    if (typeof r.type !== "string") throw problem(`${where}.type`, "a string", r.type);
    if (!r.type.startsWith(TYPE_PREFIX)) return;
    if (typeof r.urn !== "string") throw problem(`${where}.urn`, "a string", r.urn);
    if (typeof r.id !== "string") throw problem(`${where}.id`, "a string", r.id);
    for (const key of ["inputs", "outputs"]) {
      const value = r[key];
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw problem(`${where}.${key}`, "an object", value);
      }
    }
  });
  return resourcesOfState(state);
}

/**
 * Refuses a declaration without any of this package's resources: there is nothing to compare, and
 * answering with the tenant's own settings would present them as the stack's.
 */
export function requireResources(declaration: Declaration): Declaration {
  if (declaration.resources.length > 0) return declaration;
  const kinds = "RegistrationCampaign, AuthenticatorPolicy, PasskeyPolicy or PilotGroup";
  if (declaration.basis === "preview" && "stack" in declaration.source) {
    throw new ReportError(
      "input",
      `The program of the stack "${declaration.source.stack}" declares no pulumi-entra-nudge resource (${kinds}) in \`pulumi preview\`, so there is no declaration to answer for (the tenant's own settings are not the stack's). Check the stack name and project directory (--cwd).`,
    );
  }
  const where =
    "stack" in declaration.source
      ? `The stack "${declaration.source.stack}"`
      : declaration.source.file;
  throw new ReportError(
    "input",
    `${where} holds no pulumi-entra-nudge resource (${kinds}), so there is nothing to compare. Check the stack name and project directory, or run \`pulumi up\` first.`,
  );
}

/** Checks each resource's recorded inputs with the resource's own validator. */
export function checked(resources: StackResource[], where: string): DeclaredResource[] {
  return resources.map((resource) => {
    try {
      return { ...resource, declared: parseArgs(resource.kind, resource.inputs) };
    } catch (err) {
      const detail = err instanceof InputValidationError ? err.message : String(err);
      throw new ReportError(
        "input",
        `${where}: the recorded inputs of ${resource.kind} "${resource.name}" cannot be used: ${detail}`,
      );
    }
  });
}

/** The largest declaration file read: the limit `pulumi stack export` is read up to (stack.ts). */
const MAX_STATE_FILE_BYTES = 256 * 1024 * 1024;

/** Break-glass groups from a config value or the environment; a bad list is an input error. */
export function breakGlassFrom(text: string | undefined, where: string): string[] {
  const { groups, problems } = parseBreakGlassGroups(text);
  if (problems.length > 0) throw new ReportError("input", `${where}: ${problems.join(" ")}`);
  return groups;
}

/** The break-glass groups of a stack: its config, else the environment. */
function stackBreakGlass(config: ConfigLookup, stack: string, env: NodeJS.ProcessEnv): string[] {
  const configured = config(`entra-nudge:${BREAK_GLASS_CONFIG_KEY}`);
  return breakGlassFrom(
    configured ?? env[BREAK_GLASS_ENVIRONMENT],
    configured !== undefined
      ? `stack ${stack} config entra-nudge:${BREAK_GLASS_CONFIG_KEY}`
      : BREAK_GLASS_ENVIRONMENT,
  );
}

/**
 * A declaration file's text, or a sentence for a wrong path: `label` names the file as the user
 * gave it (`state.json`, `--declaration proposal.json`), `hint` says how to write a good one.
 */
export function readDeclarationFile(
  file: string,
  cwd: string,
  label = file,
  hint = EXPORT_HINT,
): { absolute: string; text: string } {
  const absolute = path.resolve(cwd, file);
  try {
    // Checked before reading: a directory or a huge file (a wrong path, a log) gets a sentence,
    // not an EISDIR or an out-of-memory crash.
    const stat = fs.statSync(absolute);
    if (stat.isDirectory()) {
      throw new ReportError("input", `${label} is a directory, not a file. ${hint}`);
    }
    if (stat.size > MAX_STATE_FILE_BYTES) {
      throw new ReportError(
        "input",
        `${label} is ${Math.round(stat.size / 1024 / 1024)} MB, more than the ${MAX_STATE_FILE_BYTES / 1024 / 1024} MB a stack export is read up to: check that it is the right file. ${hint}`,
      );
    }
    return { absolute, text: fs.readFileSync(absolute, "utf8") };
  } catch (err) {
    if (err instanceof ReportError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ReportError(
      "input",
      code === "ENOENT"
        ? `${label} does not exist. ${hint}`
        : code === "EACCES" || code === "EPERM"
          ? `${label} cannot be read by this user (permission denied).`
          : `${label} cannot be read: ${(err as Error).message}`,
    );
  }
}

/**
 * Reads a `pulumi stack export` file. Settings then come from the environment only; the
 * break-glass groups from ENTRA_NUDGE_BREAK_GLASS_GROUPS.
 */
export function declarationFromFile(
  file: string,
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Declaration {
  const { absolute, text } = readDeclarationFile(file, cwd);
  return withoutStack({ file: absolute }, `file ${file}`, parseStateFile(text, file), env);
}

/**
 * The declaration an exported state records: `pulumi stack export` JSON, or what the Automation
 * API's `stack.exportStack()` returns (the demo reads its stack this way).
 */
export function declarationFromState(
  state: unknown,
  source: DeclarationSource,
  env: NodeJS.ProcessEnv = {},
): Declaration {
  const name = "stack" in source ? `stack ${source.stack}` : `file ${source.file}`;
  return withoutStack(source, name, resourcesOfState(state), env);
}

/** A declaration read without the pulumi CLI: no stack config, so settings come from the environment. */
export function withoutStack(
  source: DeclarationSource,
  name: string,
  resources: StackResource[],
  env: NodeJS.ProcessEnv,
): Declaration {
  const where = "stack" in source ? `The stack "${source.stack}"` : source.file;
  return {
    source,
    name,
    resources: checked(resources, where),
    config: () => undefined,
    breakGlassGroups: breakGlassFrom(env[BREAK_GLASS_ENVIRONMENT], BREAK_GLASS_ENVIRONMENT),
  };
}

/**
 * Which declaration of a stack: `preview`, the program as `pulumi preview` plans it now (what `up`
 * would deploy); `state`, the inputs recorded when the stack was last deployed.
 */
export type DeclarationBasis = "preview" | "state";

/** How a report names the stack's declaration: "stack dev", "stack dev, as `pulumi preview` plans it". */
export function stackDeclarationName(stack: string, basis: DeclarationBasis): string {
  return basis === "preview" ? `stack ${stack}, as \`pulumi preview\` plans it` : `stack ${stack}`;
}

/**
 * What `--stack NAME` means in every command: the stack read through the pulumi CLI, found the
 * way the CLI finds it; its config gives the settings, its resources the declaration: recorded
 * (`basis: "state"`, the default) or planned by a preview of its program (`"preview"`).
 */
export async function declarationFromStack(
  { stack, cwd, env }: StackOption,
  basis: DeclarationBasis = "state",
): Promise<Declaration> {
  if (!fs.existsSync(cwd)) {
    throw new ReportError("input", `The project directory ${cwd} does not exist (--cwd).`);
  }
  let snapshot;
  let previewText: string | undefined;
  try {
    [snapshot, previewText] = await Promise.all([
      readStack({ stack, cwd, env }),
      basis === "preview" ? previewStack({ stack, cwd, env }) : undefined,
    ]);
  } catch (err) {
    throw new ReportError(
      "stack",
      `Could not read the stack "${stack}": ${(err as Error).message}`,
    );
  }
  const where = `The stack "${stack}"`;
  return {
    source: { stack, cwd },
    name: stackDeclarationName(stack, basis),
    basis,
    resources:
      previewText === undefined
        ? checked(snapshot.resources, where)
        : plannedResources(previewText, stack),
    config: snapshot.config,
    breakGlassGroups: stackBreakGlass(snapshot.config, stack, env),
  };
}

/**
 * The resources a preview plans to leave in the stack (created, updated, replaced or unchanged;
 * not those it deletes), each with the inputs the provider's check() gave it; the outputs (for
 * the ids Graph gave passkey profiles) are the recorded ones.
 */
function plannedResources(text: string, stack: string): DeclaredResource[] {
  const preview = parsePreview(text, `the preview of stack ${stack}`);
  if (preview.errors.length > 0) {
    throw new ReportError(
      "stack",
      `\`pulumi preview\` of the stack "${stack}" failed, so what its program declares is not known: ${preview.errors.join(" ")} Fix the program, or give --from state to use the stack as last deployed.`,
    );
  }
  const planned: StackResource[] = preview.resources
    .filter((resource) => resource.op !== "delete" && resource.new !== undefined)
    .map((resource) => {
      const inputs = { ...resource.new!.inputs };
      delete inputs.__provider;
      const outputs = { ...(resource.old?.outputs ?? {}) };
      delete outputs.__provider;
      return {
        kind: resource.kind,
        urn: resource.urn,
        name: resource.name,
        id: resource.old?.id ?? "",
        inputs,
        outputs,
      };
    });
  return checked(planned, `The program of stack "${stack}"`);
}

/**
 * Where a declaration holds a value known only after `pulumi up` (the id of a group the program
 * creates): `campaign includeTargets[0].id`.
 */
export function unknownValues(declaration: Declaration): string[] {
  const found: string[] = [];
  const walk = (value: unknown, where: string) => {
    if (isUnknown(value)) found.push(where);
    else if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${where}[${i}]`));
    else if (isRecord(value))
      for (const [key, item] of Object.entries(value)) walk(item, where ? `${where}.${key}` : key);
  };
  for (const resource of declaration.resources) {
    const before = found.length;
    walk(resource.inputs, "");
    for (let i = before; i < found.length; i++) found[i] = `${resource.name} ${found[i]}`;
  }
  return found;
}
