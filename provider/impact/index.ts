// `entra-nudge impact` as a library: who the declared configuration nudges, compared with the
// current one, from one scan of the tenant.
import type { GraphClient } from "../graph";
import { scanTenant } from "../eligibility/scan";
import type { ProgressSink } from "../eligibility/progressBar";
import { computeImpact, type ImpactReport } from "./impact";
import { declaredConfiguration, type Declaration } from "./declaration";

export * from "./impact";
export * from "./declaration";
export * from "./format";

/** Scans the tenant once and compares the declaration with what the tenant holds now. */
export async function analyzeImpact(
  graph: GraphClient,
  declaration: Declaration,
  options: { progress?: ProgressSink } = {},
): Promise<ImpactReport> {
  // The declaration's groups are resolved in the same scan as the current configuration's.
  const scan = await scanTenant(graph, {
    configurations: [{ campaign: declaration.campaign, authenticator: declaration.authenticator }],
    groups: declaration.breakGlassGroups,
    progress: options.progress,
  });
  return computeImpact(scan, {
    declared: declaredConfiguration(declaration, scan.current),
    declaredSource: declaration.source,
    breakGlassGroups: declaration.breakGlassGroups,
  });
}
