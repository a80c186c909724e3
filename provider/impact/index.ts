// `entra-nudge impact` as a library: who the declared configuration nudges, compared with the
// current one, from one scan of the tenant.
import type { GraphClient } from "../graph";
import { scanTenantCached, type ScanCacheUse } from "../eligibility/cachedScan";
import type { ProgressSink } from "../eligibility/progressBar";
import { computeImpact, type ImpactReport } from "./impact";
import type { Declaration } from "../declaration";
import { declaredConfiguration, declaredTargets } from "./declaration";

export * from "./impact";
export * from "./declaration";
export * from "./format";

export interface AnalyzeOptions {
  progress?: ProgressSink;
  /** Use and fill the scan cache (eligibility/cache.ts) for this tenant. */
  cache?: ScanCacheUse;
}

/** Scans the tenant once (or reuses a cached scan) and compares the declaration with it. */
export async function analyzeImpact(
  graph: GraphClient,
  declaration: Declaration,
  options: AnalyzeOptions = {},
): Promise<ImpactReport> {
  // The declaration's groups are resolved in the same scan as the current configuration's.
  const scan = await scanTenantCached(
    graph,
    {
      configurations: [declaredTargets(declaration)],
      groups: declaration.breakGlassGroups,
      progress: options.progress,
    },
    options.cache,
  );
  return computeImpact(scan, {
    declared: declaredConfiguration(declaration, scan.current),
    declaredSource: declaration.name,
    breakGlassGroups: declaration.breakGlassGroups,
  });
}
