// What an exported program declares: the tenant's current settings in the resources' canonical
// form (explicit defaults, lower-case ids, sorted targets), so that adopting them is exact and
// writes nothing. Pure: settings in, resource arguments out, or every reason the tenant holds
// something a program cannot declare.
import {
  MIXED_METHODS_SEPARATOR,
  profileIndex,
  validateAuthenticatorArgs,
  validateCampaignArgs,
  validatePasskeyArgs,
  type AuthenticatorPolicyArgs,
  type AuthenticatorSettings,
  type CampaignSettings,
  type OnDelete,
  type PasskeyPolicyArgs,
  type PasskeyProfileArgs,
  type PasskeySettings,
  type RegistrationCampaignArgs,
  type TargetedAuthenticationMethod,
  type ValidationProblem,
} from "../model";

/**
 * Exported resources leave the tenant as it is on destroy. They declare settings that existed
 * before any stack did; "restore" would write back the snapshot taken at adoption, undoing every
 * change made through the program since, which nobody expects from "stop managing this".
 */
export const EXPORTED_ON_DELETE: OnDelete = "retain";

export interface ExportedDeclaration {
  campaign: RegistrationCampaignArgs;
  authenticator: AuthenticatorPolicyArgs;
  passkey: PasskeyPolicyArgs;
}

/** Thrown when the tenant holds settings no program can declare (a value this package refuses). */
export class UndeclarableSettingsError extends Error {
  constructor(readonly problems: { resource: string; problem: ValidationProblem }[]) {
    super(
      `The tenant holds settings that a RegistrationCampaign, AuthenticatorPolicy or PasskeyPolicy cannot declare, so no exact program can be written:\n` +
        problems.map(({ resource, problem }) => `  - ${resource}: ${problem.message}`).join("\n") +
        `\nChange them in the Microsoft Entra admin center (or through Graph), then export again.`,
    );
    this.name = "UndeclarableSettingsError";
  }
}

/**
 * The campaign's arguments: every Graph-side setting explicit (the beta ones only when read), the
 * method once for the campaign. Under state "default" Microsoft decides the method and the
 * snoozes, so they are not declared (a declaration refuses them). Targets that disagree on the
 * method keep their own, which the validator then refuses (one method per campaign).
 */
export function campaignDeclaration(settings: CampaignSettings): RegistrationCampaignArgs {
  const microsoftManaged = settings.state === "default";
  const method = settings.targetedAuthenticationMethod;
  const mixed = method !== undefined && method.includes(MIXED_METHODS_SEPARATOR);
  return {
    state: settings.state as RegistrationCampaignArgs["state"],
    ...(microsoftManaged || mixed || method === undefined
      ? {}
      : { targetedAuthenticationMethod: method as TargetedAuthenticationMethod }),
    ...(microsoftManaged ? {} : { snoozeDurationInDays: settings.snoozeDurationInDays }),
    ...(microsoftManaged || settings.enforceRegistrationAfterAllowedSnoozes === undefined
      ? {}
      : {
          enforceRegistrationAfterAllowedSnoozes: settings.enforceRegistrationAfterAllowedSnoozes,
        }),
    includeTargets: settings.includeTargets.map((target) => ({
      id: target.id,
      targetType: target.targetType as "user" | "group",
      ...(mixed
        ? {
            targetedAuthenticationMethod:
              target.targetedAuthenticationMethod as TargetedAuthenticationMethod,
          }
        : {}),
    })),
    excludeTargets: settings.excludeTargets.map((target) => ({
      id: target.id,
      targetType: target.targetType as "user" | "group",
    })),
    ...(settings.passkeyMigrationOptOut === undefined
      ? {}
      : { passkeyMigrationOptOut: settings.passkeyMigrationOptOut }),
    onDelete: EXPORTED_ON_DELETE,
  };
}

/** The Authenticator configuration's arguments, every setting read declared (so managed). */
export function authenticatorDeclaration(settings: AuthenticatorSettings): AuthenticatorPolicyArgs {
  const featureSettings: NonNullable<AuthenticatorPolicyArgs["featureSettings"]> = {};
  for (const [name, setting] of Object.entries(settings.featureSettings)) {
    if (!setting) continue;
    featureSettings[name as keyof typeof featureSettings] = {
      state: setting.state as "default" | "enabled" | "disabled",
      includeTarget: {
        id: setting.includeTarget.id,
        targetType: setting.includeTarget.targetType as "group" | "administrativeUnit" | "role",
      },
      excludeTarget: {
        id: setting.excludeTarget.id,
        targetType: setting.excludeTarget.targetType as "group" | "administrativeUnit" | "role",
      },
    };
  }
  return {
    state: settings.state as AuthenticatorPolicyArgs["state"],
    includeTargets: settings.includeTargets.map((target) => ({
      id: target.id,
      targetType: target.targetType as "user" | "group",
      authenticationMode: target.authenticationMode as "any" | "push" | "deviceBasedPush",
      isRegistrationRequired: target.isRegistrationRequired,
    })),
    excludeTargets: settings.excludeTargets.map((target) => ({
      id: target.id,
      targetType: target.targetType as "user" | "group",
    })),
    ...(settings.isSoftwareOathEnabled === undefined
      ? {}
      : { isSoftwareOathEnabled: settings.isSoftwareOathEnabled }),
    featureSettings,
    onDelete: EXPORTED_ON_DELETE,
  };
}

/**
 * The passkey (FIDO2) configuration's arguments: the whole profile set (the default profile
 * included, so the program manages it too), and the targets' profiles by name, resolved through
 * the tenant's profiles (an id no profile has stays an id, which the provider then refuses). A
 * profile's key restrictions are declared only when enforced: restrictions that are not enforced
 * restrict nothing, and the resource compares them so (model/passkey.ts `comparable`). The
 * deprecated top-level `isAttestationEnforced` and `keyRestrictions` only mirror the default
 * profile (graph-contract-passkeys.md §4) and are never declared.
 */
export function passkeyDeclaration(settings: PasskeySettings): PasskeyPolicyArgs {
  const index = profileIndex(settings);
  const nameOf = (ref: string): string => index.nameById.get(ref.toLowerCase()) ?? ref;
  const profiles: PasskeyProfileArgs[] = (settings.passkeyProfiles ?? []).map((profile) => ({
    name: profile.name,
    passkeyTypes: profile.passkeyTypes as PasskeyProfileArgs["passkeyTypes"],
    attestationEnforcement:
      profile.attestationEnforcement as PasskeyProfileArgs["attestationEnforcement"],
    ...(profile.keyRestrictions?.isEnforced
      ? {
          keyRestrictions: {
            enforcementType: profile.keyRestrictions.enforcementType as "allow" | "block",
            aaGuids: profile.keyRestrictions.aaGuids,
          },
        }
      : {}),
  }));
  return {
    state: settings.state as PasskeyPolicyArgs["state"],
    isSelfServiceRegistrationAllowed: settings.isSelfServiceRegistrationAllowed,
    // A tenant read without profiles (not yet moved to them) leaves the set unmanaged.
    ...(profiles.length === 0 ? {} : { passkeyProfiles: profiles }),
    includeTargets: settings.includeTargets.map((target) => ({
      id: target.id,
      targetType: target.targetType as "user" | "group",
      isRegistrationRequired: target.isRegistrationRequired,
      ...(target.allowedPasskeyProfiles === undefined || target.allowedPasskeyProfiles.length === 0
        ? {}
        : {
            allowedPasskeyProfiles: [...new Set(target.allowedPasskeyProfiles.map(nameOf))].sort(),
          }),
    })),
    excludeTargets: settings.excludeTargets.map((target) => ({
      id: target.id,
      targetType: target.targetType as "user" | "group",
    })),
    onDelete: EXPORTED_ON_DELETE,
  };
}

/**
 * The three declarations, checked by the resources' own validators: Graph can hold values a program
 * cannot declare (e.g. "unknownFutureValue", a passkey campaign target), and a program that fails
 * its own check would be no export at all.
 */
export function declarationOf(
  campaign: CampaignSettings,
  authenticator: AuthenticatorSettings,
  passkey: PasskeySettings,
): ExportedDeclaration {
  const declaration = {
    campaign: campaignDeclaration(campaign),
    authenticator: authenticatorDeclaration(authenticator),
    passkey: passkeyDeclaration(passkey),
  };
  const problems = [
    ...validateCampaignArgs(declaration.campaign).map((problem) => ({
      resource: "RegistrationCampaign",
      problem,
    })),
    ...validateAuthenticatorArgs(declaration.authenticator).map((problem) => ({
      resource: "AuthenticatorPolicy",
      problem,
    })),
    ...validatePasskeyArgs(declaration.passkey).map((problem) => ({
      resource: "PasskeyPolicy",
      problem,
    })),
  ];
  if (problems.length > 0) throw new UndeclarableSettingsError(problems);
  return declaration;
}
