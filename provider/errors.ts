// Failures of the drift and preview-summary commands that are not Graph's: a stack that cannot be
// read, a declaration or preview file that is not what it should be, another tenant. Each is an
// error (exit 1), never reported as drift or as no drift.
import { GraphRequestError } from "./graph";
import { InputValidationError } from "./model";

export type ReportErrorKind =
  | "usage" // bad command-line options
  | "stack" // the pulumi CLI could not read the stack
  | "input" // a declaration, preview or impact file that cannot be used
  | "tenant"; // the credentials sign in to another tenant than the stack's

export class ReportError extends Error {
  constructor(
    readonly kind: ReportErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "ReportError";
  }
}

/** A stable word for what went wrong, for `--json` consumers. */
export function errorKind(err: unknown): string {
  if (err instanceof GraphRequestError) return err.kind;
  if (err instanceof ReportError) return err.kind;
  if (err instanceof InputValidationError)
    return err.name === "SettingsError" ? "settings" : "input";
  return "error";
}
