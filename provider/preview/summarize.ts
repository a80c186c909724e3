// A stack's preview as the Markdown a reviewer reads: the preview parsed, the settings a singleton
// being adopted would take over read from the tenant (as create() will), the ids named in words,
// dangerous changes first. The command (provider/cli/previewSummary.ts) only reads its options
// and files and opens the session.
import type { GraphClient } from "../graph";
import { readLive } from "../live";
import {
  isSingleton,
  normalizeArgs,
  type InputsByKind,
  type LikeByKind,
  type ResourceKind,
  type SettingsByKind,
} from "../model";
import { collectObjectTypes, idsInChange, lookUpNames, type ObjectTypes } from "../render/names";
import type { ImpactNumbers } from "./impact";
import { parsePreview, type ParsedPreview } from "./parse";
import { findDangers, planChanges, previewMarkdown, type SummaryContext } from "./summary";

export interface SummaryInput {
  /** The text of `pulumi preview --json` output or of an event log. */
  previewText: string;
  /** Where the text came from, for error messages. */
  source: string;
  impact?: ImpactNumbers;
  /** Lower-case object ids of break-glass groups or users. */
  breakGlass: readonly string[];
  /** The stack's name, shown in the summary. */
  stack?: string;
  /** Graph with read permissions; absent = offline (no display names, no adopted settings). */
  graph?: GraphClient;
}

/** Display names the preview itself knows: the pilot groups' own. */
function namesInPreview(preview: ParsedPreview, types: ObjectTypes): Map<string, string> {
  const names = new Map<string, string>();
  for (const resource of preview.resources) {
    collectObjectTypes(resource.old?.inputs, types);
    collectObjectTypes(resource.new?.inputs, types);
    if (resource.kind !== "PilotGroup" || !resource.old?.id) continue;
    const id = resource.old.id.toLowerCase();
    types.set(id, "group");
    const name = resource.old.outputs.displayName;
    if (typeof name === "string") names.set(id, name);
  }
  return names;
}

/** The preview summary's Markdown. */
export async function summarizePreview(input: SummaryInput): Promise<string> {
  const preview = parsePreview(input.previewText, input.source);
  const types: ObjectTypes = new Map();
  let names = namesInPreview(preview, types);
  const live = new Map<string, SettingsByKind[ResourceKind]>();
  const graph = input.graph;
  if (graph) {
    // A singleton being created adopts the tenant's settings: read them, as create() will.
    await Promise.all(
      preview.resources
        .filter((r) => isSingleton(r.kind) && (r.op === "create" || r.op === "replace") && r.new)
        .map(async (r) => {
          const declared = normalizeArgs(r.kind, r.new?.inputs as LikeByKind[ResourceKind]);
          const state = await readLive(graph, r.kind, "", declared as InputsByKind[ResourceKind]);
          if (state.exists) {
            live.set(r.urn, state.actual);
            collectObjectTypes(state.actual, types);
          }
        }),
    );
  }
  const plans = planChanges(preview, live);
  if (graph) {
    const ids = plans.flatMap((plan) => plan.changes.flatMap(idsInChange));
    names = await lookUpNames(graph, ids, types, names);
  }
  const summaryContext: SummaryContext = {
    names,
    breakGlass: new Set(input.breakGlass),
    live,
    impact: input.impact,
    stack: input.stack,
  };
  return previewMarkdown(preview, plans, findDangers(plans, summaryContext), summaryContext, types);
}
