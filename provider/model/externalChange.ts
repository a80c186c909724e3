// `failOnExternalChange`, shared by the two singletons: what an update does when the tenant's
// settings changed outside the stack (another stack, a script, the portal) since the stack last
// applied or refreshed them. Default (false): apply the declaration and warn, old → new. True: fail
// before any write, naming what changed outside and the fix.
//
// Only updates compare: an update knows what the stack last recorded (the engine's olds) and reads
// the live settings anyway. A create adopts, and whatever it finds was by definition written
// outside the stack, so it never fails for this (it warns when it overwrites). A preview never
// reads Graph for a singleton (a no-change preview makes no Graph call), so it cannot tell; run
// `pulumi preview --refresh` to see the external changes before an update.
import { formatChange, type JsonValue, type PropertyChange } from "./compare";
import type { UnknownValue } from "./ids";
import type { ResourceKind } from "./types";
import { checkBoolean, type ProblemCollector } from "./validation";

export function checkFailOnExternalChange(collector: ProblemCollector, value: unknown): void {
  checkBoolean(
    collector,
    "failOnExternalChange",
    value,
    "Use true to make an update fail, writing nothing, when the tenant's settings were changed outside this stack since it last applied or refreshed them; false (the default) to overwrite them with a warning.",
  );
}

/** The canonical input: absent when omitted (false and omitted mean the same). */
export function failOnExternalChangeInput(value: boolean | UnknownValue | undefined | null): {
  failOnExternalChange?: boolean | UnknownValue;
} {
  return value === undefined || value === null ? {} : { failOnExternalChange: value };
}

/** `snoozeDurationInDays: 0 → 7`: what the stack last recorded → what the tenant holds now. */
function formatExternalChange(change: PropertyChange): string {
  const show = (value: JsonValue) => (value === null ? "(absent)" : JSON.stringify(value));
  return `${change.property}: ${show(change.declared)} → ${show(change.actual)}`;
}

/**
 * Thrown by an update with `failOnExternalChange: true` before it writes anything. `external` holds
 * recorded (as `declared`) → live (as `actual`); `overwrites` everything the update would have set
 * (live → declared): the external changes it would undo and the program's own changes.
 */
export class ExternalChangeError extends Error {
  readonly kind: ResourceKind;
  readonly external: readonly PropertyChange[];
  readonly overwrites: readonly PropertyChange[];

  constructor(
    kind: ResourceKind,
    external: readonly PropertyChange[],
    overwrites: readonly PropertyChange[],
  ) {
    super(
      `${kind}: the tenant's settings were changed outside this stack since it last applied or refreshed them, ` +
        `and failOnExternalChange is true, so nothing was written. ` +
        `Changed outside this stack (last applied → live): ${external.map(formatExternalChange).join("; ")}. ` +
        `This update would have set: ${overwrites.map(formatChange).join("; ")}. ` +
        `To go on, run \`pulumi refresh\` to accept the live values into the stack's state, then ` +
        `\`pulumi up\` to apply the declaration deliberately (or change the program to keep them); ` +
        `or set failOnExternalChange: false to overwrite them with a warning.`,
    );
    this.name = "ExternalChangeError";
    this.kind = kind;
    this.external = external;
    this.overwrites = overwrites;
  }
}
