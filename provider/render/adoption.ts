// The warning a singleton's create gives when it adopts settings that differ from the declaration,
// in the words preview-summary uses ("Snooze: 1 day → every sign-in."), one sentence per
// property. The full values stay in the state (originalSettings and the outputs) and in
// `pulumi up --json`.
//
// Its first line is a heading on purpose: the engine's non-interactive display repeats a
// resource's latest diagnostic, first line only, on each of its progress rows ("creating",
// "created"), then prints the whole message once under "Diagnostics:" (pulumi/pulumi
// pkg/backend/display/rows.go, getInfoColumn). A one-line warning was therefore printed three
// times in full; with the heading first, the property sentences appear once.
import type { PropertyChange, ResourceKind } from "../model";
import { changeWords, type Names } from "./words";

export function adoptionWarning(
  kind: ResourceKind,
  subject: string,
  changes: readonly PropertyChange[],
  names: Names,
  onDelete: unknown,
): string {
  const count = `${changes.length} ${changes.length === 1 ? "setting" : "settings"}`;
  const sentences = changes.map((change) => {
    const { label, text } = changeWords(kind, change, names);
    return `  ${label}: ${text}.`;
  });
  return [
    `${kind}: adopting ${subject}; this create changes ${count} the tenant had (its defaults, or values another stack, a script or the portal wrote):`,
    ...sentences,
    onDelete === "retain"
      ? `onDelete is "retain": destroying the resource leaves the tenant as it is then.`
      : `The settings found are kept in the state (originalSettings) and restored on destroy.`,
  ].join("\n");
}
