// Recognising the ids the resources take (object ids, the `all_users` pseudo-id, user principal
// names), their canonical spelling, and Pulumi's unknown-value sentinel.

/**
 * How the engine encodes a value that is unknown during preview (e.g. the id of a group created in
 * the same program) when it hands inputs to a dynamic provider's check() and diff(): this exact
 * string, in place of the value, at any depth (`unknownValue` in @pulumi/pulumi runtime/rpc.js).
 * It is GUID-shaped, so it must be recognised before any GUID test.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export type UnknownValue = typeof UNKNOWN;

export const ALL_USERS = "all_users";
/** Graph's "nobody" in feature-setting exclude targets. */
export const NIL_GUID = "00000000-0000-0000-0000-000000000000";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Entra UPN prefix characters (A-Z a-z 0-9 ' . - _ ! # ^ ~, plus $ which Graph documents), so guest
// UPNs such as alice_contoso.com#EXT#@fabrikam.onmicrosoft.com are recognised; a dotted domain.
const UPN = /^(?!\.)(?!.*\.\.)[A-Za-z0-9'._!#^~$-]{1,64}(?<!\.)@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

export function isUnknown(value: unknown): value is UnknownValue {
  return value === UNKNOWN;
}

/** True when the unknown sentinel appears anywhere in the value. */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") {
    return Object.values(value).some(containsUnknown);
  }
  return false;
}

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

export function isUpn(value: string): boolean {
  return UPN.test(value);
}

export type IdKind = "unknown" | "allUsers" | "guid" | "upn" | "invalid";

export function classifyId(value: string): IdKind {
  if (isUnknown(value)) return "unknown";
  if (value === ALL_USERS) return "allUsers";
  if (isGuid(value)) return "guid";
  if (isUpn(value)) return "upn";
  return "invalid";
}

/**
 * Canonical spelling of a target id: GUIDs lower-case (Graph treats them case-insensitively),
 * everything else (all_users, the unknown sentinel, anything unexpected) unchanged.
 */
export function canonicalId(value: string): string {
  return !isUnknown(value) && isGuid(value) ? value.toLowerCase() : value;
}

/** Canonical spelling of a member or owner reference: UPNs are case-insensitive in Entra too. */
export function canonicalMemberRef(value: string): string {
  if (isUnknown(value)) return value;
  return isGuid(value) || isUpn(value) ? value.toLowerCase() : value;
}
