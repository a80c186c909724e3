// The parts of the passkey (FIDO2), SMS and Voice method configurations that eligibility and the
// readiness command read (graph-contract-passkeys.md §4, §7): canonical forms from Graph's answers.
// Read only. The passkey configuration is read by the PasskeyPolicy's normalizer (passkeyFromGraph)
// and only narrowed here.
import { canonicalId } from "./ids";
import type { PasskeyEligibilitySettings } from "./eligibility";
import { DEFAULT_PASSKEY_PROFILE_ID } from "./passkey";
import type { PasskeySettings } from "./types";

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

/**
 * The passkey configuration as eligibility needs it, from its canonical form (passkeyFromGraph, the
 * one reading of Graph's answer, which also reads a configuration that predates passkey profiles).
 */
export function passkeyEligibility(settings: PasskeySettings): PasskeyEligibilitySettings {
  return {
    state: settings.state,
    isSelfServiceRegistrationAllowed: settings.isSelfServiceRegistrationAllowed,
    includeTargets: settings.includeTargets.map(({ id, targetType, allowedPasskeyProfiles }) => ({
      id,
      targetType,
      allowedPasskeyProfiles: allowedPasskeyProfiles ?? [],
    })),
    excludeTargets: settings.excludeTargets.map(({ id, targetType }) => ({ id, targetType })),
    passkeyProfiles: (settings.passkeyProfiles ?? []).map((profile) => ({
      id: profile.id ?? "",
      ...(profile.name !== "" ? { name: profile.name } : {}),
      passkeyTypes: profile.passkeyTypes,
      attestationEnforcement: profile.attestationEnforcement ?? "disabled",
      ...(profile.keyRestrictions ? { keyRestrictions: profile.keyRestrictions } : {}),
    })),
    defaultPasskeyProfile: settings.defaultPasskeyProfile ?? DEFAULT_PASSKEY_PROFILE_ID,
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
