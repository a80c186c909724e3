// Per-property differences between canonical forms, and what a dynamic provider's diff() answers.
// One comparison backs the engine diff, the overwrite warning of an update, drift reports and
// preview summaries.
import { diffAuthenticator } from "./authenticator";
import { diffCampaign } from "./campaign";
import type { LikeByKind } from "./check";
import { formatChange, type PropertyChange } from "./compare";
import { UPDATE_SETTING_ARGUMENTS } from "./defaults";
import { containsUnknown, isUnknown } from "./ids";
import { AUTHENTICATOR_ARGUMENTS } from "./authenticator";
import { CAMPAIGN_ARGUMENTS } from "./campaign";
import { PASSKEY_ARGUMENTS, diffPasskey } from "./passkey";
import { PILOT_GROUP_ARGUMENTS, diffPilotGroup } from "./pilotGroup";
import type { ResourceKind } from "./types";

const DIFFS: {
  [K in ResourceKind]: (declared: LikeByKind[K], actual: LikeByKind[K]) => PropertyChange[];
} = {
  RegistrationCampaign: diffCampaign,
  AuthenticatorPolicy: diffAuthenticator,
  PasskeyPolicy: diffPasskey,
  PilotGroup: diffPilotGroup,
};

export const ARGUMENTS: { [K in ResourceKind]: readonly string[] } = {
  RegistrationCampaign: CAMPAIGN_ARGUMENTS,
  AuthenticatorPolicy: AUTHENTICATOR_ARGUMENTS,
  PasskeyPolicy: PASSKEY_ARGUMENTS,
  PilotGroup: PILOT_GROUP_ARGUMENTS,
};

/** The singletons: one per tenant, adopted on create, replaced only when the tenant changes. */
export function isSingleton(kind: ResourceKind): boolean {
  return kind !== "PilotGroup";
}

/**
 * What differs, property by property, between what is declared and what is there (both normalized
 * here, so callers may pass declared args, canonical inputs, outputs or settings read from Graph).
 * Properties the declaration leaves unmanaged are not compared.
 */
export function describeChanges<K extends ResourceKind>(
  kind: K,
  declared: LikeByKind[K],
  actual: LikeByKind[K],
): PropertyChange[] {
  return DIFFS[kind](declared, actual);
}

/**
 * The properties an update overwrites that changed outside Pulumi since the state was recorded:
 * changed (recorded → actual) and about to change again (actual → declared). Backs the warning
 * "names each property it overwrites, old → new".
 */
export function describeOverwrites<K extends ResourceKind>(
  kind: K,
  recorded: LikeByKind[K],
  actual: LikeByKind[K],
  declared: LikeByKind[K],
): PropertyChange[] {
  const changedOutside = new Set(
    describeChanges(kind, recorded, actual).map((change) => change.property),
  );
  return describeChanges(kind, declared, actual).filter((change) =>
    changedOutside.has(change.property),
  );
}

/** One warning naming each overwritten property, old → new; undefined when there is none. */
export function formatOverwriteWarning(
  kind: ResourceKind,
  overwrites: readonly PropertyChange[],
): string | undefined {
  if (overwrites.length === 0) return undefined;
  return (
    `${kind}: the tenant's settings changed outside Pulumi since the last refresh; ` +
    `this update overwrites them with the declaration: ` +
    overwrites.map(formatChange).join("; ")
  );
}

export interface TenantIds {
  /** The tenant the resource was created in (from its id or outputs). */
  prior?: string;
  /** The tenant the provider is configured for now. */
  current?: string;
}

/** The answer of a dynamic provider's diff(), plus the property changes behind it. */
export interface DiffOutcome {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  /** Arguments that this update leaves as they are (the Node dynamic provider does not send it). */
  stables: string[];
  propertyChanges: PropertyChange[];
}

/**
 * diff(id, olds, news) on canonical forms: reordering targets, GUID case, spelled-out defaults and
 * `__provider` are never changes; an input unknown during preview always is. Any resource is
 * replaced when its tenant changes; a singleton deletes first, so that the old tenant's settings
 * are restored before the new tenant's are adopted; a pilot group is created in the new tenant first.
 */
export function diffResult<K extends ResourceKind>(
  kind: K,
  olds: Readonly<Record<string, unknown>>,
  news: Readonly<Record<string, unknown>>,
  tenants: TenantIds = {},
): DiffOutcome {
  // olds and news are our own canonical outputs and check() results; normalization is total.
  const propertyChanges = describeChanges(
    kind,
    news as unknown as LikeByKind[K],
    olds as unknown as LikeByKind[K],
  );
  // failOnExternalChange only steers an update: never a change, even unknown (defaults.ts).
  const argumentNames = ARGUMENTS[kind].filter(
    (name) => !(UPDATE_SETTING_ARGUMENTS as readonly string[]).includes(name),
  );
  const unknownArguments = argumentNames.filter((name) => containsUnknown(news[name]));
  // Every resource is bound to its tenant; a singleton's old tenant is restored first.
  const replace = tenantChanged(tenants);
  const changed = new Set([
    ...unknownArguments,
    ...propertyChanges.map((change) => change.property.split(/[.[]/, 1)[0]),
  ]);
  return {
    changes: replace || changed.size > 0,
    replaces: replace ? ["tenantId"] : [],
    deleteBeforeReplace: replace && isSingleton(kind),
    stables: replace ? [] : argumentNames.filter((name) => !changed.has(name)),
    propertyChanges,
  };
}

function tenantChanged({ prior, current }: TenantIds): boolean {
  const known = (value: string | undefined): value is string =>
    typeof value === "string" && value !== "" && !isUnknown(value);
  return known(prior) && known(current) && prior.toLowerCase() !== current.toLowerCase();
}
