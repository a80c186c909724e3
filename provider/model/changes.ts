// Per-property differences between canonical forms, and what a dynamic provider's diff() answers.
// One comparison backs the engine diff, the overwrite warning of an update, drift reports and
// preview summaries.
import { diffAuthenticator } from "./authenticator";
import { diffCampaign } from "./campaign";
import type { LikeByKind } from "./check";
import type { PropertyChange } from "./compare";
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
 * that names each property it overwrites, old → new (provider/render/overwrites.ts).
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
 * `__provider` are never changes; an input unknown during preview always is. A resource whose
 * tenant is not the one the provider signs in to now is never replaced: TenantSwitchError, at
 * preview, before any Graph call.
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
  // Every resource is bound to the tenant it was created in.
  if (tenantChanged(tenants)) {
    throw new TenantSwitchError(kind, tenants.prior as string, tenants.current as string);
  }
  const changed = new Set([
    ...unknownArguments,
    ...propertyChanges.map((change) => change.property.split(/[.[]/, 1)[0]),
  ]);
  return {
    changes: changed.size > 0,
    replaces: [],
    deleteBeforeReplace: false,
    stables: argumentNames.filter((name) => !changed.has(name)),
    propertyChanges,
  };
}

function tenantChanged({ prior, current }: TenantIds): boolean {
  const known = (value: string | undefined): value is string =>
    typeof value === "string" && value !== "" && !isUnknown(value);
  return known(prior) && known(current) && prior.toLowerCase() !== current.toLowerCase();
}

/**
 * A stack pointed at another tenant (or cloud) than the one its resources were created in. A
 * replacement would sign in to the new tenant only: the old tenant's settings could not be
 * restored (nor its group deleted), and the new tenant's would be overwritten in the same run. So
 * the preview fails, before any Graph call, and says the two ways that leave neither tenant
 * abandoned.
 */
export class TenantSwitchError extends Error {
  readonly kind: ResourceKind;
  readonly prior: string;
  readonly current: string;

  constructor(kind: ResourceKind, prior: string, current: string) {
    const undo = isSingleton(kind)
      ? 'restores the settings it found there (or leaves them, with onDelete: "retain")'
      : "deletes the group there";
    super(
      `${kind}: the stack now signs in to tenant ${current.toLowerCase()}, but this resource belongs to tenant ${prior.toLowerCase()}, ` +
        `so nothing was written to either tenant. A stack is bound to the tenant it was first deployed to: ` +
        `moving it would leave tenant ${prior.toLowerCase()} with this stack's settings and nobody managing them. ` +
        `Either (1) point the stack back at tenant ${prior.toLowerCase()} (entra-nudge:tenantId or AZURE_TENANT_ID, and the cloud it was in), ` +
        `run \`pulumi destroy\` there (it ${undo}), then point it at tenant ${current.toLowerCase()} and run \`pulumi up\`; ` +
        `or (2) keep this stack for tenant ${prior.toLowerCase()} and create a new stack for tenant ${current.toLowerCase()} (\`pulumi stack init\`).`,
    );
    this.name = "TenantSwitchError";
    // A finding about the settings, not a bug: the engine shows the message without a stack.
    this.stack = `${this.name}: ${this.message}`;
    this.kind = kind;
    this.prior = prior;
    this.current = current;
  }
}
