// `entra-nudge impact` as a library: who the declared configuration nudges, compared with the
// current one, from one scan of the tenant.
import type { GraphClient } from "../graph";
import {
  readCachedScan,
  writeCachedScan,
  type ScanCacheSettings,
  type ScanQuery,
} from "../eligibility/cache";
import { scanTenant } from "../eligibility/scan";
import { groupsNamedBy } from "../model";
import type { ProgressSink } from "../eligibility/progressBar";
import { computeImpact, type ImpactReport } from "./impact";
import { declaredConfiguration, type Declaration } from "./declaration";

export * from "./impact";
export * from "./declaration";
export * from "./format";

export interface AnalyzeOptions {
  progress?: ProgressSink;
  /**
   * Use and fill the scan cache (eligibility/cache.ts) for this tenant; `onCached` hears when a
   * cached scan was used, with the time its data was read.
   */
  cache?: {
    settings: ScanCacheSettings;
    tenantId: string;
    onCached?: (scannedAt: string) => void;
    /** The scan could not be saved (a read-only home, a full disk): the report still stands. */
    onSaveError?: (error: Error) => void;
  };
}

/** Scans the tenant once (or reuses a cached scan) and compares the declaration with it. */
export async function analyzeImpact(
  graph: GraphClient,
  declaration: Declaration,
  options: AnalyzeOptions = {},
): Promise<ImpactReport> {
  // The declaration's groups are resolved in the same scan as the current configuration's.
  const configurations = [
    { campaign: declaration.campaign, authenticator: declaration.authenticator },
  ];
  const query: ScanQuery | undefined = options.cache && {
    graphEndpoint: graph.settings.graphEndpoint,
    tenantId: options.cache.tenantId,
    clientId: graph.settings.clientId,
    groupIds: [
      ...groupsNamedBy(...configurations),
      ...declaration.breakGlassGroups.map((id) => id.toLowerCase()),
    ],
  };
  const cached = options.cache && query && readCachedScan(options.cache.settings, query);
  if (cached) options.cache?.onCached?.(cached.scannedAt);
  let scan = cached?.scan;
  if (!scan) {
    scan = await scanTenant(graph, {
      configurations,
      groups: declaration.breakGlassGroups,
      progress: options.progress,
    });
    if (options.cache && query) {
      try {
        writeCachedScan(options.cache.settings, query, scan);
      } catch (err) {
        options.cache.onSaveError?.(err as Error);
      }
    }
  }
  return computeImpact(scan, {
    declared: declaredConfiguration(declaration, scan.current),
    declaredSource: declaration.source,
    breakGlassGroups: declaration.breakGlassGroups,
  });
}
