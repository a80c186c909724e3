// AuthenticatorPolicy: validation, the canonical form, the mapping from and to Graph's
// microsoftAuthenticatorAuthenticationMethodConfiguration, and its comparison.
import type * as Graph from "@microsoft/microsoft-graph-types";
import { compareCanonical, type PropertyChange } from "./compare";
import {
  DEFAULT_AUTHENTICATION_MODE,
  DEFAULT_IS_REGISTRATION_REQUIRED,
  GRAPH_DEFAULT_IS_SOFTWARE_OATH_ENABLED,
  PROVIDER_ONLY_ARGUMENTS,
  UPDATE_SETTING_ARGUMENTS,
  defaultAuthenticatorIncludeTargets,
  defaultFeatureExcludeTarget,
  defaultFeatureIncludeTarget,
  graphDefaultFeatureSetting,
} from "./defaults";
import { checkFailOnExternalChange, failOnExternalChangeInput } from "./externalChange";
import { checkMethodLossArgs, methodLossInputs } from "./methodLoss";
import { ALL_USERS, NIL_GUID, canonicalId, isUnknown } from "./ids";
import { checkOnDelete, onDeleteOrDefault } from "./onDelete";
import {
  checkFeatureTarget,
  checkIncludeExcludeOverlap,
  checkIncludeNotEmpty,
  checkTargetList,
  normalizeList,
  sortTargets,
} from "./targets";
import {
  AUTHENTICATOR_ODATA_TYPE,
  type AuthenticatorFeatureSettings,
  type AuthenticatorIncludeTarget,
  type AuthenticatorIncludeTargetArgs,
  type AuthenticatorInputs,
  type AuthenticatorPatchBody,
  type AuthenticatorPolicyArgs,
  type AuthenticatorSettings,
  type CampaignExcludeTarget,
  type ExcludeTargetArgs,
  type FeatureSetting,
  type FeatureSettingCanonical,
  type FeatureSettingName,
  type FeatureTarget,
  type FeatureTargetCanonical,
  type GraphAuthenticatorConfiguration,
  type GraphVersion,
  type GraphWrite,
  type PreviewInputs,
  type Previewable,
} from "./types";
import {
  ProblemCollector,
  checkBoolean,
  checkEnum,
  checkKnownKeys,
  describeValue,
  isRecord,
  propertyPath,
  type ValidationProblem,
} from "./validation";

export const AUTHENTICATOR_ARGUMENTS = [
  "state",
  "includeTargets",
  "excludeTargets",
  "isSoftwareOathEnabled",
  "featureSettings",
  "onDelete",
  "failOnExternalChange",
  "allowMethodLoss",
  "allowMethodLossFor",
] as const;

/** The arguments a diff compares (failOnExternalChange only steers updates: defaults.ts). */
const COMPARED_AUTHENTICATOR_ARGUMENTS = AUTHENTICATOR_ARGUMENTS.filter(
  (name) => !(UPDATE_SETTING_ARGUMENTS as readonly string[]).includes(name),
);

export const FEATURE_SETTING_NAMES: readonly FeatureSettingName[] = [
  "displayAppInformationRequiredState",
  "displayLocationInformationRequiredState",
  "companionAppAllowedState",
];

/** Feature settings that exist only on the beta endpoint (graph-schema/beta-properties.json). */
export const BETA_FEATURE_SETTINGS: readonly FeatureSettingName[] = ["companionAppAllowedState"];

const NUMBER_MATCHING =
  "number matching can no longer be set. Microsoft has enforced it for every Microsoft Authenticator push " +
  'notification since May 2023, and Graph rejects any change to it ("number matching feature can no longer ' +
  'be toggled as part of featureSettings"). Remove numberMatchingRequiredState.';

/** Every problem in an AuthenticatorPolicy's arguments; unknown (preview) values are skipped. */
export function validateAuthenticatorArgs(raw: unknown): ValidationProblem[] {
  const collector = new ProblemCollector();
  if (!isRecord(raw)) {
    collector.add(
      "",
      `AuthenticatorPolicy arguments must be an object such as { state: "enabled" }, got ${describeValue(raw)}.`,
    );
    return collector.problems;
  }
  checkKnownKeys(
    collector,
    "",
    raw,
    AUTHENTICATOR_ARGUMENTS,
    "an AuthenticatorPolicy argument",
    { numberMatchingRequiredState: NUMBER_MATCHING },
    ["__provider"],
  );
  checkEnum(collector, "state", raw.state, {
    what: "state",
    allowed: ["enabled", "disabled"],
    requiredFix: `Use "enabled" to let the targeted users use Microsoft Authenticator, or "disabled".`,
    explained: {
      default:
        `is not a state of the Microsoft Authenticator method, which is either "enabled" or "disabled" ` +
        `("default", Microsoft managed, exists only for feature settings and the campaign).`,
    },
  });
  const included = checkTargetList(collector, raw.includeTargets, {
    list: "includeTargets",
    where: "Microsoft Authenticator",
    keys: ["id", "targetType", "authenticationMode", "isRegistrationRequired"],
    checkMore: (problems, path, target) => {
      checkEnum(problems, propertyPath(path, "authenticationMode"), target.authenticationMode, {
        what: "authentication mode",
        allowed: ["any", "push", "deviceBasedPush"],
        choices: `"any" (push and passwordless, the default), "push" or "deviceBasedPush"`,
        explained: {
          passwordless:
            `is the portal's name; Graph calls it "deviceBasedPush" (passwordless phone sign-in only, ` +
            `which makes these users ineligible for the registration campaign). ` +
            `Use "any" (push and passwordless), "push" or "deviceBasedPush".`,
        },
      });
      checkBoolean(
        problems,
        propertyPath(path, "isRegistrationRequired"),
        target.isRegistrationRequired,
        "Use true or false (false is the default; Graph documents this setting as not supported).",
      );
    },
  });
  const excluded = checkTargetList(collector, raw.excludeTargets, {
    list: "excludeTargets",
    where: "Microsoft Authenticator",
    keys: ["id", "targetType"],
    allUsersRefused:
      `would exclude everyone. To turn Microsoft Authenticator off set state to "disabled"; ` +
      `to exclude some users, list their groups' or their own object ids.`,
  });
  checkIncludeExcludeOverlap(collector, included, excluded);
  checkIncludeNotEmpty(
    collector,
    raw.state,
    raw.includeTargets,
    "no user could use Microsoft Authenticator",
  );
  checkBoolean(
    collector,
    "isSoftwareOathEnabled",
    raw.isSoftwareOathEnabled,
    "Use true to allow the one-time codes Authenticator generates, false to forbid them, or omit it to leave the tenant's setting as it is.",
  );
  checkFeatureSettings(collector, raw.featureSettings);
  checkOnDelete(collector, raw.onDelete);
  checkFailOnExternalChange(collector, raw.failOnExternalChange);
  checkMethodLossArgs(collector, raw);
  return collector.problems;
}

function checkFeatureSettings(collector: ProblemCollector, value: unknown): void {
  if (value === undefined || value === null || isUnknown(value)) return;
  if (!isRecord(value)) {
    collector.add(
      "featureSettings",
      `${describeValue(value)} is not an object. Use e.g. { displayAppInformationRequiredState: { state: "enabled" } }.`,
    );
    return;
  }
  checkKnownKeys(collector, "featureSettings", value, FEATURE_SETTING_NAMES, "a feature setting", {
    numberMatchingRequiredState: NUMBER_MATCHING,
  });
  for (const name of FEATURE_SETTING_NAMES) {
    const setting = value[name];
    const path = propertyPath("featureSettings", name);
    if (setting === undefined || setting === null || isUnknown(setting)) continue;
    if (!isRecord(setting)) {
      collector.add(
        path,
        `${describeValue(setting)} is not a feature setting. Use an object such as { state: "enabled" }.`,
      );
      continue;
    }
    checkKnownKeys(
      collector,
      path,
      setting,
      ["state", "includeTarget", "excludeTarget"],
      "a feature-setting property",
    );
    checkEnum(collector, propertyPath(path, "state"), setting.state, {
      what: "feature state",
      allowed: ["default", "enabled", "disabled"],
      choices: `"enabled", "disabled" or "default" (Microsoft managed)`,
      requiredFix: `Use "enabled", "disabled" or "default" (Microsoft managed).`,
    });
    const include = checkFeatureTarget(
      collector,
      propertyPath(path, "includeTarget"),
      setting.includeTarget,
      "include",
    );
    const exclude = checkFeatureTarget(
      collector,
      propertyPath(path, "excludeTarget"),
      setting.excludeTarget,
      "exclude",
    );
    if (include !== undefined && include === exclude) {
      collector.add(
        propertyPath(path, "excludeTarget.id"),
        `${describeValue(include)} is also the includeTarget, so the feature would apply to nobody. ` +
          `Exclude another group, or set state to "disabled".`,
      );
    }
  }
}

/** Anything shaped like Authenticator arguments: declared args, canonical inputs, settings read back. */
export type AuthenticatorLike = PreviewInputs<
  AuthenticatorPolicyArgs | AuthenticatorInputs | AuthenticatorSettings
>;

/**
 * The canonical form of validated arguments: explicit defaults, lower-case GUIDs, sorted targets.
 * `isSoftwareOathEnabled` and each feature setting stay absent when omitted (not managed).
 * Total on any input: unexpected values pass through.
 */
export function normalizeAuthenticatorArgs(
  args: AuthenticatorLike,
): PreviewInputs<AuthenticatorInputs> {
  return {
    ...normalizeAuthenticatorSettings(args),
    onDelete: onDeleteOrDefault("onDelete" in args ? args.onDelete : undefined),
    ...failOnExternalChangeInput(
      "failOnExternalChange" in args ? args.failOnExternalChange : undefined,
    ),
    ...methodLossInputs(args),
  };
}

/** The canonical form of the part that lives in Graph. */
export function normalizeAuthenticatorSettings(
  args: AuthenticatorLike,
): PreviewInputs<AuthenticatorSettings> {
  const oath = args.isSoftwareOathEnabled;
  return {
    state: args.state,
    includeTargets: normalizeList<
      AuthenticatorIncludeTargetArgs | AuthenticatorIncludeTarget,
      AuthenticatorIncludeTarget
    >(args.includeTargets, defaultAuthenticatorIncludeTargets, normalizeIncludeTarget),
    excludeTargets: normalizeList<ExcludeTargetArgs | CampaignExcludeTarget, CampaignExcludeTarget>(
      args.excludeTargets,
      () => [],
      (target) =>
        typeof target !== "object" || target === null
          ? target
          : { id: canonicalId(target.id), targetType: target.targetType },
    ),
    ...(oath === undefined || oath === null ? {} : { isSoftwareOathEnabled: oath }),
    featureSettings: normalizeFeatureSettings(args.featureSettings),
  };
}

function normalizeIncludeTarget(
  target: Previewable<AuthenticatorIncludeTargetArgs | AuthenticatorIncludeTarget>,
): Previewable<AuthenticatorIncludeTarget> {
  if (typeof target !== "object" || target === null) return target;
  return {
    id: canonicalId(target.id),
    targetType: target.targetType,
    authenticationMode: target.authenticationMode ?? DEFAULT_AUTHENTICATION_MODE,
    isRegistrationRequired: target.isRegistrationRequired ?? DEFAULT_IS_REGISTRATION_REQUIRED,
  };
}

type FeatureSettingsLike = Previewable<
  Partial<Record<FeatureSettingName, FeatureSetting | FeatureSettingCanonical>>
>;

function normalizeFeatureSettings(
  settings: FeatureSettingsLike | undefined | null,
): Previewable<AuthenticatorFeatureSettings> {
  if (settings === undefined || settings === null) return {};
  if (typeof settings !== "object") return settings;
  const canonical: Previewable<AuthenticatorFeatureSettings> = {};
  // Only the three known names: numberMatchingRequiredState in a Graph answer is not ours.
  for (const name of FEATURE_SETTING_NAMES) {
    const setting = settings[name];
    if (setting !== undefined && setting !== null)
      canonical[name] = normalizeFeatureSetting(setting);
  }
  return canonical;
}

function normalizeFeatureSetting(
  setting: Previewable<FeatureSetting | FeatureSettingCanonical>,
): Previewable<FeatureSettingCanonical> {
  if (typeof setting !== "object" || setting === null) return setting;
  return {
    state: setting.state,
    includeTarget: normalizeFeatureTarget(setting.includeTarget, defaultFeatureIncludeTarget),
    excludeTarget: normalizeFeatureTarget(setting.excludeTarget, defaultFeatureExcludeTarget),
  };
}

function normalizeFeatureTarget(
  target: Previewable<FeatureTarget | FeatureTargetCanonical> | undefined | null,
  fallback: () => FeatureTargetCanonical,
): Previewable<FeatureTargetCanonical> {
  if (target === undefined || target === null) return fallback();
  if (typeof target !== "object") return target;
  return { id: canonicalId(target.id), targetType: target.targetType };
}

/** The canonical configuration from a Graph GET (v1.0 or beta; numberMatchingRequiredState dropped). */
export function authenticatorFromGraph(
  config: GraphAuthenticatorConfiguration,
): AuthenticatorSettings {
  const featureSettings: AuthenticatorFeatureSettings = {};
  for (const name of FEATURE_SETTING_NAMES) {
    const setting = config.featureSettings?.[name];
    // v1.0 always knows the display settings; the beta-only ones count only when returned.
    if (setting === undefined && BETA_FEATURE_SETTINGS.includes(name)) continue;
    featureSettings[name] = featureSettingFromGraph(setting);
  }
  return {
    // Graph always returns a state; a configuration not reported as enabled lets nobody use it.
    state: config.state ?? "disabled",
    includeTargets: sortTargets(
      (config.includeTargets ?? []).map((target) => ({
        id: canonicalId(target.id ?? ""),
        targetType: target.targetType ?? "unknownFutureValue",
        authenticationMode: target.authenticationMode ?? DEFAULT_AUTHENTICATION_MODE,
        isRegistrationRequired: target.isRegistrationRequired ?? DEFAULT_IS_REGISTRATION_REQUIRED,
      })),
    ),
    excludeTargets: sortTargets(
      (config.excludeTargets ?? []).map((target) => ({
        id: canonicalId(target.id ?? ""),
        targetType: target.targetType ?? "unknownFutureValue",
      })),
    ),
    isSoftwareOathEnabled: config.isSoftwareOathEnabled ?? GRAPH_DEFAULT_IS_SOFTWARE_OATH_ENABLED,
    featureSettings,
  };
}

function featureSettingFromGraph(
  setting: Graph.AuthenticationMethodFeatureConfiguration | null | undefined,
): FeatureSettingCanonical {
  if (setting === undefined || setting === null) return graphDefaultFeatureSetting();
  return {
    state: setting.state ?? "default",
    includeTarget: {
      id: canonicalId(setting.includeTarget?.id ?? ALL_USERS),
      targetType: setting.includeTarget?.targetType ?? "group",
    },
    excludeTarget: {
      id: canonicalId(setting.excludeTarget?.id ?? NIL_GUID),
      targetType: setting.excludeTarget?.targetType ?? "group",
    },
  };
}

/** Beta when a beta-only feature setting is managed, v1.0 otherwise (reads and writes alike). */
export function authenticatorGraphVersion(
  settings: Pick<AuthenticatorSettings, "featureSettings">,
): GraphVersion {
  return BETA_FEATURE_SETTINGS.some((name) => settings.featureSettings[name] !== undefined)
    ? "beta"
    : "v1.0";
}

/**
 * The PATCH for .../authenticationMethodConfigurations/MicrosoftAuthenticator: `@odata.type` (which
 * Graph requires), the full target collections, and only the managed optional parts. Never
 * numberMatchingRequiredState.
 */
export function authenticatorToGraphPatch(
  settings: AuthenticatorSettings,
): GraphWrite<AuthenticatorPatchBody> {
  const featureSettings: NonNullable<AuthenticatorPatchBody["featureSettings"]> = {};
  for (const name of FEATURE_SETTING_NAMES) {
    const setting = settings.featureSettings[name];
    if (setting === undefined) continue;
    featureSettings[name] = {
      state: setting.state,
      includeTarget: { id: setting.includeTarget.id, targetType: setting.includeTarget.targetType },
      excludeTarget: { id: setting.excludeTarget.id, targetType: setting.excludeTarget.targetType },
    };
  }
  const body: AuthenticatorPatchBody = {
    "@odata.type": AUTHENTICATOR_ODATA_TYPE,
    state: settings.state,
    includeTargets: settings.includeTargets.map((target) => ({
      id: target.id,
      targetType: target.targetType,
      authenticationMode: target.authenticationMode,
      isRegistrationRequired: target.isRegistrationRequired,
    })),
    excludeTargets: settings.excludeTargets.map((target) => ({
      id: target.id,
      targetType: target.targetType,
    })),
    ...(settings.isSoftwareOathEnabled === undefined
      ? {}
      : { isSoftwareOathEnabled: settings.isSoftwareOathEnabled }),
    ...(Object.keys(featureSettings).length === 0 ? {} : { featureSettings }),
  };
  return { version: authenticatorGraphVersion(settings), body };
}

/** Per-property differences, declared versus actual, on canonical forms. */
export function diffAuthenticator(
  declared: AuthenticatorLike,
  actual: AuthenticatorLike,
): PropertyChange[] {
  const actualCanonical =
    "onDelete" in actual && actual.onDelete !== undefined
      ? normalizeAuthenticatorArgs(actual)
      : normalizeAuthenticatorSettings(actual);
  return compareCanonical(normalizeAuthenticatorArgs(declared), actualCanonical, {
    arguments: COMPARED_AUTHENTICATOR_ARGUMENTS,
    providerOnly: PROVIDER_ONLY_ARGUMENTS,
  });
}
