// The one error type for everything that goes wrong between this tool and Microsoft Graph or the
// sign-in authority. Its message is a sentence a platform engineer can act on: what failed, what
// Graph said, what to do, and the correlation ids Microsoft support asks for. It never carries a
// secret: it is built only from the call description, Graph's error envelope and the settings'
// non-secret fields.

import { describeNeededPermission } from "../permissions";

/** The kind of failure, for code that reacts to it (drift reports errors, never drift). */
export type GraphFailureKind =
  | "signIn" // the credential could not get a token
  | "unauthorized" // 401: Graph rejected the token
  | "forbidden" // 403: a permission (or licence) is missing
  | "notFound" // 404
  | "badRequest" // 400/405/409/412/422: Graph refused the request
  | "throttled" // 429 after the retries
  | "unavailable" // 5xx after the retries
  | "transport" // timeout or connection failure after the retries
  | "malformed"; // Graph answered something this tool cannot read

export interface GraphErrorDetails {
  kind: GraphFailureKind;
  /** What was being done, as a verb phrase: "read the authentication methods policy". */
  operation: string;
  status?: number;
  code?: string;
  graphMessage?: string;
  requestId?: string;
  clientRequestId?: string;
  hint: string;
  /** HTTP method and path (without query), for logs and tests. */
  request?: string;
}

export class GraphRequestError extends Error {
  readonly kind: GraphFailureKind;
  readonly operation: string;
  readonly status?: number;
  readonly code?: string;
  readonly graphMessage?: string;
  readonly requestId?: string;
  readonly clientRequestId?: string;
  readonly hint: string;
  readonly request?: string;

  constructor(details: GraphErrorDetails) {
    super(formatMessage(details));
    this.name = "GraphRequestError";
    this.kind = details.kind;
    this.operation = details.operation;
    this.status = details.status;
    this.code = details.code;
    this.graphMessage = details.graphMessage;
    this.requestId = details.requestId;
    this.clientRequestId = details.clientRequestId;
    this.hint = details.hint;
    this.request = details.request;
  }
}

function formatMessage(d: GraphErrorDetails): string {
  const answered =
    d.status !== undefined
      ? ` Microsoft Graph answered ${d.status}${d.code ? ` ${d.code}` : ""}${d.graphMessage ? `: "${d.graphMessage}"` : ""}.`
      : d.graphMessage
        ? ` ${d.graphMessage}${/[.!?]$/.test(d.graphMessage) ? "" : "."}`
        : "";
  const ids = [
    d.requestId ? `request-id ${d.requestId}` : "",
    d.clientRequestId ? `client-request-id ${d.clientRequestId}` : "",
  ].filter(Boolean);
  return `Could not ${d.operation}.${answered} ${d.hint}${ids.length ? ` (${ids.join(", ")})` : ""}`;
}

/** The subset of a sign-in error (from @azure/identity) this tool reads. */
interface SignInErrorShape {
  name?: string;
  message?: string;
  errorResponse?: { error?: string; errorDescription?: string; errorCodes?: number[] };
}

// AADSTS codes seen when an app-only sign-in fails, and what to do about each.
const SIGN_IN_HINTS: Record<string, string> = {
  "700016":
    "The tenant has no application with this client id: check AZURE_CLIENT_ID (entra-nudge:clientId), the app registration's Application (client) ID, and that AZURE_TENANT_ID (entra-nudge:tenantId) is the tenant the app is registered in.",
  "7000215":
    "The client secret is wrong: create a new secret on the app registration (Certificates & secrets) and copy its Value, not its Secret ID; set it with `pulumi config set --secret entra-nudge:clientSecret` or AZURE_CLIENT_SECRET.",
  "7000222":
    "The client secret has expired: create a new secret on the app registration (Certificates & secrets) and update entra-nudge:clientSecret or AZURE_CLIENT_SECRET.",
  "90002":
    "Microsoft Entra ID has no such tenant: check AZURE_TENANT_ID (entra-nudge:tenantId), which takes the directory (tenant) id or one of its verified domain names (contoso.onmicrosoft.com), and the cloud (entra-nudge:cloud).",
  "700027":
    "The client assertion was rejected: check that the certificate uploaded to the app registration matches AZURE_CLIENT_CERTIFICATE_PATH.",
  "70021":
    "No federated credential on the app registration matches this workload's token: check its issuer, subject and audience (api://AzureADTokenExchange).",
  "1002012":
    "The requested scope is not valid for this cloud: check entra-nudge:cloud (global, usgov, usgovdod).",
  "70011":
    "The requested scope is not valid for this cloud: check entra-nudge:cloud (global, usgov, usgovdod).",
};

/**
 * What Entra said, once and short: "AADSTS90002: Tenant 'x' not found." plus the trace and
 * correlation ids support asks for, without MSAL's repeated timestamps and error-code lists.
 */
function entraSaid(description: string): { code?: string; text: string } {
  const found = /AADSTS(\d+): (.*?\.)(?=\s|$)/.exec(description);
  if (!found) return { text: description.split(/\r?\n/)[0].trim() };
  const trace = /Trace ID: ([0-9a-f-]{36})/i.exec(description)?.[1];
  const correlation = /Correlation ID: ([0-9a-f-]{36})/i.exec(description)?.[1];
  const ids = [trace && `trace id ${trace}`, correlation && `correlation id ${correlation}`]
    .filter(Boolean)
    .join(", ");
  return { code: found[1], text: `AADSTS${found[1]}: ${found[2]}${ids ? ` (${ids})` : ""}` };
}

/** Maps a failure to get a token into a GraphRequestError. */
export function signInError(operation: string, err: unknown): GraphRequestError {
  const e = (typeof err === "object" && err !== null ? err : {}) as SignInErrorShape;
  const description = e.errorResponse?.errorDescription ?? e.message ?? String(err);
  const said = entraSaid(description);
  const aadsts = said.code;
  const unavailable = e.name === "CredentialUnavailableError";
  return new GraphRequestError({
    kind: "signIn",
    operation,
    graphMessage: `Sign-in to Microsoft Entra ID failed: ${said.text}`,
    hint:
      (aadsts && SIGN_IN_HINTS[aadsts]) ??
      // MSAL's word for an authority it could not fetch metadata from: unreachable, or a TLS
      // certificate Node.js does not trust (no AADSTS code reaches the client then).
      (/endpoints_resolution_error/.test(description)
        ? "The sign-in authority could not be reached or its TLS certificate is not trusted: check AZURE_AUTHORITY_HOST (entra-nudge:authorityHost), the network path, and for a private CA (such as the emulator's) NODE_EXTRA_CA_CERTS."
        : undefined) ??
      (unavailable
        ? "No credential is configured: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or a certificate, or workload identity), or the matching entra-nudge:* stack config."
        : "Check the tenant id, client id and credential settings (docs/real-tenant.md)."),
  });
}

export interface HttpFailure {
  operation: string;
  request: string;
  status: number;
  code?: string;
  graphMessage?: string;
  requestId?: string;
  clientRequestId?: string;
  /** The permission this call needs (least privileged). */
  permission: string;
  /** What a 404 means for this call, e.g. "the group 2f9c…". */
  target?: string;
  attempts: number;
  /** Set when the response was made up by the transport layer for a timeout or reset. */
  transportError?: string;
  throttleScope?: string;
}

/** Maps an HTTP failure from Graph (after the retries) into a GraphRequestError with a hint. */
export function httpError(f: HttpFailure): GraphRequestError {
  const common = {
    operation: f.operation,
    request: f.request,
    requestId: f.requestId,
    clientRequestId: f.clientRequestId,
  };
  const tries = f.attempts === 1 ? "1 attempt" : `${f.attempts} attempts`;
  if (f.transportError) {
    return new GraphRequestError({
      ...common,
      kind: "transport",
      graphMessage: `${capitalize(f.transportError)} (${tries})`,
      hint: /TLS certificate/.test(f.transportError)
        ? "Check entra-nudge:graphEndpoint (ENTRA_NUDGE_GRAPH_ENDPOINT) and any TLS-inspecting proxy on the way; for a private certificate authority (such as the emulator's) add its certificate with NODE_EXTRA_CA_CERTS. Nothing was sent to Graph."
        : "Check the network path to Microsoft Graph (proxy, firewall, DNS) and rerun; a rerun converges.",
    });
  }
  const base = { ...common, status: f.status, code: f.code, graphMessage: f.graphMessage };
  if (f.status === 401) {
    return new GraphRequestError({
      ...base,
      kind: "unauthorized",
      hint: "Graph rejected the access token: check that the app registration exists in this tenant and that the token was issued for this cloud's Graph (entra-nudge:cloud).",
    });
  }
  if (f.status === 403) {
    if (f.code === "Authentication_RequestFromNonPremiumTenantOrB2CTenant") {
      return new GraphRequestError({
        ...base,
        kind: "forbidden",
        hint: "The registration reports need a Microsoft Entra ID P1 or P2 licence in the tenant (Azure AD B2C tenants have none).",
      });
    }
    return new GraphRequestError({
      ...base,
      kind: "forbidden",
      hint: `The app needs the Microsoft Graph application permission ${describeNeededPermission(f.permission)}: add it under App registrations → API permissions → Microsoft Graph → Application permissions, then grant admin consent (docs/real-tenant.md, "Permissions", lists what each command needs).`,
    });
  }
  if (f.status === 404) {
    return new GraphRequestError({
      ...base,
      kind: "notFound",
      hint: `${capitalize(f.target ?? "the object")} does not exist: it was deleted, or it was created moments ago and has not replicated yet.`,
    });
  }
  if (f.status === 429) {
    return new GraphRequestError({
      ...base,
      kind: "throttled",
      hint: `Microsoft Graph kept throttling the requests${f.throttleScope ? ` (scope ${f.throttleScope})` : ""} after ${tries}: wait a few minutes and rerun; other apps in the tenant share some of these limits.`,
    });
  }
  if (f.status >= 500) {
    return new GraphRequestError({
      ...base,
      kind: "unavailable",
      hint: `Microsoft Graph failed after ${tries}; this is usually transient: rerun, and a rerun converges.`,
    });
  }
  return new GraphRequestError({
    ...base,
    kind: "badRequest",
    hint: "Graph refused the request as sent; if the message names a property, correct that value in the program.",
  });
}

/** A response Graph sent that this tool cannot read (not JSON, wrong shape). */
export function malformedResponse(
  operation: string,
  request: string,
  problem: string,
  requestId?: string,
): GraphRequestError {
  return new GraphRequestError({
    kind: "malformed",
    operation,
    request,
    requestId,
    graphMessage: `Microsoft Graph sent a response this tool cannot read: ${problem}`,
    // A read changes nothing; a write may have been carried out before its answer was cut off or
    // garbled, so only a read afterwards can tell (the resources do it themselves).
    hint: request.startsWith("GET ")
      ? "Nothing was changed because of it; rerun, and report it with the request-id if it persists."
      : "Graph may have carried out the request all the same: check what the tenant holds before repeating it, and report it with the request-id if it persists.",
  });
}

/** The same failure with another hint (what was found out after it, what to do now). */
export function withHint(err: GraphRequestError, hint: string): GraphRequestError {
  return new GraphRequestError({ ...err, kind: err.kind, operation: err.operation, hint });
}

/**
 * A failed write after which the tenant was read back and found as it was (`what`, e.g. "the
 * registration campaign holds the settings from before"): the error then says so, and nothing else.
 */
export function nothingChanged(err: unknown, what: string): Error {
  const finding = `Read back afterwards: ${what}; nothing was changed.`;
  if (err instanceof GraphRequestError) return withHint(err, `${err.hint} ${finding}`);
  return new Error(`${(err as Error).message} ${finding}`);
}

/**
 * Whether a write that failed with this error may have been carried out all the same: its answer
 * was lost (a timeout, a reset), cut off or unreadable, or Graph answered 5xx, which may come after
 * the work was done. A refusal (4xx, 429) or a failed sign-in means Graph did not carry it out.
 * Callers find out what the tenant holds before saying anything in the first case.
 */
export function writeMayHaveHappened(err: unknown): boolean {
  if (!(err instanceof GraphRequestError)) return true;
  return err.kind === "transport" || err.kind === "unavailable" || err.kind === "malformed";
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
