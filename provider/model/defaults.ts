// The one place that knows the defaults: what an omitted argument means, and what Graph's own
// defaults are when a GET leaves something out. Functions return fresh objects so that no caller
// can mutate a shared default.
import type {
  AuthenticationMode,
  AuthenticatorIncludeTarget,
  CampaignIncludeTarget,
  FeatureSettingCanonical,
  FeatureTargetCanonical,
  OnDelete,
  TargetedAuthenticationMethod,
} from "./types";
import { ALL_USERS, NIL_GUID } from "./ids";

/** DESIGN.md: 0..14, default 1 (also Graph's and the Microsoft-managed value). */
export const DEFAULT_SNOOZE_DURATION_IN_DAYS = 1;
export const SNOOZE_MIN = 0;
export const SNOOZE_MAX = 14;
export const DEFAULT_TARGETED_AUTHENTICATION_METHOD: TargetedAuthenticationMethod =
  "microsoftAuthenticator";
export const DEFAULT_ON_DELETE: OnDelete = "restore";
export const DEFAULT_AUTHENTICATION_MODE: AuthenticationMode = "any";
export const DEFAULT_IS_REGISTRATION_REQUIRED = false;
/** Graph's default when the campaign was never configured: "Microsoft managed". */
export const GRAPH_DEFAULT_CAMPAIGN_STATE = "default";
/** Graph's observed default for `isSoftwareOathEnabled` when a GET returns null. */
export const GRAPH_DEFAULT_IS_SOFTWARE_OATH_ENABLED = false;

export function defaultCampaignIncludeTargets(): CampaignIncludeTarget[] {
  return [
    {
      id: ALL_USERS,
      targetType: "group",
      targetedAuthenticationMethod: DEFAULT_TARGETED_AUTHENTICATION_METHOD,
    },
  ];
}

export function defaultAuthenticatorIncludeTargets(): AuthenticatorIncludeTarget[] {
  return [
    {
      id: ALL_USERS,
      targetType: "group",
      authenticationMode: DEFAULT_AUTHENTICATION_MODE,
      isRegistrationRequired: DEFAULT_IS_REGISTRATION_REQUIRED,
    },
  ];
}

/** A feature setting's include target when omitted: everyone (Graph's default). */
export function defaultFeatureIncludeTarget(): FeatureTargetCanonical {
  return { id: ALL_USERS, targetType: "group" };
}

/** A feature setting's exclude target when omitted: nobody, spelled as Graph spells it. */
export function defaultFeatureExcludeTarget(): FeatureTargetCanonical {
  return { id: NIL_GUID, targetType: "group" };
}

/** A feature setting Graph returned as null: Microsoft managed, everyone, nobody excluded. */
export function graphDefaultFeatureSetting(): FeatureSettingCanonical {
  return {
    state: "default",
    includeTarget: defaultFeatureIncludeTarget(),
    excludeTarget: defaultFeatureExcludeTarget(),
  };
}

/**
 * Arguments for which "omitted" means "not managed" rather than a default value: the resource
 * neither writes nor compares them. Chosen where a default would silently change something the
 * tenant relies on (TOTP codes, a beta setting, memberships kept by hand) — DESIGN.md fixes this
 * for enforceRegistrationAfterAllowedSnoozes; the others follow the same reasoning.
 * Each feature setting inside `featureSettings` is likewise managed only when declared.
 */
export const UNMANAGED_WHEN_OMITTED = {
  RegistrationCampaign: ["enforceRegistrationAfterAllowedSnoozes", "passkeyMigrationOptOut"],
  AuthenticatorPolicy: ["isSoftwareOathEnabled"],
  PasskeyPolicy: ["passkeyProfiles"],
  PilotGroup: ["members", "owners"],
} as const;

/**
 * Arguments only the provider uses (not stored in Graph): compared only when both sides have them.
 * `strictEligibility` (RegistrationCampaign) is read by the program-side preview check only.
 */
export const PROVIDER_ONLY_ARGUMENTS = ["onDelete", "strictEligibility"] as const;

/**
 * Arguments that only steer how the provider's update runs: never sent to Graph, never compared
 * (so a change of one alone is no diff and causes no write); kept in the outputs only so that a
 * refresh hands them back with the inputs unchanged. `update` reads them
 * from its new inputs. `failOnExternalChange` (both singletons): an update that would overwrite
 * settings changed outside the stack fails instead of warning. `allowMethodLoss` and
 * `allowMethodLossFor` (AuthenticatorPolicy, PasskeyPolicy): whether check() lets a change that takes
 * the method from users who have it registered go on (model/methodLoss.ts).
 */
export const UPDATE_SETTING_ARGUMENTS = [
  "failOnExternalChange",
  "allowMethodLoss",
  "allowMethodLossFor",
] as const;

/** Graph limits for groups (graph-contract.md §4.1). */
export const GROUP_DISPLAY_NAME_MAX = 256;
export const MAIL_NICKNAME_MAX = 64;
