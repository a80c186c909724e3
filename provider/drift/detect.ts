// Drift: the recorded declaration of each resource against what the tenant holds now, property by
// property, with the model's one comparison. Each live object is read once; any failure to read
// is thrown (the command reports it as an error), so a 403 or a timeout never reads as "in sync".
import type { JsonValue, ResourceKind } from "../model";
import { describeChanges, type LikeByKind } from "../model";
import type { Session } from "../session";
import type { Declaration, DeclarationSource } from "../declaration/read";
import { ReportError } from "../errors";
import { readLive } from "../live";
import { pathSegments, significantWords } from "../render/words";
import { collectObjectTypes, idsInChange, lookUpNames, type ObjectTypes } from "../render/names";

export type ResourceStatus = "inSync" | "drifted" | "missing";

export interface DriftDifference {
  /** The resource's logical name in the program ("campaign"). */
  resource: string;
  kind: ResourceKind;
  urn: string;
  /** Property path: `snoozeDurationInDays`, `includeTargets[<id>].authenticationMode`, ... */
  property: string;
  /** What the stack declares (canonical; null = absent). */
  declared: JsonValue;
  /** What the tenant holds (canonical; null = absent). */
  actual: JsonValue;
  /**
   * Present on the changes a reviewer must not miss (a campaign now nudging to another method):
   * the change in one sentence, declared → actual ("Nudged to set up: Microsoft Authenticator → a
   * passkey"). Such differences come first.
   */
  significant?: string;
}

export interface DriftResource {
  resource: string;
  kind: ResourceKind;
  urn: string;
  id: string;
  status: ResourceStatus;
}

export interface DriftReport {
  inSync: boolean;
  source: DeclarationSource;
  /** The tenant the credentials signed in to (when it had to be known). */
  tenantId?: string;
  resources: DriftResource[];
  differences: DriftDifference[];
  /** Display names of the objects the differences mention, by object id. */
  names: Map<string, string>;
}

/** The property a deleted resource differs in: it should exist and does not. */
export const EXISTS_PROPERTY = "exists";

/**
 * Compares each declared resource with the tenant the session signs in to (the caller creates it
 * from the declaration's config: the stack's settings, then the environment).
 */
export async function detectDrift(
  declaration: Declaration,
  session: Session,
): Promise<DriftReport> {
  const graph = session.graph;
  const tenantId = await checkTenant(declaration, session);

  const reads = await Promise.all(
    declaration.resources.map((r) => readLive(graph, r.kind, r.id, r.declared)),
  );
  const types: ObjectTypes = new Map();
  const known = new Map<string, string>();
  const resources: DriftResource[] = [];
  const differences: DriftDifference[] = [];
  declaration.resources.forEach((r, index) => {
    const live = reads[index];
    const base = { resource: r.name, kind: r.kind, urn: r.urn };
    collectObjectTypes(r.declared, types);
    if (!live.exists) {
      differences.push({ ...base, property: EXISTS_PROPERTY, declared: true, actual: false });
      resources.push({ ...base, id: r.id, status: "missing" });
      return;
    }
    collectObjectTypes(live.actual, types);
    if (live.displayName) known.set(r.id.toLowerCase(), live.displayName);
    const changes = describeChanges(
      r.kind,
      r.declared as LikeByKind[ResourceKind],
      live.actual as LikeByKind[ResourceKind],
    );
    for (const change of changes) {
      const significant =
        significantWords(r.kind, change.property, change.declared, change.actual) ??
        methodTakenWords(r.kind, change.property, change.declared, change.actual);
      differences.push({ ...base, ...change, ...(significant ? { significant } : {}) });
    }
    resources.push({ ...base, id: r.id, status: changes.length > 0 ? "drifted" : "inSync" });
  });

  const names = await lookUpNames(graph, differences.flatMap(idsInChange), types, known);
  return {
    inSync: differences.length === 0,
    source: declaration.source,
    tenantId,
    resources,
    // The significant first (a stable sort keeps the rest in their order).
    differences: [...differences].sort(
      (a, b) => Number(b.significant !== undefined) - Number(a.significant !== undefined),
    ),
    names,
  };
}

/**
 * The stack's resources were created in one tenant (recorded in their outputs); reading another
 * tenant would report everything as drift, or a deleted group, when nothing changed.
 */
async function checkTenant(
  declaration: Declaration,
  session: Session,
): Promise<string | undefined> {
  const recorded = declaration.resources.flatMap((r) =>
    typeof r.outputs.tenantId === "string" && r.outputs.tenantId !== ""
      ? [{ name: r.name, kind: r.kind, tenantId: r.outputs.tenantId.toLowerCase() }]
      : [],
  );
  if (recorded.length === 0) return undefined;
  const current = await session.tenantId();
  const other = recorded.find((r) => r.tenantId !== current);
  if (other) {
    throw new ReportError(
      "tenant",
      `${other.kind} "${other.name}" belongs to tenant ${other.tenantId}, but the credentials sign in to tenant ${current}. ` +
        `Drift can only be checked in the stack's own tenant: set entra-nudge:tenantId (or AZURE_TENANT_ID) and the credential for tenant ${other.tenantId}.`,
    );
  }
  return current;
}

const TAKEN: Partial<Record<ResourceKind, string>> = {
  AuthenticatorPolicy: "Microsoft Authenticator",
  PasskeyPolicy: "Passkeys",
};

/**
 * Someone else's change that takes a method the stack declares away from users who may have it
 * registered (the method switched off, a target no longer included or newly excluded, push users
 * moved to Passwordless only): one sentence, declared → actual. `entra-nudge impact --stack` counts
 * who lost it.
 */
export function methodTakenWords(
  kind: ResourceKind,
  property: string,
  declared: JsonValue,
  actual: JsonValue,
): string | undefined {
  const method = TAKEN[kind];
  if (!method) return undefined;
  const counted =
    "users who have it registered there can no longer use it (`entra-nudge impact --stack` counts them)";
  if (property === "state" && declared === "enabled" && actual === "disabled") {
    return `${method} taken away: the stack declares it enabled, the tenant has it disabled; ${counted}.`;
  }
  const segments = pathSegments(property);
  const list = segments[0]?.name;
  const id = segments[1]?.key;
  if (id === undefined) return undefined;
  const who = id === "all_users" ? "all users" : id;
  if (segments.length === 2 && list === "includeTargets" && declared !== null && actual === null) {
    return `${method} taken away: the stack includes ${who}, the tenant no longer does; ${counted}.`;
  }
  if (segments.length === 2 && list === "excludeTargets" && declared === null && actual !== null) {
    return `${method} taken away: the tenant excludes ${who}, which the stack does not; ${counted}.`;
  }
  if (
    segments.length === 3 &&
    list === "includeTargets" &&
    segments[2].name === "authenticationMode" &&
    actual === "deviceBasedPush" &&
    declared !== "deviceBasedPush"
  ) {
    return `Push taken away: the stack declares ${who} in mode ${JSON.stringify(declared)}, the tenant only allows Passwordless ("deviceBasedPush"); push users there can no longer approve sign-ins.`;
  }
  return undefined;
}
