// OData query options and collection responses as Graph serves them: $top limits, $select,
// $count with ConsistencyLevel, opaque $skiptoken paging with absolute @odata.nextLink (§0.4).
import type { GraphRequest } from "../../types";
import {
  expiredPageToken,
  invalidPageSize,
  searchNeedsConsistencyLevel,
  unknownQueryProperty,
} from "../failures";

/** `ConsistencyLevel: eventual` was sent (§0.2). */
export function eventualConsistency(req: GraphRequest): boolean {
  return (req.headers["consistencylevel"] ?? "").toLowerCase() === "eventual";
}

/** `$count=true` was sent; it only counts (and unlocks advanced queries) with eventual consistency (§0.4). */
export function countRequested(req: GraphRequest): boolean {
  return (req.query.get("$count") ?? "").toLowerCase() === "true";
}

/** An advanced query in the sense of §4.6: ConsistencyLevel eventual and $count=true. */
export function advancedQuery(req: GraphRequest): boolean {
  return eventualConsistency(req) && countRequested(req);
}

export function parseTop(req: GraphRequest, limits: { defaultSize: number; max: number }): number {
  const raw = req.query.get("$top");
  if (raw === null) return limits.defaultSize;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < 1 || n > limits.max) throw invalidPageSize(raw, limits.max);
  return n;
}

/**
 * The $select list mapped to the type's property names (OData matches them case-insensitively),
 * or undefined without $select. Names the type lacks are refused as Graph refuses them.
 */
export function parseSelect(
  req: GraphRequest,
  allowed: readonly string[],
  typeName: string,
): string[] | undefined {
  const raw = req.query.get("$select");
  if (raw === null || raw.trim() === "") return undefined;
  const byLower = new Map(allowed.map((name) => [name.toLowerCase(), name]));
  const names: string[] = [];
  for (const part of raw.split(",")) {
    const name = part.trim();
    if (name === "") continue;
    if (name === "*") return [...allowed];
    const canonical = byLower.get(name.toLowerCase());
    if (!canonical) throw unknownQueryProperty(name, typeName);
    if (!names.includes(canonical)) names.push(canonical);
  }
  return names;
}

/** Keeps the selected properties (and `@odata.type`, which typed results always carry). */
export function applySelect(
  entity: Record<string, unknown>,
  select: readonly string[] | undefined,
): Record<string, unknown> {
  if (!select) return entity;
  const out: Record<string, unknown> = {};
  if (entity["@odata.type"] !== undefined) out["@odata.type"] = entity["@odata.type"];
  for (const name of select) out[name] = entity[name] ?? null;
  return out;
}

/** $search "prop:words" clauses; only accepted with ConsistencyLevel: eventual (§4.6). */
export function parseSearch(req: GraphRequest): { property: string; text: string }[] | undefined {
  const raw = req.query.get("$search");
  if (raw === null) return undefined;
  if (!eventualConsistency(req)) throw searchNeedsConsistencyLevel();
  return raw
    .split(/\s+(?:AND|OR)\s+/)
    .map((clause) => clause.trim().replace(/^"|"$/g, ""))
    .filter((clause) => clause.includes(":"))
    .map((clause) => {
      const at = clause.indexOf(":");
      return { property: clause.slice(0, at), text: clause.slice(at + 1).toLowerCase() };
    });
}

/** Tokenised prefix match: a word of the value starts with the searched text. */
export function searchMatches(value: unknown, text: string): boolean {
  if (typeof value !== "string") return false;
  return (
    value
      .toLowerCase()
      .split(/[\s\-_.@]+/)
      .some((word) => word.startsWith(text)) || value.toLowerCase().startsWith(text)
  );
}

// --- Paging -------------------------------------------------------------------------------------

/** What a $skiptoken carries: the resource it belongs to and where the next page starts. */
export interface PageToken {
  /** The collection's identity, so a token is never replayed against another collection. */
  r: string;
  /** Key of the last item served (keyset paging: stable while items are added or removed). */
  k?: string;
  /** Offset of the next item (ordered views that have no stable key order). */
  o?: number;
}

export function encodeSkipToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token), "utf8").toString("base64url");
}

export function decodeSkipToken(req: GraphRequest, resource: string): PageToken | undefined {
  const raw = req.query.get("$skiptoken");
  if (raw === null) return undefined;
  try {
    const token = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as PageToken;
    if (token && typeof token === "object" && token.r === resource) return token;
  } catch {
    // fall through: an unreadable token is an expired one to the caller
  }
  throw expiredPageToken();
}

/** The request's path re-encoded for a URL (readable characters kept, as Graph prints them). */
export function encodedPath(req: GraphRequest): string {
  return req.segments
    .map((s) =>
      encodeURIComponent(s).replace(/%24/g, "$").replace(/%40/g, "@").replace(/%2C/g, ","),
    )
    .join("/");
}

function encodeQueryValue(value: string): string {
  return encodeURIComponent(value).replace(/%24/g, "$").replace(/%2C/g, ",").replace(/%3A/g, ":");
}

/** The absolute nextLink: same path and query options, with the new $skiptoken. */
export function nextLink(req: GraphRequest, token: PageToken): string {
  const parts: string[] = [];
  for (const [key, value] of req.query) {
    if (key.toLowerCase() === "$skiptoken") continue;
    parts.push(`${key}=${encodeQueryValue(value)}`);
  }
  parts.push(`$skiptoken=${encodeSkipToken(token)}`);
  return `${req.baseUrl}/${req.version}/${encodedPath(req)}?${parts.join("&")}`;
}

/** `{baseUrl}/{version}/$metadata#{fragment}` (§0.4). */
export function contextUrl(req: GraphRequest, fragment: string): string {
  return `${req.baseUrl}/${req.version}/$metadata#${fragment}`;
}

/** Adds the $select list to a context fragment the way OData prints it: `groups(id,displayName)`. */
export function selectFragment(fragment: string, select: readonly string[] | undefined): string {
  if (!select) return fragment;
  const entity = fragment.endsWith("/$entity");
  const base = entity ? fragment.slice(0, -"/$entity".length) : fragment;
  return `${base}(${select.join(",")})${entity ? "/$entity" : ""}`;
}

/**
 * One page from `items` (already in response order), starting at `start`, keeping items `accept`
 * admits. Scans only as far as needed to fill the page and see whether another match follows.
 */
export function takePage<T>(
  items: readonly T[],
  start: number,
  top: number,
  accept: (item: T) => boolean,
): { page: T[]; lastIndex: number; more: boolean } {
  const page: T[] = [];
  let lastIndex = start - 1;
  let i = start;
  for (; i < items.length && page.length < top; i++) {
    if (accept(items[i])) {
      page.push(items[i]);
      lastIndex = i;
    }
  }
  let more = false;
  for (; i < items.length; i++) {
    if (accept(items[i])) {
      more = true;
      break;
    }
  }
  return { page, lastIndex, more };
}

/** First index in ascending `sorted` whose key is greater than `key`. */
export function indexAfter(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A collection body, properties in Graph's order (§0.4). */
export function collectionBody(
  req: GraphRequest,
  contextFragment: string,
  value: unknown[],
  extra: { next?: PageToken; count?: number } = {},
): Record<string, unknown> {
  const body: Record<string, unknown> = { "@odata.context": contextUrl(req, contextFragment) };
  if (extra.next) body["@odata.nextLink"] = nextLink(req, extra.next);
  if (extra.count !== undefined) body["@odata.count"] = extra.count;
  body.value = value;
  return body;
}
