// The "declared" side of `entra-nudge impact` and `readiness --stack`: the campaign, Authenticator
// and passkey configuration a stack records (its resources' canonical inputs, through readStack) or
// a file names, validated with the resources' own rules. What the declaration leaves out (no
// AuthenticatorPolicy or PasskeyPolicy in the program; a PasskeyPolicy without passkeyProfiles) is
// the tenant's current setting, as it would be after `pulumi up`.
import * as fs from "node:fs";
import * as path from "node:path";
import type { ConfigLookup } from "../config";
import type { FullConfiguration } from "../eligibility/scan";
import {
  BREAK_GLASS_CONFIG_KEY,
  BREAK_GLASS_ENVIRONMENT,
  DEFAULT_PASSKEY_PROFILE_ID,
  InputValidationError,
  isGuid,
  isRecord,
  parseArgs,
  parseBreakGlassGroups,
  passkeyEligibilityFromGraph,
  type AuthenticatorSettings,
  type CampaignSettings,
  type NudgeConfiguration,
  type PasskeyEligibilitySettings,
  type PasskeySettings,
} from "../model";
import { readStack, resourcesOfState, type StackResource } from "../stack";

export interface Declaration {
  /** "stack dev", "file proposal.json". */
  source: string;
  /** Undefined: not declared, the tenant's setting stays. */
  campaign?: CampaignSettings;
  authenticator?: AuthenticatorSettings;
  /**
   * The PasskeyPolicy's settings; from a stack also the ids Graph gave its profiles
   * (`passkeyProfileIds`, `defaultPasskeyProfile` outputs), which references by name resolve to.
   */
  passkey?: PasskeySettings;
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
  delete settings.failOnExternalChange;
  return settings as unknown as T;
}

/** The PasskeyPolicy's settings, with the profile ids its recorded outputs hold. */
function passkeyOf(resource: StackResource): PasskeySettings {
  const settings = settingsOf(parseArgs("PasskeyPolicy", resource.inputs)) as PasskeySettings;
  const { passkeyProfileIds, defaultPasskeyProfile } = resource.outputs;
  return {
    ...settings,
    ...(isRecord(passkeyProfileIds)
      ? {
          passkeyProfileIds: Object.fromEntries(
            Object.entries(passkeyProfileIds).filter(([, id]) => typeof id === "string"),
          ) as Record<string, string>,
        }
      : {}),
    ...(typeof defaultPasskeyProfile === "string" ? { defaultPasskeyProfile } : {}),
  };
}

/** The singletons among a stack's (or a state file's) resources; more than one of a kind is an error. */
function fromResources(
  resources: StackResource[],
  source: string,
): Pick<Declaration, "campaign" | "authenticator" | "passkey"> {
  const one = (kind: "RegistrationCampaign" | "AuthenticatorPolicy" | "PasskeyPolicy") => {
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
  const passkey = one("PasskeyPolicy");
  return {
    ...(passkey ? { passkey: passkeyOf(passkey) } : {}),
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
 * A declaration file: `{ "campaign": {...}, "authenticator": {...}, "passkey": {...},
 * "breakGlassGroups": [...] }` with the resources' arguments (all optional), or a
 * `pulumi stack export` file.
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
      `--declaration ${file} must be a JSON object such as { "campaign": { "state": "enabled" }, "authenticator": { "state": "enabled" }, "passkey": { "state": "enabled" } }.`,
    );
  }
  const fromEnvironment = () =>
    breakGlassFrom(env[BREAK_GLASS_ENVIRONMENT], BREAK_GLASS_ENVIRONMENT);
  if ("deployment" in document) return declarationFromState(document, source, env);
  const unknown = Object.keys(document).filter(
    (key) => !["campaign", "authenticator", "passkey", "breakGlassGroups"].includes(key),
  );
  if (unknown.length > 0) {
    throw new DeclarationError(
      `--declaration ${file}: unknown key(s) ${unknown.join(", ")}. Use "campaign" (RegistrationCampaign arguments), "authenticator" (AuthenticatorPolicy arguments), "passkey" (PasskeyPolicy arguments) and "breakGlassGroups" (group ids).`,
    );
  }
  const parse = <K extends "RegistrationCampaign" | "AuthenticatorPolicy" | "PasskeyPolicy">(
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
    ...(document.passkey !== undefined
      ? { passkey: parse("PasskeyPolicy", document.passkey) as PasskeySettings }
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
    passkey: declaration.passkey
      ? declaredPasskey(declaration.passkey, current.passkey, declaration.source)
      : current.passkey,
  };
}

/**
 * The groups a declaration names, for the scan to resolve with the tenant's (the passkey part
 * carries only its targets: profiles are resolved against the tenant once it is read).
 */
export function declaredTargets(declaration: Declaration): Partial<NudgeConfiguration> {
  const { campaign, authenticator, passkey } = declaration;
  return {
    ...(campaign ? { campaign } : {}),
    ...(authenticator ? { authenticator } : {}),
    ...(passkey
      ? {
          passkey: {
            state: passkey.state,
            isSelfServiceRegistrationAllowed: passkey.isSelfServiceRegistrationAllowed,
            includeTargets: passkey.includeTargets.map(({ id, targetType }) => ({
              id,
              targetType,
              allowedPasskeyProfiles: [],
            })),
            excludeTargets: passkey.excludeTargets,
            passkeyProfiles: [],
          },
        }
      : {}),
  };
}

/**
 * The passkey method as eligibility sees it after `pulumi up` applies a declared PasskeyPolicy to
 * the tenant's configuration: its state, self-service setup and targets; its profiles when it
 * declares them (the tenant's default profile kept, as the write keeps it: passkeys §4), else the
 * tenant's. A target's profile references resolve as the write resolves them (by id, or by name to
 * the id Graph gave the profile: the stack's recorded `passkeyProfileIds`, else the tenant's
 * profile of that name); a declared profile Graph has not created yet gets a placeholder id. The
 * result goes through the one Graph-to-eligibility normalizer, passkeyEligibilityFromGraph.
 * Throws DeclarationError for a reference to no profile (the write would refuse it).
 */
export function declaredPasskey(
  declared: PasskeySettings,
  current: PasskeyEligibilitySettings | undefined,
  source: string,
): PasskeyEligibilitySettings {
  const tenantProfiles = current?.passkeyProfiles ?? [];
  const defaultId = (
    declared.defaultPasskeyProfile ??
    current?.defaultPasskeyProfile ??
    DEFAULT_PASSKEY_PROFILE_ID
  ).toLowerCase();
  const idByName = new Map<string, string>();
  for (const profile of tenantProfiles)
    if (profile.name !== undefined) idByName.set(profile.name.toLowerCase(), profile.id);
  for (const [name, id] of Object.entries(declared.passkeyProfileIds ?? {}))
    idByName.set(name.toLowerCase(), id.toLowerCase());
  const declaredProfiles = declared.passkeyProfiles?.map((profile) => ({
    ...profile,
    id: (
      profile.id ??
      idByName.get(profile.name.toLowerCase()) ??
      `declared:${profile.name.toLowerCase()}`
    ).toLowerCase(),
  }));
  for (const profile of declaredProfiles ?? [])
    idByName.set(profile.name.toLowerCase(), profile.id);
  const profiles = declaredProfiles
    ? [
        ...declaredProfiles.map((profile) => ({
          id: profile.id,
          name: profile.name,
          passkeyTypes: profile.passkeyTypes.join(","),
          attestationEnforcement: profile.attestationEnforcement,
          ...(profile.keyRestrictions ? { keyRestrictions: profile.keyRestrictions } : {}),
        })),
        // The default profile is never deleted: kept when the declaration leaves it out.
        ...tenantProfiles
          .filter((p) => p.id === defaultId && !declaredProfiles.some((d) => d.id === p.id))
          .map(graphProfile),
      ]
    : tenantProfiles.map(graphProfile);
  const known = new Set(profiles.map((profile) => profile.id));
  const problems: string[] = [];
  const includeTargets = declared.includeTargets.map((target, index) => ({
    id: target.id,
    targetType: target.targetType,
    allowedPasskeyProfiles: (target.allowedPasskeyProfiles ?? [defaultId]).flatMap((ref) => {
      const id = isGuid(ref) ? ref.toLowerCase() : idByName.get(ref.toLowerCase());
      if (id !== undefined && (known.has(id) || tenantProfiles.length === 0)) return [id];
      problems.push(
        `PasskeyPolicy includeTargets[${index}].allowedPasskeyProfiles: ${JSON.stringify(ref)} names no passkey profile of the tenant${declaredProfiles ? " or of passkeyProfiles" : ""}. ` +
          `Name one of ${profiles.map((p) => JSON.stringify(p.name ?? p.id)).join(", ") || "(none)"}, or declare a profile with this name in passkeyProfiles.`,
      );
      return [];
    }),
  }));
  if (problems.length > 0) throw new DeclarationError(`${source}: ${problems.join(" ")}`);
  return passkeyEligibilityFromGraph({
    state: declared.state,
    isSelfServiceRegistrationAllowed: declared.isSelfServiceRegistrationAllowed,
    defaultPasskeyProfile: defaultId,
    passkeyProfiles: profiles,
    includeTargets,
    excludeTargets: declared.excludeTargets,
  });
}

/** A profile as eligibility read it, back in Graph's shape (the flags string of passkey types). */
function graphProfile(profile: PasskeyEligibilitySettings["passkeyProfiles"][number]) {
  return {
    id: profile.id,
    ...(profile.name !== undefined ? { name: profile.name } : {}),
    passkeyTypes: profile.passkeyTypes.join(","),
    attestationEnforcement: profile.attestationEnforcement,
    ...(profile.keyRestrictions ? { keyRestrictions: profile.keyRestrictions } : {}),
  };
}
