// RegistrationCampaign: validation, the canonical form, the mapping from and to Graph's
// `registrationEnforcement.authenticationMethodsRegistrationCampaign`, and its comparison.
import { compareCanonical, type PropertyChange } from "./compare";
import {
  DEFAULT_SNOOZE_DURATION_IN_DAYS,
  DEFAULT_TARGETED_AUTHENTICATION_METHOD,
  GRAPH_DEFAULT_CAMPAIGN_STATE,
  PROVIDER_ONLY_ARGUMENTS,
  SNOOZE_MAX,
  UPDATE_SETTING_ARGUMENTS,
  SNOOZE_MIN,
  defaultCampaignIncludeTargets,
} from "./defaults";
import { checkFailOnExternalChange, failOnExternalChangeInput } from "./externalChange";
import { canonicalId, isUnknown } from "./ids";
import { checkOnDelete, onDeleteOrDefault } from "./onDelete";
import {
  checkIncludeExcludeOverlap,
  checkIncludeNotEmpty,
  checkTargetList,
  normalizeList,
  sortTargets,
} from "./targets";
import type {
  CampaignExcludeTarget,
  CampaignIncludeTarget,
  CampaignInputs,
  CampaignPatchBody,
  CampaignSettings,
  CampaignIncludeTargetArgs,
  ExcludeTargetArgs,
  GraphAuthenticationMethodsPolicy,
  GraphCampaign,
  GraphVersion,
  GraphWrite,
  PreviewInputs,
  Previewable,
  RegistrationCampaignArgs,
} from "./types";
import {
  ProblemCollector,
  checkBoolean,
  checkEnum,
  checkKnownKeys,
  describeValue,
  isRecord,
  type ValidationProblem,
} from "./validation";

export const CAMPAIGN_ARGUMENTS = [
  "state",
  "snoozeDurationInDays",
  "enforceRegistrationAfterAllowedSnoozes",
  "includeTargets",
  "excludeTargets",
  "onDelete",
  "strictEligibility",
  "failOnExternalChange",
] as const;

/** The arguments a diff compares (failOnExternalChange only steers updates: defaults.ts). */
const COMPARED_CAMPAIGN_ARGUMENTS = CAMPAIGN_ARGUMENTS.filter(
  (name) => !(UPDATE_SETTING_ARGUMENTS as readonly string[]).includes(name),
);

/** Every problem in a RegistrationCampaign's arguments; unknown (preview) values are skipped. */
export function validateCampaignArgs(raw: unknown): ValidationProblem[] {
  const collector = new ProblemCollector();
  if (!isRecord(raw)) {
    collector.add(
      "",
      `RegistrationCampaign arguments must be an object such as { state: "enabled" }, got ${describeValue(raw)}.`,
    );
    return collector.problems;
  }
  checkKnownKeys(collector, "", raw, CAMPAIGN_ARGUMENTS, "a RegistrationCampaign argument", {}, [
    "__provider",
  ]);
  checkEnum(collector, "state", raw.state, {
    what: "campaign state",
    allowed: ["enabled", "disabled", "default"],
    choices: `"enabled", "disabled" or "default" (Microsoft managed)`,
    requiredFix: `Use "enabled" to run the campaign, "disabled" to stop it, or "default" to let Microsoft manage it.`,
    explained: {
      microsoftManaged: `is the portal's wording; Graph calls Microsoft managed "default". Use "default".`,
    },
  });
  checkSnooze(collector, raw.snoozeDurationInDays, raw.state);
  const enforce = checkBoolean(
    collector,
    "enforceRegistrationAfterAllowedSnoozes",
    raw.enforceRegistrationAfterAllowedSnoozes,
    "Use true (registration is required after 3 snoozes), false (unlimited snoozes), or omit it to leave the tenant's setting as it is.",
  );
  if (
    enforce === "ok" &&
    raw.state === "default" &&
    raw.enforceRegistrationAfterAllowedSnoozes === false
  ) {
    collector.add(
      "enforceRegistrationAfterAllowedSnoozes",
      `false has no effect while state is "default": Microsoft-managed campaigns always require registration after 3 snoozes. ` +
        `Set state to "enabled" to allow unlimited snoozes, or remove this argument.`,
    );
  }
  const included = checkTargetList(collector, raw.includeTargets, {
    list: "includeTargets",
    where: "campaign",
    keys: ["id", "targetType", "targetedAuthenticationMethod"],
    checkMore: (problems, path, target) =>
      checkEnum(
        problems,
        `${path}.targetedAuthenticationMethod`,
        target.targetedAuthenticationMethod,
        {
          what: "targeted authentication method",
          allowed: ["microsoftAuthenticator"],
          choices: `"microsoftAuthenticator", or omit it (the default)`,
          explained: Object.fromEntries(
            ["fido2", "passkeysFido2"].map((bad) => [
              bad,
              `is not supported: this package runs the Microsoft Authenticator campaign. Use "microsoftAuthenticator", or omit it.`,
            ]),
          ),
        },
      ),
  });
  const excluded = checkTargetList(collector, raw.excludeTargets, {
    list: "excludeTargets",
    where: "campaign",
    keys: ["id", "targetType"],
    allUsersRefused:
      `would exclude everyone. To stop the campaign set state to "disabled"; ` +
      `to exclude some users, list their groups' or their own object ids.`,
  });
  checkIncludeExcludeOverlap(collector, included, excluded);
  checkIncludeNotEmpty(collector, raw.state, raw.includeTargets, "nobody would be nudged");
  checkOnDelete(collector, raw.onDelete);
  checkBoolean(
    collector,
    "strictEligibility",
    raw.strictEligibility,
    "Use true to fail the preview when campaign targets cannot be nudged (not enabled for Microsoft Authenticator, or only in Passwordless mode), false (the default) to warn.",
  );
  checkFailOnExternalChange(collector, raw.failOnExternalChange);
  return collector.problems;
}

function checkSnooze(collector: ProblemCollector, value: unknown, state: unknown): void {
  const path = "snoozeDurationInDays";
  const fix = `Use a whole number of days from ${SNOOZE_MIN} (prompt at every sign-in) to ${SNOOZE_MAX}.`;
  if (value === undefined || value === null || isUnknown(value)) return;
  if (typeof value === "string") {
    const parsed = Number(value);
    const usable = value.trim() !== "" && Number.isInteger(parsed);
    collector.add(
      path,
      usable
        ? `${describeValue(value)} is a string. Use the number ${parsed} (no quotes), from ${SNOOZE_MIN} to ${SNOOZE_MAX}.`
        : `${describeValue(value)} is not a number. ${fix}`,
    );
    return;
  }
  if (typeof value !== "number" || Number.isNaN(value)) {
    collector.add(path, `${describeValue(value)} is not a number. ${fix}`);
    return;
  }
  if (value < SNOOZE_MIN || value > SNOOZE_MAX) {
    collector.add(
      path,
      `${value} is outside ${SNOOZE_MIN}–${SNOOZE_MAX}. Use 0 to prompt at every sign-in, or at most ${SNOOZE_MAX} days.`,
    );
    return;
  }
  if (!Number.isInteger(value)) {
    collector.add(
      path,
      `${value} is not a whole number of days. Use ${Math.floor(value)} or ${Math.ceil(value)}.`,
    );
    return;
  }
  if (state === "default" && value !== DEFAULT_SNOOZE_DURATION_IN_DAYS) {
    collector.add(
      path,
      `${value} has no effect while state is "default": Microsoft-managed campaigns always snooze for ${DEFAULT_SNOOZE_DURATION_IN_DAYS} day. ` +
        `Set state to "enabled" to choose the snooze duration, or remove snoozeDurationInDays.`,
    );
  }
}

/** Anything shaped like campaign arguments: declared args, canonical inputs, settings read back. */
export type CampaignLike = PreviewInputs<
  RegistrationCampaignArgs | CampaignInputs | CampaignSettings
>;

/**
 * The canonical form of validated arguments: explicit defaults, lower-case GUIDs, sorted targets.
 * `enforceRegistrationAfterAllowedSnoozes` stays absent when omitted (not managed).
 * Total on any input (state written by older versions included): unexpected values pass through.
 */
export function normalizeCampaignArgs(args: CampaignLike): PreviewInputs<CampaignInputs> {
  const strict = "strictEligibility" in args ? args.strictEligibility : undefined;
  return {
    ...normalizeCampaignSettings(args),
    onDelete: onDeleteOrDefault("onDelete" in args ? args.onDelete : undefined),
    // Absent when omitted, like onDelete's absence in older state: false and omitted mean the same.
    ...(strict === undefined || strict === null ? {} : { strictEligibility: strict }),
    ...failOnExternalChangeInput(
      "failOnExternalChange" in args ? args.failOnExternalChange : undefined,
    ),
  };
}

/** The canonical form of the part of the campaign that lives in Graph. */
export function normalizeCampaignSettings(args: CampaignLike): PreviewInputs<CampaignSettings> {
  const enforce = args.enforceRegistrationAfterAllowedSnoozes;
  return {
    state: args.state,
    snoozeDurationInDays: args.snoozeDurationInDays ?? DEFAULT_SNOOZE_DURATION_IN_DAYS,
    ...(enforce === undefined || enforce === null
      ? {}
      : { enforceRegistrationAfterAllowedSnoozes: enforce }),
    includeTargets: normalizeList<
      CampaignIncludeTargetArgs | CampaignIncludeTarget,
      CampaignIncludeTarget
    >(args.includeTargets, defaultCampaignIncludeTargets, normalizeIncludeTarget),
    excludeTargets: normalizeList<ExcludeTargetArgs | CampaignExcludeTarget, CampaignExcludeTarget>(
      args.excludeTargets,
      () => [],
      normalizeExcludeTarget,
    ),
  };
}

function normalizeIncludeTarget(
  target: Previewable<CampaignIncludeTargetArgs | CampaignIncludeTarget>,
): Previewable<CampaignIncludeTarget> {
  if (typeof target !== "object" || target === null) return target;
  return {
    id: canonicalId(target.id),
    targetType: target.targetType,
    targetedAuthenticationMethod:
      target.targetedAuthenticationMethod ?? DEFAULT_TARGETED_AUTHENTICATION_METHOD,
  };
}

function normalizeExcludeTarget(
  target: Previewable<ExcludeTargetArgs | CampaignExcludeTarget>,
): Previewable<CampaignExcludeTarget> {
  if (typeof target !== "object" || target === null) return target;
  return { id: canonicalId(target.id), targetType: target.targetType };
}

/** The canonical campaign from a Graph GET of the policy (v1.0 or beta; null parts → Graph's defaults). */
export function campaignFromGraph(
  policy: GraphAuthenticationMethodsPolicy | null | undefined,
): CampaignSettings {
  const campaign = policy?.registrationEnforcement?.authenticationMethodsRegistrationCampaign;
  const enforce = campaign?.enforceRegistrationAfterAllowedSnoozes;
  const include: CampaignIncludeTarget[] =
    campaign?.includeTargets === undefined || campaign.includeTargets === null
      ? defaultCampaignIncludeTargets()
      : campaign.includeTargets.map((target) => ({
          id: canonicalId(target.id ?? ""),
          // Graph never omits a target's type; "unknownFutureValue" keeps a malformed answer visible.
          targetType: target.targetType ?? "unknownFutureValue",
          targetedAuthenticationMethod:
            target.targetedAuthenticationMethod ?? DEFAULT_TARGETED_AUTHENTICATION_METHOD,
        }));
  const exclude: CampaignExcludeTarget[] = (campaign?.excludeTargets ?? []).map((target) => ({
    id: canonicalId(target.id ?? ""),
    targetType: target.targetType ?? "unknownFutureValue",
  }));
  return {
    state: campaign?.state ?? GRAPH_DEFAULT_CAMPAIGN_STATE,
    snoozeDurationInDays: campaign?.snoozeDurationInDays ?? DEFAULT_SNOOZE_DURATION_IN_DAYS,
    ...(typeof enforce === "boolean" ? { enforceRegistrationAfterAllowedSnoozes: enforce } : {}),
    includeTargets: sortTargets(include),
    excludeTargets: sortTargets(exclude),
  };
}

/**
 * Which endpoint reads and writes this campaign: beta when enforceRegistrationAfterAllowedSnoozes
 * is managed (it exists only there), v1.0 otherwise.
 */
export function campaignGraphVersion(
  settings: Pick<CampaignSettings, "enforceRegistrationAfterAllowedSnoozes">,
): GraphVersion {
  return settings.enforceRegistrationAfterAllowedSnoozes === undefined ? "v1.0" : "beta";
}

/**
 * The PATCH for /policies/authenticationMethodsPolicy: only `registrationEnforcement` (never another
 * part of the policy), the campaign in full (collections are replaced wholesale by Graph), and
 * enforceRegistrationAfterAllowedSnoozes only when managed.
 */
export function campaignToGraphPatch(settings: CampaignSettings): GraphWrite<CampaignPatchBody> {
  const campaign: GraphCampaign = {
    state: settings.state,
    snoozeDurationInDays: settings.snoozeDurationInDays,
    ...(settings.enforceRegistrationAfterAllowedSnoozes === undefined
      ? {}
      : {
          enforceRegistrationAfterAllowedSnoozes: settings.enforceRegistrationAfterAllowedSnoozes,
        }),
    includeTargets: settings.includeTargets.map((target) => ({
      id: target.id,
      targetType: target.targetType,
      targetedAuthenticationMethod: target.targetedAuthenticationMethod,
    })),
    excludeTargets: settings.excludeTargets.map((target) => ({
      id: target.id,
      targetType: target.targetType,
    })),
  };
  return {
    version: campaignGraphVersion(settings),
    body: { registrationEnforcement: { authenticationMethodsRegistrationCampaign: campaign } },
  };
}

/** Per-property differences, declared versus actual, on canonical forms. */
export function diffCampaign(declared: CampaignLike, actual: CampaignLike): PropertyChange[] {
  // onDelete is compared only when the actual side has one (outputs do, Graph does not).
  const actualCanonical =
    "onDelete" in actual && actual.onDelete !== undefined
      ? normalizeCampaignArgs(actual)
      : normalizeCampaignSettings(actual);
  return compareCanonical(normalizeCampaignArgs(declared), actualCanonical, {
    arguments: COMPARED_CAMPAIGN_ARGUMENTS,
    providerOnly: PROVIDER_ONLY_ARGUMENTS,
  });
}
