// The contract between the emulator's HTTP/identity layer (server.ts, identity.ts, faults.ts,
// batch.ts) and its Graph resource handlers (graph/). The HTTP layer authenticates the caller,
// applies faults and throttling, parses the request and renders the response and error envelope;
// the handlers own the tenant's data and the per-call permission checks.

export type GraphVersion = "v1.0" | "beta";

/** The application that called, as proven by its access token. */
export interface CallerIdentity {
  clientId: string;
  /** The app's name in the tenant file ("writer", "reader", ...). */
  appName: string;
  tenantId: string;
  /** Application permissions (the token's `roles` claim). */
  roles: string[];
  /**
   * Delegated permissions (the token's `scp` claim), present only on a token that signs in a user:
   * the permission table then reads its Delegated row. The emulator issues them to a tenant
   * user's sign-in with the password grant (identity.ts).
   */
  scopes?: string[];
  /** The signed-in user's object id (the token's `oid`), on a delegated token only. */
  userId?: string;
}

export interface GraphRequest {
  /** Upper-case HTTP method. */
  method: string;
  version: GraphVersion;
  /** The path after the version segment, percent-decoded per segment, e.g. "/groups/{id}/members/$ref". */
  path: string;
  /** The same path split into decoded segments (no empty segments). */
  segments: string[];
  /** The raw query string parameters ($filter, $select, $top, $skiptoken, ...). */
  query: URLSearchParams;
  /** Request headers with lower-case names. */
  headers: Record<string, string>;
  /** The parsed JSON body, or undefined when there was none. */
  body: unknown;
  caller: CallerIdentity;
  /** Origin the client used, e.g. "https://127.0.0.1:8443"; used for @odata.context and nextLink. */
  baseUrl: string;
}

export interface GraphResponse {
  status: number;
  /** Serialized as JSON when present; omitted for 204. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** A tenant's application registration, as loaded from the tenant file. */
export interface AppRegistration {
  name: string;
  clientId: string;
  /** Generated at start when the tenant file has none. */
  clientSecret?: string;
  /** Application permissions granted (and consented) to the app. */
  roles: string[];
  /**
   * Delegated permissions consented for the app ("admin consent" for the tenant): the `scp` of a
   * token it gets for a signed-in user. Absent: the app has none.
   */
  scopes?: string[];
  /** "Allow public client flows": a user may sign in through it without the app's secret. */
  publicClient?: boolean;
  /** The app's service principal in the tenant (the object id of its app-only tokens). */
  servicePrincipalId?: string;
}

/** A tenant user as the token endpoint sees it when the user signs in. */
export interface SignInUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  accountEnabled: boolean;
  /** The user's password in the tenant file; a user without one cannot sign in with a password. */
  password?: string;
}

/** What the HTTP layer needs from the Graph resource handlers. */
export interface GraphApi {
  readonly tenantId: string;
  /** The tenant's verified domain names ("contoso.onmicrosoft.com"): a sign-in may name the tenant by them. */
  readonly verifiedDomains?: readonly string[];
  readonly apps: AppRegistration[];
  /** The tenant user with this user principal name (case-insensitive), for a user's sign-in. */
  signInUser?(userPrincipalName: string): SignInUser | undefined;
  /**
   * The name of the permission-table row that decides a call (emulator/graph/permissionTable.ts),
   * or null when the table does not list it. Logged with each call.
   */
  permissionRowOf?(req: GraphRequest): string | null;
  /** Answers one Graph call (also each sub-request of a $batch). Throws GraphHttpError for errors. */
  handle(req: GraphRequest): Promise<GraphResponse>;
  /** Puts the tenant back to the state it was loaded in. */
  reset(): void;
}
