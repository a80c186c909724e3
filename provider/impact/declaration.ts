// The "declared" side of `entra-nudge impact`: the campaign and Authenticator configuration a stack
// records (its resources' canonical inputs, through readStack) or a file names, validated with the
// resources' own rules. What the declaration leaves out (no AuthenticatorPolicy in the program) is
// the tenant's current setting, as it would be after `pulumi up`.
import * as fs from "node:fs";
import * as path from "node:path";
import type { ConfigLookup } from "../config";
import type { FullConfiguration } from "../eligibility/scan";
import {
  BREAK_GLASS_CONFIG_KEY,
  BREAK_GLASS_ENVIRONMENT,
  InputValidationError,
  isRecord,
  parseArgs,
  parseBreakGlassGroups,
  type AuthenticatorSettings,
  type CampaignSettings,
  type NudgeConfiguration,
} from "../model";
import { readStack, resourcesOfState, type StackResource } from "../stack";

export interface Declaration {
  /** "stack dev", "file proposal.json". */
  source: string;
  /** Undefined: not declared, the tenant's setting stays. */
  campaign?: CampaignSettings;
  authenticator?: AuthenticatorSettings;
  /** Break-glass groups from the file, the stack config or the environment. */
  breakGlassGroups: string[];
  /** The stack's config (settings and credentials); empty for a file. */
  config: ConfigLookup;
}

/** A declaration that cannot be used: says which file or stack, and what to fix. */
export class DeclarationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeclarationError";
  }
}

const noConfig: ConfigLookup = () => undefined;

function settingsOf<T extends object>(inputs: T): T {
  const settings: Record<string, unknown> = { ...(inputs as Record<string, unknown>) };
  delete settings.onDelete;
  delete settings.strictEligibility;
  return settings as unknown as T;
}

/** The singletons among a stack's (or a state file's) resources; more than one of a kind is an error. */
function fromResources(
  resources: StackResource[],
  source: string,
): Pick<Declaration, "campaign" | "authenticator"> {
  const one = (kind: "RegistrationCampaign" | "AuthenticatorPolicy") => {
    const found = resources.filter((resource) => resource.kind === kind);
    if (found.length > 1) {
      throw new DeclarationError(
        `${source} declares ${found.length} ${kind} resources (${found.map((r) => r.name).join(", ")}); the tenant has one, so a stack should declare at most one.`,
      );
    }
    return found[0];
  };
  const campaign = one("RegistrationCampaign");
  const authenticator = one("AuthenticatorPolicy");
  return {
    ...(campaign
      ? { campaign: settingsOf(parseArgs("RegistrationCampaign", campaign.inputs)) }
      : {}),
    ...(authenticator
      ? { authenticator: settingsOf(parseArgs("AuthenticatorPolicy", authenticator.inputs)) }
      : {}),
  };
}

function breakGlassFrom(text: string | undefined, where: string): string[] {
  const { groups, problems } = parseBreakGlassGroups(text);
  if (problems.length > 0) throw new DeclarationError(`${where}: ${problems.join(" ")}`);
  return groups;
}

/** The declaration a stack records, and its config (for the settings and the break-glass groups). */
export async function declarationFromStack(
  stack: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<Declaration> {
  const snapshot = await readStack({ stack, cwd, env });
  const source = `stack ${stack}`;
  const configured = snapshot.config(`entra-nudge:${BREAK_GLASS_CONFIG_KEY}`);
  return {
    source,
    ...fromResources(snapshot.resources, source),
    breakGlassGroups: breakGlassFrom(
      configured ?? env[BREAK_GLASS_ENVIRONMENT],
      configured !== undefined
        ? `stack ${stack} config entra-nudge:${BREAK_GLASS_CONFIG_KEY}`
        : BREAK_GLASS_ENVIRONMENT,
    ),
    config: snapshot.config,
  };
}

/**
 * A declaration file: `{ "campaign": {...}, "authenticator": {...}, "breakGlassGroups": [...] }`
 * with the resources' arguments (both optional), or a `pulumi stack export` file.
 */
export function declarationFromFile(
  file: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Declaration {
  const absolute = path.resolve(cwd, file);
  const source = `file ${file}`;
  const hint =
    'Give a JSON file such as { "campaign": { "state": "enabled" } }, or one written by `pulumi stack export --file FILE`.';
  let text: string;
  try {
    // A wrong path gets a sentence, as drift --file gives one, not an ENOENT or EISDIR.
    if (fs.statSync(absolute).isDirectory())
      throw new DeclarationError(`--declaration ${file} is a directory, not a file. ${hint}`);
    text = fs.readFileSync(absolute, "utf8");
  } catch (err) {
    if (err instanceof DeclarationError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new DeclarationError(
      code === "ENOENT"
        ? `--declaration ${file} does not exist. ${hint}`
        : code === "EACCES" || code === "EPERM"
          ? `--declaration ${file} cannot be read by this user (permission denied).`
          : `--declaration ${file} cannot be read: ${(err as Error).message}`,
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    throw new DeclarationError(
      `--declaration ${file} cannot be read as JSON: ${(err as Error).message}`,
    );
  }
  if (!isRecord(document)) {
    throw new DeclarationError(
      `--declaration ${file} must be a JSON object such as { "campaign": { "state": "enabled" }, "authenticator": { "state": "enabled" } }.`,
    );
  }
  const fromEnvironment = () =>
    breakGlassFrom(env[BREAK_GLASS_ENVIRONMENT], BREAK_GLASS_ENVIRONMENT);
  if ("deployment" in document) return declarationFromState(document, source, env);
  const unknown = Object.keys(document).filter(
    (key) => !["campaign", "authenticator", "breakGlassGroups"].includes(key),
  );
  if (unknown.length > 0) {
    throw new DeclarationError(
      `--declaration ${file}: unknown key(s) ${unknown.join(", ")}. Use "campaign" (RegistrationCampaign arguments), "authenticator" (AuthenticatorPolicy arguments) and "breakGlassGroups" (group ids).`,
    );
  }
  const parse = <K extends "RegistrationCampaign" | "AuthenticatorPolicy">(
    kind: K,
    raw: unknown,
  ) => {
    try {
      return settingsOf(parseArgs(kind, raw));
    } catch (err) {
      if (err instanceof InputValidationError)
        throw new DeclarationError(`--declaration ${file}: ${err.message}`);
      throw err;
    }
  };
  const breakGlass = document.breakGlassGroups;
  return {
    source,
    ...(document.campaign !== undefined
      ? { campaign: parse("RegistrationCampaign", document.campaign) }
      : {}),
    ...(document.authenticator !== undefined
      ? { authenticator: parse("AuthenticatorPolicy", document.authenticator) }
      : {}),
    breakGlassGroups:
      breakGlass === undefined
        ? fromEnvironment()
        : breakGlassFrom(JSON.stringify(breakGlass), `--declaration ${file} breakGlassGroups`),
    config: noConfig,
  };
}

/**
 * The declaration a stack's exported state records: `pulumi stack export` JSON, or what the
 * Automation API's `stack.exportStack()` returns (the demo reads its stack this way).
 */
export function declarationFromState(
  state: unknown,
  source: string,
  env: NodeJS.ProcessEnv = {},
): Declaration {
  return {
    source,
    ...fromResources(resourcesOfState(state), source),
    breakGlassGroups: breakGlassFrom(env[BREAK_GLASS_ENVIRONMENT], BREAK_GLASS_ENVIRONMENT),
    config: noConfig,
  };
}

/** The configuration after `pulumi up`: the declared singletons, the tenant's for the others. */
export function declaredConfiguration(
  declaration: Declaration,
  current: FullConfiguration,
): NudgeConfiguration {
  return {
    campaign: declaration.campaign ?? current.campaign,
    authenticator: declaration.authenticator ?? current.authenticator,
    // A stack does not declare the passkey method yet: the tenant's applies.
    passkey: current.passkey,
  };
}
