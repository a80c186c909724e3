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
import type { PropertyChange } from "./compare";
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

/**
 * The changes an ExternalChangeError names, one sentence each in reviewer words ("Snooze: every
 * sign-in → 7 days"), written by provider/render (externalChangeWords), which knows the display
 * names: `external` last applied → live, `overwrites` live → declared.
 */
export interface ExternalChangeWords {
  external: readonly string[];
  overwrites: readonly string[];
}

/**
 * Thrown by an update with `failOnExternalChange: true` before it writes anything. `external` holds
 * recorded (as `declared`) → live (as `actual`); `overwrites` everything the update would have set
 * (live → declared): the external changes it would undo and the program's own changes. The message
 * says them in `words`, one line each, never their full values (those stay in the state).
 */
export class ExternalChangeError extends Error {
  readonly kind: ResourceKind;
  readonly external: readonly PropertyChange[];
  readonly overwrites: readonly PropertyChange[];

  constructor(
    kind: ResourceKind,
    external: readonly PropertyChange[],
    overwrites: readonly PropertyChange[],
    words: ExternalChangeWords,
  ) {
    // A heading first line: the engine's progress row repeats the first line of a diagnostic.
    super(
      [
        `${kind}: the tenant's settings were changed outside this stack since it last applied or refreshed them, ` +
          `and failOnExternalChange is true, so nothing was written.`,
        `Changed outside this stack (last applied → live):`,
        ...words.external.map((sentence) => `  ${sentence}.`),
        `This update would have set:`,
        ...words.overwrites.map((sentence) => `  ${sentence}.`),
        `To go on, run \`pulumi refresh\` to accept the live values into the stack's state, then ` +
          `\`pulumi up\` to apply the declaration deliberately (or change the program to keep them); ` +
          `or set failOnExternalChange: false to overwrite them with a warning.`,
      ].join("\n"),
    );
    this.name = "ExternalChangeError";
    this.kind = kind;
    this.external = external;
    this.overwrites = overwrites;
  }
}
