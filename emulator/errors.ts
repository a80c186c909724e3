// Graph's error envelope (graph-contract.md §0.3) and the error type handlers throw to produce it.
import { randomUUID } from "node:crypto";

export interface ErrorDetail {
  code: string;
  message: string;
  target?: string | null;
}

export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly options: {
      details?: ErrorDetail[];
      target?: string;
      innerMessage?: string;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
    this.name = "GraphHttpError";
  }
}

/** innerError.date as real responses print it: no fractional seconds, no "Z". */
function innerErrorDate(now: Date): string {
  return now.toISOString().slice(0, 19);
}

export function errorEnvelope(
  err: GraphHttpError,
  requestId: string = randomUUID(),
  clientRequestId: string = requestId,
  now: Date = new Date(),
): { error: Record<string, unknown> } {
  const innerError: Record<string, unknown> = {
    date: innerErrorDate(now),
    "request-id": requestId,
    "client-request-id": clientRequestId,
  };
  if (err.options.innerMessage) innerError.message = err.options.innerMessage;
  const error: Record<string, unknown> = { code: err.code, message: err.message };
  if (err.options.target !== undefined) error.target = err.options.target;
  if (err.options.details) error.details = err.options.details;
  error.innerError = innerError;
  return { error };
}
