// The property bags the dynamic-provider host hands to every provider method.
import { ARGUMENTS, type ResourceKind } from "../../model";

/** The serialized provider the host adds to inputs and outputs (never a resource argument). */
export const PROVIDER_KEY = "__provider";

/** The props as given, without the serialized provider (validation then sees every other key). */
export function withoutProvider(props: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...props };
  delete rest[PROVIDER_KEY];
  return rest;
}

/** Only the resource's arguments (recorded outputs also hold tenantId, ids, snapshots...). */
export function argumentsOf(
  kind: ResourceKind,
  props: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(ARGUMENTS[kind].filter((k) => k in props).map((k) => [k, props[k]]));
}
