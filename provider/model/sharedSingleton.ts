// One stack per tenant singleton. The campaign and the two method policies exist once per tenant:
// two stacks that both declare one would overwrite each other at every `up`, and destroy could not
// end well either way (the second stack adopted the first stack's settings as its "original", so
// destroying both in any order brings one stack's settings back). So a stack that is about to
// adopt a singleton (create) is refused at preview, before any Graph write, when another stack of
// the backend already manages the same kind on the same tenant. Tenant ids are GUIDs unique across
// the clouds, so the tenant id alone tells the tenant. Pure: the stacks are read by the caller.
import type { ResourceKind } from "./types";

/** A stack as its name and the package's resources in its state (provider/stack.ts). */
export interface StackHoldings {
  /** The fully qualified name `pulumi stack ls --all` gives ("organization/project/stack"). */
  name: string;
  resources: readonly {
    kind: ResourceKind;
    name: string;
    id: string;
    outputs: Record<string, unknown>;
  }[];
}

/** The stack that is running (from its URN): its project and stack name. */
export interface StackIdentity {
  project: string;
  stack: string;
}

/** One resource of another stack that manages the singleton. */
export interface OtherManager {
  stack: string;
  resource: string;
}

/** The project and stack of a URN ("urn:pulumi:STACK::PROJECT::TYPE::NAME"), if it is one. */
export function stackOfUrn(urn: string | undefined): StackIdentity | undefined {
  const match = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn ?? "");
  return match ? { stack: match[1], project: match[2] } : undefined;
}

/**
 * Whether a name from `pulumi stack ls --all` is the running stack: its last two segments are the
 * project and the stack (a backend without projects answers the bare stack name).
 */
export function isStack(name: string, self: StackIdentity): boolean {
  const parts = name.split("/");
  const stack = parts[parts.length - 1];
  const project = parts.length >= 2 ? parts[parts.length - 2] : self.project;
  return stack === self.stack && project === self.project;
}

/** The tenant a recorded singleton belongs to: its `tenantId` output, or its id's first part. */
function tenantOf(resource: StackHoldings["resources"][number]): string {
  const recorded = resource.outputs.tenantId;
  const tenant = typeof recorded === "string" && recorded !== "" ? recorded : resource.id;
  return tenant.split("/")[0].toLowerCase();
}

/** The resources of the other stacks that manage `kind` on `tenantId`. */
export function otherManagers(
  kind: ResourceKind,
  tenantId: string,
  self: StackIdentity,
  stacks: readonly StackHoldings[],
): OtherManager[] {
  const tenant = tenantId.toLowerCase();
  return stacks
    .filter((stack) => !isStack(stack.name, self))
    .flatMap((stack) =>
      stack.resources
        .filter((resource) => resource.kind === kind && tenantOf(resource) === tenant)
        .map((resource) => ({ stack: stack.name, resource: resource.name })),
    );
}

/**
 * A stack about to adopt a tenant singleton that another stack already manages: refused at
 * preview (check), before any Graph write, naming the other stack and the two safe ways.
 */
export class SingletonManagedElsewhereError extends Error {
  readonly kind: ResourceKind;
  readonly managers: readonly OtherManager[];

  constructor(
    kind: ResourceKind,
    subject: string,
    tenantId: string,
    managers: readonly OtherManager[],
  ) {
    const named = managers.map((m) => `stack "${m.stack}" (its ${kind} "${m.resource}")`);
    const first = managers[0].stack;
    super(
      `${kind}: ${subject} of tenant ${tenantId.toLowerCase()} is already managed by ${named.join(" and ")}, ` +
        `so this stack did not adopt it and nothing was written. The tenant has one: two stacks managing it overwrite each other at every \`pulumi up\`, ` +
        `and destroying both would bring one stack's settings back instead of the tenant's own. ` +
        `Either (1) manage it in one stack only: remove this ${kind} from this program (or merge its settings into the other stack's); ` +
        `or (2) first remove it from the other stack (delete it from that program and run \`pulumi up --stack ${first}\`, or \`pulumi destroy --stack ${first}\`), ` +
        `which restores the settings that stack found, then run this stack again.`,
    );
    this.name = "SingletonManagedElsewhereError";
    // A finding about the stacks, not a bug: the engine shows the message without a stack trace.
    this.stack = `${this.name}: ${this.message}`;
    this.kind = kind;
    this.managers = managers;
  }
}
