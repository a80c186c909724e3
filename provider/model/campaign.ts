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
import { canonicalId, isUnknown, type UnknownValue } from "./ids";
import { checkOnDelete, onDeleteOrDefault } from "./onDelete";
import {
  checkIncludeExcludeOverlap,
  checkIncludeNotEmpty,
  checkTargetList,
  compareStrings,
  normalizeList,
  sortTargets,
} from "./targets";
import type {
  CampaignExcludeTarget,
  CampaignIncludeTarget,
  CampaignInputs,
  CampaignPatchBody,
  CampaignSettings,
  CampaignSettingsRead,
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
  "targetedAuthenticationMethod",
  "snoozeDurationInDays",
  "enforceRegistrationAfterAllowedSnoozes",
  "includeTargets",
  "excludeTargets",
  "passkeyMigrationOptOut",
  "onDelete",
  "strictEligibility",
  "failOnExternalChange",
] as const;

/**
 * The campaign's methods, as written (graph-contract-passkeys.md §1: the HOWTO's v1.0 examples
 * write lower-case "fido2"; the Graph reference spells it "Fido2", so reads compare any case).
 */
export const CAMPAIGN_METHODS = ["microsoftAuthenticator", "fido2"] as const;

/** What "targetedAuthenticationMethod" becomes when include targets read from Graph disagree. */
export const MIXED_METHODS_SEPARATOR = "+";

/** The canonical spelling of a method: any case of a known method → its documented spelling. */
export function canonicalMethod(value: string): string {
  return CAMPAIGN_METHODS.find((method) => method.toLowerCase() === value.toLowerCase()) ?? value;
}

/** Whether a campaign method names passkeys (any case, "Fido2" included). */
export function isPasskeyMethod(value: unknown): boolean {
  return typeof value === "string" && canonicalMethod(value) === "fido2";
}

/** The date from which passkeyMigrationOptOut no longer delays anything (SMSRET, §7). */
export const PASSKEY_MIGRATION_OPT_OUT_ENDS = "2027-02-01";

/** What the method, snooze days and snooze limit mean under "default" (HOWTO, contract §2). */
const MICROSOFT_DECIDES =
  `while state is "default" (Microsoft managed), Microsoft decides the targeted method, the snooze days and the snooze limit ` +
  `("set automatically and can't be configured"), and since 2026 it moves campaigns to passkeys. ` +
  `Set state to "enabled" to pin them (the only predictable choice), or remove this argument.`;

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
  const microsoftManaged = raw.state === "default";
  for (const name of [
    "targetedAuthenticationMethod",
    "snoozeDurationInDays",
    "enforceRegistrationAfterAllowedSnoozes",
  ] as const) {
    if (microsoftManaged && raw[name] !== undefined && raw[name] !== null) {
      collector.add(name, `is declared, but ${MICROSOFT_DECIDES}`);
    }
  }
  if (!microsoftManaged) checkSnooze(collector, raw.snoozeDurationInDays);
  if (!microsoftManaged) {
    checkBoolean(
      collector,
      "enforceRegistrationAfterAllowedSnoozes",
      raw.enforceRegistrationAfterAllowedSnoozes,
      "Use true (registration is required after 3 snoozes), false (unlimited snoozes), or omit it to leave the tenant's setting as it is.",
    );
  }
  const campaignMethod = microsoftManaged
    ? undefined
    : checkMethod(collector, "targetedAuthenticationMethod", raw.targetedAuthenticationMethod);
  const targetMethods: { path: string; method: string }[] = [];
  const included = checkTargetList(collector, raw.includeTargets, {
    list: "includeTargets",
    where: "campaign",
    keys: ["id", "targetType", "targetedAuthenticationMethod"],
    checkMore: (problems, path, target) => {
      const methodPath = `${path}.targetedAuthenticationMethod`;
      if (microsoftManaged) {
        if (target.targetedAuthenticationMethod !== undefined) {
          problems.add(methodPath, `is declared, but ${MICROSOFT_DECIDES}`);
        }
        return;
      }
      const method = checkMethod(problems, methodPath, target.targetedAuthenticationMethod);
      if (method !== undefined) targetMethods.push({ path: methodPath, method });
    },
  });
  checkOneMethod(collector, campaignMethod, targetMethods);
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
  checkBoolean(
    collector,
    "passkeyMigrationOptOut",
    raw.passkeyMigrationOptOut,
    `Use true to delay Microsoft's move of this tenant to passkeys (possible only until ${PASSKEY_MIGRATION_OPT_OUT_ENDS}), false to let it happen, or omit it to leave the tenant's setting as it is.`,
  );
  checkOnDelete(collector, raw.onDelete);
  checkBoolean(
    collector,
    "strictEligibility",
    raw.strictEligibility,
    "Use true to fail the preview when campaign targets cannot be nudged (not enabled for the campaign's method: Microsoft Authenticator in mode any or push, or passkeys with self-service setup), false (the default) to warn.",
  );
  checkFailOnExternalChange(collector, raw.failOnExternalChange);
  return collector.problems;
}

/**
 * A declared method: any case of "microsoftAuthenticator" or "fido2" (Graph's own documentation
 * spells it both ways). Returns its canonical spelling when valid.
 */
function checkMethod(
  collector: ProblemCollector,
  path: string,
  value: unknown,
): string | undefined {
  if (value === undefined || value === null || isUnknown(value)) return undefined;
  const choices = `"microsoftAuthenticator" (the default) or "fido2" (a passkey)`;
  if (typeof value !== "string") {
    collector.add(path, `${describeValue(value)} is not a string. Use ${choices}.`);
    return undefined;
  }
  const method = canonicalMethod(value);
  if ((CAMPAIGN_METHODS as readonly string[]).includes(method)) return method;
  const passkeyWords = ["passkey", "passkeys", "passkeysfido2", "fido", "securitykey"];
  collector.add(
    path,
    passkeyWords.includes(value.toLowerCase())
      ? `${describeValue(value)} is not a method name Graph knows; passkeys are "fido2". Use ${choices}.`
      : `${describeValue(value)} is not a targeted authentication method. Use ${choices}.`,
  );
  return undefined;
}

/**
 * One method per campaign (HOWTO: "The registration campaign can target one authentication method
 * at a time"): a target may repeat the campaign's method, never name another.
 */
function checkOneMethod(
  collector: ProblemCollector,
  campaignMethod: string | undefined,
  targetMethods: readonly { path: string; method: string }[],
): void {
  const expected = campaignMethod ?? targetMethods[0]?.method;
  const from =
    campaignMethod !== undefined
      ? `the campaign's targetedAuthenticationMethod ${JSON.stringify(campaignMethod)}`
      : `${targetMethods[0]?.path} (${JSON.stringify(expected)})`;
  for (const { path, method } of targetMethods) {
    if (method === expected) continue;
    collector.add(
      path,
      `${JSON.stringify(method)} differs from ${from}: one method per campaign ` +
        `(Microsoft runs a campaign for Microsoft Authenticator or for passkeys, never both at once). ` +
        `Set targetedAuthenticationMethod once on the campaign and remove it from the targets.`,
    );
  }
}

function checkSnooze(collector: ProblemCollector, value: unknown): void {
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

/**
 * The canonical form of the part of the campaign that lives in Graph. Under state "default"
 * Microsoft decides the method and the snoozes: a declaration leaves them absent (not managed);
 * settings read from Graph keep them.
 */
export function normalizeCampaignSettings(args: CampaignLike): PreviewInputs<CampaignSettings> {
  const enforce = args.enforceRegistrationAfterAllowedSnoozes;
  const optOut = "passkeyMigrationOptOut" in args ? args.passkeyMigrationOptOut : undefined;
  const method = campaignMethodOf(args);
  const snooze =
    args.snoozeDurationInDays ??
    (args.state === "default" ? undefined : DEFAULT_SNOOZE_DURATION_IN_DAYS);
  return {
    state: args.state,
    ...(method === undefined ? {} : { targetedAuthenticationMethod: method }),
    ...(snooze === undefined ? {} : { snoozeDurationInDays: snooze }),
    ...(enforce === undefined || enforce === null
      ? {}
      : { enforceRegistrationAfterAllowedSnoozes: enforce }),
    includeTargets: normalizeList<
      CampaignIncludeTargetArgs | CampaignIncludeTarget,
      CampaignIncludeTarget
    >(
      args.includeTargets,
      () => defaultIncludeTargets(method),
      (target) => normalizeIncludeTarget(target, method),
    ),
    excludeTargets: normalizeList<ExcludeTargetArgs | CampaignExcludeTarget, CampaignExcludeTarget>(
      args.excludeTargets,
      () => [],
      normalizeExcludeTarget,
    ),
    ...(optOut === undefined || optOut === null ? {} : { passkeyMigrationOptOut: optOut }),
  };
}

/**
 * The campaign's method: declared on the campaign, else the one its targets name, else the
 * default; absent under state "default" when nothing names one (Microsoft decides).
 */
function campaignMethodOf(args: CampaignLike): string | UnknownValue | undefined {
  const declared = args.targetedAuthenticationMethod;
  if (isUnknown(declared)) return declared;
  if (typeof declared === "string") return canonicalMethod(declared);
  const fromTargets = Array.isArray(args.includeTargets)
    ? args.includeTargets
        .map((target) =>
          typeof target === "object" && target !== null
            ? target.targetedAuthenticationMethod
            : undefined,
        )
        .find((method) => typeof method === "string")
    : undefined;
  if (fromTargets !== undefined)
    return isUnknown(fromTargets) ? fromTargets : canonicalMethod(fromTargets);
  return args.state === "default" ? undefined : DEFAULT_TARGETED_AUTHENTICATION_METHOD;
}

function defaultIncludeTargets(method: string | UnknownValue | undefined): CampaignIncludeTarget[] {
  return defaultCampaignIncludeTargets().map((target) =>
    method === undefined || isUnknown(method)
      ? { id: target.id, targetType: target.targetType }
      : { ...target, targetedAuthenticationMethod: method },
  );
}

function normalizeIncludeTarget(
  target: Previewable<CampaignIncludeTargetArgs | CampaignIncludeTarget>,
  campaignMethod: string | UnknownValue | undefined,
): Previewable<CampaignIncludeTarget> {
  if (typeof target !== "object" || target === null) return target;
  const own = target.targetedAuthenticationMethod;
  // A declaration's targets all carry the campaign's method (validation refused any other); a
  // target read from Graph keeps its own, so that a mixed campaign is restored as it was.
  const method =
    typeof own === "string" && !isUnknown(own) ? canonicalMethod(own) : (own ?? campaignMethod);
  return {
    id: canonicalId(target.id),
    targetType: target.targetType,
    ...(method === undefined ? {} : { targetedAuthenticationMethod: method }),
  };
}

function normalizeExcludeTarget(
  target: Previewable<ExcludeTargetArgs | CampaignExcludeTarget>,
): Previewable<CampaignExcludeTarget> {
  if (typeof target !== "object" || target === null) return target;
  return { id: canonicalId(target.id), targetType: target.targetType };
}

/** The method a campaign read from Graph targets: the one its targets name, or all of them joined. */
export function methodOfTargets(targets: readonly CampaignIncludeTarget[]): string {
  const methods = [
    ...new Set(
      targets.map((target) =>
        canonicalMethod(
          target.targetedAuthenticationMethod ?? DEFAULT_TARGETED_AUTHENTICATION_METHOD,
        ),
      ),
    ),
  ].sort(compareStrings);
  return methods.length === 0
    ? DEFAULT_TARGETED_AUTHENTICATION_METHOD
    : methods.join(MIXED_METHODS_SEPARATOR);
}

/**
 * The canonical campaign from a Graph GET of the policy (v1.0 or beta; null parts → Graph's
 * defaults). Methods are read in any case ("Fido2", "fido2"). `version` "beta" reads
 * passkeyMigrationOptOut (absent optOutSettings = not opted out); v1.0 does not have it.
 */
export function campaignFromGraph(
  policy: GraphAuthenticationMethodsPolicy | null | undefined,
  version?: GraphVersion,
): CampaignSettingsRead {
  const campaign = policy?.registrationEnforcement?.authenticationMethodsRegistrationCampaign;
  const enforce = campaign?.enforceRegistrationAfterAllowedSnoozes;
  const include: CampaignIncludeTarget[] =
    campaign?.includeTargets === undefined || campaign.includeTargets === null
      ? defaultCampaignIncludeTargets()
      : campaign.includeTargets.map((target) => ({
          id: canonicalId(target.id ?? ""),
          // Graph never omits a target's type; "unknownFutureValue" keeps a malformed answer visible.
          targetType: target.targetType ?? "unknownFutureValue",
          targetedAuthenticationMethod: canonicalMethod(
            target.targetedAuthenticationMethod ?? DEFAULT_TARGETED_AUTHENTICATION_METHOD,
          ),
        }));
  const exclude: CampaignExcludeTarget[] = (campaign?.excludeTargets ?? []).map((target) => ({
    id: canonicalId(target.id ?? ""),
    targetType: target.targetType ?? "unknownFutureValue",
  }));
  const optOut = policy?.optOutSettings?.passkeyDynamicMigration;
  return {
    state: campaign?.state ?? GRAPH_DEFAULT_CAMPAIGN_STATE,
    targetedAuthenticationMethod: methodOfTargets(include),
    snoozeDurationInDays: campaign?.snoozeDurationInDays ?? DEFAULT_SNOOZE_DURATION_IN_DAYS,
    ...(typeof enforce === "boolean" ? { enforceRegistrationAfterAllowedSnoozes: enforce } : {}),
    includeTargets: sortTargets(include),
    excludeTargets: sortTargets(exclude),
    ...(typeof optOut === "boolean"
      ? { passkeyMigrationOptOut: optOut }
      : version === "beta"
        ? { passkeyMigrationOptOut: false }
        : {}),
  };
}

/**
 * Which endpoint reads and writes this campaign: beta when enforceRegistrationAfterAllowedSnoozes
 * or passkeyMigrationOptOut is managed (they exist only there), v1.0 otherwise (passkey targeting
 * is documented on v1.0, contract-passkeys §1).
 */
export function campaignGraphVersion(
  settings: Pick<
    CampaignSettings,
    "enforceRegistrationAfterAllowedSnoozes" | "passkeyMigrationOptOut"
  >,
): GraphVersion {
  return settings.enforceRegistrationAfterAllowedSnoozes === undefined &&
    settings.passkeyMigrationOptOut === undefined
    ? "v1.0"
    : "beta";
}

/**
 * The writes for /policies/authenticationMethodsPolicy: `registrationEnforcement` (never another
 * part of the policy) with the campaign in full (collections are replaced wholesale by Graph),
 * every include target with the campaign's method in the documented lower case, and
 * enforceRegistrationAfterAllowedSnoozes only when managed; `optOutSettings`, when managed, is
 * written in a PATCH of its own (the provider sends it after the campaign).
 *
 * Under state "default" (Microsoft managed) the method, the snooze days and the limited snoozes
 * "are set automatically and can't be configured"; only include and exclude targets are the
 * admin's (the 2026 HOWTO, graph-contract.md §2.8, graph-contract-passkeys.md §1): the PATCH then
 * sends the state and the targets only, without a method on any target.
 */
export function campaignToGraphPatch(
  settings: CampaignSettings,
  before?: CampaignSettings,
): GraphWrite<CampaignPatchBody> {
  const snooze = settings.snoozeDurationInDays ?? before?.snoozeDurationInDays;
  const methodBefore = (id: string): string | undefined => {
    const found = before?.includeTargets.find((target) => target.id === id);
    if (found?.targetedAuthenticationMethod !== undefined)
      return found.targetedAuthenticationMethod;
    const common = before?.targetedAuthenticationMethod;
    return common !== undefined && !common.includes(MIXED_METHODS_SEPARATOR) ? common : undefined;
  };
  const managed = settings.state === "default";
  const campaign: GraphCampaign = {
    state: settings.state,
    ...(snooze === undefined || managed ? {} : { snoozeDurationInDays: snooze }),
    ...(settings.enforceRegistrationAfterAllowedSnoozes === undefined || managed
      ? {}
      : {
          enforceRegistrationAfterAllowedSnoozes: settings.enforceRegistrationAfterAllowedSnoozes,
        }),
    includeTargets: settings.includeTargets.map((target) => {
      const method = managed
        ? undefined
        : (target.targetedAuthenticationMethod ?? methodBefore(target.id));
      return {
        id: target.id,
        targetType: target.targetType,
        ...(method === undefined ? {} : { targetedAuthenticationMethod: method }),
      };
    }),
    excludeTargets: settings.excludeTargets.map((target) => ({
      id: target.id,
      targetType: target.targetType,
    })),
  };
  return {
    version: campaignGraphVersion(settings),
    body: {
      registrationEnforcement: { authenticationMethodsRegistrationCampaign: campaign },
      ...(settings.passkeyMigrationOptOut === undefined
        ? {}
        : { optOutSettings: { passkeyDynamicMigration: settings.passkeyMigrationOptOut } }),
    },
  };
}

/**
 * What a valid declaration should still be told: passkeyMigrationOptOut delays Microsoft's move to
 * passkeys only until 2027-02-01 (SMSRET, graph-contract-passkeys.md §7), then does nothing.
 */
export function campaignWarnings(
  inputs: Pick<PreviewInputs<CampaignInputs>, "passkeyMigrationOptOut">,
  today: Date,
): string[] {
  if (inputs.passkeyMigrationOptOut !== true) return [];
  const ended = today.toISOString().slice(0, 10) >= PASSKEY_MIGRATION_OPT_OUT_ENDS;
  return [
    ended
      ? `passkeyMigrationOptOut: true has no effect any more: the opt-out delayed Microsoft's move to passkeys only until ${PASSKEY_MIGRATION_OPT_OUT_ENDS}, ` +
        `when users whose only MFA method is SMS or voice get a blocking passkey prompt. Plan the move with a PasskeyPolicy and targetedAuthenticationMethod "fido2", and remove passkeyMigrationOptOut.`
      : `passkeyMigrationOptOut: true delays Microsoft's move of this tenant to passkeys only until ${PASSKEY_MIGRATION_OPT_OUT_ENDS}; from then it has no effect, ` +
        `and users whose only MFA method is SMS or voice get a blocking passkey prompt. Plan the move (docs/passkeys.md) before then.`,
  ];
}

/** Include targets without their per-target method: the campaign-wide method stands for them. */
function withoutTargetMethods(
  canonical: PreviewInputs<CampaignInputs> | PreviewInputs<CampaignSettings>,
): Record<string, unknown> {
  const targets = canonical.includeTargets;
  return {
    ...canonical,
    includeTargets: Array.isArray(targets)
      ? targets.map((target) => {
          if (typeof target !== "object" || target === null) return target;
          const rest: Record<string, unknown> = { ...target };
          delete rest.targetedAuthenticationMethod;
          return rest;
        })
      : targets,
  };
}

/**
 * A campaign to hold under state "default" (Microsoft managed) without what Microsoft sets there:
 * the method, the snooze days and the snooze limit "are set automatically and can't be configured"
 * (HOWTO, graph-contract-passkeys.md §2), so they are never written then (campaignToGraphPatch)
 * and never compared. A declaration has none already; settings read from Graph (what a destroy
 * restores, what it reads back to confirm a restore whose answer was lost) do, and a restore to
 * Microsoft managed gets them back as Microsoft sets them, not as they were found.
 */
function withoutMicrosoftManaged(
  canonical: PreviewInputs<CampaignInputs>,
): PreviewInputs<CampaignInputs> {
  if (canonical.state !== "default") return canonical;
  const rest = { ...canonical };
  delete rest.targetedAuthenticationMethod;
  delete rest.snoozeDurationInDays;
  delete rest.enforceRegistrationAfterAllowedSnoozes;
  return rest;
}

/**
 * Per-property differences, declared versus actual, on canonical forms. The method is compared
 * once, campaign-wide (`targetedAuthenticationMethod`), never per target, and never on case.
 */
export function diffCampaign(declared: CampaignLike, actual: CampaignLike): PropertyChange[] {
  // onDelete is compared only when the actual side has one (outputs do, Graph does not).
  const actualCanonical =
    "onDelete" in actual && actual.onDelete !== undefined
      ? normalizeCampaignArgs(actual)
      : normalizeCampaignSettings(actual);
  return compareCanonical(
    withoutTargetMethods(withoutMicrosoftManaged(normalizeCampaignArgs(declared))),
    withoutTargetMethods(actualCanonical),
    {
      arguments: COMPARED_CAMPAIGN_ARGUMENTS,
      providerOnly: PROVIDER_ONLY_ARGUMENTS,
    },
  );
}
