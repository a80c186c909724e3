// One tenant scan, from the disk cache when a young enough one exists (cache.ts), otherwise read
// and saved: what `impact` and `readiness` share.
import type { GraphClient } from "../graph";
import {
  readCachedPart,
  readCachedScan,
  writeCachedPart,
  writeCachedScan,
  type ScanCacheSettings,
  type ScanQuery,
} from "./cache";
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

function scanQuery(
  graph: GraphClient,
  options: ScanOptions,
  cache: ScanCacheUse | undefined,
): ScanQuery | undefined {
  return (
    cache && {
      graphEndpoint: graph.settings.graphEndpoint,
      tenantId: cache.tenantId,
      clientId: graph.settings.clientId,
      groupIds: [
        ...groupsNamedBy(...(options.configurations ?? [])),
        ...(options.groups ?? []).map((id) => id.toLowerCase()),
      ],
    }
  );
}

/**
 * `onRead` runs when the tenant is really read (no cached scan), before the scan starts: a command
 * starts its own reads there, beside the scan's paced report pages.
 */
export async function scanTenantCached(
  graph: GraphClient,
  options: ScanOptions,
  cache: ScanCacheUse | undefined,
  onRead?: () => void,
): Promise<TenantScan> {
  const query = scanQuery(graph, options, cache);
  const cached = cache && query && readCachedScan(cache.settings, query);
  if (cached) {
    cache.onCached?.(cached.scannedAt);
    return cached.scan;
  }
  onRead?.();
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

/**
 * What a command reads beside the scan (named `part`: readiness's audit reads), from the cache when
 * it was saved with this very scan (cache.ts, readCachedPart), otherwise read and saved with it.
 * `options` are the scan's, so the part is keyed as the scan is.
 */
export async function scanPartCached<T>(
  graph: GraphClient,
  options: ScanOptions,
  cache: ScanCacheUse | undefined,
  scan: TenantScan,
  part: string,
  read: () => Promise<T>,
): Promise<T> {
  const query = scanQuery(graph, options, cache);
  if (!cache || !query) return read();
  const cached = readCachedPart<T>(cache.settings, query, part, scan.scannedAt);
  if (cached !== undefined) return cached;
  const value = await read();
  try {
    writeCachedPart(cache.settings, query, part, scan.scannedAt, value);
  } catch (err) {
    cache.onSaveError?.(err as Error);
  }
  return value;
}
