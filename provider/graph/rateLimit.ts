// Staying within Graph's "identity and access reports" limit (graph-contract.md §7.3: 5 requests
// per 10 s per app per tenant, for /reports and /auditLogs) instead of running into 429s: a long
// scan of the registration report would otherwise spend most of its time in Retry-After waits.
//
// A slot is taken before a request is sent and dated when its answer arrives: Graph counts a
// request when it arrives, which is after it was sent and before it was answered, so measuring the
// window from the answer can never undercount, whatever the network delay.

export interface RateLimit {
  requests: number;
  windowMs: number;
}

/** The documented reports limit. */
export const REPORTS_RATE_LIMIT: RateLimit = { requests: 5, windowMs: 10_000 };

export interface LimiterClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: LimiterClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Whether a request path (relative, or an absolute @odata.nextLink) is a reports-family call. */
export function isReportPath(path: string): boolean {
  const pathname = /^https?:\/\//i.test(path) ? new URL(path).pathname : path;
  return /^\/(?:(?:v1\.0|beta)\/)?(?:reports|auditLogs)(?:\/|$)/i.test(pathname);
}

export class SlidingWindowLimiter {
  /** One entry per request in the window: when its answer arrived (Infinity while in flight). */
  private readonly slots: number[] = [];
  private tail: Promise<void> = Promise.resolve();
  /** Milliseconds spent waiting for a slot, in total. */
  waitedMs = 0;

  constructor(
    readonly limit: RateLimit,
    private readonly clock: LimiterClock = realClock,
  ) {
    if (!(limit.requests >= 1 && limit.windowMs > 0)) {
      throw new Error(`A rate limit needs at least 1 request per positive window.`);
    }
  }

  /**
   * Waits for a free slot (callers are served in order) and returns the function to call when
   * the request's answer arrived (or it failed).
   */
  acquire(): Promise<() => void> {
    const turn = this.tail.then(() => this.waitForSlot());
    // The next caller queues behind this one whether or not it succeeds.
    this.tail = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private async waitForSlot(): Promise<() => void> {
    // `slots` stays sorted: answer times ascending, then the in-flight requests (Infinity).
    for (;;) {
      const now = this.clock.now();
      while (this.slots.length > 0 && this.slots[0] <= now - this.limit.windowMs)
        this.slots.shift();
      if (this.slots.length < this.limit.requests) break;
      // Full: wait until the oldest answered request leaves the window, or poll while all are in flight.
      const oldest = this.slots[0];
      const wait = Number.isFinite(oldest) ? oldest + this.limit.windowMs - now + 1 : 50;
      this.waitedMs += wait;
      await this.clock.sleep(wait);
    }
    this.slots.push(Infinity);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const at = this.clock.now();
      this.slots.splice(this.slots.indexOf(Infinity), 1);
      let insert = this.slots.length;
      while (insert > 0 && this.slots[insert - 1] > at) insert--;
      this.slots.splice(insert, 0, at);
    };
  }
}

// Limits are per app per tenant, so every client of one app and tenant in this process shares one.
const shared = new Map<string, SlidingWindowLimiter>();

export function sharedLimiter(key: string, limit: RateLimit): SlidingWindowLimiter {
  const id = `${key}|${limit.requests}/${limit.windowMs}`;
  let limiter = shared.get(id);
  if (!limiter) shared.set(id, (limiter = new SlidingWindowLimiter(limit)));
  return limiter;
}

/**
 * ENTRA_NUDGE_REPORT_RATE_LIMIT: "REQUESTS/SECONDS" (default "5/10", Graph's limit), or "off".
 * Only an emulator configured with another limit has a reason to change it.
 */
export function parseReportRateLimit(text: string | undefined): RateLimit | null | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  if (text.trim().toLowerCase() === "off") return null;
  const match = /^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*$/.exec(text);
  const requests = match ? Number(match[1]) : NaN;
  const seconds = match ? Number(match[2]) : NaN;
  if (!(requests >= 1 && seconds > 0)) {
    throw new Error(
      `ENTRA_NUDGE_REPORT_RATE_LIMIT: "${text}" is not REQUESTS/SECONDS (e.g. "5/10", Graph's limit for reports) or "off".`,
    );
  }
  return { requests, windowMs: seconds * 1000 };
}
