// Graph's throttling (graph-contract.md §7.3), off by default. When on: the identity and access
// reports limit (5 requests / 10 s per app per tenant), the identity and access resource-unit
// bucket (3,500 RU / 10 s and 3,000 writes / 150 s per app per tenant, with the documented request
// costs), and an optional generic limit for tests. Throttled requests keep counting, as documented.
// `x-ms-resource-unit` is reported on identity calls whether throttling is on or not.
import { GraphHttpError } from "./errors.js";

export interface RateLimit {
  requests: number;
  windowSeconds: number;
}

export interface ThrottleOptions {
  enabled?: boolean;
  /** Identity and access reports (reports/, auditLogs/): default 5 requests / 10 s. */
  reports?: RateLimit;
  /** Identity and access: resource units per window (default 3,500 / 10 s, a small tenant). */
  resourceUnits?: { units: number; windowSeconds: number };
  /** Identity and access writes (default 3,000 / 150 s). */
  writes?: RateLimit;
  /** Any Graph call, per app per tenant; none by default. */
  generic?: RateLimit | null;
}

export interface ThrottleConfig {
  enabled: boolean;
  reports: RateLimit;
  resourceUnits: { units: number; windowSeconds: number };
  writes: RateLimit;
  generic: RateLimit | null;
}

export const DEFAULT_THROTTLE: ThrottleConfig = {
  enabled: false,
  reports: { requests: 5, windowSeconds: 10 },
  resourceUnits: { units: 3500, windowSeconds: 10 },
  writes: { requests: 3000, windowSeconds: 150 },
  generic: null,
};

export interface ThrottleCall {
  tenantId: string;
  clientId: string;
  method: string;
  /** Path after the version, e.g. "/groups/{id}/members". */
  path: string;
  query: URLSearchParams;
}

export type ThrottleDecision =
  { ok: true; headers: Record<string, string> } | { ok: false; error: GraphHttpError };

type Workload = "reports" | "identity" | "other";

const IDENTITY_ROOTS = new Set([
  "users",
  "groups",
  "directoryobjects",
  "policies",
  "applications",
  "serviceprincipals",
  "devices",
  "contacts",
  "organization",
  "directoryroles",
  "directoryroletemplates",
  "rolemanagement",
  "subscribedskus",
  "domains",
  "me",
  "identity",
]);

export function workloadOf(path: string): Workload {
  const root = path.split("/")[1]?.toLowerCase() ?? "";
  if (root === "reports" || root === "auditlogs") return "reports";
  if (IDENTITY_ROOTS.has(root)) return "identity";
  return "other";
}

const WRITE_METHODS = new Set(["POST", "PATCH", "PUT", "DELETE"]);

/** Resource units an identity call costs (graph-contract.md §7.3 base costs and modifiers). */
export function resourceUnitCost(method: string, path: string, query: URLSearchParams): number {
  const p = path.toLowerCase();
  let cost = 1;
  if (method === "GET") {
    if (/^\/users\/?$/.test(p)) cost = 2;
    else if (/^\/groups\/[^/]+\/members(\/|$)/.test(p)) cost = 3;
    else if (/^\/groups\/[^/]+\/transitivemembers(\/|$)/.test(p)) cost = 5;
    else if (p === "/applications") cost = 2;
    else if (p === "/subscribedskus") cost = 3;
    if (query.has("$select")) cost -= 1;
    if (query.has("$expand")) cost += 1;
    const top = Number(query.get("$top"));
    if (query.has("$top") && top < 20) cost -= 1;
  } else if (method === "POST" && p === "/directoryobjects/getbyids") {
    cost = 5;
  }
  return Math.max(1, cost);
}

/** Graph's 429 body: the directory's code on identity paths, TooManyRequests elsewhere [inferred]. */
export function throttledError(
  path: string,
  retryAfterSeconds: number | undefined,
  headers: Record<string, string>,
): GraphHttpError {
  const after = retryAfterSeconds === undefined ? undefined : Math.ceil(retryAfterSeconds);
  // Paths here carry the version ("/v1.0/users") or not ("/users").
  const bare = path.replace(/^\/(v1\.0|beta)(?=\/)/i, "");
  if (workloadOf(bare) === "identity") {
    return new GraphHttpError(
      429,
      "Request_ThrottledTemporarily",
      after === undefined
        ? "Your request is throttled temporarily. Please try again later."
        : `Your request is throttled temporarily. Please try after ${after} seconds.`,
      { headers },
    );
  }
  return new GraphHttpError(
    429,
    "TooManyRequests",
    "Too many requests. Please retry after the time given in the Retry-After header.",
    { headers },
  );
}

/** A sliding log of (time, weight) per key, with a running sum: exact, and cheap at these limits. */
class SlidingWindow {
  private readonly logs = new Map<string, { events: { t: number; w: number }[]; sum: number }>();

  /** Records the event; `retryAfterMs` is set when it exceeds `limit`: the wait until a retry fits. */
  record(
    key: string,
    now: number,
    windowMs: number,
    limit: number,
    weight = 1,
  ): { retryAfterMs?: number; used: number } {
    let log = this.logs.get(key);
    if (!log) {
      log = { events: [], sum: 0 };
      this.logs.set(key, log);
    }
    const { events } = log;
    let drop = 0;
    while (drop < events.length && events[drop].t <= now - windowMs) log.sum -= events[drop++].w;
    if (drop) events.splice(0, drop);
    const before = log.sum;
    events.push({ t: now, w: weight });
    log.sum += weight;
    if (log.sum <= limit) return { used: log.sum };
    // The earliest time at which what is still in the window (this throttled request included:
    // it counts) leaves room for a retry of the same weight.
    let remaining = log.sum;
    let at = now;
    for (const e of events) {
      remaining -= e.w;
      at = e.t + windowMs;
      if (remaining + weight <= limit) break;
    }
    return { used: before + weight, retryAfterMs: Math.max(1000, at - now) };
  }

  clear(): void {
    this.logs.clear();
  }
}

export class Throttler {
  private config: ThrottleConfig = structuredClone(DEFAULT_THROTTLE);
  private readonly windows = new SlidingWindow();

  constructor(options?: ThrottleOptions | boolean) {
    if (options !== undefined) this.configure(options);
  }

  /** `true`/`false` switch it, keeping the limits; an object sets limits and switches it on. */
  configure(options: ThrottleOptions | boolean): void {
    if (typeof options === "boolean") {
      this.config.enabled = options;
      return;
    }
    const positive = (n: unknown) => typeof n === "number" && n > 0 && Number.isFinite(n);
    const checkLimit = (name: string, l: RateLimit | undefined) => {
      if (l !== undefined && !(positive(l.requests) && positive(l.windowSeconds))) {
        throw new Error(`throttling.${name} needs positive "requests" and "windowSeconds".`);
      }
    };
    checkLimit("reports", options.reports);
    checkLimit("writes", options.writes);
    if (options.generic) checkLimit("generic", options.generic);
    if (
      options.resourceUnits !== undefined &&
      !(positive(options.resourceUnits.units) && positive(options.resourceUnits.windowSeconds))
    ) {
      throw new Error(`throttling.resourceUnits needs positive "units" and "windowSeconds".`);
    }
    // An object is the whole configuration: what it leaves out takes the documented default.
    this.config = {
      enabled: options.enabled ?? true,
      reports: options.reports ?? DEFAULT_THROTTLE.reports,
      resourceUnits: options.resourceUnits ?? DEFAULT_THROTTLE.resourceUnits,
      writes: options.writes ?? DEFAULT_THROTTLE.writes,
      generic: options.generic ?? null,
    };
  }

  current(): ThrottleConfig {
    return structuredClone(this.config);
  }

  /** Forgets all counted requests (emulator reset). The configuration stays. */
  reset(): void {
    this.windows.clear();
  }

  /** Counts the call and decides; `headers` go on the (sub-)response either way. */
  check(call: ThrottleCall, now: number = Date.now()): ThrottleDecision {
    const workload = workloadOf(call.path);
    const headers: Record<string, string> = {};
    const cost = workload === "identity" ? resourceUnitCost(call.method, call.path, call.query) : 0;
    if (workload === "identity") headers["x-ms-resource-unit"] = String(cost);
    if (!this.config.enabled) return { ok: true, headers };

    const app = `${call.tenantId}/${call.clientId}`;
    const throttle = (
      retryAfterMs: number,
      scope: string,
      information?: string,
    ): ThrottleDecision => {
      const seconds = Math.ceil(retryAfterMs / 1000);
      const h: Record<string, string> = { "Retry-After": String(seconds) };
      if (workload === "identity") {
        h["x-ms-throttle-scope"] = `Tenant_Application/${scope}/${call.clientId}/${call.tenantId}`;
        if (information) h["x-ms-throttle-information"] = information;
      }
      return { ok: false, error: throttledError(call.path, seconds, h) };
    };

    const c = this.config;
    if (c.generic) {
      const r = this.windows.record(
        `${app}/generic`,
        now,
        c.generic.windowSeconds * 1000,
        c.generic.requests,
      );
      if (r.retryAfterMs !== undefined) return throttle(r.retryAfterMs, "ReadWrite");
    }
    if (workload === "reports") {
      const r = this.windows.record(
        `${app}/reports`,
        now,
        c.reports.windowSeconds * 1000,
        c.reports.requests,
      );
      if (r.retryAfterMs !== undefined) return throttle(r.retryAfterMs, "Read");
    } else if (workload === "identity") {
      const ru = this.windows.record(
        `${app}/ru`,
        now,
        c.resourceUnits.windowSeconds * 1000,
        c.resourceUnits.units,
        cost,
      );
      if (ru.retryAfterMs !== undefined) {
        return throttle(ru.retryAfterMs, "ReadWrite", "ResourceUnitLimitExceeded");
      }
      const share = ru.used / c.resourceUnits.units;
      if (WRITE_METHODS.has(call.method)) {
        const w = this.windows.record(
          `${app}/writes`,
          now,
          c.writes.windowSeconds * 1000,
          c.writes.requests,
        );
        if (w.retryAfterMs !== undefined)
          return throttle(w.retryAfterMs, "Write", "WriteLimitExceeded");
      }
      // Documented: sent only past 80% of the limit.
      if (share > 0.8) headers["x-ms-throttle-limit-percentage"] = share.toFixed(1);
    }
    return { ok: true, headers };
  }
}
