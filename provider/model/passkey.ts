// PasskeyPolicy: validation, the canonical form, the mapping from and to Graph's
// fido2AuthenticationMethodConfiguration with passkey profiles (graph-contract-passkeys.md §4),
// the comparison, and the plan of writes that respects the service's profile rules.
//
// Profiles are declared by name (Graph gives them ids); include targets name profiles by name or
// id. Comparisons resolve ids to names through the tenant's profiles (or, in a recorded state, the
// `passkeyProfileIds` output), so a declaration by name and a tenant by id never differ falsely.
import { compareCanonical, type PropertyChange } from "./compare";
import {
  DEFAULT_IS_REGISTRATION_REQUIRED,
  PROVIDER_ONLY_ARGUMENTS,
  UPDATE_SETTING_ARGUMENTS,
} from "./defaults";
import { checkFailOnExternalChange, failOnExternalChangeInput } from "./externalChange";
import { checkMethodLossArgs, methodLossInputs } from "./methodLoss";
import { ALL_USERS, canonicalId, isGuid, isUnknown } from "./ids";
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
  ExcludeTargetArgs,
  GraphFido2Configuration,
  GraphVersion,
  PasskeyIncludeTarget,
  PasskeyIncludeTargetArgs,
  PasskeyInputs,
  PasskeyKeyRestrictions,
  PasskeyPolicyArgs,
  PasskeyProfile,
  PasskeyProfileArgs,
  PasskeySettings,
  PasskeyType,
  PreviewInputs,
  Previewable,
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

export const FIDO2_ODATA_TYPE = "#microsoft.graph.fido2AuthenticationMethodConfiguration";
/** The default profile's id in Graph's update example (§4 [doc]). */
export const DEFAULT_PASSKEY_PROFILE_ID = "00000000-0000-0000-0000-000000000001";
/** Up to 10 profiles per tenant (§4 [doc] whats-new). */
export const MAX_PASSKEY_PROFILES = 10;
export const PASSKEY_TYPES: readonly PasskeyType[] = ["deviceBound", "synced"];
/** The default profile's name in Graph's update example (§4 [doc]), for a configuration read before migration. */
const LEGACY_DEFAULT_PROFILE_NAME = "Default passkey profile";
/** DESIGN.md: a passkey campaign needs self-service setup, so it is on unless declared off. */
export const DEFAULT_IS_SELF_SERVICE_REGISTRATION_ALLOWED = true;

export const PASSKEY_ARGUMENTS = [
  "state",
  "isSelfServiceRegistrationAllowed",
  "passkeyProfiles",
  "includeTargets",
  "excludeTargets",
  "onDelete",
  "failOnExternalChange",
  "allowMethodLoss",
  "allowMethodLossFor",
] as const;

const COMPARED_PASSKEY_ARGUMENTS = PASSKEY_ARGUMENTS.filter(
  (name) => !(UPDATE_SETTING_ARGUMENTS as readonly string[]).includes(name),
);

const DEPRECATED =
  "is deprecated (Microsoft removes it in October 2027) and only mirrors the default passkey profile, so this package never writes it. " +
  "Declare it per profile instead: passkeyProfiles: [{ name, passkeyTypes, attestationEnforcement, keyRestrictions }].";

// ---- Validation ----

/** Every problem in a PasskeyPolicy's arguments, before any write; unknown (preview) values skipped. */
export function validatePasskeyArgs(raw: unknown): ValidationProblem[] {
  const collector = new ProblemCollector();
  if (!isRecord(raw)) {
    collector.add(
      "",
      `PasskeyPolicy arguments must be an object such as { state: "enabled" }, got ${describeValue(raw)}.`,
    );
    return collector.problems;
  }
  checkKnownKeys(
    collector,
    "",
    raw,
    PASSKEY_ARGUMENTS,
    "a PasskeyPolicy argument",
    { isAttestationEnforced: DEPRECATED, keyRestrictions: DEPRECATED },
    ["__provider"],
  );
  checkEnum(collector, "state", raw.state, {
    what: "state",
    allowed: ["enabled", "disabled"],
    requiredFix: `Use "enabled" to let the targeted users set up and use passkeys, or "disabled".`,
  });
  checkBoolean(
    collector,
    "isSelfServiceRegistrationAllowed",
    raw.isSelfServiceRegistrationAllowed,
    "Use true (the default: users can set up passkeys themselves, which a passkey campaign needs) or false.",
  );
  const names = checkProfiles(collector, raw.passkeyProfiles);
  const included = checkTargetList(collector, raw.includeTargets, {
    list: "includeTargets",
    where: "passkey",
    keys: ["id", "targetType", "isRegistrationRequired", "allowedPasskeyProfiles"],
    checkMore: (problems, path, target) => {
      checkBoolean(
        problems,
        propertyPath(path, "isRegistrationRequired"),
        target.isRegistrationRequired,
        "Use true or false (the default).",
      );
      checkProfileRefs(problems, propertyPath(path, "allowedPasskeyProfiles"), target, names);
    },
  });
  const excluded = checkTargetList(collector, raw.excludeTargets, {
    list: "excludeTargets",
    where: "passkey",
    keys: ["id", "targetType"],
    allUsersRefused:
      `would exclude everyone. To turn passkeys off set state to "disabled"; ` +
      `to exclude some users, list their groups' or their own object ids.`,
  });
  checkIncludeExcludeOverlap(collector, included, excluded);
  checkIncludeNotEmpty(collector, raw.state, raw.includeTargets, "no user could use passkeys");
  checkOnDelete(collector, raw.onDelete);
  checkFailOnExternalChange(collector, raw.failOnExternalChange);
  checkMethodLossArgs(collector, raw);
  return collector.problems;
}

/** The declared profile names (lower case), or undefined when the set is not declared or unknown. */
function checkProfiles(collector: ProblemCollector, value: unknown): Set<string> | undefined {
  if (value === undefined || value === null || isUnknown(value)) return undefined;
  if (!Array.isArray(value)) {
    collector.add(
      "passkeyProfiles",
      `${describeValue(value)} is not a list. Use e.g. [{ name: "Pilot", passkeyTypes: ["deviceBound", "synced"] }].`,
    );
    return undefined;
  }
  if (value.length > MAX_PASSKEY_PROFILES) {
    collector.add(
      "passkeyProfiles",
      `declares ${value.length} profiles; a tenant can have at most ${MAX_PASSKEY_PROFILES} (the default profile included). Merge profiles that allow the same passkeys.`,
    );
  }
  const names = new Set<string>();
  let complete = true;
  value.forEach((profile: unknown, index) => {
    const path = propertyPath("passkeyProfiles", index);
    if (isUnknown(profile)) {
      complete = false;
      return;
    }
    if (!isRecord(profile)) {
      collector.add(
        path,
        `${describeValue(profile)} is not a passkey profile. Use an object such as { name: "Pilot", passkeyTypes: ["deviceBound"] }.`,
      );
      return;
    }
    checkKnownKeys(
      collector,
      path,
      profile,
      // "id": the outputs (and a read's props) carry the ids Graph gave the profiles.
      ["name", "passkeyTypes", "attestationEnforcement", "keyRestrictions", "id"],
      "a passkey profile property",
    );
    const name = profile.name;
    if (isUnknown(name)) complete = false;
    else if (typeof name !== "string" || name.trim() === "") {
      collector.add(
        propertyPath(path, "name"),
        `is required. Give the profile a name, e.g. "Pilot".`,
      );
    } else if (names.has(name.toLowerCase())) {
      collector.add(
        propertyPath(path, "name"),
        `${describeValue(name)} is used by another profile. Profile names must be unique.`,
      );
    } else {
      names.add(name.toLowerCase());
    }
    const types = checkPasskeyTypes(
      collector,
      propertyPath(path, "passkeyTypes"),
      profile.passkeyTypes,
    );
    const attestation = checkEnum(
      collector,
      propertyPath(path, "attestationEnforcement"),
      profile.attestationEnforcement,
      {
        what: "attestation enforcement",
        allowed: ["disabled", "registrationOnly"],
        choices: `"disabled" (the default) or "registrationOnly"`,
      },
    );
    if (
      attestation === "ok" &&
      profile.attestationEnforcement === "registrationOnly" &&
      types?.includes("synced")
    ) {
      collector.add(
        propertyPath(path, "attestationEnforcement"),
        `"registrationOnly" cannot be used with synced passkeys, which cannot be attested. ` +
          `Set attestationEnforcement to "disabled", or allow only passkeyTypes ["deviceBound"].`,
      );
    }
    checkKeyRestrictions(collector, propertyPath(path, "keyRestrictions"), profile.keyRestrictions);
  });
  return complete ? names : undefined;
}

function checkPasskeyTypes(
  collector: ProblemCollector,
  path: string,
  value: unknown,
): string[] | undefined {
  const fix = `Use ["deviceBound"], ["synced"] or ["deviceBound", "synced"].`;
  if (isUnknown(value)) return undefined;
  if (value === undefined || value === null) {
    collector.add(path, `is required. ${fix}`);
    return undefined;
  }
  if (!Array.isArray(value) || value.length === 0) {
    collector.add(path, `${describeValue(value)} is not a list of passkey types. ${fix}`);
    return undefined;
  }
  const types: string[] = [];
  value.forEach((type: unknown, index) => {
    if (isUnknown(type)) return;
    if (typeof type !== "string" || !(PASSKEY_TYPES as readonly string[]).includes(type)) {
      const near =
        typeof type === "string"
          ? PASSKEY_TYPES.find(
              (known) => known.toLowerCase() === type.toLowerCase().replace(/[^a-z]/g, ""),
            )
          : undefined;
      collector.add(
        propertyPath(path, index),
        `${describeValue(type)} is not a passkey type.${near ? ` Did you mean ${JSON.stringify(near)}?` : ""} ${fix}`,
      );
      return;
    }
    types.push(type);
  });
  return types;
}

function checkKeyRestrictions(collector: ProblemCollector, path: string, value: unknown): void {
  if (value === undefined || value === null || isUnknown(value)) return;
  if (!isRecord(value)) {
    collector.add(
      path,
      `${describeValue(value)} is not an object. Use { enforcementType: "allow", aaGuids: ["<AAGUID>"] }.`,
    );
    return;
  }
  checkKnownKeys(
    collector,
    path,
    value,
    ["enforcementType", "aaGuids", "isEnforced"],
    "a key-restrictions property",
  );
  checkBoolean(
    collector,
    propertyPath(path, "isEnforced"),
    value.isEnforced,
    "Use true (the default when keyRestrictions is declared) or false, or remove keyRestrictions to allow every key.",
  );
  checkEnum(collector, propertyPath(path, "enforcementType"), value.enforcementType, {
    what: "enforcement type",
    allowed: ["allow", "block"],
    requiredFix: `Use "allow" (only these AAGUIDs) or "block" (every key but these).`,
  });
  const aaGuids = value.aaGuids;
  if (isUnknown(aaGuids)) return;
  if (!Array.isArray(aaGuids)) {
    collector.add(
      propertyPath(path, "aaGuids"),
      `${describeValue(aaGuids)} is not a list. Use a list of AAGUIDs such as ["de1e552d-db1d-4423-a619-566b625cdc84"].`,
    );
    return;
  }
  if (aaGuids.length === 0 && value.enforcementType === "allow") {
    collector.add(
      propertyPath(path, "aaGuids"),
      `is empty with enforcementType "allow", so no passkey could be registered. List the AAGUIDs to allow, or remove keyRestrictions.`,
    );
  }
  aaGuids.forEach((aaGuid: unknown, index) => {
    if (isUnknown(aaGuid)) return;
    if (typeof aaGuid !== "string" || !isGuid(aaGuid)) {
      collector.add(
        propertyPath(propertyPath(path, "aaGuids"), index),
        `${describeValue(aaGuid)} is not an AAGUID. An AAGUID is a GUID such as "de1e552d-db1d-4423-a619-566b625cdc84" (the authenticator model's id).`,
      );
    }
  });
}

function checkProfileRefs(
  collector: ProblemCollector,
  path: string,
  target: Record<string, unknown>,
  names: Set<string> | undefined,
): void {
  const refs = target.allowedPasskeyProfiles;
  if (refs === undefined || refs === null || isUnknown(refs)) return;
  if (!Array.isArray(refs) || refs.length === 0) {
    collector.add(
      path,
      `${describeValue(refs)} is not a list of profile names. Name at least one profile (Graph refuses a target without one: "Include conditions are missing passkey profile targets"), or omit it for the default profile.`,
    );
    return;
  }
  refs.forEach((ref: unknown, index) => {
    if (isUnknown(ref)) return;
    if (typeof ref !== "string" || ref.trim() === "") {
      collector.add(
        propertyPath(path, index),
        `${describeValue(ref)} is not a profile name or id.`,
      );
      return;
    }
    // Ids are checked against the tenant before the write; names against the declared set now.
    if (!isGuid(ref) && names !== undefined && !names.has(ref.toLowerCase())) {
      collector.add(
        propertyPath(path, index),
        `${describeValue(ref)} names no profile in passkeyProfiles. Add a profile with this name, or name one of: ${[...names].join(", ") || "(none)"}.`,
      );
    }
  });
}

// ---- Canonical forms ----

export type PasskeyLike = PreviewInputs<PasskeyPolicyArgs | PasskeyInputs | PasskeySettings>;

export function normalizePasskeyArgs(args: PasskeyLike): PreviewInputs<PasskeyInputs> {
  return {
    ...normalizePasskeySettings(args),
    onDelete: onDeleteOrDefault("onDelete" in args ? args.onDelete : undefined),
    ...failOnExternalChangeInput(
      "failOnExternalChange" in args ? args.failOnExternalChange : undefined,
    ),
    ...methodLossInputs(args),
  };
}

export function normalizePasskeySettings(args: PasskeyLike): PreviewInputs<PasskeySettings> {
  const profiles = args.passkeyProfiles;
  const extra = args as Partial<PasskeySettings>;
  return {
    state: args.state,
    isSelfServiceRegistrationAllowed:
      args.isSelfServiceRegistrationAllowed ?? DEFAULT_IS_SELF_SERVICE_REGISTRATION_ALLOWED,
    ...(profiles === undefined || profiles === null
      ? {}
      : {
          passkeyProfiles: isUnknown(profiles)
            ? profiles
            : [...profiles]
                .map(normalizeProfile)
                .sort((a, b) => compareStrings(nameOf(a), nameOf(b))),
        }),
    includeTargets: normalizeList<
      PasskeyIncludeTargetArgs | PasskeyIncludeTarget,
      PasskeyIncludeTarget
    >(
      args.includeTargets,
      () => [
        {
          id: ALL_USERS,
          targetType: "group",
          isRegistrationRequired: DEFAULT_IS_REGISTRATION_REQUIRED,
        },
      ],
      normalizeIncludeTarget,
    ),
    excludeTargets: normalizeList<
      ExcludeTargetArgs | { id: string; targetType: string },
      { id: string; targetType: string }
    >(
      args.excludeTargets,
      () => [],
      (target) =>
        typeof target !== "object" || target === null
          ? target
          : { id: canonicalId(target.id), targetType: target.targetType },
    ),
    ...(typeof extra.defaultPasskeyProfile === "string"
      ? { defaultPasskeyProfile: extra.defaultPasskeyProfile }
      : {}),
    ...(isRecord(extra.passkeyProfileIds) ? { passkeyProfileIds: extra.passkeyProfileIds } : {}),
  };
}

function nameOf(profile: Previewable<PasskeyProfile>): string {
  return typeof profile === "object" && profile !== null && typeof profile.name === "string"
    ? profile.name
    : "";
}

function sortedStrings<T>(list: Previewable<T[]> | undefined): Previewable<T[]> | undefined {
  if (!Array.isArray(list)) return list;
  return [...new Set(list)].sort((a, b) => compareStrings(String(a), String(b))) as Previewable<
    T[]
  >;
}

function normalizeProfile(
  profile: Previewable<PasskeyProfileArgs | PasskeyProfile>,
): Previewable<PasskeyProfile> {
  if (typeof profile !== "object" || profile === null) return profile;
  const restrictions = profile.keyRestrictions;
  const id = "id" in profile ? profile.id : undefined;
  return {
    ...(typeof id === "string" ? { id: canonicalId(id) } : {}),
    name: profile.name,
    passkeyTypes: sortedStrings(profile.passkeyTypes as Previewable<string[]>) ?? [],
    ...(profile.attestationEnforcement === undefined || profile.attestationEnforcement === null
      ? {}
      : { attestationEnforcement: profile.attestationEnforcement }),
    ...(restrictions === undefined || restrictions === null
      ? {}
      : {
          keyRestrictions: isUnknown(restrictions)
            ? restrictions
            : {
                isEnforced: "isEnforced" in restrictions ? restrictions.isEnforced : true,
                enforcementType: restrictions.enforcementType,
                aaGuids: Array.isArray(restrictions.aaGuids)
                  ? (sortedStrings(
                      restrictions.aaGuids.map((g) => (typeof g === "string" ? canonicalId(g) : g)),
                    ) ?? [])
                  : restrictions.aaGuids,
              },
        }),
  };
}

function normalizeIncludeTarget(
  target: Previewable<PasskeyIncludeTargetArgs | PasskeyIncludeTarget>,
): Previewable<PasskeyIncludeTarget> {
  if (typeof target !== "object" || target === null) return target;
  const refs = target.allowedPasskeyProfiles;
  return {
    id: canonicalId(target.id),
    targetType: target.targetType,
    isRegistrationRequired: target.isRegistrationRequired ?? DEFAULT_IS_REGISTRATION_REQUIRED,
    ...(refs === undefined || refs === null
      ? {}
      : {
          allowedPasskeyProfiles: Array.isArray(refs)
            ? (sortedStrings(refs.map((r) => (typeof r === "string" ? canonicalId(r) : r))) ?? [])
            : refs,
        }),
  };
}

/**
 * The canonical configuration from a Graph GET: the one reading of Graph's
 * fido2AuthenticationMethodConfiguration, for the PasskeyPolicy resource, drift, export and
 * eligibility alike. A configuration that predates passkey profiles (no `passkeyProfiles`: a tenant
 * not migrated yet, passkeys §4) reads as the migration leaves it: one default profile with both
 * passkey types and the deprecated top-level attestation and key restrictions (kept in sync with
 * that profile during the deprecation), allowed by every include target. Otherwise those
 * deprecated settings are ignored.
 */
export function passkeyFromGraph(config: GraphFido2Configuration): PasskeySettings {
  const defaultPasskeyProfile = canonicalId(
    config.defaultPasskeyProfile ?? DEFAULT_PASSKEY_PROFILE_ID,
  );
  const legacy = !Array.isArray(config.passkeyProfiles);
  const graphProfiles = legacy
    ? [
        {
          id: defaultPasskeyProfile,
          name: LEGACY_DEFAULT_PROFILE_NAME,
          passkeyTypes: PASSKEY_TYPES.join(","),
          attestationEnforcement:
            config.isAttestationEnforced === true ? "registrationOnly" : "disabled",
          keyRestrictions: config.keyRestrictions,
        },
      ]
    : (config.passkeyProfiles ?? []);
  const profiles: PasskeyProfile[] = graphProfiles
    .map((profile) => ({
      id: canonicalId(profile.id ?? ""),
      name: profile.name ?? "",
      passkeyTypes: (profile.passkeyTypes ?? "")
        .split(",")
        .map((type) => type.trim())
        .filter((type) => type !== "")
        .sort(compareStrings),
      attestationEnforcement: profile.attestationEnforcement ?? "disabled",
      ...(profile.keyRestrictions
        ? {
            keyRestrictions: {
              isEnforced: profile.keyRestrictions.isEnforced === true,
              enforcementType: profile.keyRestrictions.enforcementType ?? "block",
              aaGuids: (profile.keyRestrictions.aaGuids ?? [])
                .map(canonicalId)
                .sort(compareStrings),
            },
          }
        : {}),
    }))
    .sort((a, b) => compareStrings(a.name, b.name));
  return {
    state: config.state ?? "disabled",
    isSelfServiceRegistrationAllowed: config.isSelfServiceRegistrationAllowed ?? false,
    passkeyProfiles: profiles,
    includeTargets: sortTargets(
      (config.includeTargets ?? []).map((target) => ({
        id: canonicalId(target.id ?? ""),
        targetType: target.targetType ?? "unknownFutureValue",
        isRegistrationRequired: target.isRegistrationRequired ?? DEFAULT_IS_REGISTRATION_REQUIRED,
        allowedPasskeyProfiles: legacy
          ? [defaultPasskeyProfile]
          : (target.allowedPasskeyProfiles ?? []).map(canonicalId).sort(compareStrings),
      })),
    ),
    excludeTargets: sortTargets(
      (config.excludeTargets ?? []).map((target) => ({
        id: canonicalId(target.id ?? ""),
        targetType: target.targetType ?? "unknownFutureValue",
      })),
    ),
    defaultPasskeyProfile,
    passkeyProfileIds: Object.fromEntries(
      profiles.filter((p) => p.id !== undefined).map((p) => [p.name, p.id as string]),
    ),
  };
}

/** The passkey configuration is the same on v1.0 and beta (§4 [doc]): v1.0. */
export function passkeyGraphVersion(): GraphVersion {
  return "v1.0";
}

// ---- Profile references ----

/** Names and ids of a configuration's profiles, for resolving references either way. */
export interface ProfileIndex {
  nameById: Map<string, string>;
  idByName: Map<string, string>;
  /** The default profile's name (or id when its name is unknown). */
  defaultRef: string;
}

export function profileIndex(settings: Partial<PreviewInputs<PasskeySettings>>): ProfileIndex {
  const nameById = new Map<string, string>();
  const idByName = new Map<string, string>();
  const add = (name: string, id: string) => {
    nameById.set(id.toLowerCase(), name);
    idByName.set(name.toLowerCase(), id.toLowerCase());
  };
  if (isRecord(settings.passkeyProfileIds)) {
    for (const [name, id] of Object.entries(settings.passkeyProfileIds)) {
      if (typeof id === "string") add(name, id);
    }
  }
  if (Array.isArray(settings.passkeyProfiles)) {
    for (const profile of settings.passkeyProfiles) {
      if (isRecord(profile) && typeof profile.id === "string" && typeof profile.name === "string") {
        add(profile.name, profile.id);
      }
    }
  }
  const defaultId =
    typeof settings.defaultPasskeyProfile === "string"
      ? settings.defaultPasskeyProfile.toLowerCase()
      : DEFAULT_PASSKEY_PROFILE_ID;
  return { nameById, idByName, defaultRef: nameById.get(defaultId) ?? defaultId };
}

/**
 * A reference as the name the index knows for it (comparisons are by name): an id, or a name in
 * any case, since the writes match names without regard to case (passkeyMainPatches).
 */
function refAsName(ref: unknown, index: ProfileIndex): unknown {
  if (typeof ref !== "string" || isUnknown(ref)) return ref;
  const id = isGuid(ref) ? ref.toLowerCase() : index.idByName.get(ref.toLowerCase());
  return (id === undefined ? undefined : index.nameById.get(id)) ?? ref;
}

// ---- Comparison ----

/** The comparable form: profiles keyed by name, references as names, no read-only parts. */
function comparable(
  canonical: PreviewInputs<PasskeyInputs> | PreviewInputs<PasskeySettings>,
  index: ProfileIndex,
  keepDefault: boolean,
  declaredSide: boolean,
): Record<string, unknown> {
  const view: Record<string, unknown> = { ...canonical };
  delete view.defaultPasskeyProfile;
  delete view.passkeyProfileIds;
  const profiles = canonical.passkeyProfiles;
  if (Array.isArray(profiles)) {
    view.passkeyProfiles = profiles
      .filter(
        (profile) =>
          keepDefault ||
          !(
            isRecord(profile) &&
            refAsName(profile.id, index) === index.defaultRef &&
            profile.id !== undefined
          ),
      )
      .map((profile) => {
        if (!isRecord(profile)) return profile;
        const restrictions = profile.keyRestrictions;
        return {
          id: profile.name,
          passkeyTypes: profile.passkeyTypes,
          attestationEnforcement: profile.attestationEnforcement,
          // Restrictions that are not enforced restrict nothing. Left out of a declaration, they
          // are not managed (the tenant's are kept), like a left-out attestation.
          keyRestrictions:
            isRecord(restrictions) && restrictions.isEnforced !== false
              ? { enforcementType: restrictions.enforcementType, aaGuids: restrictions.aaGuids }
              : isUnknown(restrictions)
                ? restrictions
                : restrictions === undefined && declaredSide
                  ? undefined
                  : null,
        };
      });
  }
  const targets = canonical.includeTargets;
  if (Array.isArray(targets)) {
    view.includeTargets = targets.map((target) => {
      if (!isRecord(target)) return target;
      const refs = target.allowedPasskeyProfiles;
      return {
        ...target,
        allowedPasskeyProfiles: Array.isArray(refs)
          ? [...new Set(refs.map((ref) => refAsName(ref, index)))].sort((a, b) =>
              compareStrings(String(a), String(b)),
            )
          : refs === undefined
            ? [index.defaultRef]
            : refs,
      };
    });
  }
  return view;
}

/**
 * Per-property differences, declared versus actual. References resolve through the actual side's
 * profiles; the default profile counts only when the declaration names it (it is never deleted).
 */
export function diffPasskey(declared: PasskeyLike, actual: PasskeyLike): PropertyChange[] {
  const actualCanonical =
    "onDelete" in actual && actual.onDelete !== undefined
      ? normalizePasskeyArgs(actual)
      : normalizePasskeySettings(actual);
  const declaredCanonical = normalizePasskeyArgs(declared);
  const index = profileIndex(actualCanonical);
  const declaredProfiles = declaredCanonical.passkeyProfiles;
  const namesDefault =
    Array.isArray(declaredProfiles) &&
    declaredProfiles.some(
      (profile) =>
        isRecord(profile) && typeof profile.name === "string" && profile.name === index.defaultRef,
    );
  return compareCanonical(
    comparable(declaredCanonical, index, true, true),
    comparable(actualCanonical, index, namesDefault, false),
    { arguments: COMPARED_PASSKEY_ARGUMENTS, providerOnly: PROVIDER_ONLY_ARGUMENTS },
  );
}

// ---- Writes ----

export interface Fido2PatchBody {
  "@odata.type": typeof FIDO2_ODATA_TYPE;
  state?: string;
  isSelfServiceRegistrationAllowed?: boolean;
  passkeyProfiles?: {
    id?: string;
    name: string;
    passkeyTypes: string;
    attestationEnforcement: string;
    keyRestrictions?: PasskeyKeyRestrictions;
  }[];
  includeTargets?: {
    id: string;
    targetType: string;
    isRegistrationRequired: boolean;
    allowedPasskeyProfiles: string[];
  }[];
  excludeTargets?: { id: string; targetType: string }[];
}

/** Thrown before any write when the declaration names a profile the tenant does not have. */
export class PasskeyReferenceError extends Error {
  constructor(problems: string[]) {
    super(
      `Invalid PasskeyPolicy arguments (${problems.length === 1 ? "1 problem" : `${problems.length} problems`}):\n` +
        problems.map((problem) => `  - ${problem}`).join("\n"),
    );
    this.name = "PasskeyReferenceError";
  }
}

/** The declared profile set as Graph should hold it: matched by name to `current`, default kept. */
function finalProfiles(settings: PasskeySettings, current: PasskeySettings): PasskeyProfile[] {
  const existing = current.passkeyProfiles ?? [];
  if (settings.passkeyProfiles === undefined) return existing;
  const byName = new Map(existing.map((p) => [p.name.toLowerCase(), p]));
  const declared = settings.passkeyProfiles.map((profile) => {
    const match = byName.get(profile.name.toLowerCase());
    const id =
      match?.id ??
      (profile.id && existing.some((p) => p.id === profile.id) ? profile.id : undefined);
    const copy: PasskeyProfile = completeProfile(profile, match);
    delete copy.id;
    return id === undefined ? copy : { ...copy, id };
  });
  const defaultId = current.defaultPasskeyProfile ?? DEFAULT_PASSKEY_PROFILE_ID;
  const keepsDefault = declared.some((p) => p.id === defaultId);
  const defaultProfile = existing.find((p) => p.id === defaultId);
  // The default profile can never be deleted (§4 [blog] WIKI): kept when not declared.
  return keepsDefault || !defaultProfile ? declared : [defaultProfile, ...declared];
}

/**
 * A declared profile as Graph should hold it: what the declaration leaves out (attestation, key
 * restrictions) is kept from the tenant's profile of that name, never written as a weaker default;
 * a new profile gets Graph's defaults (attestation "disabled", no key restrictions).
 */
export function completeProfile(
  declared: PasskeyProfile,
  existing: PasskeyProfile | undefined,
): PasskeyProfile & { attestationEnforcement: string } {
  const restrictions = declared.keyRestrictions ?? existing?.keyRestrictions;
  return {
    ...declared,
    attestationEnforcement:
      declared.attestationEnforcement ?? existing?.attestationEnforcement ?? "disabled",
    ...(restrictions === undefined ? {} : { keyRestrictions: restrictions }),
  };
}

/**
 * A kept attestation that the declared passkey types make invalid (synced passkeys cannot be
 * attested): the declaration must turn attestation off itself, so that the weakening is written
 * where a reviewer sees it. Problems in words, empty when none.
 */
export function keptAttestationProblems(
  settings: PasskeySettings,
  current: PasskeySettings,
): string[] {
  const byName = new Map((current.passkeyProfiles ?? []).map((p) => [p.name.toLowerCase(), p]));
  return (settings.passkeyProfiles ?? []).flatMap((profile) => {
    const existing = byName.get(profile.name.toLowerCase());
    if (profile.attestationEnforcement !== undefined || !existing) return [];
    if (existing.attestationEnforcement !== "registrationOnly") return [];
    if (!profile.passkeyTypes.includes("synced")) return [];
    return [
      `passkeyProfiles "${profile.name}": allows synced passkeys, but the tenant's profile enforces attestation ("registrationOnly"), which synced passkeys cannot meet, and attestationEnforcement is left out (kept). ` +
        `Turning attestation off weakens the profile: declare attestationEnforcement: "disabled" to do it deliberately, or allow only passkeyTypes ["deviceBound"].`,
    ];
  });
}

function profileBody(
  profiles: readonly PasskeyProfile[],
): NonNullable<Fido2PatchBody["passkeyProfiles"]> {
  return profiles.map((profile) => ({
    ...(profile.id === undefined ? {} : { id: profile.id }),
    name: profile.name,
    passkeyTypes: profile.passkeyTypes.join(","),
    attestationEnforcement: profile.attestationEnforcement ?? "disabled",
    ...(profile.keyRestrictions === undefined ? {} : { keyRestrictions: profile.keyRestrictions }),
  }));
}

/**
 * The first write when the declaration adds profiles: only `passkeyProfiles`, the declared set plus
 * every profile Graph holds (none removed yet), so Graph gives the new ones their ids before a
 * target names them. Undefined when no profile is new.
 */
export function passkeyProfilesFirstPatch(
  settings: PasskeySettings,
  current: PasskeySettings,
): Fido2PatchBody | undefined {
  const wanted = finalProfiles(settings, current);
  if (!wanted.some((profile) => profile.id === undefined)) return undefined;
  // Before this first write, as passkeyMainPatches checks before its own.
  const problems = keptAttestationProblems(settings, current);
  if (problems.length > 0) throw new PasskeyReferenceError(problems);
  const kept = (current.passkeyProfiles ?? []).filter(
    (profile) => !wanted.some((w) => w.id === profile.id),
  );
  return { "@odata.type": FIDO2_ODATA_TYPE, passkeyProfiles: profileBody([...wanted, ...kept]) };
}

/**
 * The writes once every declared profile exists in `current`: the configuration with targets
 * naming profile ids, keeping a profile to be deleted while `current`'s targets still name it; then,
 * if some were kept, a last write that deletes them (a profile still assigned to a target cannot be
 * deleted, §4 [blog] WIKI). Also what Graph holds after them. Throws PasskeyReferenceError, before
 * any write, for a reference to a profile that does not exist.
 */
export function passkeyMainPatches(
  settings: PasskeySettings,
  current: PasskeySettings,
): { patches: Fido2PatchBody[]; after: PasskeySettings } {
  const profiles = finalProfiles(settings, current);
  const problems: string[] = keptAttestationProblems(settings, current);
  // References in the settings: a name, or an id of one of the settings' own profiles (a restore of
  // originalSettings), or of the tenant's, resolved to the tenant's id by name.
  const ownNameById = new Map(
    (settings.passkeyProfiles ?? [])
      .filter((p) => p.id !== undefined)
      .map((p) => [p.id as string, p.name.toLowerCase()]),
  );
  const idByName = new Map(
    profiles.filter((p) => p.id !== undefined).map((p) => [p.name.toLowerCase(), p.id as string]),
  );
  const currentIds = new Set((current.passkeyProfiles ?? []).map((p) => p.id));
  const defaultId = current.defaultPasskeyProfile ?? DEFAULT_PASSKEY_PROFILE_ID;
  const resolve = (ref: string, where: string): string | undefined => {
    const lower = ref.toLowerCase();
    const byOwn = ownNameById.get(lower);
    const id =
      idByName.get(byOwn ?? lower) ?? (isGuid(ref) && currentIds.has(lower) ? lower : undefined);
    if (id === undefined) {
      problems.push(
        `${where}: ${JSON.stringify(ref)} names no passkey profile of the tenant${settings.passkeyProfiles ? " or of passkeyProfiles" : ""}. ` +
          `Use the name or id of one of: ${profiles.map((p) => JSON.stringify(p.name)).join(", ")}.`,
      );
    }
    return id;
  };
  const targets = settings.includeTargets.map((target, index) => ({
    id: target.id,
    targetType: target.targetType,
    isRegistrationRequired: target.isRegistrationRequired,
    allowedPasskeyProfiles: [
      ...new Set(
        (target.allowedPasskeyProfiles ?? [defaultId])
          .map((ref) => resolve(ref, `includeTargets[${index}].allowedPasskeyProfiles`))
          .filter((id): id is string => id !== undefined),
      ),
    ].sort(compareStrings),
  }));
  if (problems.length > 0) throw new PasskeyReferenceError(problems);
  const stillAssigned = (current.passkeyProfiles ?? []).filter(
    (profile) =>
      !profiles.some((p) => p.id === profile.id) &&
      current.includeTargets.some((t) =>
        (t.allowedPasskeyProfiles ?? []).includes(profile.id ?? ""),
      ),
  );
  const base = {
    "@odata.type": FIDO2_ODATA_TYPE,
    state: settings.state,
    isSelfServiceRegistrationAllowed: settings.isSelfServiceRegistrationAllowed,
    includeTargets: targets,
    excludeTargets: settings.excludeTargets.map((t) => ({ id: t.id, targetType: t.targetType })),
  } as const;
  const managed = settings.passkeyProfiles !== undefined;
  const patches: Fido2PatchBody[] = [
    {
      ...base,
      ...(managed ? { passkeyProfiles: profileBody([...profiles, ...stillAssigned]) } : {}),
    },
    ...(managed && stillAssigned.length > 0
      ? [
          {
            "@odata.type": FIDO2_ODATA_TYPE,
            passkeyProfiles: profileBody(profiles),
          } as Fido2PatchBody,
        ]
      : []),
  ];
  const finalSet = [...profiles].sort((a, b) => compareStrings(a.name, b.name));
  return {
    patches,
    after: {
      state: settings.state,
      isSelfServiceRegistrationAllowed: settings.isSelfServiceRegistrationAllowed,
      passkeyProfiles: finalSet,
      includeTargets: sortTargets(targets),
      excludeTargets: sortTargets(settings.excludeTargets),
      defaultPasskeyProfile: defaultId,
      passkeyProfileIds: Object.fromEntries(
        finalSet.filter((p) => p.id !== undefined).map((p) => [p.name, p.id as string]),
      ),
    },
  };
}

/** Whether Graph's answer holds the configuration this resource manages (not the legacy shape). */
export function hasPasskeyProfiles(config: GraphFido2Configuration): boolean {
  return Array.isArray(config.passkeyProfiles);
}

// ---- Weakenings ----

/**
 * What a change does to weaken the passkey policy, profile by profile, in a reviewer's words:
 * attestation no longer enforced, synced passkeys allowed, key restrictions dropped. `before` is
 * what the tenant holds (or the stack applied), `after` the declaration; what it leaves out keeps
 * `before`'s value (completeProfile), so only a declared change is named. Empty when the
 * declaration does not manage profiles.
 */
export function passkeyWeakenings(before: PasskeyLike, after: PasskeyLike): string[] {
  const declared = normalizePasskeySettings(after).passkeyProfiles;
  const found = normalizePasskeySettings(before).passkeyProfiles;
  if (!Array.isArray(declared) || !Array.isArray(found)) return [];
  const byName = new Map<string, PasskeyProfile>();
  for (const profile of found) {
    if (isRecord(profile) && typeof profile.name === "string") {
      byName.set(profile.name.toLowerCase(), profile as PasskeyProfile);
    }
  }
  const findings: string[] = [];
  for (const profile of declared) {
    if (!isRecord(profile) || typeof profile.name !== "string") continue;
    const was = byName.get(profile.name.toLowerCase());
    if (!was) continue;
    const now = completeProfile(profile as PasskeyProfile, was);
    const name = `Passkey profile "${profile.name}"`;
    if (
      was.attestationEnforcement === "registrationOnly" &&
      now.attestationEnforcement !== "registrationOnly"
    ) {
      findings.push(
        `${name}: attestation no longer enforced (registrationOnly → disabled): passkeys from any authenticator model can be registered, including ones whose make and model cannot be verified.`,
      );
    }
    const types = Array.isArray(now.passkeyTypes) ? now.passkeyTypes : [];
    if (!was.passkeyTypes.includes("synced") && types.includes("synced")) {
      findings.push(
        `${name}: synced passkeys allowed (were device-bound only): passkeys kept in a cloud account (iCloud Keychain, Google Password Manager) can be registered, and they leave the device.`,
      );
    }
    const enforced = (r: PasskeyKeyRestrictions | undefined) => r !== undefined && r.isEnforced;
    if (enforced(was.keyRestrictions) && !enforced(now.keyRestrictions)) {
      findings.push(
        `${name}: key restrictions dropped (were ${was.keyRestrictions?.enforcementType === "allow" ? "an allow list" : "a block list"} of ${was.keyRestrictions?.aaGuids.length ?? 0} authenticator models): any authenticator model can be registered.`,
      );
    }
  }
  return findings;
}
