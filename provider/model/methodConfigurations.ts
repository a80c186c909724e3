// The parts of the passkey (FIDO2), SMS and Voice method configurations that eligibility and the
// readiness command read (graph-contract-passkeys.md §4, §7): canonical forms from Graph's answers.
// Read only: the PasskeyPolicy resource has its own full normalizer.
import { canonicalId } from "./ids";
import type { PasskeyEligibilitySettings, PasskeyProfileFacts } from "./eligibility";

type Json = Record<string, unknown>;

function list(value: unknown): Json[] {
  return Array.isArray(value)
    ? value.filter((item): item is Json => item !== null && typeof item === "object")
    : [];
}

function text(value: unknown, fallback = ""): string {
  return typeof value === "string" ? value : fallback;
}

function target(item: Json): { id: string; targetType: string } {
  return { id: canonicalId(text(item.id)), targetType: text(item.targetType, "group") };
}

function restrictions(value: unknown): PasskeyProfileFacts["keyRestrictions"] | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const k = value as Json;
  return {
    isEnforced: k.isEnforced === true,
    enforcementType: text(k.enforcementType, "block"),
    aaGuids: Array.isArray(k.aaGuids) ? k.aaGuids.filter((g) => typeof g === "string") : [],
  };
}

/**
 * The passkey configuration as eligibility needs it. A configuration that predates passkey
 * profiles (no `passkeyProfiles`) is one implicit default profile built from the legacy
 * `isAttestationEnforced`/`keyRestrictions` (passkeys §4: kept in sync during the deprecation),
 * which every include target allows.
 */
export function passkeyEligibilityFromGraph(raw: Json | undefined): PasskeyEligibilitySettings {
  const config = raw ?? {};
  const legacy = !Array.isArray(config.passkeyProfiles);
  const defaultPasskeyProfile = canonicalId(
    text(config.defaultPasskeyProfile, "00000000-0000-0000-0000-000000000001"),
  );
  const profiles: PasskeyProfileFacts[] = legacy
    ? [
        {
          id: defaultPasskeyProfile,
          passkeyTypes: ["deviceBound", "synced"],
          attestationEnforcement:
            config.isAttestationEnforced === true ? "registrationOnly" : "disabled",
          ...(restrictions(config.keyRestrictions)
            ? { keyRestrictions: restrictions(config.keyRestrictions) }
            : {}),
        },
      ]
    : list(config.passkeyProfiles).map((profile) => ({
        id: canonicalId(text(profile.id)),
        ...(typeof profile.name === "string" ? { name: profile.name } : {}),
        passkeyTypes: text(profile.passkeyTypes)
          .split(",")
          .map((type) => type.trim())
          .filter((type) => type !== ""),
        attestationEnforcement: text(profile.attestationEnforcement, "disabled"),
        ...(restrictions(profile.keyRestrictions)
          ? { keyRestrictions: restrictions(profile.keyRestrictions) }
          : {}),
      }));
  return {
    state: text(config.state, "disabled"),
    isSelfServiceRegistrationAllowed: config.isSelfServiceRegistrationAllowed === true,
    includeTargets: list(config.includeTargets).map((item) => ({
      ...target(item),
      allowedPasskeyProfiles: legacy
        ? profiles.map((profile) => profile.id)
        : (Array.isArray(item.allowedPasskeyProfiles) ? item.allowedPasskeyProfiles : [])
            .filter((id): id is string => typeof id === "string")
            .map(canonicalId),
    })),
    excludeTargets: list(config.excludeTargets).map(target),
    passkeyProfiles: profiles,
    defaultPasskeyProfile,
  };
}

/** The SMS or Voice configuration's state and scope (passkeys §7), read only. */
export interface PhoneMethodSettings {
  state: string;
  includeTargets: { id: string; targetType: string; isUsableForSignIn?: boolean }[];
  excludeTargets: { id: string; targetType: string }[];
}

export function phoneMethodFromGraph(raw: Json | undefined): PhoneMethodSettings {
  const config = raw ?? {};
  return {
    state: text(config.state, "disabled"),
    includeTargets: list(config.includeTargets).map((item) => ({
      ...target(item),
      ...(typeof item.isUsableForSignIn === "boolean"
        ? { isUsableForSignIn: item.isUsableForSignIn }
        : {}),
    })),
    excludeTargets: list(config.excludeTargets).map(target),
  };
}
