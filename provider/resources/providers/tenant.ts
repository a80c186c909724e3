// Every resource is bound to the tenant it was created in (its `tenantId` output): pointing the stack
// at another tenant fails the preview (model/changes.ts diffResult, TenantSwitchError) before any
// write, and a read or delete while the provider signs in to another tenant does nothing there and
// says so. A state from before tenants were recorded (no `tenantId`) cannot be told apart: it is
// read and deleted where the provider signs in, and the tenant is recorded at its next refresh or
// update (docs/resources.md).
import * as context from "./processSession";

export interface TenantMove {
  /** The tenant the resource was created in. */
  recorded: string;
  /** The tenant the provider signs in to now. */
  current: string;
}

/** The move when the resource's recorded tenant is not the one the provider signs in to now. */
export async function tenantMove(props: Record<string, unknown>): Promise<TenantMove | undefined> {
  const recorded = props.tenantId;
  if (typeof recorded !== "string" || recorded === "") return undefined;
  const current = await context.tenantId();
  return recorded.toLowerCase() === current.toLowerCase() ? undefined : { recorded, current };
}

/** Warns that a read under another tenant was not made; `what` says what lives in the old one. */
export function warnNotRead(kind: string, id: string, what: string, move: TenantMove): void {
  context.warn(
    `${kind} ${id}: the provider now signs in to tenant ${move.current}, not ${move.recorded} where ${what}; it was not read. A stack stays with the tenant it was first deployed to: point the settings back to tenant ${move.recorded} (and destroy there before moving the stack), or use a new stack for tenant ${move.current}.`,
  );
}

/**
 * Warns that a delete under another tenant was not made: `what` is what stays in the old tenant,
 * `done` the verb ("restored", "deleted"), `then` what the user can do about it.
 */
export function warnNotDeleted(
  kind: string,
  id: string,
  what: string,
  done: string,
  move: TenantMove,
  then: string,
): void {
  context.warn(
    `${kind} ${id}: ${what} of tenant ${move.recorded} was NOT ${done}, because the provider now signs in to tenant ${move.current}. ${then}`,
  );
}
