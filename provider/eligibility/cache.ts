// A disk cache of tenant scans for `entra-nudge impact`. The registration report a scan reads lags
// hours behind sign-ins anyway (graph-contract.md §5), and a large tenant's scan is bounded by the
// reports limit (5 requests / 10 s: about 200 s for 100,000 users), so a rerun within the cache's
// lifetime (default 1 hour) reads nothing from Graph and says which time its data is from.
//
// - One file per tenant and query: the key hashes the Graph endpoint, the tenant id, the app's
//   client id (an app never sees data another app read) and the groups the scan resolves (another
//   declaration's groups are another query). The file repeats the key, and a mismatch is a miss.
// - What is cached is the scan's result: the campaign, Authenticator and passkey configuration, each
//   user's registration row (id, UPN, display name, member/guest, methods, default MFA method) and
//   the named groups' users.
//   Beside it, parts a command reads with the scan (readiness's audit reads), tied to that scan.
//   Never a token or a secret. The files hold user names, so they are readable by their owner only.
// - Location: `${ENTRA_NUDGE_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/pulumi-entra-nudge}/scans/<tenant>/`.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { GroupUsers } from "../graph";
import { groupsByUser, type ScanStats, type ScannedUser, type TenantScan } from "./scan";

/**
 * Bumped when the file's shape changes: older files are then misses. 3: the configuration holds the
 * passkey profiles' names and the default profile (a declared PasskeyPolicy's references resolve
 * by name) and the campaign read on beta (its snooze limit). 4: the scan holds the SMS and Voice
 * configurations (read from the policy's GET), and `readiness` keeps its audit reads beside it.
 */
const FORMAT = 4;

/** The default lifetime of a cached scan. */
export const DEFAULT_SCAN_CACHE_TTL_SECONDS = 3600;

export interface ScanCacheSettings {
  /** Seconds a cached scan is used; 0 turns the cache off. */
  ttlSeconds: number;
  /** The cache's root directory (scans/ is created below it). */
  root: string;
}

export interface ScanQuery {
  graphEndpoint: string;
  tenantId: string;
  clientId?: string;
  /** Lower-case ids of the groups the scan resolves beyond the tenant's own configuration. */
  groupIds: readonly string[];
}

/** `${ENTRA_NUDGE_CACHE_DIR}` or `${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-entra-nudge`. */
export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ENTRA_NUDGE_CACHE_DIR) return path.resolve(env.ENTRA_NUDGE_CACHE_DIR);
  const base = env.XDG_CACHE_HOME
    ? path.resolve(env.XDG_CACHE_HOME)
    : path.join(os.homedir(), ".cache");
  return path.join(base, "pulumi-entra-nudge");
}

/**
 * A lifetime: seconds ("3600"), or a number with a unit ("90s", "30m", "2h"); "0" or "off" is no
 * cache. Throws naming `source` (the option or variable) and the accepted forms.
 */
export function parseCacheTtl(text: string, source: string): number {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === "off") return 0;
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h)?$/.exec(trimmed);
  if (!match) {
    throw new Error(
      `${source}: "${text}" is not a lifetime: give seconds ("3600"), minutes ("30m"), hours ("2h"), or "0" to read the tenant every time.`,
    );
  }
  const unit = { s: 1, m: 60, h: 3600 }[(match[2] ?? "s") as "s" | "m" | "h"];
  return Math.round(Number(match[1]) * unit);
}

export function scanCacheKey(query: ScanQuery): string {
  const canonical = JSON.stringify({
    format: FORMAT,
    graphEndpoint: query.graphEndpoint.replace(/\/+$/, "").toLowerCase(),
    tenantId: query.tenantId.toLowerCase(),
    clientId: (query.clientId ?? "").toLowerCase(),
    groupIds: [...new Set(query.groupIds.map((id) => id.toLowerCase()))].sort(),
  });
  return createHash("sha256").update(canonical).digest("hex");
}

export function scanCacheFile(root: string, query: ScanQuery): string {
  // The tenant id is a GUID (or a domain name); anything else in it is replaced, never a path.
  const tenant = query.tenantId.toLowerCase().replace(/[^a-z0-9.-]/g, "_");
  return path.join(root, "scans", tenant, `${scanCacheKey(query)}.json`);
}

interface CacheFile {
  format: number;
  key: string;
  /** What the key hashes (the app's client id, never a secret), so another query may reuse the scan. */
  query?: Omit<ScanQuery, "groupIds">;
  savedAt: string;
  scan: {
    current: TenantScan["current"];
    phoneMethods: TenantScan["phoneMethods"];
    scannedAt: string;
    stats: ScanStats;
    users: (Omit<ScannedUser, "groupIds"> & { groupIds?: undefined })[];
    groups: [string, { id: string; displayName?: string; userIds: string[] } | null][];
  };
}

export interface CachedScan {
  scan: TenantScan;
  /** When the cached scan was read from the tenant (ISO 8601). */
  scannedAt: string;
}

/** The cached scan for the query, if one younger than the lifetime exists; otherwise undefined. */
export function readCachedScan(
  settings: ScanCacheSettings,
  query: ScanQuery,
  now: number = Date.now(),
): CachedScan | undefined {
  if (settings.ttlSeconds <= 0) return undefined;
  const file = scanCacheFile(settings.root, query);
  let parsed: CacheFile;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8")) as CacheFile;
  } catch {
    return undefined; // absent, unreadable or half-written: read the tenant instead
  }
  if (parsed.format !== FORMAT || parsed.key !== scanCacheKey(query)) return undefined;
  return fresh(parsed, settings, now);
}

/** The file's scan when younger than the lifetime. */
function fresh(
  parsed: CacheFile,
  settings: ScanCacheSettings,
  now: number,
): CachedScan | undefined {
  const age = now - Date.parse(parsed.scan.scannedAt);
  if (!(age >= 0 && age < settings.ttlSeconds * 1000)) return undefined;
  const groups = new Map<string, GroupUsers | undefined>(
    parsed.scan.groups.map(([id, group]) => [
      id,
      group ? { ...group, userIds: new Set(group.userIds) } : undefined,
    ]),
  );
  const groupsOf = groupsByUser(groups);
  const users: ScannedUser[] = parsed.scan.users.map((user) => ({
    ...user,
    groupIds: groupsOf.get(user.id) ?? new Set<string>(),
  }));
  return {
    scannedAt: parsed.scan.scannedAt,
    scan: {
      current: parsed.scan.current,
      phoneMethods: parsed.scan.phoneMethods,
      users,
      groups,
      scannedAt: parsed.scan.scannedAt,
      stats: {
        ...parsed.scan.stats,
        requests: 0,
        reportRequests: 0,
        reportWaitMs: 0,
        durationMs: 0,
        fromCache: true,
      },
    },
  };
}

/**
 * The youngest cached scan of this tenant, endpoint and app, whatever declaration it was read for,
 * that resolved every group in `query.groupIds` (the method-loss check needs only the users' rows
 * and those groups). Files saved without their query (before it was kept) are skipped.
 */
export function readFreshestCachedScan(
  settings: ScanCacheSettings,
  query: ScanQuery,
  now: number = Date.now(),
): CachedScan | undefined {
  if (settings.ttlSeconds <= 0) return undefined;
  const dir = path.dirname(scanCacheFile(settings.root, query));
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((name) => /^[0-9a-f]{64}\.json$/.test(name));
  } catch {
    return undefined;
  }
  const candidates = names
    .map((name) => {
      const file = path.join(dir, name);
      try {
        return { file, mtime: fs.statSync(file).mtimeMs };
      } catch {
        return undefined;
      }
    })
    .filter(
      (c): c is { file: string; mtime: number } =>
        !!c && now - c.mtime < settings.ttlSeconds * 1000,
    )
    .sort((a, b) => b.mtime - a.mtime);
  const same = (a: string | undefined, b: string | undefined) =>
    (a ?? "").replace(/\/+$/, "").toLowerCase() === (b ?? "").replace(/\/+$/, "").toLowerCase();
  for (const { file } of candidates) {
    let parsed: CacheFile;
    try {
      parsed = JSON.parse(fs.readFileSync(file, "utf8")) as CacheFile;
    } catch {
      continue;
    }
    const saved = parsed.query;
    if (parsed.format !== FORMAT || !saved) continue;
    if (!same(saved.graphEndpoint, query.graphEndpoint) || !same(saved.tenantId, query.tenantId))
      continue;
    if (!same(saved.clientId, query.clientId)) continue;
    const resolved = new Set(parsed.scan.groups.map(([id]) => id));
    if (!query.groupIds.every((id) => resolved.has(id.toLowerCase()))) continue;
    const scan = fresh(parsed, settings, now);
    if (scan) return scan;
  }
  return undefined;
}

/**
 * Saves the scan for the query: an owner-only file, written in pieces (a 100,000-user scan never
 * becomes one string in memory) and renamed into place once complete.
 */
export function writeCachedScan(
  settings: ScanCacheSettings,
  query: ScanQuery,
  scan: TenantScan,
): void {
  if (settings.ttlSeconds <= 0) return;
  const file = scanCacheFile(settings.root, query);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temporary, "w", 0o600);
  try {
    const head = {
      format: FORMAT,
      key: scanCacheKey(query),
      query: {
        graphEndpoint: query.graphEndpoint,
        tenantId: query.tenantId,
        ...(query.clientId ? { clientId: query.clientId } : {}),
      },
      savedAt: new Date().toISOString(),
    };
    const text = JSON.stringify;
    fs.writeSync(
      fd,
      `${text(head).slice(0, -1)},"scan":{"current":${text(scan.current)},` +
        `"phoneMethods":${text(scan.phoneMethods)},` +
        `"scannedAt":${text(scan.scannedAt)},"stats":${text(scan.stats)},"groups":[`,
    );
    let first = true;
    for (const [id, group] of scan.groups) {
      const entry = group ? { ...group, userIds: [...group.userIds] } : null;
      fs.writeSync(fd, `${first ? "" : ","}${text([id, entry])}`);
      first = false;
    }
    fs.writeSync(fd, `],"users":[`);
    // groupIds are left out: they are rebuilt from the groups on reading.
    const CHUNK = 1000;
    for (let i = 0; i < scan.users.length; i += CHUNK) {
      const rows = scan.users.slice(i, i + CHUNK).map((user) => {
        const { groupIds: _groupIds, ...row } = user;
        void _groupIds;
        return text(row);
      });
      fs.writeSync(fd, `${i === 0 ? "" : ","}${rows.join(",")}`);
    }
    fs.writeSync(fd, "]}}\n");
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(temporary, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  fs.renameSync(temporary, file);
  pruneExpired(path.dirname(file), settings.ttlSeconds);
}

/**
 * A part a command reads beside the scan (readiness's audit reads), kept in its own file next to
 * the scan's, under the same key (so the same tenant, app, endpoint and groups) and tied to the
 * scan it was read with: it is used only with that very scan (same `scannedAt`), so it expires with
 * it, and a scan cached without the part (by `impact`) is a miss for the part, never a reason to
 * skip its read.
 */
interface PartFile<T> {
  format: number;
  key: string;
  part: string;
  scannedAt: string;
  value: T;
}

function partFile(root: string, query: ScanQuery, part: string): string {
  return scanCacheFile(root, query).replace(
    /\.json$/,
    `.${part.replace(/[^a-z0-9-]/gi, "_")}.json`,
  );
}

/** The part cached with the scan read at `scannedAt`, if any. */
export function readCachedPart<T>(
  settings: ScanCacheSettings,
  query: ScanQuery,
  part: string,
  scannedAt: string,
): T | undefined {
  if (settings.ttlSeconds <= 0) return undefined;
  let parsed: PartFile<T>;
  try {
    parsed = JSON.parse(
      fs.readFileSync(partFile(settings.root, query, part), "utf8"),
    ) as PartFile<T>;
  } catch {
    return undefined;
  }
  const matches =
    parsed.format === FORMAT &&
    parsed.key === scanCacheKey(query) &&
    parsed.part === part &&
    parsed.scannedAt === scannedAt;
  return matches ? parsed.value : undefined;
}

/** Saves a part beside the scan read at `scannedAt` (owner-only, renamed into place). */
export function writeCachedPart<T>(
  settings: ScanCacheSettings,
  query: ScanQuery,
  part: string,
  scannedAt: string,
  value: T,
): void {
  if (settings.ttlSeconds <= 0) return;
  const file = partFile(settings.root, query, part);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  const content: PartFile<T> = { format: FORMAT, key: scanCacheKey(query), part, scannedAt, value };
  fs.writeFileSync(temporary, `${JSON.stringify(content)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
}

/** Removes this tenant's cache files older than the lifetime (or a day), so they do not pile up. */
function pruneExpired(dir: string, ttlSeconds: number): void {
  const oldest = Date.now() - Math.max(ttlSeconds, 24 * 3600) * 1000;
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    try {
      if (fs.statSync(file).mtimeMs < oldest) fs.rmSync(file, { force: true });
    } catch {
      // another run removed it meanwhile
    }
  }
}
