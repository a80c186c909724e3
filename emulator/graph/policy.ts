// The authentication methods policy singleton (§1, §2) and its method configurations (§3, §9.2):
// what each version's schema allows in a PATCH, the campaign and Authenticator rules the service
// enforces, the merge semantics, and the shapes GET returns per version.
import type { GraphResponse, GraphVersion } from "../types";
import type { CampaignData, JsonObject, JsonValue, PolicyData } from "../tenants/format";
import {
  auditJson,
  checkValue,
  hideNewerMembers,
  isAnnotation,
  mergeValue,
  projectForVersion,
  type BodyCheck,
  type Field,
  type Shape,
} from "./body";
import type { Context, EffectiveOptions } from "./context";
import { requirePermission } from "./context";
import { writeAudit, type ModifiedProperty } from "./audits";
import { badRequest, methodNotAllowed } from "./failures";
import { GraphHttpError } from "../errors";
import { PERMISSIONS } from "./permissions";
import { contextUrl, parseSelect, selectFragment } from "./odata/query";
import { graphTimestamp } from "./time";
import type { PolicySnapshot } from "./state";
import { INCLUDE_UNKNOWN_ENUM_MEMBERS, prefersUnknownEnumMembers, withNewerMembers } from "./enums";
import {
  applyPasskeyPatch,
  checkPasskeyRules,
  FIDO2_TYPE,
  managedCampaignMethod,
} from "./passkeys";

// --- Schema (v1.0-subset.csdl.xml and beta-properties.json; enum members in value order) --------

/** An enum with the schema's members, then the hypothetical newer ones tenants may hold (enums.ts). */
function enumOf(type: string, members: string[]): Shape {
  return { kind: "enum", type, members: withNewerMembers(type, members) };
}
const str: Shape = { kind: "string" };
const bool: Shape = { kind: "boolean" };
const f = (shape: Shape, extra: Omit<Field, "shape"> = {}): Field => ({ shape, ...extra });
function obj(type: string, fields: Record<string, Field>): Shape {
  return { kind: "object", type, fields };
}
const arr = (of: Shape): Shape => ({ kind: "array", of });

const advancedConfigState = enumOf("advancedConfigState", [
  "default",
  "enabled",
  "disabled",
  "unknownFutureValue",
]);
const methodState = enumOf("authenticationMethodState", ["enabled", "disabled"]);
const targetType = enumOf("authenticationMethodTargetType", [
  "user",
  "group",
  "unknownFutureValue",
]);
const featureTargetType = enumOf("featureTargetType", [
  "group",
  "administrativeUnit",
  "role",
  "unknownFutureValue",
]);
const authenticationMode = enumOf("microsoftAuthenticatorAuthenticationMode", [
  "deviceBasedPush",
  "push",
  "any",
]);
const migrationState = enumOf("authenticationMethodsPolicyMigrationState", [
  "preMigration",
  "migrationInProgress",
  "migrationComplete",
  "unknownFutureValue",
]);

const excludeTarget = obj("excludeTarget", { id: f(str), targetType: f(targetType) });
const includeTarget = obj("includeTarget", { id: f(str), targetType: f(targetType) });

const campaignShape = obj("authenticationMethodsRegistrationCampaign", {
  snoozeDurationInDays: f({ kind: "int", min: 0, max: 14 }), // §2.2
  state: f(advancedConfigState),
  // §2.2, §10 item 1: beta-only, yet accepted and stored when sent to v1.0.
  enforceRegistrationAfterAllowedSnoozes: f(bool, { betaOnly: true, acceptedOnV1: true }),
  includeTargets: f(
    arr(
      obj("authenticationMethodsRegistrationCampaignIncludeTarget", {
        id: f(str),
        targetType: f(targetType),
        targetedAuthenticationMethod: f(str, { nullable: true }),
      }),
    ),
  ),
  excludeTargets: f(arr(excludeTarget)),
});

export const policyShape = obj("authenticationMethodsPolicy", {
  id: f(str, { readOnly: true }),
  displayName: f(str, { readOnly: true, nullable: true }),
  description: f(str, { readOnly: true, nullable: true }),
  lastModifiedDateTime: f(str, { readOnly: true, nullable: true }),
  policyVersion: f(str, { readOnly: true, nullable: true }),
  policyMigrationState: f(migrationState, { nullable: true }),
  reconfirmationInDays: f({ kind: "int", min: 0 }, { nullable: true }),
  registrationEnforcement: f(
    obj("registrationEnforcement", {
      authenticationMethodsRegistrationCampaign: f(campaignShape, { nullable: true }),
    }),
    { nullable: true },
  ),
  // §1.4: beta only.
  systemCredentialPreferences: f(
    obj("systemCredentialPreferences", {
      state: f(advancedConfigState),
      includeTargets: f(arr(includeTarget)),
      excludeTargets: f(arr(excludeTarget)),
    }),
    { betaOnly: true, nullable: true },
  ),
  reportSuspiciousActivitySettings: f(
    obj("reportSuspiciousActivitySettings", {
      state: f(advancedConfigState),
      includeTarget: f(includeTarget),
      voiceReportingCode: f({ kind: "int", min: 0, max: 9 }),
    }),
    { betaOnly: true, nullable: true },
  ),
  microsoftAuthenticatorPlatformSettings: f({ kind: "opaque" }, { betaOnly: true, nullable: true }),
  // graph-contract-passkeys.md §2, open question 8: documented on beta only (SMSRET).
  optOutSettings: f(
    obj("authenticationMethodsPolicyOptOutSettings", {
      passkeyDynamicMigration: f(bool, { nullable: true }),
    }),
    { betaOnly: true, nullable: true },
  ),
});

const featureTarget = obj("featureTarget", {
  id: f(str, { nullable: true }),
  targetType: f(featureTargetType, { nullable: true }),
});
const featureConfiguration = obj("authenticationMethodFeatureConfiguration", {
  state: f(advancedConfigState),
  includeTarget: f(featureTarget, { nullable: true }),
  excludeTarget: f(featureTarget, { nullable: true }),
});

const fido2KeyRestrictions = obj("fido2KeyRestrictions", {
  isEnforced: f(bool, { nullable: true }),
  enforcementType: f(
    enumOf("fido2RestrictionEnforcementType", ["allow", "block", "unknownFutureValue"]),
    { nullable: true },
  ),
  aaGuids: f(arr(str), { nullable: true }),
});

const methodTarget = (type: string, extra: Record<string, Field> = {}): Shape =>
  obj(type, {
    id: f(str),
    targetType: f(targetType),
    isRegistrationRequired: f(bool),
    ...extra,
  });

const configurationBase = (includeTargets: Shape, extra: Record<string, Field> = {}) => ({
  id: f(str, { readOnly: true }),
  state: f(methodState, { nullable: true }),
  excludeTargets: f(arr(excludeTarget), { nullable: true }),
  includeTargets: f(arr(includeTargets), { nullable: true }),
  ...extra,
});

interface ConfigurationType {
  shape: Shape & { kind: "object" };
  /** The type has no v1.0 definition, so v1.0 neither lists nor serves it. */
  betaOnly?: boolean;
}

const AUTHENTICATOR = "microsoftAuthenticatorAuthenticationMethodConfiguration";

function configurationType(
  type: string,
  fields: Record<string, Field>,
  betaOnly = false,
): [string, ConfigurationType] {
  return [type, { shape: obj(type, fields) as Shape & { kind: "object" }, betaOnly }];
}

/** The method configurations the policy holds (§9.2), by type name. */
const CONFIGURATION_TYPES = new Map<string, ConfigurationType>([
  configurationType(
    AUTHENTICATOR,
    configurationBase(
      methodTarget("microsoftAuthenticatorAuthenticationMethodTarget", {
        authenticationMode: f(authenticationMode),
      }),
      {
        isSoftwareOathEnabled: f(bool, { nullable: true }),
        featureSettings: f(
          obj("microsoftAuthenticatorFeatureSettings", {
            displayAppInformationRequiredState: f(featureConfiguration, { nullable: true }),
            displayLocationInformationRequiredState: f(featureConfiguration, { nullable: true }),
            // §3.5: beta only.
            companionAppAllowedState: f(featureConfiguration, { nullable: true, betaOnly: true }),
            numberMatchingRequiredState: f(featureConfiguration, {
              nullable: true,
              betaOnly: true,
            }),
          }),
          { nullable: true },
        ),
      },
    ),
  ),
  configurationType(
    FIDO2_TYPE,
    // graph-contract-passkeys.md §4: the same on v1.0 and beta.
    configurationBase(
      methodTarget("passkeyAuthenticationMethodTarget", {
        allowedPasskeyProfiles: f(arr(str), { nullable: true }),
      }),
      {
        // Deprecated (removal October 2027), mirrored from the default profile (passkeys.ts).
        isAttestationEnforced: f(bool, { nullable: true }),
        isSelfServiceRegistrationAllowed: f(bool, { nullable: true }),
        keyRestrictions: f(fido2KeyRestrictions, { nullable: true }),
        defaultPasskeyProfile: f(str, { nullable: true, readOnly: true }),
        passkeyProfiles: f(
          arr(
            obj("passkeyProfile", {
              id: f(str),
              name: f(str),
              passkeyTypes: f(str), // a flags string ("deviceBound,synced"), checked in passkeys.ts
              attestationEnforcement: f(
                enumOf("attestationEnforcement", [
                  "disabled",
                  "registrationOnly",
                  "unknownFutureValue",
                ]),
              ),
              keyRestrictions: f(fido2KeyRestrictions, { nullable: true }),
            }),
          ),
          { nullable: true },
        ),
      },
    ),
  ),
  configurationType(
    "smsAuthenticationMethodConfiguration",
    configurationBase(
      methodTarget("smsAuthenticationMethodTarget", { isUsableForSignIn: f(bool) }),
    ),
  ),
  configurationType(
    "temporaryAccessPassAuthenticationMethodConfiguration",
    configurationBase(methodTarget("authenticationMethodTarget"), {
      defaultLength: f({ kind: "int", min: 8, max: 48 }, { nullable: true }),
      defaultLifetimeInMinutes: f({ kind: "int", min: 10, max: 43200 }, { nullable: true }),
      isUsableOnce: f(bool, { nullable: true }),
      maximumLifetimeInMinutes: f({ kind: "int", min: 10, max: 43200 }, { nullable: true }),
      minimumLifetimeInMinutes: f({ kind: "int", min: 10, max: 43200 }, { nullable: true }),
    }),
  ),
  configurationType(
    "hardwareOathAuthenticationMethodConfiguration",
    configurationBase(methodTarget("authenticationMethodTarget")),
    true,
  ),
  configurationType(
    "softwareOathAuthenticationMethodConfiguration",
    configurationBase(methodTarget("authenticationMethodTarget")),
  ),
  configurationType(
    "voiceAuthenticationMethodConfiguration",
    configurationBase(methodTarget("authenticationMethodTarget"), {
      isOfficePhoneAllowed: f(bool, { nullable: true }),
    }),
  ),
  configurationType(
    "emailAuthenticationMethodConfiguration",
    configurationBase(methodTarget("authenticationMethodTarget"), {
      allowExternalIdToUseEmailOtp: f(
        enumOf("externalEmailOtpState", ["default", "enabled", "disabled", "unknownFutureValue"]),
        { nullable: true },
      ),
    }),
  ),
  configurationType(
    "x509CertificateAuthenticationMethodConfiguration",
    configurationBase(methodTarget("authenticationMethodTarget"), {
      certificateUserBindings: f({ kind: "opaque" }, { nullable: true }),
      authenticationModeConfiguration: f({ kind: "opaque" }, { nullable: true }),
      crlValidationConfiguration: f({ kind: "opaque" }, { nullable: true }),
    }),
  ),
]);

export function configurationTypeName(config: JsonObject): string {
  return String(config["@odata.type"] ?? "").replace(/^#?microsoft\.graph\./, "");
}

/** Checks a configuration's stored JSON (tenant loading); returns a message when it is invalid. */
export function configurationProblem(config: JsonObject): string | undefined {
  const type = CONFIGURATION_TYPES.get(configurationTypeName(config));
  if (!type) return `unknown @odata.type '${String(config["@odata.type"])}'`;
  try {
    // Stored data may hold members added after unknownFutureValue (enums.ts).
    checkValue(
      config,
      type.shape,
      { version: "beta", errorCode: "BadRequest", includeUnknownEnumMembers: true },
      "",
    );
    checkConfigurationRules(config, { version: "beta", errorCode: "BadRequest" });
    checkPasskeyRules(config, { version: "beta", errorCode: "BadRequest" });
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  return undefined;
}

/** Checks the policy's stored JSON (tenant loading); returns a message when it is invalid. */
export function policyProblem(policy: PolicyData): string | undefined {
  try {
    checkValue(
      policy,
      policyShape,
      { version: "beta", errorCode: "BadRequest", includeUnknownEnumMembers: true },
      "",
    );
    // A tenant file may hold mixed methods (to test clients against open question 2).
    checkCampaignRules(
      policy.registrationEnforcement?.authenticationMethodsRegistrationCampaign,
      { version: "beta", errorCode: "BadRequest" },
      "store",
    );
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  return undefined;
}

// --- Service rules ------------------------------------------------------------------------------

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** §2.3, §10 item 3: the methods a campaign may target, matched case-insensitively. */
const CAMPAIGN_METHODS = ["microsoftauthenticator", "fido2"];

function invalid(check: BodyCheck, message: string): GraphHttpError {
  return badRequest(message, check.errorCode);
}

/** A target id is an object id, or `all_users` for a group target (§2.5). */
function checkTargetId(
  check: BodyCheck,
  path: string,
  target: Record<string, unknown>,
  allowAllUsers: boolean,
): void {
  const id = target.id;
  if (typeof id !== "string")
    throw invalid(check, `Invalid value for property '${path}.id': an id is required.`);
  if (id === "all_users") {
    if (!allowAllUsers)
      throw invalid(
        check,
        `Invalid value for property '${path}.id': 'all_users' cannot be used here.`,
      );
    if (target.targetType !== "group")
      throw invalid(
        check,
        `Invalid value for property '${path}.targetType': 'all_users' is a group target (targetType 'group').`,
      );
    return;
  }
  // §2.6: unknown object ids are accepted; malformed ones are not ids at all (inferred).
  if (!GUID.test(id))
    throw invalid(check, `Invalid value for property '${path}.id': '${id}' is not an object id.`);
}

function requireTargetType(check: BodyCheck, path: string, target: Record<string, unknown>): void {
  if (target.targetType === undefined)
    throw invalid(
      check,
      `Invalid value for property '${path}.targetType': a target type is required.`,
    );
}

/** The campaign rules the service enforces (§2.3–§2.6, §10 items 2–3). */
function checkCampaignRules(
  campaign: CampaignData | null | undefined,
  check: BodyCheck,
  mixedMethods: "reject" | "store",
): void {
  if (!campaign) return;
  const path = "registrationEnforcement.authenticationMethodsRegistrationCampaign";
  const methods = new Set<string>();
  (campaign.includeTargets ?? []).forEach((t, i) => {
    const target = t as unknown as Record<string, unknown>;
    requireTargetType(check, `${path}.includeTargets[${i}]`, target);
    checkTargetId(check, `${path}.includeTargets[${i}]`, target, true);
    const method = t.targetedAuthenticationMethod ?? "microsoftAuthenticator";
    if (!CAMPAIGN_METHODS.includes(method.toLowerCase()))
      throw invalid(
        check,
        `Invalid value for property '${path}.includeTargets[${i}].targetedAuthenticationMethod': '${method}' is not a method a registration campaign can target (microsoftAuthenticator, fido2).`,
      );
    methods.add(method.toLowerCase());
  });
  // §2.3: one campaign targets one method at a time (the service's reaction is inferred;
  // graph-contract-passkeys.md open question 2, switchable).
  if (methods.size > 1 && mixedMethods === "reject")
    throw invalid(
      check,
      `Invalid value for property '${path}.includeTargets': all targets must name the same targetedAuthenticationMethod.`,
    );
  (campaign.excludeTargets ?? []).forEach((t, i) => {
    const target = t as unknown as Record<string, unknown>;
    requireTargetType(check, `${path}.excludeTargets[${i}]`, target);
    checkTargetId(check, `${path}.excludeTargets[${i}]`, target, false);
  });
}

/** §3.6: number matching cannot be sent at all (verbatim message, "Persistance" included). */
const NUMBER_MATCHING_MESSAGE =
  "Persistance of policy failed with error: Microsoft Authenticator's number matching feature can no longer be toggled as part of featureSettings.";

function checkConfigurationRules(config: Record<string, unknown>, check: BodyCheck): void {
  const includes = (config.includeTargets ?? []) as Record<string, unknown>[];
  includes.forEach((t, i) => {
    requireTargetType(check, `includeTargets[${i}]`, t);
    checkTargetId(check, `includeTargets[${i}]`, t, true);
  });
  const excludes = (config.excludeTargets ?? []) as Record<string, unknown>[];
  excludes.forEach((t, i) => {
    requireTargetType(check, `excludeTargets[${i}]`, t);
    checkTargetId(check, `excludeTargets[${i}]`, t, false);
  });
  const features = (config.featureSettings ?? {}) as Record<string, Record<string, unknown> | null>;
  for (const [name, feature] of Object.entries(features)) {
    if (!feature || isAnnotation(name)) continue;
    for (const side of ["includeTarget", "excludeTarget"]) {
      const target = feature[side] as Record<string, unknown> | null | undefined;
      const id = target?.id;
      if (typeof id === "string" && id !== "all_users" && !GUID.test(id))
        throw invalid(
          check,
          `Invalid value for property 'featureSettings.${name}.${side}.id': '${id}' is not an object id.`,
        );
    }
  }
}

/** Fills the defaults a target gets when the client leaves them out (§3.4). */
function withTargetDefaults(config: JsonObject, typeName: string): JsonObject {
  if (!Array.isArray(config.includeTargets)) return config;
  const includeTargets = config.includeTargets.map((t) => {
    const target = t as JsonObject;
    const filled: JsonObject = { ...target };
    if (filled.isRegistrationRequired === undefined) filled.isRegistrationRequired = false;
    if (typeName === AUTHENTICATOR && filled.authenticationMode === undefined)
      filled.authenticationMode = "any";
    if (
      typeName === "smsAuthenticationMethodConfiguration" &&
      filled.isUsableForSignIn === undefined
    )
      filled.isUsableForSignIn = true;
    return filled;
  });
  return { ...config, includeTargets };
}

// --- Rendering ----------------------------------------------------------------------------------

function isVisibleIn(config: JsonObject, version: GraphVersion): boolean {
  const type = CONFIGURATION_TYPES.get(configurationTypeName(config));
  return version === "beta" || !type?.betaOnly;
}

function findConfiguration(
  snapshot: PolicySnapshot,
  id: string,
  version: GraphVersion,
): JsonObject | undefined {
  const config = snapshot.configurations.get(id.toLowerCase());
  return config && isVisibleIn(config, version) ? config : undefined;
}

function configurationNotFound(id: string): GraphHttpError {
  // The policy service's 404 for an unknown configuration id (inferred wording).
  return new GraphHttpError(
    404,
    "NotFound",
    `Authentication method configuration '${id}' was not found.`,
  );
}

/** A configuration as the version serves it, includeTargets last with its context (§9.2). */
function renderConfiguration(ctx: Context, config: JsonObject): JsonObject {
  const typeName = configurationTypeName(config);
  const type = CONFIGURATION_TYPES.get(typeName);
  const projected = (
    type
      ? asClientSees(
          ctx,
          projectForVersion(config, type.shape, ctx.req.version) as JsonObject,
          type.shape,
        )
      : config
  ) as JsonObject;
  const { "@odata.type": odataType, id, state, includeTargets, ...rest } = projected;
  const out: JsonObject = { "@odata.type": odataType, id, state, ...rest };
  if (includeTargets !== undefined) {
    out["includeTargets@odata.context"] = contextUrl(
      ctx.req,
      `policies/authenticationMethodsPolicy/authenticationMethodConfigurations('${String(id)}')/microsoft.graph.${typeName}/includeTargets`,
    );
    out.includeTargets = includeTargets;
  }
  return out;
}

/**
 * The campaign as reads show it: stored, or with `managedCampaignReadback: "microsoftDecides"` and
 * state `default`, with what Microsoft applies (graph-contract-passkeys.md §2 table, open question
 * 3): its method on every include target (in the casing Microsoft writes), 1 snooze day, snoozes
 * limited for Authenticator only.
 */
function campaignAsRead(
  ctx: Context,
  policy: PolicyData,
  configurations: PolicySnapshot["configurations"],
): PolicyData {
  const campaign = policy.registrationEnforcement?.authenticationMethodsRegistrationCampaign;
  if (ctx.options.managedCampaignReadback !== "microsoftDecides" || campaign?.state !== "default")
    return policy;
  const method = managedCampaignMethod(campaign, configurations.get("fido2"));
  const written = storedCampaignMethod(
    method === "fido2" ? "Fido2" : method,
    ctx.options.campaignMethodCasing,
  );
  return {
    ...policy,
    registrationEnforcement: {
      ...policy.registrationEnforcement,
      authenticationMethodsRegistrationCampaign: {
        ...campaign,
        snoozeDurationInDays: 1,
        enforceRegistrationAfterAllowedSnoozes: method !== "fido2",
        includeTargets: (campaign.includeTargets ?? []).map((t) => ({
          ...t,
          targetedAuthenticationMethod: written,
        })),
      },
    },
  };
}

/** The policy's own properties as the version serves them (§1.4, §10 item 1). */
function renderPolicyProperties(
  ctx: Context,
  stored: PolicyData,
  configurations: PolicySnapshot["configurations"],
): JsonObject {
  const policy = campaignAsRead(ctx, stored, configurations);
  const projected = asClientSees(
    ctx,
    projectForVersion(policy as unknown as JsonValue, policyShape, ctx.req.version) as JsonObject,
    policyShape,
  );
  if (ctx.req.version === "v1.0" && ctx.options.v1EchoEnforceRegistration) {
    const enforce =
      policy.registrationEnforcement?.authenticationMethodsRegistrationCampaign
        ?.enforceRegistrationAfterAllowedSnoozes;
    const enforcement = projected.registrationEnforcement as JsonObject | null;
    const campaign = enforcement?.authenticationMethodsRegistrationCampaign as JsonObject | null;
    if (campaign && enforce !== undefined) {
      // Keep the beta order: snooze, enforce, state, ... (§9.2).
      const { snoozeDurationInDays, ...others } = campaign;
      enforcement!.authenticationMethodsRegistrationCampaign = {
        snoozeDurationInDays,
        enforceRegistrationAfterAllowedSnoozes: enforce,
        ...others,
      };
    }
  }
  return projected;
}

const POLICY_TIP =
  "Use $select to choose only the properties your app needs, as this can lead to performance improvements. For example: GET policies/authenticationMethodsPolicy?$select=description,displayName";

function policySelectable(version: GraphVersion): string[] {
  return [
    ...Object.entries(policyShape.kind === "object" ? policyShape.fields : {})
      .filter(([, field]) => version === "beta" || !field.betaOnly)
      .map(([name]) => name),
    "authenticationMethodConfigurations",
  ];
}

// --- Handlers -----------------------------------------------------------------------------------

export function getPolicy(ctx: Context): GraphResponse {
  requirePermission(ctx, PERMISSIONS.policyRead, "policy");
  const select = parseSelect(
    ctx.req,
    policySelectable(ctx.req.version),
    "authenticationMethodsPolicy",
  );
  const snapshot = ctx.state.readablePolicy(ctx.now);
  const properties = renderPolicyProperties(ctx, snapshot.policy, snapshot.configurations);
  const body: JsonObject = {
    "@odata.context": contextUrl(ctx.req, selectFragment("authenticationMethodsPolicy", select)),
  };
  if (!select) body["@microsoft.graph.tips"] = POLICY_TIP;
  for (const [key, value] of Object.entries(properties)) {
    if (!select || select.includes(key)) body[key] = value;
  }
  // §1.1: the configurations are expanded automatically.
  if (!select || select.includes("authenticationMethodConfigurations")) {
    body["authenticationMethodConfigurations@odata.context"] = contextUrl(
      ctx.req,
      "policies/authenticationMethodsPolicy/authenticationMethodConfigurations",
    );
    body.authenticationMethodConfigurations = [...snapshot.configurations.values()]
      .filter((c) => isVisibleIn(c, ctx.req.version))
      .map((c) => renderConfiguration(ctx, c));
  }
  return { status: 200, body, headers: enumPreferenceApplied(ctx) };
}

function requireObjectBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null)
    throw badRequest("Empty Payload. JSON content expected.", "BadRequest");
  if (typeof body !== "object" || Array.isArray(body))
    throw badRequest("The request body must be a JSON object.", "BadRequest");
  return body as Record<string, unknown>;
}

function check(ctx: Context): BodyCheck {
  return {
    version: ctx.req.version,
    errorCode: ctx.options.validationErrorCode,
    includeUnknownEnumMembers: prefersUnknownEnumMembers(ctx.req.headers),
    patch: ctx.req.method === "PATCH",
  };
}

/** Members added after unknownFutureValue, hidden unless the client asked for them (enums.ts). */
function asClientSees(ctx: Context, value: JsonObject, shape: Shape): JsonObject {
  return prefersUnknownEnumMembers(ctx.req.headers)
    ? value
    : (hideNewerMembers(value, shape) as JsonObject);
}

/** The guideline's acknowledgement of the Prefer header on answers that carry enums (enums.ts). */
function enumPreferenceApplied(ctx: Context): Record<string, string> | undefined {
  return prefersUnknownEnumMembers(ctx.req.headers)
    ? { "Preference-Applied": INCLUDE_UNKNOWN_ENUM_MEMBERS }
    : undefined;
}

/** PATCH /policies/authenticationMethodsPolicy → 200 with the policy (§1.1, §1.5). */
export function patchPolicy(ctx: Context): GraphResponse {
  requirePermission(ctx, PERMISSIONS.policyWrite, "policy");
  const body = requireObjectBody(ctx.req.body);
  if ("authenticationMethodConfigurations" in body)
    throw badRequest(
      "The navigation property 'authenticationMethodConfigurations' cannot be updated through the policy; PATCH each configuration instead.",
      "BadRequest",
    );
  checkValue(body, policyShape, check(ctx), "");
  if (
    "optOutSettings" in body &&
    Object.keys(body).length > 1 &&
    ctx.options.optOutSettingsWithOthers === "reject"
  )
    throw invalid(
      check(ctx),
      "Invalid request: 'optOutSettings' is updated in a PATCH of its own; send the other properties of the policy in another request.",
    );
  const current = ctx.state.policy;
  const merged = normalizeCampaign(
    keepManagedMethods(
      mergeValue(
        current.policy as unknown as JsonValue,
        body,
        policyShape,
      ) as unknown as PolicyData,
      current.policy,
    ),
    ctx.options.campaignMethodCasing,
  );
  const campaign = merged.registrationEnforcement?.authenticationMethodsRegistrationCampaign;
  checkCampaignRules(campaign, check(ctx), ctx.options.mixedCampaignMethods);
  rejectManagedCampaignEdits(ctx, body, current.policy, merged);
  merged.lastModifiedDateTime = graphTimestamp(ctx.now);
  const next: PolicySnapshot = { policy: merged, configurations: current.configurations };
  ctx.state.replacePolicy(next, ctx.now, ctx.options.policyReplicationDelayMs);
  writePolicyObjectAudit(ctx, current.policy, merged);
  const properties = renderPolicyProperties(ctx, merged, current.configurations);
  return {
    status: 200,
    headers: enumPreferenceApplied(ctx),
    body: {
      "@odata.context": contextUrl(ctx.req, "authenticationMethodsPolicy"),
      ...properties,
    },
  };
}

/**
 * A method as stored: the sent spelling (§10 item 3), or one casing for all
 * (graph-contract-passkeys.md open question 1, switchable).
 */
export function storedCampaignMethod(
  method: string,
  casing: EffectiveOptions["campaignMethodCasing"],
): string {
  if (casing === "asSent") return method;
  if (method.toLowerCase() === "fido2") return casing;
  return method.toLowerCase() === "microsoftauthenticator" ? "microsoftAuthenticator" : method;
}

/**
 * A target without a method targets Authenticator (§2.3); the method is stored per the casing
 * switch. Builds new objects: the merged policy shares untouched parts with the stored one.
 */
function normalizeCampaign(
  policy: PolicyData,
  casing: EffectiveOptions["campaignMethodCasing"],
): PolicyData {
  const enforcement = policy.registrationEnforcement;
  const campaign = enforcement?.authenticationMethodsRegistrationCampaign;
  if (!campaign) return { ...policy };
  return {
    ...policy,
    registrationEnforcement: {
      ...enforcement,
      authenticationMethodsRegistrationCampaign: {
        ...campaign,
        includeTargets: (campaign.includeTargets ?? []).map((t) => ({
          ...t,
          targetedAuthenticationMethod: storedCampaignMethod(
            t.targetedAuthenticationMethod ?? "microsoftAuthenticator",
            casing,
          ),
        })),
        excludeTargets: campaign.excludeTargets ?? [],
      },
    },
  };
}

/**
 * In Microsoft-managed state the method is Microsoft's (HOWTO: "can't be configured"): an include
 * target sent without one keeps the method it had, or the campaign's, instead of defaulting to
 * Authenticator as a target of an admin-configured campaign does (§2.3).
 */
function keepManagedMethods(merged: PolicyData, before: PolicyData): PolicyData {
  const campaign = merged.registrationEnforcement?.authenticationMethodsRegistrationCampaign;
  if (campaign?.state !== "default" || !campaign.includeTargets) return merged;
  const previous =
    before.registrationEnforcement?.authenticationMethodsRegistrationCampaign?.includeTargets ?? [];
  const fallback = previous.find(
    (t) => t.targetedAuthenticationMethod,
  )?.targetedAuthenticationMethod;
  return {
    ...merged,
    registrationEnforcement: {
      ...merged.registrationEnforcement,
      authenticationMethodsRegistrationCampaign: {
        ...campaign,
        includeTargets: campaign.includeTargets.map((t) => {
          if (t.targetedAuthenticationMethod) return t;
          const method =
            previous.find((p) => String(p.id).toLowerCase() === String(t.id).toLowerCase())
              ?.targetedAuthenticationMethod ?? fallback;
          return method ? { ...t, targetedAuthenticationMethod: method } : t;
        }),
      },
    },
  };
}

/** §2.8, §10 item 6: in Microsoft-managed state the snooze settings are not the admin's to set. */
function rejectManagedCampaignEdits(
  ctx: Context,
  body: Record<string, unknown>,
  before: PolicyData,
  after: PolicyData,
): void {
  if (ctx.options.managedCampaignEdits === "store") return;
  const any = ctx.options.managedCampaignEdits === "rejectSent";
  const campaign = after.registrationEnforcement?.authenticationMethodsRegistrationCampaign;
  if (campaign?.state !== "default") return;
  const sent = ((body.registrationEnforcement as Record<string, unknown> | undefined)
    ?.authenticationMethodsRegistrationCampaign ?? {}) as Record<string, unknown>;
  const previous = (before.registrationEnforcement?.authenticationMethodsRegistrationCampaign ??
    {}) as Record<string, unknown>;
  for (const name of ["snoozeDurationInDays", "enforceRegistrationAfterAllowedSnoozes"]) {
    if (name in sent && (any || sent[name] !== previous[name]))
      throw invalid(
        check(ctx),
        `Invalid value for property 'registrationEnforcement.authenticationMethodsRegistrationCampaign.${name}': it cannot be configured while the campaign is Microsoft managed (state 'default').`,
      );
  }
  // The targeted method is Microsoft's to set too (graph-contract-passkeys.md §2): a method the
  // stored targets do not already name is refused.
  const methodsOf = (targets: unknown) =>
    (Array.isArray(targets) ? (targets as Record<string, unknown>[]) : [])
      .map((t) => t.targetedAuthenticationMethod)
      .filter((m): m is string => typeof m === "string")
      .map((m) => m.toLowerCase());
  const stored = new Set(any ? [] : methodsOf(previous.includeTargets));
  const changed = methodsOf(sent.includeTargets).find((m) => !stored.has(m));
  if (changed !== undefined)
    throw invalid(
      check(ctx),
      `Invalid value for property 'registrationEnforcement.authenticationMethodsRegistrationCampaign.includeTargets': the targetedAuthenticationMethod '${changed}' cannot be configured while the campaign is Microsoft managed (state 'default').`,
    );
}

export function deletePolicy(ctx: Context): GraphResponse {
  requirePermission(ctx, PERMISSIONS.policyWrite, "policy");
  throw methodNotAllowed(); // §1.1, §10 item 24
}

/** A policy update prints the whole policy before and after (§6.3). */
function writePolicyObjectAudit(ctx: Context, before: PolicyData, after: PolicyData): void {
  writePolicyAudit(ctx, "Authentication Methods Policy Update", {
    id: "authenticationMethodsPolicy",
    displayName: "Authentication Methods Policy",
    modified: [
      {
        displayName: "AuthenticationMethodsPolicy",
        oldValue: JSON.stringify(auditJson(before as unknown as JsonValue, policyShape)),
        newValue: JSON.stringify(auditJson(after as unknown as JsonValue, policyShape)),
      },
    ],
  });
}

function writePolicyAudit(
  ctx: Context,
  activity: "Authentication Methods Policy Update" | "Authentication Methods Policy Reset",
  target: { id: string; displayName: string; modified: ModifiedProperty[] },
): void {
  writeAudit(ctx, {
    service: "Authentication Methods",
    category: ctx.options.policyAuditCategory,
    activity,
    operationType: activity.endsWith("Reset") ? "Delete" : "Update",
    targets: [
      {
        id: target.id,
        displayName: target.displayName,
        type: "Policy",
        modifiedProperties: target.modified,
      },
    ],
  });
}

export function listConfigurations(ctx: Context): GraphResponse {
  requirePermission(ctx, PERMISSIONS.configurationRead, "policy");
  const snapshot = ctx.state.readablePolicy(ctx.now);
  return {
    status: 200,
    headers: enumPreferenceApplied(ctx),
    body: {
      "@odata.context": contextUrl(
        ctx.req,
        "policies/authenticationMethodsPolicy/authenticationMethodConfigurations",
      ),
      value: [...snapshot.configurations.values()]
        .filter((c) => isVisibleIn(c, ctx.req.version))
        .map((c) => renderConfiguration(ctx, c)),
    },
  };
}

export function getConfiguration(ctx: Context): GraphResponse {
  requirePermission(ctx, PERMISSIONS.configurationRead, "policy");
  const config = findConfiguration(
    ctx.state.readablePolicy(ctx.now),
    ctx.params.id,
    ctx.req.version,
  );
  if (!config) throw configurationNotFound(ctx.params.id);
  const type = CONFIGURATION_TYPES.get(configurationTypeName(config));
  const selectable = Object.entries(type?.shape.fields ?? {})
    .filter(([, field]) => ctx.req.version === "beta" || !field.betaOnly)
    .map(([name]) => name);
  const select = parseSelect(ctx.req, selectable, configurationTypeName(config));
  const rendered = renderConfiguration(ctx, config);
  const body: JsonObject = {
    // §9.4: the context the service prints for a configuration.
    "@odata.context": contextUrl(
      ctx.req,
      selectFragment("authenticationMethodConfigurations/$entity", select),
    ),
  };
  for (const [key, value] of Object.entries(rendered)) {
    const name = key.split("@")[0];
    if (!select || key === "@odata.type" || select.includes(name)) body[key] = value;
  }
  return { status: 200, body, headers: enumPreferenceApplied(ctx) };
}

/** PATCH a method configuration → 204 (§3.1); `@odata.type` is required (§3.1, §10 item 10). */
export function patchConfiguration(ctx: Context): GraphResponse {
  requirePermission(ctx, PERMISSIONS.policyWrite, "policy");
  const current = ctx.state.policy;
  const config = findConfiguration(current, ctx.params.id, ctx.req.version);
  if (!config) throw configurationNotFound(ctx.params.id);
  const body = requireObjectBody(ctx.req.body);
  const typeName = configurationTypeName(config);
  const type = CONFIGURATION_TYPES.get(typeName);
  if (!type) throw configurationNotFound(ctx.params.id);
  const sentType = body["@odata.type"];
  if (sentType === undefined)
    throw invalid(
      check(ctx),
      `The request body must specify '@odata.type': '#microsoft.graph.${typeName}' for an update of the '${String(config.id)}' configuration.`,
    );
  if (typeof sentType !== "string" || sentType.replace(/^#/, "") !== `microsoft.graph.${typeName}`)
    throw invalid(
      check(ctx),
      `The '@odata.type' '${String(sentType)}' does not match the '${String(config.id)}' configuration, whose type is '#microsoft.graph.${typeName}'.`,
    );
  checkValue(body, type.shape, check(ctx), "");
  const features = body.featureSettings as Record<string, unknown> | null | undefined;
  if (features && "numberMatchingRequiredState" in features)
    throw badRequest(NUMBER_MATCHING_MESSAGE, "badRequest"); // §3.6, §10 item 9
  let merged = withTargetDefaults(mergeValue(config, body, type.shape) as JsonObject, typeName);
  checkConfigurationRules(merged, check(ctx));
  if (typeName === FIDO2_TYPE)
    merged = applyPasskeyPatch(config, body, merged, check(ctx), {
      passkeyProfileRemoval: ctx.options.passkeyProfileRemoval,
      sizeLimitBytes: ctx.options.passkeyPolicySizeLimitBytes,
    });
  const configurations = new Map(current.configurations);
  configurations.set(String(config.id).toLowerCase(), merged);
  const policy = { ...current.policy, lastModifiedDateTime: graphTimestamp(ctx.now) };
  ctx.state.replacePolicy(
    { policy, configurations },
    ctx.now,
    ctx.options.policyReplicationDelayMs,
  );
  writePolicyAudit(ctx, "Authentication Methods Policy Update", {
    id: String(config.id),
    displayName: String(config.id),
    modified: changedProperties(config, merged, type.shape),
  });
  return { status: 204 };
}

/** JSON with object keys sorted: equal values compare equal whatever their key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}

/** §6.3: a method-specific change records only the properties that changed. */
function changedProperties(
  before: JsonObject,
  after: JsonObject,
  shape: Shape & { kind: "object" },
): ModifiedProperty[] {
  const out: ModifiedProperty[] = [];
  for (const [name, field] of Object.entries(shape.fields)) {
    const oldValue = auditJson(before[name], field.shape);
    const newValue = auditJson(after[name], field.shape);
    if (canonicalJson(oldValue) === canonicalJson(newValue)) continue;
    out.push({
      displayName: name,
      oldValue: oldValue === undefined ? null : JSON.stringify(oldValue),
      newValue: newValue === undefined ? null : JSON.stringify(newValue),
    });
  }
  return out;
}

/** DELETE a configuration: reverts it to the tenant's loaded default (§3.1) → 204 (inferred). */
export function deleteConfiguration(ctx: Context): GraphResponse {
  requirePermission(ctx, PERMISSIONS.policyWrite, "policy");
  const current = ctx.state.policy;
  const config = findConfiguration(current, ctx.params.id, ctx.req.version);
  if (!config) throw configurationNotFound(ctx.params.id);
  const key = String(config.id).toLowerCase();
  const original = ctx.state.seed.policy.configurations.get(key) ?? config;
  const type = CONFIGURATION_TYPES.get(configurationTypeName(config));
  const configurations = new Map(current.configurations);
  configurations.set(key, original);
  const policy = { ...current.policy, lastModifiedDateTime: graphTimestamp(ctx.now) };
  ctx.state.replacePolicy(
    { policy, configurations },
    ctx.now,
    ctx.options.policyReplicationDelayMs,
  );
  writePolicyAudit(ctx, "Authentication Methods Policy Reset", {
    id: String(config.id),
    displayName: String(config.id),
    modified: type ? changedProperties(config, original, type.shape) : [],
  });
  return { status: 204 };
}

/**
 * A change Microsoft makes to the policy itself (the 2026-09-01 migration): stored like a PATCH,
 * with the same audit records, initiated by the caller the context names.
 */
export function replacePolicyAsService(ctx: Context, next: PolicySnapshot): void {
  const current = ctx.state.policy;
  const stamped: PolicySnapshot = {
    policy: { ...next.policy, lastModifiedDateTime: graphTimestamp(ctx.now) },
    configurations: next.configurations,
  };
  ctx.state.replacePolicy(stamped, ctx.now, ctx.options.policyReplicationDelayMs);
  if (
    canonicalJson(current.policy.registrationEnforcement) !==
    canonicalJson(next.policy.registrationEnforcement)
  )
    writePolicyObjectAudit(ctx, current.policy, stamped.policy);
  for (const [key, config] of next.configurations) {
    const before = current.configurations.get(key);
    const type = CONFIGURATION_TYPES.get(configurationTypeName(config));
    if (!before || !type || before === config) continue;
    const modified = changedProperties(before, config, type.shape);
    if (modified.length === 0) continue;
    writePolicyAudit(ctx, "Authentication Methods Policy Update", {
      id: String(config.id),
      displayName: String(config.id),
      modified,
    });
  }
}
