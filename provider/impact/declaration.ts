// The declared side of `entra-nudge impact` and `readiness --stack`: the campaign, Authenticator
// and passkey configuration a declaration (provider/declaration: a stack's recorded inputs, or a
// proposal file) sets, as eligibility sees it after `pulumi up`. What the declaration leaves out
// (no AuthenticatorPolicy or PasskeyPolicy in the program; a PasskeyPolicy without
// passkeyProfiles) is the tenant's current setting, as it would be after `pulumi up`.
import type { Declaration, DeclaredResource } from "../declaration";
import type { FullConfiguration } from "../eligibility/scan";
import { ReportError } from "../errors";
import {
  DEFAULT_PASSKEY_PROFILE_ID,
  isGuid,
  isRecord,
  passkeyEligibility,
  passkeyFromGraph,
  type AuthenticatorSettings,
  type CampaignSettings,
  type NudgeConfiguration,
  type PasskeyEligibilitySettings,
  type PasskeySettings,
} from "../model";

/** The singletons a declaration sets; undefined: not declared, the tenant's setting stays. */
export interface DeclaredSingletons {
  campaign?: CampaignSettings;
  authenticator?: AuthenticatorSettings;
  /**
   * The PasskeyPolicy's settings; from a stack also the ids Graph gave its profiles
   * (`passkeyProfileIds`, `defaultPasskeyProfile` outputs), which references by name resolve to.
   */
  passkey?: PasskeySettings;
}

function settingsOf<T extends object>(inputs: T): T {
  const settings: Record<string, unknown> = { ...(inputs as Record<string, unknown>) };
  delete settings.onDelete;
  delete settings.strictEligibility;
  delete settings.failOnExternalChange;
  delete settings.allowMethodLoss;
  return settings as unknown as T;
}

/** The PasskeyPolicy's settings, with the profile ids its recorded outputs hold. */
function passkeyOf(resource: DeclaredResource): PasskeySettings {
  const settings = settingsOf(resource.declared) as PasskeySettings;
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

/** The singletons among a declaration's resources; more than one of a kind is an error. */
export function declaredSingletons(declaration: Declaration): DeclaredSingletons {
  const one = (kind: "RegistrationCampaign" | "AuthenticatorPolicy" | "PasskeyPolicy") => {
    const found = declaration.resources.filter((resource) => resource.kind === kind);
    if (found.length > 1) {
      throw new ReportError(
        "input",
        `${declaration.name} declares ${found.length} ${kind} resources (${found.map((r) => r.name).join(", ")}); the tenant has one, so a stack should declare at most one.`,
      );
    }
    return found[0];
  };
  const campaign = one("RegistrationCampaign");
  const authenticator = one("AuthenticatorPolicy");
  const passkey = one("PasskeyPolicy");
  return {
    ...(passkey ? { passkey: passkeyOf(passkey) } : {}),
    ...(campaign ? { campaign: settingsOf(campaign.declared as CampaignSettings) } : {}),
    ...(authenticator
      ? { authenticator: settingsOf(authenticator.declared as AuthenticatorSettings) }
      : {}),
  };
}

/** The configuration after `pulumi up`: the declared singletons, the tenant's for the others. */
export function declaredConfiguration(
  declaration: Declaration,
  current: FullConfiguration,
): NudgeConfiguration {
  const declared = declaredSingletons(declaration);
  return {
    campaign: declared.campaign ?? current.campaign,
    authenticator: declared.authenticator ?? current.authenticator,
    passkey: declared.passkey
      ? declaredPasskey(declared.passkey, current.passkey, declaration.name)
      : current.passkey,
  };
}

/**
 * The groups a declaration names, for the scan to resolve with the tenant's (the passkey part
 * carries only its targets: profiles are resolved against the tenant once it is read).
 */
export function declaredTargets(declaration: Declaration): Partial<NudgeConfiguration> {
  const { campaign, authenticator, passkey } = declaredSingletons(declaration);
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
 * result goes through the one normalizer of Graph's answer (passkeyFromGraph), as a read would.
 * Throws ReportError("input") for a reference to no profile (the write would refuse it).
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
        ...declaredProfiles.map((profile) => {
          // What a declaration leaves out keeps the tenant's value, as `pulumi up` writes it
          // (model/passkey.ts completeProfile).
          const tenantProfile = tenantProfiles.find((p) => p.id === profile.id);
          const keyRestrictions = profile.keyRestrictions ?? tenantProfile?.keyRestrictions;
          return {
            id: profile.id,
            name: profile.name,
            passkeyTypes: profile.passkeyTypes.join(","),
            attestationEnforcement:
              profile.attestationEnforcement ?? tenantProfile?.attestationEnforcement ?? "disabled",
            ...(keyRestrictions ? { keyRestrictions } : {}),
          };
        }),
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
  if (problems.length > 0) throw new ReportError("input", `${source}: ${problems.join(" ")}`);
  return passkeyEligibility(
    passkeyFromGraph({
      state: declared.state,
      isSelfServiceRegistrationAllowed: declared.isSelfServiceRegistrationAllowed,
      defaultPasskeyProfile: defaultId,
      passkeyProfiles: profiles,
      includeTargets,
      excludeTargets: declared.excludeTargets,
    }),
  );
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
