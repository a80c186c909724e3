// What an update says about settings changed outside the stack since it last applied or
// refreshed them (model/changes.ts describeOverwrites): the warning when it overwrites them, and
// the sentences of the error that `failOnExternalChange: true` raises instead (model
// ExternalChangeError). Both in the words preview-summary and the adoption warning use, one
// sentence per property ("Snooze: 7 days → every sign-in", "Excluded: + Sales"); the full values
// stay in the state and in `pulumi up --json`.
import type { ExternalChangeWords, PropertyChange, ResourceKind } from "../model";
import { changeWords, type Names } from "./words";

/** "Snooze: 7 days → every sign-in": a change oriented actual → declared, in words. */
function sentence(kind: ResourceKind, change: PropertyChange, names: Names): string {
  const { label, text } = changeWords(kind, change, names);
  return `${label}: ${text}`;
}

/**
 * The warning of an update that overwrites values changed outside Pulumi (live → declared), one
 * line per property under a heading (the engine's progress rows repeat a diagnostic's first line
 * only: render/adoption.ts).
 */
export function overwriteWarning(
  kind: ResourceKind,
  overwrites: readonly PropertyChange[],
  names: Names,
): string {
  return [
    `${kind}: the tenant's settings changed outside Pulumi since the last refresh; this update overwrites them with the declaration:`,
    ...overwrites.map((change) => `  ${sentence(kind, change, names)}.`),
  ].join("\n");
}

/**
 * The sentences of an ExternalChangeError: `external` is recorded (as `declared`) → live (as
 * `actual`), so it is turned around to read last applied → live ("Excluded: + Sales" when Sales
 * was excluded outside the stack); `overwrites` reads live → declared, as it would be written.
 */
export function externalChangeWords(
  kind: ResourceKind,
  external: readonly PropertyChange[],
  overwrites: readonly PropertyChange[],
  names: Names,
): ExternalChangeWords {
  return {
    external: external.map((change) =>
      sentence(
        kind,
        { property: change.property, declared: change.actual, actual: change.declared },
        names,
      ),
    ),
    overwrites: overwrites.map((change) => sentence(kind, change, names)),
  };
}
