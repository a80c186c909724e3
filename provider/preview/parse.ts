// A stack's preview as CI produces it, reduced to this package's resources and what the engine
// plans for each. Two inputs are accepted: `pulumi preview --json` (one document with `steps`,
// each with `oldState`/`newState`) and the engine event log (`PULUMI_DEBUG_COMMANDS=true pulumi preview --event-log FILE`,
// one JSON event per line; Automation API previews deliver the same events to `onEvent`). The Node
// dynamic provider sends no detailed diff, so the old and new inputs are kept for the model's
// comparison to name each changed property.
import { isRecord, type ResourceKind } from "../model";
import { ReportError } from "../errors";

const TYPE_PREFIX = "pulumi-nodejs:dynamic/entra-nudge:";
/** In the order a rollout depends on them (summaries list resources in this order, then by name). */
const KINDS: readonly ResourceKind[] = [
  "PilotGroup",
  "AuthenticatorPolicy",
  "PasskeyPolicy",
  "RegistrationCampaign",
];

export type PlannedOp = "create" | "update" | "delete" | "replace" | "same";

type Props = Record<string, unknown>;

export interface PlannedResource {
  kind: ResourceKind;
  urn: string;
  /** The logical name in the program. */
  name: string;
  op: PlannedOp;
  /** The state before the operation (absent for a create). */
  old?: { id: string; inputs: Props; outputs: Props };
  /** The checked inputs the operation applies (absent for a delete). */
  new?: { inputs: Props };
  /** Why the engine replaces it (a singleton: its tenant changed). */
  replaceReasons: string[];
}

export interface ParsedPreview {
  /** This package's resources: pilot groups, the Authenticator policy, the campaign. */
  resources: PlannedResource[];
  /** Other resources (not the stack, not providers) that change, counted by operation. */
  otherChanges: Record<string, number>;
  /** Error diagnostics: the preview failed. */
  errors: string[];
}

/** One step as either input shape gives it. */
interface RawStep {
  op: string;
  urn: string;
  type?: string;
  old?: unknown;
  new?: unknown;
  replaceReasons: string[];
}

const OPS: Record<string, PlannedOp> = {
  same: "same",
  create: "create",
  import: "create",
  update: "update",
  delete: "delete",
  replace: "replace",
  "create-replacement": "replace",
  "delete-replaced": "replace",
  "import-replacement": "replace",
};
const PRECEDENCE: PlannedOp[] = ["same", "update", "create", "delete", "replace"];

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function typeOfUrn(urn: string): string {
  // urn:pulumi:<stack>::<project>::<parent type$>type::<name>
  const parts = urn.split("::");
  return (parts[2] ?? "").split("$").pop() ?? "";
}

/** Parses either input shape; throws ReportError("input") when it is neither. */
export function parsePreview(text: string, file: string): ParsedPreview {
  const trimmed = text.trim();
  if (trimmed === "") {
    throw new ReportError(
      "input",
      `${file} is empty: give the output of \`pulumi preview --json\`, or the file written by \`PULUMI_DEBUG_COMMANDS=true pulumi preview --event-log FILE\`.`,
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(trimmed);
  } catch {
    document = undefined; // not one document: maybe an event log (one JSON value per line)
  }
  if (isRecord(document) && Array.isArray(document.steps)) return fromPreviewJson(document);
  if (isRecord(document) && !isEvent(document)) {
    throw new ReportError(
      "input",
      `${file} is JSON but neither \`pulumi preview --json\` output (it has no \`steps\` list) nor an engine event. Give the output of \`pulumi preview --json\` or of \`PULUMI_DEBUG_COMMANDS=true pulumi preview --event-log FILE\`.`,
    );
  }
  return fromEvents(parseEventLines(trimmed, file));
}

function isEvent(value: Props): boolean {
  return "sequence" in value || Object.keys(value).some((key) => key.endsWith("Event"));
}

function parseEventLines(text: string, file: string): Props[] {
  const events: Props[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch (err) {
      throw new ReportError(
        "input",
        `${file}, line ${index + 1}: not JSON (${(err as Error).message}). The file is neither \`pulumi preview --json\` output nor a complete event log; if the preview was cut short, run it again.`,
      );
    }
    if (!isRecord(event) || !isEvent(event)) {
      throw new ReportError(
        "input",
        `${file}, line ${index + 1}: not an engine event. Give the output of \`pulumi preview --json\` or of \`PULUMI_DEBUG_COMMANDS=true pulumi preview --event-log FILE\`.`,
      );
    }
    events.push(event);
  });
  return events;
}

function fromPreviewJson(document: Props): ParsedPreview {
  const steps = (document.steps as unknown[]).filter(isRecord).map((step): RawStep => ({
    op: String(step.op ?? ""),
    urn: String(step.urn ?? ""),
    type: isRecord(step.newState)
      ? String(step.newState.type ?? "")
      : isRecord(step.oldState)
        ? String(step.oldState.type ?? "")
        : undefined,
    old: step.oldState,
    new: step.newState,
    replaceReasons: strings(step.replaceReasons),
  }));
  const errors = (Array.isArray(document.diagnostics) ? document.diagnostics : [])
    .filter(isRecord)
    .filter((d) => d.severity === "error")
    .map((d) => String(d.message ?? "").trim());
  return collect(steps, errors);
}

function fromEvents(events: Props[]): ParsedPreview {
  const steps: RawStep[] = [];
  const errors: string[] = [];
  for (const event of events) {
    const pre = isRecord(event.resourcePreEvent) ? event.resourcePreEvent.metadata : undefined;
    if (isRecord(pre)) {
      steps.push({
        op: String(pre.op ?? ""),
        urn: String(pre.urn ?? ""),
        type: typeof pre.type === "string" ? pre.type : undefined,
        old: pre.old,
        new: pre.new,
        replaceReasons: strings(pre.keys),
      });
    }
    const diagnostic = event.diagnosticEvent;
    if (isRecord(diagnostic) && diagnostic.severity === "error") {
      errors.push(String(diagnostic.message ?? "").trim());
    }
  }
  return collect(steps, errors);
}

function stateOf(value: unknown): { id: string; inputs: Props; outputs: Props } | undefined {
  if (!isRecord(value)) return undefined;
  return {
    id: typeof value.id === "string" ? value.id : "",
    inputs: isRecord(value.inputs) ? value.inputs : {},
    outputs: isRecord(value.outputs) ? value.outputs : {},
  };
}

/** Merges the steps of each resource (a replacement has several) into one planned operation. */
function collect(steps: RawStep[], errors: string[]): ParsedPreview {
  const resources = new Map<string, PlannedResource>();
  const otherChanges: Record<string, number> = {};
  const otherSeen = new Map<string, PlannedOp>();
  for (const step of steps) {
    const op = OPS[step.op];
    if (op === undefined || step.urn === "") continue; // reads and refreshes plan nothing
    const type = step.type || typeOfUrn(step.urn);
    const kind = type.startsWith(TYPE_PREFIX)
      ? (type.slice(TYPE_PREFIX.length) as ResourceKind)
      : undefined;
    if (kind === undefined || !KINDS.includes(kind)) {
      if (type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:")) continue;
      const before = otherSeen.get(step.urn);
      if (before === undefined || PRECEDENCE.indexOf(op) > PRECEDENCE.indexOf(before)) {
        otherSeen.set(step.urn, op);
      }
      continue;
    }
    const entry = resources.get(step.urn) ?? {
      kind,
      urn: step.urn,
      name: step.urn.split("::").pop() ?? step.urn,
      op,
      replaceReasons: [],
    };
    if (PRECEDENCE.indexOf(op) > PRECEDENCE.indexOf(entry.op)) entry.op = op;
    const old = stateOf(step.old);
    if (old && !entry.old) entry.old = old;
    const next = stateOf(step.new);
    if (next && op !== "delete" && step.op !== "delete-replaced")
      entry.new = { inputs: next.inputs };
    entry.replaceReasons = [...new Set([...entry.replaceReasons, ...step.replaceReasons])];
    resources.set(step.urn, entry);
  }
  for (const op of otherSeen.values()) {
    if (op !== "same") otherChanges[op] = (otherChanges[op] ?? 0) + 1;
  }
  // The engine registers independent resources concurrently, so its order varies between runs.
  const ordered = [...resources.values()].sort(
    (a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) || a.name.localeCompare(b.name),
  );
  return { resources: ordered, otherChanges, errors: errors.filter(Boolean) };
}
