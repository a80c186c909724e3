// Fault injection (POST /_emulator/faults): fail, stall or drop chosen requests so that clients'
// retry, timeout and error paths can be tested against the real protocol. Failures carry Graph's
// error envelope with the codes the service uses for that status (graph-contract.md §0.3, §7.2).
import { GraphHttpError } from "./errors.js";
import { throttledError } from "./throttle.js";
import { seededRandom } from "./random.js";

export interface FaultSpec {
  /** HTTP status to answer with (400–599). */
  status?: number;
  /** How many matching requests to fail; unlimited when omitted. */
  count?: number;
  /** Only requests with this method (case-insensitive). */
  method?: string;
  /**
   * Only requests whose path (with the version, e.g. "/v1.0/policies") starts with this,
   * case-insensitively. Without it, faults hit Graph calls (each $batch step, not the $batch POST
   * itself); with it, any logged path, including the token endpoint ("/{tenant}/oauth2").
   */
  pathPrefix?: string;
  /** Fail this share (0–1] of matching requests, drawn from a generator seeded with `seed`. */
  rate?: number;
  seed?: number;
  /** With `rate`: the statuses to pick from (uniformly, from the same generator). */
  statuses?: number[];
  /** Seconds for a Retry-After header on the failure. */
  retryAfter?: number;
  /** Destroy the connection without answering. */
  reset?: boolean;
  /** Stall this long before answering (or failing, or resetting). */
  delayMs?: number;
  /** Override the error code / message of the envelope. */
  code?: string;
  message?: string;
  /** Remove every fault. */
  clear?: boolean;
  /**
   * Answer with this raw text instead of Graph's answer (malformed, HTML, wrong types...), with
   * `status` (default 200, any of 200–599) and `contentType` (default Graph's JSON type).
   */
  body?: string;
  /** The Content-Type of the answer (with `body`, or to relabel the real answer). */
  contentType?: string;
  /** Send only the first N bytes of the answer's body, then drop the connection. */
  truncateBytes?: number;
  /** Grow the real JSON answer by this many bytes (an unknown property): an oversized answer. */
  padBytes?: number;
}

/** A hand-made answer (FaultSpec body / contentType / truncateBytes / padBytes). */
export interface FaultAnswer {
  /** With `body`: the status to answer with (the real one otherwise). */
  status?: number;
  body?: string;
  contentType?: string;
  truncateBytes?: number;
  padBytes?: number;
}

/** What to do with one request. */
export interface FaultAction {
  delayMs: number;
  reset: boolean;
  /** The error to answer with after the delay; none means answer normally. */
  error?: GraphHttpError;
  status?: number;
  /** Answer (or reshape the real answer) as this says, instead of an error envelope. */
  answer?: FaultAnswer;
}

interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
  random?: () => number;
  /** How many requests this fault has hit so far (the fault campaign's count per kind). */
  fired: number;
}

export interface FaultTarget {
  method: string;
  /** The logged path: "/v1.0/...", "/beta/..." or an identity path. */
  path: string;
  /** True for Graph calls (including $batch steps); false for identity endpoints. */
  graph: boolean;
  /** True for the $batch POST itself. */
  batchEnvelope: boolean;
}

export class FaultInjector {
  private faults: ActiveFault[] = [];

  /** Adds a fault, or clears all with `{clear: true}`. Throws an Error for an invalid spec. */
  add(spec: FaultSpec): void {
    if (spec.clear) {
      this.clear();
      return;
    }
    validate(spec);
    this.faults.push({
      spec: { ...spec },
      remaining: spec.count ?? Infinity,
      fired: 0,
      random: spec.rate !== undefined ? seededRandom(spec.seed ?? 1) : undefined,
    });
  }

  clear(): void {
    this.faults = [];
  }

  /** The faults still armed, as they were given, with how many failures each has left and made. */
  list(): (FaultSpec & { remaining: number | null; fired: number })[] {
    return this.faults.map((f) => ({
      ...f.spec,
      remaining: Number.isFinite(f.remaining) ? f.remaining : null,
      fired: f.fired,
    }));
  }

  /** The first armed fault that matches and fires for this request, consumed. */
  match(target: FaultTarget): FaultAction | undefined {
    for (const fault of this.faults) {
      if (!matches(fault.spec, target)) continue;
      let status = fault.spec.status;
      if (fault.random) {
        // Draw on every match so that a seed gives the same sequence whatever the outcome.
        const fires = fault.random() < (fault.spec.rate as number);
        if (!fires) continue;
        const statuses = fault.spec.statuses ?? (status !== undefined ? [status] : [503]);
        status = statuses[Math.floor(fault.random() * statuses.length)];
      }
      fault.remaining -= 1;
      fault.fired += 1;
      if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
      const reset = fault.spec.reset === true;
      const answer = answerOf(fault.spec);
      if (answer && !reset) return { delayMs: fault.spec.delayMs ?? 0, reset, answer };
      return {
        delayMs: fault.spec.delayMs ?? 0,
        reset,
        status: reset ? undefined : status,
        error:
          reset || status === undefined ? undefined : faultError(status, target.path, fault.spec),
      };
    }
    return undefined;
  }
}

function matches(spec: FaultSpec, target: FaultTarget): boolean {
  if (spec.method && spec.method.toUpperCase() !== target.method) return false;
  if (spec.pathPrefix === undefined) return target.graph && !target.batchEnvelope;
  const prefix = spec.pathPrefix.toLowerCase();
  const path = target.path.toLowerCase();
  if (!path.startsWith(prefix)) return false;
  // "/v1.0" means the calls under it; the $batch POST is hit only when named.
  return !target.batchEnvelope || prefix.includes("$batch");
}

function answerOf(spec: FaultSpec): FaultAnswer | undefined {
  const { body, contentType, truncateBytes, padBytes } = spec;
  if ([body, contentType, truncateBytes, padBytes].every((v) => v === undefined)) return undefined;
  return {
    status: body === undefined ? undefined : (spec.status ?? 200),
    body,
    contentType,
    truncateBytes,
    padBytes,
  };
}

function validate(spec: FaultSpec): void {
  const isStatus = (s: unknown) =>
    Number.isInteger(s) && (s as number) >= 400 && (s as number) <= 599;
  const isAnswerStatus = (s: unknown) =>
    Number.isInteger(s) && (s as number) >= 200 && (s as number) <= 599;
  if (spec.body !== undefined && spec.status !== undefined && !isAnswerStatus(spec.status)) {
    throw new Error(`"status" with "body" must be 200-599, got ${JSON.stringify(spec.status)}.`);
  }
  if (spec.body === undefined && spec.status !== undefined && !isStatus(spec.status)) {
    throw new Error(
      `"status" must be an HTTP error status (400-599), got ${JSON.stringify(spec.status)}.`,
    );
  }
  if (spec.statuses !== undefined) {
    if (
      !Array.isArray(spec.statuses) ||
      spec.statuses.length === 0 ||
      !spec.statuses.every(isStatus)
    ) {
      throw new Error(`"statuses" must be a non-empty array of HTTP error statuses (400-599).`);
    }
  }
  if (
    spec.rate !== undefined &&
    !(typeof spec.rate === "number" && spec.rate > 0 && spec.rate <= 1)
  ) {
    throw new Error(`"rate" must be a number in (0, 1], got ${JSON.stringify(spec.rate)}.`);
  }
  if (spec.statuses !== undefined && spec.rate === undefined) {
    throw new Error(`"statuses" needs "rate"; for a fixed failure use "status".`);
  }
  if (spec.seed !== undefined && !Number.isInteger(spec.seed)) {
    throw new Error(`"seed" must be an integer.`);
  }
  if (spec.count !== undefined && !(Number.isInteger(spec.count) && spec.count > 0)) {
    throw new Error(`"count" must be a positive integer, got ${JSON.stringify(spec.count)}.`);
  }
  for (const key of ["retryAfter", "delayMs"] as const) {
    const v = spec[key];
    if (v !== undefined && !(typeof v === "number" && v >= 0 && Number.isFinite(v))) {
      throw new Error(`"${key}" must be a non-negative number.`);
    }
  }
  for (const key of ["truncateBytes", "padBytes"] as const) {
    const v = spec[key];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 0)) {
      throw new Error(`"${key}" must be a non-negative integer.`);
    }
  }
  for (const key of ["method", "pathPrefix", "code", "message", "body", "contentType"] as const) {
    if (spec[key] !== undefined && typeof spec[key] !== "string") {
      throw new Error(`"${key}" must be a string.`);
    }
  }
  if (spec.pathPrefix !== undefined && !spec.pathPrefix.startsWith("/")) {
    throw new Error(`"pathPrefix" must start with "/", e.g. "/v1.0/policies".`);
  }
  const acts =
    spec.status !== undefined ||
    spec.rate !== undefined ||
    spec.reset === true ||
    spec.delayMs !== undefined ||
    answerOf(spec) !== undefined;
  if (!acts) {
    throw new Error(
      `A fault needs "status", "rate", "reset", "delayMs" or an answer ("body", "contentType", "truncateBytes", "padBytes"), or {"clear": true} to remove all.`,
    );
  }
}

/**
 * Codes and messages per status [inferred where graph-contract.md §7.2 has none: Graph's
 * documented code names for 500/503/504 (https://learn.microsoft.com/graph/errors)].
 */
const FAULT_ERRORS: Record<number, [string, string]> = {
  400: ["BadRequest", "The request is malformed or incorrect."],
  401: ["InvalidAuthenticationToken", "Access token validation failure."],
  403: ["Authorization_RequestDenied", "Insufficient privileges to complete the operation."],
  404: [
    "Request_ResourceNotFound",
    "Resource does not exist or one of its queried reference-property objects are not present.",
  ],
  409: [
    "Request_MultipleObjectsWithSameKeyValue",
    "Another object with the same value already exists.",
  ],
  412: [
    "preconditionFailed",
    "The precondition given in one or more of the request headers evaluated to false.",
  ],
  423: ["resourceLocked", "The resource that is being accessed is locked."],
  500: ["generalException", "An unspecified error has occurred."],
  502: ["BadGateway", "The server received an invalid response from an upstream server."],
  503: [
    "serviceNotAvailable",
    "The service is temporarily unavailable. Please retry after a delay.",
  ],
  504: ["GatewayTimeout", "The server did not receive a timely response from an upstream server."],
};

function faultError(status: number, path: string, spec: FaultSpec): GraphHttpError {
  const headers: Record<string, string> = {};
  if (spec.retryAfter !== undefined && (status === 429 || status === 503)) {
    headers["Retry-After"] = String(Math.ceil(spec.retryAfter));
  }
  if (status === 429) {
    const throttled = throttledError(path, spec.retryAfter, headers);
    if (!spec.code && !spec.message) return throttled;
    return new GraphHttpError(429, spec.code ?? throttled.code, spec.message ?? throttled.message, {
      headers,
    });
  }
  const [code, message] = FAULT_ERRORS[status] ?? ["UnknownError", ""];
  return new GraphHttpError(status, spec.code ?? code, spec.message ?? message, { headers });
}
