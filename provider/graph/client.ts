// The one Graph client: @microsoft/microsoft-graph-client over a TokenCredential from
// @azure/identity. Nothing else in the package talks HTTP. Every call is described by what it
// does (for error messages) and by the permission it needs (for the 403 hint). The SDK and its
// middleware are loaded at the first Graph call, not with this module: a provider that is asked
// only `check` and `diff` (every no-change preview) never loads them.
import type {
  BatchRequestStep,
  Client,
  GraphRequest,
  MiddlewareOptions,
} from "@microsoft/microsoft-graph-client";
import type { TokenCredential } from "@azure/identity";
import type { GraphSettings, ResolvedSettings } from "../config";
import { GraphRequestError, httpError, malformedResponse, signInError } from "./errors";
import { backoffSeconds } from "./backoff";
import { explainingAuthorityRefusals } from "./signIn";
import {
  REPORTS_RATE_LIMIT,
  isReportPath,
  sharedLimiter,
  type RateLimit,
  type SlidingWindowLimiter,
} from "./rateLimit";
import type { MiddlewareSettings, RetryEvent } from "./middleware";

type GraphSdk = typeof import("@microsoft/microsoft-graph-client");
type Middleware = typeof import("./middleware");
type AuthProviders =
  typeof import("@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials");
interface Loaded {
  sdk: GraphSdk;
  middleware: Middleware;
  auth: AuthProviders;
}
/**
 * The Graph SDK and the middleware built on it, loaded at the first call that needs them. Node's
 * module cache keeps them after that, so this module holds no state of its own.
 */
function lazy(): Loaded {
  /* eslint-disable @typescript-eslint/no-require-imports -- deferred until the first Graph call */
  return {
    sdk: require("@microsoft/microsoft-graph-client") as GraphSdk,
    middleware: require("./middleware") as Middleware,
    auth: require("@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials") as AuthProviders,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

export type GraphVersion = "v1.0" | "beta";
export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/** One Graph call, described for the client and for whoever reads its error. */
export interface GraphCall {
  /** What the call does, as a verb phrase: "read the authentication methods policy". */
  operation: string;
  method: HttpMethod;
  /** Relative path without the version ("/groups/{id}"), or an absolute @odata.nextLink. */
  path: string;
  version?: GraphVersion;
  /** Query parameters; values are encoded here, so OData literals need only their '' escaping. */
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** The least-privileged application permission that allows the call. */
  permission: string;
  /** What a 404 means, e.g. "the group 1f0e…". */
  target?: string;
  /** Whether repeating the call is harmless. Default: every method but POST. */
  idempotent?: boolean;
}

export interface GraphClientOptions extends Partial<MiddlewareSettings> {
  /** Per-attempt timeout in milliseconds. */
  timeoutMs?: number;
  /** Overrides the credential built from the settings (tests, or a caller's own credential). */
  credential?: TokenCredential;
  /**
   * Pace of /reports and /auditLogs requests (default: Graph's 5 per 10 s per app and tenant);
   * null sends them unpaced.
   */
  reportRateLimit?: RateLimit | null;
}

/** What a client has sent so far (logical calls: a retry is not counted again, a batch is one). */
export interface GraphClientCounters {
  requests: number;
  reportRequests: number;
  /** Milliseconds spent waiting to stay within the reports limit. */
  reportWaitMs: number;
}

export type BatchOutcome<T = unknown> =
  { ok: true; status: number; body: T } | { ok: false; status: number; error: GraphRequestError };

const DEFAULTS = { maxRetries: 5, retryDelaySeconds: 2, timeoutMs: 30_000 };
/** Graph's limit of requests in one JSON batch (graph-contract.md §7.1). */
export const BATCH_LIMIT = 20;
const IDENTITY_ERROR_NAMES = new Set([
  "AuthenticationError",
  "CredentialUnavailableError",
  "AuthenticationRequiredError",
  "AggregateAuthenticationError",
]);

export class GraphClient {
  readonly settings: GraphSettings;
  private readonly middlewareSettings: MiddlewareSettings & { timeoutMs: number };
  private sdk?: Client;
  private credential?: TokenCredential;
  private limiter?: SlidingWindowLimiter | null;
  readonly counters: GraphClientCounters = { requests: 0, reportRequests: 0, reportWaitMs: 0 };

  constructor(
    private readonly resolved: ResolvedSettings,
    private readonly options: GraphClientOptions = {},
  ) {
    this.settings = resolved.settings;
    this.middlewareSettings = {
      maxRetries: options.maxRetries ?? DEFAULTS.maxRetries,
      retryDelaySeconds: options.retryDelaySeconds ?? DEFAULTS.retryDelaySeconds,
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      onRetry: options.onRetry,
    };
  }

  private tokenCredential(): TokenCredential {
    this.credential ??= explainingAuthorityRefusals(
      this.options.credential ?? this.resolved.createCredential(),
      this.settings,
    );
    return this.credential;
  }

  /** An access token for Graph (for its documented claims, such as the tenant id `tid`). */
  async accessToken(): Promise<string> {
    const operation = "sign in to Microsoft Entra ID";
    try {
      const token = await this.tokenCredential().getToken(this.settings.scopes);
      if (!token) throw new Error("the credential returned no token");
      return token.token;
    } catch (err) {
      throw signInError(operation, err);
    }
  }

  private client(): Client {
    if (!this.sdk) {
      const credential = this.tokenCredential();
      const { sdk, middleware, auth } = lazy();
      const authProvider = new auth.TokenCredentialAuthenticationProvider(credential, {
        scopes: this.settings.scopes,
      });
      this.sdk = sdk.Client.initWithMiddleware({
        middleware: middleware.buildMiddleware(authProvider, this.middlewareSettings),
        baseUrl: this.settings.graphEndpoint,
        customHosts: new Set(this.settings.customHosts),
      });
    }
    return this.sdk;
  }

  /** The reports limiter this client's app and tenant share (null: unpaced). */
  private reportLimiter(): SlidingWindowLimiter | null {
    if (this.limiter === undefined) {
      const limit =
        this.options.reportRateLimit === undefined
          ? REPORTS_RATE_LIMIT
          : this.options.reportRateLimit;
      this.limiter =
        limit === null
          ? null
          : sharedLimiter(
              `${this.settings.graphEndpoint}|${this.settings.tenantId ?? ""}|${this.settings.clientId ?? ""}`,
              limit,
            );
    }
    return this.limiter;
  }

  /** Sends one call; resolves to the parsed body (undefined for 204), or throws GraphRequestError. */
  async request<T = unknown>(call: GraphCall): Promise<T> {
    this.counters.requests++;
    const report = isReportPath(call.path);
    if (report) this.counters.reportRequests++;
    const limiter = report ? this.reportLimiter() : null;
    if (!limiter) return this.send<T>(call);
    const waitedBefore = limiter.waitedMs;
    const release = await limiter.acquire();
    this.counters.reportWaitMs += limiter.waitedMs - waitedBefore;
    try {
      return await this.send<T>(call);
    } finally {
      release();
    }
  }

  private async send<T>(call: GraphCall): Promise<T> {
    const { CallOptions, idempotentPostRetryOptions } = lazy().middleware;
    const callOptions = new CallOptions(
      call.idempotent ?? call.method !== "POST",
      this.middlewareSettings.timeoutMs,
    );
    const middlewareOptions: MiddlewareOptions[] = [callOptions];
    if (call.method === "POST" && callOptions.idempotent) {
      middlewareOptions.push(idempotentPostRetryOptions(this.middlewareSettings));
    }
    let req: GraphRequest = this.client().api(urlOf(call));
    if (!isAbsolute(call.path)) req = req.version(call.version ?? "v1.0");
    req = req.middlewareOptions(middlewareOptions);
    if (call.headers) req = req.headers(call.headers);
    try {
      return answerOf<T>(call, await sendWith(req, call));
    } catch (err) {
      throw this.toError(call, err, callOptions.attempts);
    }
  }

  /** Yields each page's `value` of a collection, following @odata.nextLink verbatim. */
  async *pages<T>(call: GraphCall): AsyncGenerator<T[], void, undefined> {
    let next: GraphCall | undefined = call;
    while (next) {
      const page: { value?: unknown; "@odata.nextLink"?: unknown } | undefined =
        await this.request<{ value?: unknown; "@odata.nextLink"?: unknown }>(next);
      if (!page || !Array.isArray(page.value)) {
        throw malformedResponse(
          call.operation,
          describeRequest(next),
          "a page without a value array",
        );
      }
      yield page.value as T[];
      const link: unknown = page["@odata.nextLink"];
      next = typeof link === "string" ? { ...call, path: link, query: undefined } : undefined;
    }
  }

  /** Every item of a paged collection. */
  async all<T>(call: GraphCall): Promise<T[]> {
    const items: T[] = [];
    for await (const page of this.pages<T>(call)) items.push(...page);
    return items;
  }

  /**
   * Sends calls in JSON batches of at most 20 (one version per batch). Retryable failures of
   * idempotent calls inside a batch (429, 5xx: the batch itself answers 200) are sent again after
   * the longest Retry-After, up to maxRetries rounds. Outcomes are in the order of `calls`.
   */
  async batch<T = unknown>(calls: GraphCall[]): Promise<BatchOutcome<T>[]> {
    const outcomes: BatchOutcome<T>[] = new Array(calls.length);
    const attempts = new Array<number>(calls.length).fill(0);
    let pending = calls.map((_, i) => i);
    for (let round = 0; pending.length > 0; round++) {
      const retry: number[] = [];
      let waitSeconds = 0;
      for (const chunk of chunksByVersion(pending, calls)) {
        const answers = await this.sendBatch(chunk.map((i) => calls[i]));
        chunk.forEach((callIndex, k) => {
          const answer = answers[k];
          attempts[callIndex]++;
          const call = calls[callIndex];
          const idempotent = call.idempotent ?? call.method !== "POST";
          if (
            RETRYABLE_IN_BATCH.has(answer.status) &&
            idempotent &&
            round < this.middlewareSettings.maxRetries
          ) {
            retry.push(callIndex);
            const after = Number(answer.headers["retry-after"] ?? answer.headers["Retry-After"]);
            const backoff = backoffSeconds(this.middlewareSettings.retryDelaySeconds, round + 1);
            waitSeconds = Math.max(waitSeconds, Number.isFinite(after) ? after : backoff);
            this.middlewareSettings.onRetry?.({
              attempt: attempts[callIndex],
              status: answer.status,
              delaySeconds: Number.isFinite(after) ? after : backoff,
              method: call.method,
              url: call.path,
            });
            return;
          }
          outcomes[callIndex] =
            answer.status < 400
              ? { ok: true, status: answer.status, body: answer.body as T }
              : {
                  ok: false,
                  status: answer.status,
                  error: this.errorFromEnvelope(call, answer, attempts[callIndex]),
                };
        });
      }
      pending = retry;
      if (pending.length > 0) await sleep(Math.min(waitSeconds, 180) * 1000);
    }
    return outcomes;
  }

  /**
   * Looks objects up by key in JSON batches (one GET per key, 20 per request). Returns a map from
   * each key as given to its object; keys that do not exist (404) are absent. Other failures throw.
   */
  async lookUp<T>(keys: string[], callFor: (key: string) => GraphCall): Promise<Map<string, T>> {
    const unique = [...new Set(keys)];
    const outcomes = await this.batch<T>(unique.map(callFor));
    const found = new Map<string, T>();
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) found.set(unique[i], outcome.body);
      else if (outcome.error.status !== 404) throw outcome.error;
    });
    return found;
  }

  private async sendBatch(calls: GraphCall[]): Promise<BatchAnswer[]> {
    const steps: BatchRequestStep[] = calls.map((call, i) => {
      const headers: Record<string, string> = { ...call.headers };
      if (call.body !== undefined) headers["Content-Type"] = "application/json";
      return {
        id: String(i + 1),
        request: new Request(`${this.settings.graphEndpoint}${pathWithQuery(call)}`, {
          method: call.method,
          headers,
          body: call.body === undefined ? undefined : JSON.stringify(call.body),
        }),
      };
    });
    const content = await new (lazy().sdk.BatchRequestContent)(steps).getContent();
    const version = calls[0].version ?? "v1.0";
    // A batch of calls that may each be repeated (reads, member adds that answer "already exists"
    // the second time) may be repeated whole when its answer is lost (a reset, a timeout).
    const repeatable = calls.every((c) => c.idempotent ?? c.method !== "POST");
    const raw = await this.request<unknown>({
      operation: `send a batch of ${calls.length} requests (${calls[0].operation}${calls.length > 1 ? ", …" : ""})`,
      method: "POST",
      path: "/$batch",
      version,
      body: content,
      permission: calls[0].permission,
      // Its items' failures are retried per item (batch()); the whole POST only when repeatable.
      idempotent: repeatable,
    });
    const byId = new Map<string, BatchAnswer>();
    const body = raw as { responses?: unknown };
    if (!Array.isArray(body?.responses)) {
      throw malformedResponse(
        calls[0].operation,
        "POST /$batch",
        "a batch answer without responses",
      );
    }
    for (const r of body.responses as RawBatchResponse[]) {
      byId.set(String(r.id), {
        status: Number(r.status),
        headers: r.headers ?? {},
        body: r.body,
      });
    }
    return calls.map((call, i) => {
      const answer = byId.get(String(i + 1));
      if (!answer) {
        throw malformedResponse(call.operation, "POST /$batch", `no answer for request ${i + 1}`);
      }
      return answer;
    });
  }

  private errorFromEnvelope(
    call: GraphCall,
    answer: BatchAnswer,
    attempts: number,
  ): GraphRequestError {
    const envelope = (answer.body as { error?: ErrorEnvelope } | undefined)?.error;
    return httpError({
      operation: call.operation,
      request: describeRequest(call),
      status: answer.status,
      code: envelope?.code,
      graphMessage: envelope?.message,
      requestId: envelope?.innerError?.["request-id"] ?? answer.headers["request-id"],
      clientRequestId: envelope?.innerError?.["client-request-id"],
      permission: call.permission,
      target: call.target,
      attempts,
      throttleScope: answer.headers["x-ms-throttle-scope"],
    });
  }

  private toError(call: GraphCall, err: unknown, attempts: number): GraphRequestError {
    if (err instanceof GraphRequestError) return err;
    const { sdk, middleware } = lazy();
    const { NOT_JSON_ERROR_CODE, TRANSPORT_ERROR_CODE } = middleware;
    if (err instanceof sdk.GraphError) {
      if (IDENTITY_ERROR_NAMES.has(err.code ?? "")) return signInError(call.operation, err);
      if (err.code === NOT_JSON_ERROR_CODE) {
        return malformedResponse(call.operation, describeRequest(call), err.message);
      }
      if (err.code === TRANSPORT_ERROR_CODE || err.statusCode === -1) {
        return httpError({
          operation: call.operation,
          request: describeRequest(call),
          status: 0,
          permission: call.permission,
          attempts: Math.max(attempts, 1),
          transportError: err.message,
        });
      }
      if (err.statusCode >= 200 && err.statusCode < 300) {
        // The body could not be read: invalid JSON, or cut off (undici says "terminated").
        const problem =
          err.code === "SyntaxError"
            ? `the answer is not valid JSON (${err.message})`
            : /^terminated$/i.test(err.message)
              ? "the answer was cut off before its end (the connection closed early)"
              : err.message;
        return malformedResponse(
          call.operation,
          describeRequest(call),
          problem,
          err.requestId ?? undefined,
        );
      }
      const headers = err.headers;
      return httpError({
        operation: call.operation,
        request: describeRequest(call),
        status: err.statusCode,
        code: err.code ?? undefined,
        graphMessage: err.message,
        requestId: err.requestId ?? headers?.get("request-id") ?? undefined,
        clientRequestId: headers?.get("client-request-id") ?? undefined,
        permission: call.permission,
        target: call.target,
        attempts: Math.max(attempts, 1),
        throttleScope: headers?.get("x-ms-throttle-scope") ?? undefined,
      });
    }
    const e = err as { name?: string };
    if (e && IDENTITY_ERROR_NAMES.has(e.name ?? "")) return signInError(call.operation, err);
    return malformedResponse(call.operation, describeRequest(call), String(err));
  }
}

interface ErrorEnvelope {
  code?: string;
  message?: string;
  innerError?: Record<string, string>;
}
interface RawBatchResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}
interface BatchAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const RETRYABLE_IN_BATCH = new Set([429, 500, 502, 503, 504]);

function sendWith(req: GraphRequest, call: GraphCall): Promise<unknown> {
  switch (call.method) {
    case "GET":
      return req.get() as Promise<unknown>;
    case "POST":
      return req.post(call.body) as Promise<unknown>;
    case "PATCH":
      return req.patch(call.body) as Promise<unknown>;
    case "PUT":
      return req.put(call.body) as Promise<unknown>;
    case "DELETE":
      return req.delete() as Promise<unknown>;
  }
}

/**
 * Graph answers a read with a JSON object (an entity, or a collection page) and a write with an
 * object or nothing (204). A bare string, number, list or null is something else answering.
 */
function answerOf<T>(call: GraphCall, body: unknown): T {
  const isObject = typeof body === "object" && body !== null && !Array.isArray(body);
  if (isObject || (body === undefined && call.method !== "GET")) return body as T;
  const found =
    body === undefined
      ? "an empty answer"
      : `the JSON ${Array.isArray(body) ? "list" : body === null ? "null" : typeof body}${body === null ? "" : ` ${JSON.stringify(body).slice(0, 40)}`}`;
  throw malformedResponse(
    call.operation,
    describeRequest(call),
    `${found} where Graph sends an object`,
  );
}

function isAbsolute(path: string): boolean {
  return /^https:\/\//i.test(path);
}

function queryString(query: GraphCall["query"]): string {
  if (!query) return "";
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join("&")}` : "";
}

function pathWithQuery(call: GraphCall): string {
  const path = call.path.startsWith("/") ? call.path : `/${call.path}`;
  return `${path}${queryString(call.query)}`;
}

function urlOf(call: GraphCall): string {
  return isAbsolute(call.path) ? call.path : pathWithQuery(call);
}

function describeRequest(call: GraphCall): string {
  const path = isAbsolute(call.path)
    ? new URL(call.path).pathname
    : `/${call.version ?? "v1.0"}${call.path}`;
  return `${call.method} ${path}`;
}

function chunksByVersion(indices: number[], calls: GraphCall[]): number[][] {
  const byVersion = new Map<string, number[]>();
  for (const i of indices) {
    const v = calls[i].version ?? "v1.0";
    byVersion.set(v, [...(byVersion.get(v) ?? []), i]);
  }
  const chunks: number[][] = [];
  for (const list of byVersion.values()) {
    for (let i = 0; i < list.length; i += BATCH_LIMIT) chunks.push(list.slice(i, i + BATCH_LIMIT));
  }
  return chunks;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export type { RetryEvent };
