// The shapes the model works with, in three families:
// - *Args: the resource arguments exactly as DESIGN.md fixes them (what a program declares);
// - canonical forms (*Settings, *Inputs): explicit defaults, lower-case GUIDs, sorted targets. Their
//   enums use Graph's wider vocabulary because actual settings read from a tenant may hold values a
//   program cannot declare ("unknownFutureValue", a "fido2" campaign);
// - Graph payloads: v1.0 types from @microsoft/microsoft-graph-types, extended with the beta-only
//   properties listed in graph-schema/beta-properties.json (that package only describes v1.0).
import type * as Graph from "@microsoft/microsoft-graph-types";
import type { UnknownValue } from "./ids";

export type ResourceKind =
  "RegistrationCampaign" | "AuthenticatorPolicy" | "PasskeyPolicy" | "PilotGroup";
export type GraphVersion = "v1.0" | "beta";

// ---- Declared arguments (DESIGN.md "Public names") ----

export type OnDelete = "restore" | "retain";
export type CampaignState = "enabled" | "disabled" | "default";
export type TargetType = "user" | "group";
export type TargetedAuthenticationMethod = "microsoftAuthenticator" | "fido2";
export type AuthenticatorState = "enabled" | "disabled";
export type AuthenticationMode = "any" | "push" | "deviceBasedPush";
export type FeatureState = "default" | "enabled" | "disabled";
export type FeatureTargetType = "group" | "administrativeUnit" | "role";

export interface CampaignIncludeTargetArgs {
  id: string;
  targetType: TargetType;
  targetedAuthenticationMethod?: TargetedAuthenticationMethod;
}

export interface ExcludeTargetArgs {
  id: string;
  targetType: TargetType;
}

export interface RegistrationCampaignArgs {
  state: CampaignState;
  /** The campaign's one method, written to every include target; default "microsoftAuthenticator". */
  targetedAuthenticationMethod?: TargetedAuthenticationMethod;
  snoozeDurationInDays?: number;
  enforceRegistrationAfterAllowedSnoozes?: boolean;
  includeTargets?: CampaignIncludeTargetArgs[];
  excludeTargets?: ExcludeTargetArgs[];
  /** Beta optOutSettings.passkeyDynamicMigration; omitted = not managed. */
  passkeyMigrationOptOut?: boolean;
  onDelete?: OnDelete;
  /** Provider-only: the preview check's findings fail the preview instead of warning. */
  strictEligibility?: boolean;
  /** Provider-only: an update that would overwrite settings changed outside the stack fails. */
  failOnExternalChange?: boolean;
}

export interface AuthenticatorIncludeTargetArgs {
  id: string;
  targetType: TargetType;
  authenticationMode?: AuthenticationMode;
  isRegistrationRequired?: boolean;
}

export interface FeatureTarget {
  id: string;
  targetType: FeatureTargetType;
}

export interface FeatureSetting {
  state: FeatureState;
  includeTarget?: FeatureTarget;
  excludeTarget?: FeatureTarget;
}

export interface AuthenticatorFeatureSettingsArgs {
  displayAppInformationRequiredState?: FeatureSetting;
  displayLocationInformationRequiredState?: FeatureSetting;
  /** Beta only. */
  companionAppAllowedState?: FeatureSetting;
}

export interface AuthenticatorPolicyArgs {
  state: AuthenticatorState;
  includeTargets?: AuthenticatorIncludeTargetArgs[];
  excludeTargets?: ExcludeTargetArgs[];
  isSoftwareOathEnabled?: boolean;
  featureSettings?: AuthenticatorFeatureSettingsArgs;
  onDelete?: OnDelete;
  /** Provider-only: an update that would overwrite settings changed outside the stack fails. */
  failOnExternalChange?: boolean;
  /** Provider-only: a change that takes the method from users who have it registered goes on (with a warning). */
  allowMethodLoss?: boolean;
  /** Provider-only: break-glass accounts (object ids or UPNs) that may be left with no MFA method. */
  allowMethodLossFor?: string[];
}

export type PasskeyType = "deviceBound" | "synced";
export type AttestationEnforcement = "disabled" | "registrationOnly";

export interface PasskeyProfileArgs {
  name: string;
  passkeyTypes: PasskeyType[];
  attestationEnforcement?: AttestationEnforcement;
  keyRestrictions?: { enforcementType: "allow" | "block"; aaGuids: string[] };
}

export interface PasskeyIncludeTargetArgs {
  id: string;
  targetType: "user" | "group";
  isRegistrationRequired?: boolean;
  /** Profile names or ids; default: the tenant's default profile. */
  allowedPasskeyProfiles?: string[];
}

export interface PasskeyPolicyArgs {
  state: "enabled" | "disabled";
  isSelfServiceRegistrationAllowed?: boolean;
  passkeyProfiles?: PasskeyProfileArgs[];
  includeTargets?: PasskeyIncludeTargetArgs[];
  excludeTargets?: ExcludeTargetArgs[];
  onDelete?: "restore" | "retain";
  failOnExternalChange?: boolean;
  /** Provider-only: a change that takes the method from users who have it registered goes on (with a warning). */
  allowMethodLoss?: boolean;
  /** Provider-only: break-glass accounts (object ids or UPNs) that may be left with no MFA method. */
  allowMethodLossFor?: string[];
}

export interface PilotGroupArgs {
  displayName: string;
  description?: string;
  mailNickname?: string;
  /** User principal names or object ids. */
  members?: string[];
  owners?: string[];
}

// ---- Canonical forms ----

export interface CampaignIncludeTarget {
  id: string;
  targetType: Graph.AuthenticationMethodTargetType;
  /**
   * Canonical spelling ("fido2", "microsoftAuthenticator"; anything else as read). Absent only in
   * a declaration with state "default", where Microsoft decides the method (not managed).
   */
  targetedAuthenticationMethod?: string;
}

export interface CampaignExcludeTarget {
  id: string;
  targetType: Graph.AuthenticationMethodTargetType;
}

/** The campaign as it lives in Graph. */
export interface CampaignSettings {
  state: Graph.AdvancedConfigState;
  /**
   * The campaign's one method (campaign.ts's canonical spelling); read from Graph, the method every
   * include target names, or the distinct methods joined by "+" when they differ (MIXED_METHODS).
   * Absent only in a declaration with state "default" (Microsoft decides; not managed).
   */
  targetedAuthenticationMethod?: string;
  /** Absent only in a declaration with state "default" (Microsoft decides; not managed). */
  snoozeDurationInDays?: number;
  /** Absent = not managed (the program did not declare it, or v1.0 did not return it). */
  enforceRegistrationAfterAllowedSnoozes?: boolean;
  includeTargets: CampaignIncludeTarget[];
  excludeTargets: CampaignExcludeTarget[];
  /**
   * Beta `optOutSettings.passkeyDynamicMigration` of the policy. Absent = not managed (not
   * declared, or read through v1.0, which does not have it).
   */
  passkeyMigrationOptOut?: boolean;
}

/** The campaign read from Graph: the method and snooze days are always there. */
export type CampaignSettingsRead = CampaignSettings &
  Required<Pick<CampaignSettings, "targetedAuthenticationMethod" | "snoozeDurationInDays">>;

/** Canonical RegistrationCampaign inputs: the settings plus what only the provider uses. */
export interface CampaignInputs extends CampaignSettings {
  onDelete: OnDelete;
  /** Absent = false (warnings only); never sent to Graph. */
  strictEligibility?: boolean;
  /** Absent = false (an update overwrites external changes with a warning); never compared. */
  failOnExternalChange?: boolean;
}

export interface AuthenticatorIncludeTarget {
  id: string;
  targetType: Graph.AuthenticationMethodTargetType;
  authenticationMode: Graph.MicrosoftAuthenticatorAuthenticationMode;
  isRegistrationRequired: boolean;
}

export interface FeatureTargetCanonical {
  id: string;
  targetType: Graph.FeatureTargetType;
}

export interface FeatureSettingCanonical {
  state: Graph.AdvancedConfigState;
  includeTarget: FeatureTargetCanonical;
  excludeTarget: FeatureTargetCanonical;
}

export type FeatureSettingName =
  | "displayAppInformationRequiredState"
  | "displayLocationInformationRequiredState"
  | "companionAppAllowedState";

/** Only the feature settings that are managed (declared) or, when read from Graph, present. */
export type AuthenticatorFeatureSettings = Partial<
  Record<FeatureSettingName, FeatureSettingCanonical>
>;

/** The Microsoft Authenticator configuration as it lives in Graph. */
export interface AuthenticatorSettings {
  state: Graph.AuthenticationMethodState;
  includeTargets: AuthenticatorIncludeTarget[];
  excludeTargets: CampaignExcludeTarget[];
  /** Absent = not managed. */
  isSoftwareOathEnabled?: boolean;
  featureSettings: AuthenticatorFeatureSettings;
}

export interface AuthenticatorInputs extends AuthenticatorSettings {
  onDelete: OnDelete;
  /** Absent = false (an update overwrites external changes with a warning); never compared. */
  failOnExternalChange?: boolean;
  /** Provider-only: a change that takes the method from users who have it registered goes on (with a warning). */
  allowMethodLoss?: boolean;
  /** Provider-only: break-glass accounts (object ids or UPNs) that may be left with no MFA method. */
  allowMethodLossFor?: string[];
}

export interface PasskeyKeyRestrictions {
  isEnforced: boolean;
  enforcementType: string;
  /** Lower case, sorted. */
  aaGuids: string[];
}

/** A profile, canonical: `id` only once Graph has given it one. */
export interface PasskeyProfile {
  id?: string;
  name: string;
  /** Sorted flags. */
  passkeyTypes: string[];
  /**
   * Read from Graph: always. Declared: absent when left out, which keeps the tenant's value for an
   * existing profile (never a weaker default) and means "disabled" for a new one.
   */
  attestationEnforcement?: string;
  /**
   * Read from Graph: as stored (absent = none). Declared: absent when left out, which keeps the
   * tenant's restrictions for an existing profile and means none for a new one.
   */
  keyRestrictions?: PasskeyKeyRestrictions;
}

export interface PasskeyIncludeTarget {
  id: string;
  targetType: string;
  isRegistrationRequired: boolean;
  /**
   * Sorted; names or ids as declared, ids as read. Absent in a declaration = the default profile.
   */
  allowedPasskeyProfiles?: string[];
}

/** The passkey (FIDO2) configuration, canonical. */
export interface PasskeySettings {
  state: string;
  isSelfServiceRegistrationAllowed: boolean;
  /** Absent in a declaration = not managed. Read from Graph: the whole set. */
  passkeyProfiles?: PasskeyProfile[];
  includeTargets: PasskeyIncludeTarget[];
  excludeTargets: { id: string; targetType: string }[];
  /** Read only: the default profile's id. */
  defaultPasskeyProfile?: string;
  /** Read only (an output): every profile's id by name. */
  passkeyProfileIds?: Record<string, string>;
}

export interface PasskeyInputs extends PasskeySettings {
  onDelete: "restore" | "retain";
  failOnExternalChange?: boolean;
  /** Provider-only: a change that takes the method from users who have it registered goes on (with a warning). */
  allowMethodLoss?: boolean;
  /** Provider-only: break-glass accounts (object ids or UPNs) that may be left with no MFA method. */
  allowMethodLossFor?: string[];
}

/** Canonical PilotGroup inputs. `members`/`owners` absent = membership not managed. */
export interface PilotGroupInputs {
  displayName: string;
  /** "" = no description (Graph's null). */
  description: string;
  mailNickname: string;
  /** Lower-case object ids and UPNs, sorted. */
  members?: string[];
  owners?: string[];
}

/** A pilot group as read from Graph, its members expressed the way the program names them. */
export interface PilotGroupObserved extends PilotGroupInputs {
  id: string;
  memberIds: string[];
  ownerIds: string[];
}

/** Canonical inputs per kind, and what Graph holds per kind (what `describeChanges` compares). */
export interface InputsByKind {
  RegistrationCampaign: CampaignInputs;
  AuthenticatorPolicy: AuthenticatorInputs;
  PasskeyPolicy: PasskeyInputs;
  PilotGroup: PilotGroupInputs;
}
export interface SettingsByKind {
  RegistrationCampaign: CampaignSettings;
  AuthenticatorPolicy: AuthenticatorSettings;
  PasskeyPolicy: PasskeySettings;
  PilotGroup: PilotGroupInputs;
}
export interface ArgsByKind {
  RegistrationCampaign: RegistrationCampaignArgs;
  AuthenticatorPolicy: AuthenticatorPolicyArgs;
  PasskeyPolicy: PasskeyPolicyArgs;
  PilotGroup: PilotGroupArgs;
}

// ---- Values that may be unknown during preview ----

/**
 * T where any value, at any depth, may be Pulumi's unknown sentinel: what check()/diff() receive
 * during a preview when an input depends on a resource not created yet.
 */
export type Previewable<T> = T extends readonly (infer E)[]
  ? Previewable<E>[] | UnknownValue
  : T extends object
    ? { [K in keyof T]: Previewable<T[K]> } | UnknownValue
    : T | UnknownValue;

/** A top-level inputs object (never itself unknown) whose properties may be unknown. */
export type PreviewInputs<T> = T extends unknown ? { [K in keyof T]: Previewable<T[K]> } : never;

// ---- Graph payloads, with the beta-only properties ----

export interface GraphCampaign extends Graph.AuthenticationMethodsRegistrationCampaign {
  /** Beta only. */
  enforceRegistrationAfterAllowedSnoozes?: boolean | null;
}

export interface GraphAuthenticationMethodsPolicy extends Omit<
  Graph.AuthenticationMethodsPolicy,
  "registrationEnforcement"
> {
  registrationEnforcement?: {
    authenticationMethodsRegistrationCampaign?: GraphCampaign | null;
  } | null;
  /** Beta only. */
  optOutSettings?: GraphOptOutSettings | null;
}

/** Beta only: the tenant's opt-outs from Microsoft's changes (graph-contract-passkeys.md §2). */
export interface GraphOptOutSettings {
  passkeyDynamicMigration?: boolean | null;
}

/**
 * The body of the campaign PATCH: `registrationEnforcement` and, when passkeyMigrationOptOut is
 * managed (beta), `optOutSettings`; nothing else of the policy.
 */
export interface CampaignPatchBody {
  registrationEnforcement: { authenticationMethodsRegistrationCampaign: GraphCampaign };
  optOutSettings?: GraphOptOutSettings;
}

export interface GraphAuthenticatorFeatureSettings
  extends Graph.MicrosoftAuthenticatorFeatureSettings {
  /** Beta only. */
  companionAppAllowedState?: Graph.AuthenticationMethodFeatureConfiguration | null;
  /** Beta only; returned by GET, never sent (Graph rejects it). */
  numberMatchingRequiredState?: Graph.AuthenticationMethodFeatureConfiguration | null;
}

export interface GraphAuthenticatorConfiguration extends Omit<
  Graph.MicrosoftAuthenticatorAuthenticationMethodConfiguration,
  "featureSettings"
> {
  "@odata.type"?: string;
  featureSettings?: GraphAuthenticatorFeatureSettings | null;
}

export const AUTHENTICATOR_ODATA_TYPE =
  "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration";

/** The body of the Authenticator PATCH: `@odata.type` is required by Graph. */
export interface AuthenticatorPatchBody {
  "@odata.type": typeof AUTHENTICATOR_ODATA_TYPE;
  state: Graph.AuthenticationMethodState;
  includeTargets: Graph.MicrosoftAuthenticatorAuthenticationMethodTarget[];
  excludeTargets: Graph.ExcludeTarget[];
  isSoftwareOathEnabled?: boolean;
  featureSettings?: Omit<GraphAuthenticatorFeatureSettings, "numberMatchingRequiredState">;
}

/** Where a write goes and what it sends. */
export interface GraphWrite<Body> {
  version: GraphVersion;
  body: Body;
}

/** The configuration as Graph answers it (v1.0 and beta are the same, §4). */
export interface GraphFido2Configuration {
  "@odata.type"?: string;
  id?: string | null;
  state?: string | null;
  isSelfServiceRegistrationAllowed?: boolean | null;
  isAttestationEnforced?: boolean | null;
  keyRestrictions?: {
    isEnforced?: boolean | null;
    enforcementType?: string | null;
    aaGuids?: readonly string[] | null;
  } | null;
  defaultPasskeyProfile?: string | null;
  passkeyProfiles?:
    | {
        id?: string | null;
        name?: string | null;
        passkeyTypes?: string | null;
        attestationEnforcement?: string | null;
        keyRestrictions?: GraphFido2Configuration["keyRestrictions"];
      }[]
    | null;
  includeTargets?:
    | {
        id?: string | null;
        targetType?: string | null;
        isRegistrationRequired?: boolean | null;
        allowedPasskeyProfiles?: string[] | null;
      }[]
    | null;
  excludeTargets?: { id?: string | null; targetType?: string | null }[] | null;
}

/** A member or owner as Graph lists it (`/groups/{id}/members`). */
export interface GraphMemberRef {
  id?: string | null;
  userPrincipalName?: string | null;
}
