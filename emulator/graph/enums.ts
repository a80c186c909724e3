// Evolvable enums (graph-contract.md §0.2): Graph adds new members after the `unknownFutureValue`
// sentinel and shows them only to clients that ask. The rules below are Microsoft's Graph API
// design guideline, the one public text on it (github.com/microsoft/api-guidelines,
// graph/patterns/evolvable-enums.md):
//  - a member numerically after `unknownFutureValue` is answered as `unknownFutureValue` unless the
//    request carries `Prefer: include-unknown-enum-members`, and then the response carries
//    `Preference-Applied: include-unknown-enum-members`;
//  - a request that sends such a member without that Prefer header is refused with 400;
//  - `unknownFutureValue` sent in a PATCH is treated as if the property were absent (the value is
//    kept); sent where the PATCH creates values (POST, PUT, an "upsert") it is refused with 400.
//    The policy's collections are replaced whole by a PATCH (§1.5), so a target inside one is a
//    new value: the emulator refuses `unknownFutureValue` there (inferred from the upsert rule).
//
// None of the enums this tool uses has a member after `unknownFutureValue` today, so the ones
// below are hypothetical: tenant files may hold them to try a client against "Graph after the
// next schema change" (tenants/README.md lists them).

/** The sentinel every evolvable enum ends its original members with. */
export const UNKNOWN_FUTURE_VALUE = "unknownFutureValue";

/** The Prefer token that asks for the members added after the sentinel. */
export const INCLUDE_UNKNOWN_ENUM_MEMBERS = "include-unknown-enum-members";

/**
 * Members "added after" each enum's original ones, by enum type name, in value order. For an
 * evolvable enum they follow `unknownFutureValue`; microsoftAuthenticatorAuthenticationMode has no
 * sentinel (v1.0 CSDL: deviceBasedPush, push, any), so a member added to it cannot be hidden: it is
 * answered as it is, with or without the Prefer header (inferred: Graph has nothing to replace it
 * with), and accepted in a PATCH either way.
 */
export const NEWER_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  advancedConfigState: ["enforced"],
  authenticationMethodTargetType: ["administrativeUnit"],
  featureTargetType: ["dynamicGroup"],
  microsoftAuthenticatorAuthenticationMode: ["passkeyPush"],
};

/** The enum's members as the emulator knows them: the schema's, then the newer ones. */
export function withNewerMembers(type: string, members: readonly string[]): string[] {
  return [...members, ...(NEWER_MEMBERS[type] ?? [])];
}

/**
 * True for a member after `unknownFutureValue`: one that is hidden from, and refused from, a
 * client that did not send `Prefer: include-unknown-enum-members`.
 */
export function isHiddenMember(members: readonly string[], value: string): boolean {
  const sentinel = members.indexOf(UNKNOWN_FUTURE_VALUE);
  return sentinel >= 0 && members.indexOf(value) > sentinel;
}

/** Whether the request's Prefer header(s) ask for the newer members (a comma-separated list). */
export function prefersUnknownEnumMembers(headers: Record<string, string>): boolean {
  return (headers.prefer ?? "")
    .split(",")
    .some((p) => p.trim().toLowerCase() === INCLUDE_UNKNOWN_ENUM_MEMBERS);
}
