// One tenant scan, from the disk cache when a young enough one exists (cache.ts), otherwise read
// and saved: what `impact` and `readiness` share.
import type { GraphClient } from "../graph";
import { readCachedScan, writeCachedScan, type ScanCacheSettings, type ScanQuery } from "./cache";
import { scanTenant, type ScanOptions, type TenantScan } from "./scan";
import { groupsNamedBy } from "../model";

export interface ScanCacheUse {
  settings: ScanCacheSettings;
  tenantId: string;
  /** A cached scan was used; its data was read at `scannedAt`. */
  onCached?: (scannedAt: string) => void;
  /** The scan could not be saved (a read-only home, a full disk): the result still stands. */
  onSaveError?: (error: Error) => void;
}

export async function scanTenantCached(
  graph: GraphClient,
  options: ScanOptions,
  cache: ScanCacheUse | undefined,
): Promise<TenantScan> {
  const query: ScanQuery | undefined = cache && {
    graphEndpoint: graph.settings.graphEndpoint,
    tenantId: cache.tenantId,
    clientId: graph.settings.clientId,
    groupIds: [
      ...groupsNamedBy(...(options.configurations ?? [])),
      ...(options.groups ?? []).map((id) => id.toLowerCase()),
    ],
  };
  const cached = cache && query && readCachedScan(cache.settings, query);
  if (cached) {
    cache.onCached?.(cached.scannedAt);
    return cached.scan;
  }
  const scan = await scanTenant(graph, options);
  if (cache && query) {
    try {
      writeCachedScan(cache.settings, query, scan);
    } catch (err) {
      cache.onSaveError?.(err as Error);
    }
  }
  return scan;
}
