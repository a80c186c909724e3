// JSON batching, `POST /v1.0/$batch` and `/beta/$batch` (graph-contract.md §7.1): at most 20
// steps with unique (case-insensitive) ids and relative urls; `dependsOn` orders steps, and a step
// whose dependency failed answers 424 without running. Each step runs through the same path as a
// single call (faults, throttling, the handlers) with the outer request's token. A malformed batch
// fails whole with 400; a well-formed one answers 200 whatever its steps did.
import { GraphHttpError } from "./errors.js";

export const MAX_BATCH_STEPS = 20;

export interface BatchStep {
  id: string;
  method: string;
  /** The relative url as sent, e.g. "/groups/{id}/members/$ref" or "users?$top=5". */
  url: string;
  /** Path part of the url, with a leading "/" and still percent-encoded. */
  rawPath: string;
  query: URLSearchParams;
  /** The query string as sent, without "?". */
  rawQuery: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

export interface BatchStepResult {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** Runs one step; rejects with ConnectionReset to drop the whole connection (a `reset` fault). */
export type StepRunner = (step: BatchStep) => Promise<BatchStepResult>;

export class ConnectionReset extends Error {
  constructor() {
    super("connection reset by fault injection");
  }
}

const METHODS = new Set(["GET", "POST", "PATCH", "PUT", "DELETE"]);

function badBatch(message: string): GraphHttpError {
  return new GraphHttpError(400, "BadRequest", message);
}

/** Validates a batch body; throws GraphHttpError(400) for a malformed batch [messages inferred]. */
export function parseBatch(body: unknown): BatchStep[] {
  if (
    typeof body !== "object" ||
    body === null ||
    !Array.isArray((body as { requests?: unknown }).requests)
  ) {
    throw badBatch(
      "Invalid batch payload format. The body must be a JSON object with a 'requests' array.",
    );
  }
  const requests = (body as { requests: unknown[] }).requests;
  if (requests.length === 0)
    throw badBatch("Invalid batch payload format. The batch has no requests.");
  if (requests.length > MAX_BATCH_STEPS) {
    throw badBatch(
      `The batch has ${requests.length} requests; a batch can hold at most ${MAX_BATCH_STEPS}.`,
    );
  }
  const seen = new Set<string>();
  const steps = requests.map((raw, index): BatchStep => {
    if (typeof raw !== "object" || raw === null) {
      throw badBatch(`Invalid batch payload format. Request ${index} is not an object.`);
    }
    const r = raw as Record<string, unknown>;
    if (typeof r.id !== "string" || r.id === "") {
      throw badBatch(`Invalid batch payload format. Request ${index} has no 'id' (a string).`);
    }
    const id = r.id;
    if (seen.has(id.toLowerCase()))
      throw badBatch(`Request id '${id}' is duplicated in the batch.`);
    seen.add(id.toLowerCase());
    const method = typeof r.method === "string" ? r.method.toUpperCase() : "";
    if (!METHODS.has(method)) {
      throw badBatch(`Request id '${id}' has no valid 'method' (GET, POST, PATCH, PUT or DELETE).`);
    }
    if (typeof r.url !== "string" || r.url === "") {
      throw badBatch(`Request id '${id}' has no 'url'.`);
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(r.url) || r.url.startsWith("//")) {
      throw badBatch(
        `Request id '${id}' has an absolute url; batch urls are relative to the version, e.g. '/users'.`,
      );
    }
    const headers: Record<string, string> = {};
    if (r.headers !== undefined) {
      if (typeof r.headers !== "object" || r.headers === null || Array.isArray(r.headers)) {
        throw badBatch(`Request id '${id}' has 'headers' that are not an object.`);
      }
      for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = String(v);
    }
    if (r.body !== undefined && r.body !== null && !headers["content-type"]) {
      throw badBatch(`Write request id : ${id} does not contain Content-Type header or body.`);
    }
    let dependsOn: string[] = [];
    if (r.dependsOn !== undefined) {
      if (!Array.isArray(r.dependsOn) || !r.dependsOn.every((d) => typeof d === "string")) {
        throw badBatch(`Request id '${id}' has 'dependsOn' that is not an array of ids.`);
      }
      dependsOn = r.dependsOn as string[];
    }
    const relative = r.url.startsWith("/") ? r.url : `/${r.url}`;
    const q = relative.indexOf("?");
    return {
      id,
      method,
      url: r.url,
      rawPath: q < 0 ? relative : relative.slice(0, q),
      query: new URLSearchParams(q < 0 ? "" : relative.slice(q + 1)),
      rawQuery: q < 0 ? "" : relative.slice(q + 1),
      headers,
      body: decodeStepBody(r.body, headers["content-type"]),
      dependsOn,
    };
  });

  const byId = new Map(steps.map((s) => [s.id.toLowerCase(), s]));
  for (const step of steps) {
    for (const dep of step.dependsOn) {
      if (!byId.has(dep.toLowerCase())) {
        throw badBatch(`Request id '${step.id}' depends on '${dep}', which is not in the batch.`);
      }
    }
  }
  // Reject cycles (including self-dependency): they could never run.
  const state = new Map<string, "visiting" | "done">();
  const visit = (step: BatchStep): void => {
    const key = step.id.toLowerCase();
    if (state.get(key) === "done") return;
    if (state.get(key) === "visiting") {
      throw badBatch(`The dependsOn of request id '${step.id}' forms a cycle.`);
    }
    state.set(key, "visiting");
    for (const dep of step.dependsOn) visit(byId.get(dep.toLowerCase()) as BatchStep);
    state.set(key, "done");
  };
  steps.forEach(visit);
  return steps;
}

/** A JSON step body is a JSON value; other content types send base64 text (§7.1). */
function decodeStepBody(body: unknown, contentType: string | undefined): unknown {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string" && contentType && /json/i.test(contentType)) {
    try {
      return JSON.parse(Buffer.from(body, "base64").toString("utf8"));
    } catch {
      return body;
    }
  }
  return body;
}

/**
 * Runs the steps: each starts when its dependencies have finished (independent steps run
 * concurrently); a dependency that failed (status >= 400, including its own 424) makes the step
 * answer 424. Results come in completion order, as the service may answer "in any order".
 */
export async function executeBatch(
  steps: BatchStep[],
  run: StepRunner,
): Promise<BatchStepResult[]> {
  const results: BatchStepResult[] = [];
  const done = new Map<string, Promise<BatchStepResult>>();
  const byId = new Map(steps.map((s) => [s.id.toLowerCase(), s]));
  const start = (step: BatchStep): Promise<BatchStepResult> => {
    const key = step.id.toLowerCase();
    let promise = done.get(key);
    if (!promise) {
      promise = (async () => {
        const deps = await Promise.all(
          step.dependsOn.map((d) => start(byId.get(d.toLowerCase()) as BatchStep)),
        );
        const failed = deps.find((d) => d.status >= 400);
        const result = failed ? failedDependency(step, failed.id) : await run(step);
        results.push(result);
        return result;
      })();
      done.set(key, promise);
    }
    return promise;
  };
  await Promise.all(steps.map(start));
  return results;
}

function failedDependency(step: BatchStep, dependencyId: string): BatchStepResult {
  return {
    id: step.id,
    status: 424,
    headers: { "Content-Type": "application/json" },
    body: {
      error: {
        code: "FailedDependency",
        message: `The request depends on request '${dependencyId}', which failed.`,
      },
    },
  };
}
