// The passkey (FIDO2) method configuration as the service keeps it in 2026
// (graph-contract-passkeys.md §4): passkey profiles replaced as a whole set, the default profile
// that is never deleted, include targets that must name their profiles, the deprecated top-level
// attestation and key-restriction settings mirrored from the default profile, the policy's own
// 20 KB budget; which method a Microsoft-managed campaign targets (§2, §3); and what Microsoft did
// to tenants on 2026-09-01 ("passkeys by default", §2 and §7).
//
// Sources are cited per rule: [doc] Microsoft Learn, [blog] the public copy of Microsoft's support
// wiki ("WIKI"), [inferred] a choice where the sources are silent (listed in emulator/README.md).
import { randomUUID } from "node:crypto";
import type { GraphHttpError } from "../errors";
import type { JsonObject, JsonValue } from "../tenants/format";
import type { BodyCheck } from "./body";
import { badRequest } from "./failures";

export const FIDO2_TYPE = "fido2AuthenticationMethodConfiguration";
/** The default profile's id and name in Graph's update example (§4 [doc]). */
export const DEFAULT_PASSKEY_PROFILE_ID = "00000000-0000-0000-0000-000000000001";
export const DEFAULT_PASSKEY_PROFILE_NAME = "Default passkey profile";
/** Up to 10 profiles per tenant (raised from 3; §4 [doc] whats-new). */
export const MAX_PASSKEY_PROFILES = 10;
/** passkeyTypes is a flags string, e.g. "deviceBound,synced" (§4 [doc] passkeyProfile). */
export const PASSKEY_TYPES = ["deviceBound", "synced"] as const;
/** The name of the profile the 2026-09-01 migration adds when no profile allows every type ([inferred]). */
export const MIGRATION_PROFILE_NAME = "Passkeys by default";
/** The day SMS/voice retire; the migration opt-out has no effect from then on (§7 [doc] SMSRET). */
export const SMS_VOICE_RETIREMENT = Date.parse("2027-02-01T00:00:00Z");

/**
 * Passkey providers whose presence in an AAGUID allow-list keeps a profile eligible for a
 * Microsoft-managed passkey campaign (§3 [doc] HOWTO: iCloud Keychain, Google Password Manager,
 * Microsoft Authenticator passkey, Microsoft Entra passkey on Windows). AAGUIDs from the community
 * list github.com/passkeydeveloper/passkey-authenticator-aaguids; Entra passkey on Windows has no
 * published AAGUID we could find, so an allow-list naming only it is treated as not eligible.
 */
export const QUALIFYING_PASSKEY_AAGUIDS: ReadonlySet<string> = new Set([
  "fbfc3007-154e-4ecc-8c0b-6e020557d7bd", // iCloud Keychain
  "dd4ec289-e01d-41c9-bb89-70fa845d4bf2", // iCloud Keychain (managed)
  "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4", // Google Password Manager
  "90a3ccdf-635c-4729-a248-9b709135078f", // Microsoft Authenticator (iOS)
  "de1e552d-db1d-4423-a619-566b625cdc84", // Microsoft Authenticator (Android)
]);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface KeyRestrictions {
  isEnforced?: boolean | null;
  enforcementType?: string | null;
  aaGuids?: string[] | null;
}

export interface PasskeyProfile {
  id: string;
  name: string;
  passkeyTypes: string;
  attestationEnforcement?: string;
  keyRestrictions?: KeyRestrictions | null;
}

interface PasskeyTarget {
  id: string;
  targetType: string;
  isRegistrationRequired?: boolean;
  allowedPasskeyProfiles?: string[] | null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isFido2(config: JsonObject): boolean {
  return String(config["@odata.type"] ?? "").replace(/^#?microsoft\.graph\./, "") === FIDO2_TYPE;
}

export function profilesOf(config: JsonObject): PasskeyProfile[] {
  return Array.isArray(config.passkeyProfiles)
    ? (config.passkeyProfiles as unknown as PasskeyProfile[])
    : [];
}

function targetsOf(config: JsonObject): PasskeyTarget[] {
  return Array.isArray(config.includeTargets)
    ? (config.includeTargets as unknown as PasskeyTarget[])
    : [];
}

/** The flags of a passkeyTypes string, e.g. "deviceBound, synced" → ["deviceBound", "synced"]. */
export function passkeyTypesOf(profile: Pick<PasskeyProfile, "passkeyTypes">): string[] {
  return String(profile.passkeyTypes ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The default profile's id: `defaultPasskeyProfile`, else the documented well-known id. */
export function defaultProfileId(config: JsonObject): string {
  return typeof config.defaultPasskeyProfile === "string"
    ? config.defaultPasskeyProfile
    : DEFAULT_PASSKEY_PROFILE_ID;
}

function enforcedRestrictions(k: KeyRestrictions | null | undefined): boolean {
  return !!k && k.isEnforced === true;
}

/**
 * The deprecated top-level settings as the default profile implies them: "kept in sync with the
 * default profile" during the deprecation (§4 [blog] WIKI).
 */
function mirrorLegacyFields(config: JsonObject): JsonObject {
  const profile = profilesOf(config).find((p) => sameId(p.id, defaultProfileId(config)));
  if (!profile) return config;
  const restrictions = profile.keyRestrictions ?? null;
  return {
    ...config,
    isAttestationEnforced: profile.attestationEnforcement === "registrationOnly",
    keyRestrictions: {
      isEnforced: restrictions?.isEnforced ?? false,
      enforcementType: restrictions?.enforcementType ?? "block",
      aaGuids: [...(restrictions?.aaGuids ?? [])],
    },
  };
}

/**
 * A stored configuration from before passkey profiles, migrated the way Microsoft migrated tenants
 * (April–June 2026, §4 [announcement] MC1221452): the legacy settings become the non-deletable
 * default profile, which every include target is given. Attestation excludes synced passkeys
 * (§4 [blog] WIKI), so an attested tenant's default profile allows device-bound ones only.
 * Configurations that already have profiles only get the legacy fields mirrored.
 */
export function withPasskeyProfiles(config: JsonObject): JsonObject {
  if (!isFido2(config)) return config;
  if (Array.isArray(config.passkeyProfiles)) return mirrorLegacyFields(config);
  const attested = config.isAttestationEnforced === true;
  const legacy = isObject(config.keyRestrictions)
    ? (config.keyRestrictions as KeyRestrictions)
    : {};
  const profile: JsonObject = {
    id: DEFAULT_PASSKEY_PROFILE_ID,
    name: DEFAULT_PASSKEY_PROFILE_NAME,
    passkeyTypes: attested ? "deviceBound" : "deviceBound,synced",
    attestationEnforcement: attested ? "registrationOnly" : "disabled",
    keyRestrictions: {
      isEnforced: legacy.isEnforced ?? false,
      enforcementType: legacy.enforcementType ?? "block",
      aaGuids: [...(legacy.aaGuids ?? [])],
    },
  };
  return mirrorLegacyFields({
    ...config,
    defaultPasskeyProfile: DEFAULT_PASSKEY_PROFILE_ID,
    passkeyProfiles: [profile],
    includeTargets: targetsOf(config).map((t) => ({
      ...t,
      allowedPasskeyProfiles: t.allowedPasskeyProfiles?.length
        ? t.allowedPasskeyProfiles
        : [DEFAULT_PASSKEY_PROFILE_ID],
    })) as unknown as JsonValue[],
  });
}

function invalid(check: BodyCheck, message: string): GraphHttpError {
  return badRequest(message, check.errorCode);
}

/** The documented errors carry the code `badRequest` (§4 [blog] WIKI). */
function documented(message: string): GraphHttpError {
  return badRequest(message, "badRequest");
}

/**
 * The rules a configuration with passkey profiles must satisfy (stored data and PATCH results).
 * Graph answers one error per request, so the first broken rule is thrown.
 */
export function checkPasskeyRules(config: JsonObject, check: BodyCheck): void {
  if (!Array.isArray(config.passkeyProfiles)) return; // not migrated yet: the legacy shape
  const profiles = profilesOf(config);
  const defaultId = defaultProfileId(config);
  if (profiles.length > MAX_PASSKEY_PROFILES)
    throw invalid(
      check,
      `Invalid value for property 'passkeyProfiles': a tenant can have at most ${MAX_PASSKEY_PROFILES} passkey profiles, ${profiles.length} were sent.`,
    );
  if (!profiles.some((p) => typeof p.id === "string" && sameId(p.id, defaultId)))
    throw invalid(
      check,
      `Invalid value for property 'passkeyProfiles': the default passkey profile '${defaultId}' cannot be deleted; keep it in the set.`,
    );
  const names = new Set<string>();
  profiles.forEach((p, i) => {
    const path = `passkeyProfiles[${i}]`;
    if (typeof p.name !== "string" || p.name.trim() === "")
      throw invalid(check, `Invalid value for property '${path}.name': a name is required.`);
    if (names.has(p.name.toLowerCase()))
      throw invalid(
        check,
        `Invalid value for property '${path}.name': the name '${p.name}' is already used by another passkey profile.`,
      );
    names.add(p.name.toLowerCase());
    if (typeof p.id === "string" && !GUID.test(p.id))
      throw invalid(check, `Invalid value for property '${path}.id': '${p.id}' is not a GUID.`);
    const types = passkeyTypesOf(p);
    const unknown = types.filter((t) => !(PASSKEY_TYPES as readonly string[]).includes(t));
    if (types.length === 0 || unknown.length > 0)
      throw invalid(
        check,
        `Invalid value for property '${path}.passkeyTypes': '${String(p.passkeyTypes)}' is not a combination of ${PASSKEY_TYPES.join(", ")}.`,
      );
    // §4 [blog] WIKI: synced passkeys cannot be attested.
    if (types.includes("synced") && p.attestationEnforcement === "registrationOnly")
      throw invalid(
        check,
        `Invalid value for property '${path}': passkey profile '${p.name}' allows synced passkeys, which cannot be used with attestationEnforcement 'registrationOnly'.`,
      );
    for (const aaGuid of p.keyRestrictions?.aaGuids ?? []) {
      if (!GUID.test(aaGuid))
        throw invalid(
          check,
          `Invalid value for property '${path}.keyRestrictions.aaGuids': '${aaGuid}' is not an AAGUID.`,
        );
    }
  });
  targetsOf(config).forEach((t, i) => {
    const allowed = t.allowedPasskeyProfiles ?? [];
    // §4 [blog] WIKI, verbatim.
    if (allowed.length === 0)
      throw documented("Include conditions are missing passkey profile targets");
    for (const ref of allowed) {
      if (!profiles.some((p) => typeof p.id === "string" && sameId(p.id, ref)))
        throw invalid(
          check,
          `Invalid value for property 'includeTargets[${i}].allowedPasskeyProfiles': passkey profile '${ref}' does not exist.`,
        );
    }
  });
}

function stripAnnotations(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(stripAnnotations);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (!k.includes("@")) out[k] = stripAnnotations(v as JsonValue);
  }
  return out;
}

/**
 * Applies a PATCH's passkey semantics to the merged configuration and checks it: new profiles get
 * ids, deprecated top-level settings sent alone write through to the default profile, removed
 * profiles must no longer be assigned, and the result must fit the policy's budget.
 */
export function applyPasskeyPatch(
  before: JsonObject,
  body: Record<string, unknown>,
  merged: JsonObject,
  check: BodyCheck,
  options: { passkeyProfileRemoval: "afterUnassigned" | "sameRequest"; sizeLimitBytes: number },
): JsonObject {
  if (!Array.isArray(merged.passkeyProfiles)) return merged;
  const defaultId = defaultProfileId(before);
  // The default profile cannot be renamed (§4 [blog] WIKI).
  const oldDefault = profilesOf(before).find((p) => sameId(p.id, defaultId));
  const newDefault = profilesOf(merged).find(
    (p) => typeof p.id === "string" && sameId(p.id, defaultId),
  );
  if (oldDefault && newDefault && newDefault.name !== oldDefault.name)
    throw invalid(
      check,
      `Invalid value for property 'passkeyProfiles': the default passkey profile '${oldDefault.name}' cannot be renamed.`,
    );
  // "If an existing profile is left out, the API will assume the admin wants to delete it" (§4
  // [blog] WIKI): the set replaces the old one. A profile sent without an id is new ([inferred]).
  let profiles = profilesOf(merged).map((p) =>
    typeof p.id === "string" ? p : ({ ...p, id: randomUUID() } as PasskeyProfile),
  );
  const legacySent = "isAttestationEnforced" in body || "keyRestrictions" in body;
  if (legacySent && !("passkeyProfiles" in body)) {
    // Deprecated settings still work until October 2027 and act on the default profile (§4).
    profiles = profiles.map((p) => {
      if (!sameId(p.id, defaultId)) return p;
      const next = { ...p };
      if ("isAttestationEnforced" in body)
        next.attestationEnforcement =
          body.isAttestationEnforced === true ? "registrationOnly" : "disabled";
      if ("keyRestrictions" in body)
        next.keyRestrictions = (merged.keyRestrictions ?? null) as KeyRestrictions | null;
      return next;
    });
  }
  let next: JsonObject = {
    ...merged,
    defaultPasskeyProfile: defaultId,
    passkeyProfiles: profiles as unknown as JsonValue[],
  };
  if (options.passkeyProfileRemoval === "afterUnassigned") {
    for (const removed of profilesOf(before)) {
      // The default profile is never deleted: checkPasskeyRules says so.
      if (sameId(removed.id, defaultId) || profiles.some((p) => sameId(p.id, removed.id))) continue;
      const holder = targetsOf(before).find((t) =>
        (t.allowedPasskeyProfiles ?? []).some((ref) => sameId(ref, removed.id)),
      );
      if (holder)
        throw invalid(
          check,
          `Invalid value for property 'passkeyProfiles': passkey profile '${removed.name}' is assigned to the include target '${holder.id}'; remove it from the target's allowedPasskeyProfiles before deleting the profile.`,
        );
    }
  }
  checkPasskeyRules(next, check);
  // Sent beside passkeyProfiles, the deprecated fields are accepted and the profiles decide:
  // Microsoft's own update example (v1.0 and beta, fido2authenticationmethodconfiguration-update)
  // sends isAttestationEnforced true and a block-type keyRestrictions beside a default profile
  // with attestation disabled and an allow-type restriction, and documents 204. The stored legacy
  // fields are then mirrored from the default profile again [inferred from the example and §4].
  next = mirrorLegacyFields(next);
  const size = Buffer.byteLength(JSON.stringify(stripAnnotations(next)), "utf8");
  if (size > options.sizeLimitBytes)
    throw documented(
      `Persistence of policy failed with error: Policy size is larger than allowed by ${size - options.sizeLimitBytes} bytes. Please change your targeting to fewer groups or settings and try again.`,
    );
  return next;
}

// --- Which method a Microsoft-managed campaign targets ---------------------------------------

/**
 * Whether a profile makes its users eligible for a Microsoft-managed passkey campaign (§3 [doc]
 * HOWTO, 2026-09-02 table): unrestricted, synced-only or device-bound-only without key
 * restrictions, an allow-list naming a qualifying provider, or attestation enforced (key
 * restrictions then not evaluated). Block lists are ignored.
 */
export function profileEligibleWhenManaged(profile: PasskeyProfile): boolean {
  if (profile.attestationEnforcement === "registrationOnly") return true;
  const k = profile.keyRestrictions;
  if (!enforcedRestrictions(k) || k?.enforcementType !== "allow") return true;
  return (k.aaGuids ?? []).some((g) => QUALIFYING_PASSKEY_AAGUIDS.has(g.toLowerCase()));
}

interface CampaignLike {
  includeTargets?: { id?: string | null }[] | null;
}

/**
 * The method a Microsoft-managed campaign targets after 2026-09 ("passkeys when included users are
 * enabled for passkeys", §2 [doc] HOWTO): `fido2` when the passkey method is enabled with
 * self-service setup and an include target of the campaign overlaps a passkey include target
 * whose profiles include an eligible one. Judged on targets, not memberships ([inferred]: GET has
 * to answer without walking groups).
 */
export function managedCampaignMethod(
  campaign: CampaignLike,
  fido2: JsonObject | undefined,
): "fido2" | "microsoftAuthenticator" {
  if (!fido2 || fido2.state !== "enabled" || fido2.isSelfServiceRegistrationAllowed !== true)
    return "microsoftAuthenticator";
  const profiles = profilesOf(fido2);
  const campaignIds = (campaign.includeTargets ?? []).map((t) => String(t.id).toLowerCase());
  const overlaps = targetsOf(fido2).some((t) => {
    const eligible = (t.allowedPasskeyProfiles ?? []).some((ref) => {
      const p = profiles.find((q) => sameId(q.id, ref));
      return p !== undefined && profileEligibleWhenManaged(p);
    });
    if (!eligible) return false;
    const id = t.id.toLowerCase();
    return id === "all_users" || campaignIds.includes("all_users") || campaignIds.includes(id);
  });
  return overlaps ? "fido2" : "microsoftAuthenticator";
}

// --- 2026-09-01: passkeys by default ---------------------------------------------------------

export interface MigrationPlan {
  /** The passkey configuration after the migration. */
  fido2: JsonObject;
  /** The include targets that were enabled for SMS or voice. */
  phoneTargets: { id: string; targetType: string }[];
  /** The profile allowing every passkey type the phone users were put into. */
  profileId: string;
  profileCreated: boolean;
}

/** A profile allowing every passkey type: both types, no attestation, no enforced restrictions. */
function allowsEveryPasskey(p: PasskeyProfile): boolean {
  const types = passkeyTypesOf(p);
  return (
    types.includes("deviceBound") &&
    types.includes("synced") &&
    p.attestationEnforcement !== "registrationOnly" &&
    !enforcedRestrictions(p.keyRestrictions)
  );
}

/**
 * What "passkeys by default" does to the passkey configuration (§7 [doc] SMSRET): users enabled
 * for SMS or voice are enabled for passkeys "in a passkey profile allowing all types of passkeys".
 * Returns undefined when no one is enabled for SMS or voice. [inferred]: the passkey method is
 * enabled with self-service setup on (a passkey nudge needs it, §3); an existing profile allowing
 * every type is reused, else one named "Passkeys by default" is added; the SMS and Voice include
 * targets are added (or given that profile); exclude targets are left as they were.
 */
export function planPasskeysByDefault(
  fido2: JsonObject,
  phoneConfigs: (JsonObject | undefined)[],
): MigrationPlan | undefined {
  const phoneTargets: { id: string; targetType: string }[] = [];
  for (const config of phoneConfigs) {
    if (!config || config.state !== "enabled") continue;
    for (const t of targetsOf(config)) {
      if (!phoneTargets.some((p) => sameId(p.id, t.id)))
        phoneTargets.push({ id: t.id, targetType: t.targetType });
    }
  }
  if (phoneTargets.length === 0) return undefined;
  const migrated = withPasskeyProfiles(fido2);
  let profiles = profilesOf(migrated);
  let profile = profiles.find(allowsEveryPasskey);
  const profileCreated = !profile;
  if (!profile) {
    if (profiles.length >= MAX_PASSKEY_PROFILES)
      throw new Error(
        `The passkey configuration already holds ${MAX_PASSKEY_PROFILES} profiles and none allows every passkey type, so there is no room for the profile the migration adds.`,
      );
    let name = MIGRATION_PROFILE_NAME;
    for (let n = 2; profiles.some((p) => p.name.toLowerCase() === name.toLowerCase()); n++)
      name = `${MIGRATION_PROFILE_NAME} ${n}`;
    profile = {
      id: randomUUID(),
      name,
      passkeyTypes: "deviceBound,synced",
      attestationEnforcement: "disabled",
      keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [] },
    };
    profiles = [...profiles, profile];
  }
  const profileId = profile.id;
  const targets = targetsOf(migrated).map((t) => ({ ...t }));
  for (const phone of phoneTargets) {
    const existing = targets.find((t) => sameId(t.id, phone.id));
    if (existing) {
      const allowed = existing.allowedPasskeyProfiles ?? [];
      if (!allowed.some((ref) => sameId(ref, profileId)))
        existing.allowedPasskeyProfiles = [...allowed, profileId];
    } else {
      targets.push({
        ...phone,
        isRegistrationRequired: false,
        allowedPasskeyProfiles: [profileId],
      });
    }
  }
  return {
    fido2: mirrorLegacyFields({
      ...migrated,
      state: "enabled",
      isSelfServiceRegistrationAllowed: true,
      passkeyProfiles: profiles as unknown as JsonValue[],
      includeTargets: targets as unknown as JsonValue[],
    }),
    phoneTargets,
    profileId,
    profileCreated,
  };
}
