// The scan cache as the commands that scan the tenant (`impact`, `readiness`) set it up: the
// lifetime from --no-cache / --cache-ttl / ENTRA_NUDGE_SCAN_CACHE_TTL, and what they tell on stderr.
import {
  DEFAULT_SCAN_CACHE_TTL_SECONDS,
  defaultCacheRoot,
  parseCacheTtl,
} from "../eligibility/cache";
import type { ScanCacheUse } from "../eligibility/cachedScan";
import type { Session } from "../session";
import type { CommandIO } from "./types";

export interface CacheOptionValues {
  "cache-ttl"?: string;
  "no-cache"?: boolean;
}

/** The cache the command uses (undefined: off). */
export async function scanCacheUse(
  values: CacheOptionValues,
  io: CommandIO,
  session: Session,
): Promise<ScanCacheUse | undefined> {
  const ttlSeconds = cacheTtl(values, io.env, session.graph.settings.customHosts.length > 0);
  if (ttlSeconds <= 0) return undefined;
  return {
    settings: { ttlSeconds, root: defaultCacheRoot(io.env) },
    tenantId: await session.tenantId(),
    onCached: (scannedAt) =>
      io.stderr(
        `Using the tenant scan cached at ${scannedAt} (${minutesAgo(scannedAt)}); the registration report lags hours anyway. --no-cache reads the tenant again.\n`,
      ),
    onSaveError: (error) =>
      io.stderr(
        `warning: the scan could not be saved to the cache (${error.message}); the next run reads the tenant again. --no-cache turns the cache off.\n`,
      ),
  };
}

/**
 * The scan cache's lifetime in seconds (0: off): --no-cache, --cache-ttl, then
 * ENTRA_NUDGE_SCAN_CACHE_TTL, then 1 hour, except for a Graph endpoint that is not Microsoft's
 * (the emulator, whose tenant changes between runs by design) where it is off unless asked for.
 */
function cacheTtl(
  values: CacheOptionValues,
  env: NodeJS.ProcessEnv,
  customEndpoint: boolean,
): number {
  if (values["no-cache"]) return 0;
  if (values["cache-ttl"] !== undefined) return parseCacheTtl(values["cache-ttl"], "--cache-ttl");
  const fromEnv = env.ENTRA_NUDGE_SCAN_CACHE_TTL;
  if (fromEnv !== undefined && fromEnv.trim() !== "")
    return parseCacheTtl(fromEnv, "ENTRA_NUDGE_SCAN_CACHE_TTL");
  return customEndpoint ? 0 : DEFAULT_SCAN_CACHE_TTL_SECONDS;
}

function minutesAgo(iso: string): string {
  const minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60_000));
  return minutes === 0 ? "less than a minute ago" : `${minutes} min ago`;
}
