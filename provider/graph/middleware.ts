// The Graph SDK's middleware chain, with two adjustments this tool needs:
//  - retries also cover 500 and 502 (the SDK's RetryHandler retries only 429, 503 and 504), and
//    never repeat a call that is not idempotent (a POST that creates a group) unless the call says
//    it is safe (adding a member twice only yields "already exists");
//  - a per-attempt timeout, and timeouts or connection resets of idempotent calls become a
//    retryable response, so the SDK's RetryHandler (with its Retry-After and backoff logic) also
//    handles them instead of a second, hand-made retry loop.
import { backoffSeconds, MAX_DELAY_SECONDS } from "./backoff";
import {
  AuthenticationHandler,
  HTTPMessageHandler,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type AuthenticationProvider,
  type Context,
  type Middleware,
  type MiddlewareOptions,
} from "@microsoft/microsoft-graph-client";

/** Error code of a timeout or connection failure, in the stand-in response and thrown errors. */
export const TRANSPORT_ERROR_CODE = "EntraNudgeTransportFailure";
/** Error code of a successful answer that is not JSON (an HTML page from a proxy, plain text). */
export const NOT_JSON_ERROR_CODE = "EntraNudgeAnswerNotJson";
/** Marks the stand-in response, so that a retry is reported as what it was, not as a 503. */
const TRANSPORT_FAILURE_HEADER = "x-entra-nudge-transport-failure";

const RETRIED_STATUSES = new Set([429, 500, 502, 503, 504]);

/** Per-call options, passed through the SDK's middlewareOptions(). */
export class CallOptions implements MiddlewareOptions {
  /** How many times the request went out (first try plus retries). */
  attempts = 0;

  constructor(
    readonly idempotent: boolean,
    readonly timeoutMs: number,
  ) {}
}

export interface RetryEvent {
  attempt: number;
  status: number;
  /** Set when no answer came (a timeout, a reset): what happened, e.g. "the connection was reset". */
  transportFailure?: string;
  delaySeconds: number;
  method: string;
  url: string;
}

export interface MiddlewareSettings {
  maxRetries: number;
  /** Base delay of the SDK's backoff, in seconds (used when Graph sends no Retry-After). */
  retryDelaySeconds: number;
  onRetry?: (event: RetryEvent) => void;
}

function methodOf(request: string | Request, options: { method?: string } | undefined): string {
  return (typeof request === "string" ? options?.method : request.method) ?? "GET";
}

/** The SDK's RetryHandler, retrying 500 and 502 too, with a backoff that scales with the base. */
class GraphRetryHandler extends RetryHandler {}
// isRetry and getDelay are private in the SDK's type declarations, so they are replaced on the
// prototype; the SDK calls isRetry once per response to decide whether a status is retryable at
// all, and getDelay(response, retryAttempts, delay) for the seconds to wait before each retry.
Object.defineProperty(GraphRetryHandler.prototype, "isRetry", {
  value: (response: Response) => RETRIED_STATUSES.has(response.status),
});
Object.defineProperty(GraphRetryHandler.prototype, "getDelay", {
  value: (response: Response, retryAttempts: number, delay: number) => {
    const seconds = retryDelaySeconds(response, retryAttempts, delay);
    // Jitter (so that parallel calls do not retry in step) within a tenth of the wait.
    return response.headers.get("Retry-After") === null
      ? seconds * (1 + Math.random() * 0.1)
      : seconds;
  },
});

/** A fetch failure (timeout, reset, refused) of a call that must not be retried blindly. */
export class TransportFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = TRANSPORT_ERROR_CODE;
  }
}

// Node.js's codes for a server certificate it does not trust or that does not fit the host.
const TLS_TRUST_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_REVOKED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** The TLS trust failure behind a fetch error, when that is what it is (never retried). */
function tlsTrustFailure(err: unknown): string | undefined {
  const code = (err as { cause?: { code?: string } })?.cause?.code;
  if (!code || !TLS_TRUST_CODES.has(code)) return undefined;
  return `the TLS certificate of the Graph endpoint is not trusted (${code}); certificate checks are never switched off`;
}

function describeFetchFailure(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") {
    // 300 ms, 1.5 s, 30 s: never "0 s" or a rounded-up "2 s" for a short timeout.
    const within =
      timeoutMs < 1000
        ? `${timeoutMs} ms`
        : `${Number((timeoutMs / 1000).toFixed(timeoutMs < 10_000 ? 1 : 0))} s`;
    return `no answer within ${within}`;
  }
  const code = e?.cause?.code;
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "the connection was reset";
  if (code === "ECONNREFUSED") return "the connection was refused";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return "the Graph host name could not be resolved";
  return `the request failed: ${e?.cause?.message ?? e?.message ?? String(err)}`;
}

/** Sits just before the HTTP handler: applies the per-attempt timeout and maps fetch failures. */
class TransportHandler implements Middleware {
  private next?: Middleware;

  constructor(private readonly defaultTimeoutMs: number) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const call = context.middlewareControl?.getMiddlewareOptions(CallOptions) as
      CallOptions | undefined;
    const timeoutMs = call?.timeoutMs ?? this.defaultTimeoutMs;
    const method = methodOf(context.request, context.options);
    const idempotent = call?.idempotent ?? method !== "POST";
    context.options = { ...context.options, signal: AbortSignal.timeout(timeoutMs) };
    if (call) call.attempts++;
    try {
      await (this.next as Middleware).execute(context);
    } catch (err) {
      // An untrusted certificate does not heal by retrying: fail at once.
      const untrusted = tlsTrustFailure(err);
      if (untrusted) throw new TransportFailure(untrusted);
      const description = describeFetchFailure(err, timeoutMs);
      if (!idempotent) throw new TransportFailure(description);
      // A stand-in 503: the RetryHandler above retries it with its usual backoff; if the retries
      // run out, its error code makes the client report the transport failure, not a made-up 503.
      context.response = new Response(
        JSON.stringify({ error: { code: TRANSPORT_ERROR_CODE, message: description } }),
        {
          status: 503,
          headers: { "Content-Type": "application/json", [TRANSPORT_FAILURE_HEADER]: description },
        },
      );
      return;
    }
    // Graph answers every successful call that has a body with JSON. Anything else (an HTML page
    // from a proxy or captive portal, plain text) would be read by the SDK as an empty object or a
    // string, i.e. as a policy of defaults: refuse it, without retrying.
    const response = context.response;
    if (response && response.ok && response.status !== 204) {
      const type = response.headers.get("content-type") ?? "";
      if (response.headers.get("content-length") !== "0" && !/[/+]json\b/i.test(type)) {
        const error = new Error(
          `a ${response.status} answer with Content-Type "${type || "(none)"}" instead of JSON (an HTML page usually comes from a proxy or captive portal between this machine and Graph)`,
        );
        error.name = NOT_JSON_ERROR_CODE;
        throw error;
      }
    }
  }
}

/** Builds Auth → Retry → Redirect → Telemetry → Transport → HTTP. */
export function buildMiddleware(
  authProvider: AuthenticationProvider,
  settings: MiddlewareSettings & { timeoutMs: number },
): Middleware {
  const retry = new GraphRetryHandler(defaultRetryOptions(settings));
  const chain: Middleware[] = [
    new AuthenticationHandler(authProvider),
    retry,
    new RedirectHandler(new RedirectHandlerOptions()),
    new TelemetryHandler(),
    new TransportHandler(settings.timeoutMs),
    new HTTPMessageHandler(),
  ];
  for (let i = 0; i < chain.length - 1; i++) chain[i].setNext?.(chain[i + 1]);
  return chain[0];
}

function retryOptions(settings: MiddlewareSettings, retryPost: boolean): RetryHandlerOptions {
  return new RetryHandlerOptions(
    settings.retryDelaySeconds,
    settings.maxRetries,
    (delay, attempt, request, options, response) => {
      const method = methodOf(request, options);
      // A throttled request was not carried out ("429 Too Many Requests and the requests fail",
      // https://learn.microsoft.com/graph/throttling), so even a POST that creates is safe to repeat.
      if (method === "POST" && !retryPost && response.status !== 429) return false;
      settings.onRetry?.({
        attempt: attempt + 1,
        status: response.status,
        transportFailure: response.headers.get(TRANSPORT_FAILURE_HEADER) ?? undefined,
        delaySeconds: retryDelaySeconds(response, attempt + 1, delay),
        method,
        url: typeof request === "string" ? request : request.url,
      });
      return true;
    },
  );
}

/**
 * How long the retry handler waits before retry number `retry` (1 for the first), without its
 * jitter: Graph's Retry-After when sent, else backoffSeconds.
 */
function retryDelaySeconds(response: Response, retry: number, delay: number): number {
  const retryAfter = response.headers.get("Retry-After");
  const seconds =
    retryAfter === null
      ? backoffSeconds(delay, retry)
      : Number.isNaN(Number(retryAfter))
        ? Math.round((new Date(retryAfter).getTime() - Date.now()) / 1000)
        : Number(retryAfter);
  return Math.max(0, Math.min(seconds, MAX_DELAY_SECONDS));
}

/** Retry options for calls that are not POSTs, or POSTs that create things (repeated only after a 429). */
export function defaultRetryOptions(settings: MiddlewareSettings): RetryHandlerOptions {
  return retryOptions(settings, false);
}

/** Retry options for a POST whose repetition is harmless (adding a member, a read-only batch). */
export function idempotentPostRetryOptions(settings: MiddlewareSettings): RetryHandlerOptions {
  return retryOptions(settings, true);
}
