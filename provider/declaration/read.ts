// The declaration drift compares: this package's resources as a stack recorded them, from the
// stack itself (through the pulumi CLI) or from a file written by `pulumi stack export`. A file is
// checked before use, so that a truncated download or the wrong file is an error that says what
// is wrong, never an empty declaration that would read as "in sync".
import * as fs from "node:fs";
import * as path from "node:path";
import { InputValidationError, parseArgs, type InputsByKind, type ResourceKind } from "../model";
import { readStack, resourcesOfState, type StackResource } from "../stack";
import type { ConfigLookup } from "../config";
import { ReportError } from "../errors";

const TYPE_PREFIX = "pulumi-nodejs:dynamic/entra-nudge:";

/** Where the declaration came from, as reports show it. */
export type DeclarationSource = { stack: string; cwd: string } | { file: string };

/** A resource of the declaration with its canonical recorded inputs, checked. */
export interface DeclaredResource extends StackResource {
  declared: InputsByKind[ResourceKind];
}

export interface Declaration {
  source: DeclarationSource;
  resources: DeclaredResource[];
  /** The stack's config (settings); empty for a file. */
  config: ConfigLookup;
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

/** Checks each resource's recorded inputs with the resource's own validator. */
function checked(resources: StackResource[], where: string): DeclaredResource[] {
  if (resources.length === 0) {
    throw new ReportError(
      "input",
      `${where} holds no pulumi-entra-nudge resource (RegistrationCampaign, AuthenticatorPolicy or PilotGroup), so there is nothing to compare. Check the stack name and project directory, or run \`pulumi up\` first.`,
    );
  }
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

/** The largest state file read: the limit `pulumi stack export` is read up to (stack.ts). */
const MAX_STATE_FILE_BYTES = 256 * 1024 * 1024;

/** Reads a `pulumi stack export` file. Settings then come from the environment only. */
export function declarationFromFile(file: string, cwd: string): Declaration {
  const absolute = path.resolve(cwd, file);
  let text: string;
  try {
    // Checked before reading: a directory or a huge file (a wrong path, a log) gets a sentence,
    // not an EISDIR or an out-of-memory crash.
    const stat = fs.statSync(absolute);
    if (stat.isDirectory()) {
      throw new ReportError("input", `${file} is a directory, not a file. ${EXPORT_HINT}`);
    }
    if (stat.size > MAX_STATE_FILE_BYTES) {
      throw new ReportError(
        "input",
        `${file} is ${Math.round(stat.size / 1024 / 1024)} MB, more than the ${MAX_STATE_FILE_BYTES / 1024 / 1024} MB a stack export is read up to: check that it is the right file. ${EXPORT_HINT}`,
      );
    }
    text = fs.readFileSync(absolute, "utf8");
  } catch (err) {
    if (err instanceof ReportError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ReportError(
      "input",
      code === "ENOENT"
        ? `${file} does not exist. ${EXPORT_HINT}`
        : code === "EACCES" || code === "EPERM"
          ? `${file} cannot be read by this user (permission denied).`
          : `${file} cannot be read: ${(err as Error).message}`,
    );
  }
  return {
    source: { file: absolute },
    resources: checked(parseStateFile(text, file), file),
    config: () => undefined,
  };
}

/** Reads a stack through the pulumi CLI, found the way the CLI finds it. */
export async function declarationFromStack(
  stack: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<Declaration> {
  if (!fs.existsSync(cwd)) {
    throw new ReportError("input", `The project directory ${cwd} does not exist (--cwd).`);
  }
  let snapshot;
  try {
    snapshot = await readStack({ stack, cwd, env });
  } catch (err) {
    throw new ReportError(
      "stack",
      `Could not read the stack "${stack}": ${(err as Error).message}`,
    );
  }
  return {
    source: { stack, cwd },
    resources: checked(snapshot.resources, `The stack "${stack}"`),
    config: snapshot.config,
  };
}
