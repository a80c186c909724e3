// Calls the Graph handlers directly, with GraphRequests built the way the HTTP layer builds them
// (path split on "/", each segment percent-decoded; query kept raw), so handler tests need no
// server. Also: following @odata.nextLink, and asserting Graph errors.
import { expect } from "chai";
import { GraphHttpError } from "../../emulator/errors";
import { createGraphApi, DEFAULT_TENANT_FILE, type GraphApiOptions } from "../../emulator/graph";
import type {
  CallerIdentity,
  GraphRequest,
  GraphResponse,
  GraphVersion,
} from "../../emulator/types";

export const BASE_URL = "https://127.0.0.1:8443";

export type TestApi = ReturnType<typeof createGraphApi>;

export function testApi(
  options: GraphApiOptions = {},
  tenant: string | object = DEFAULT_TENANT_FILE,
): TestApi {
  return createGraphApi(tenant, options);
}

/** A signed-in user's token (delegated) carrying exactly these scopes. */
export interface DelegatedCaller {
  scopes: string[];
}

/** The named app of the tenant, an app holding exactly `roles`, or a user's delegated token. */
export function caller(
  api: TestApi,
  who: string | string[] | DelegatedCaller = "writer",
): CallerIdentity {
  if (!Array.isArray(who) && typeof who === "object")
    return {
      clientId: "11111111-2222-3333-4444-666666666666",
      appName: "a signed-in user",
      tenantId: api.tenantId,
      roles: [],
      scopes: who.scopes,
    };
  if (Array.isArray(who))
    return {
      clientId: "11111111-2222-3333-4444-555555555555",
      appName: "test",
      tenantId: api.tenantId,
      roles: who,
    };
  const app = api.apps.find((a) => a.name === who);
  if (!app) throw new Error(`no app ${who}`);
  return { clientId: app.clientId, appName: app.name, tenantId: api.tenantId, roles: app.roles };
}

export interface CallOptions {
  version?: GraphVersion;
  body?: unknown;
  headers?: Record<string, string>;
  as?: string | string[] | DelegatedCaller;
}

/** Builds the GraphRequest for `url`: a path after the version ("/groups?$top=5") or a nextLink. */
export function request(
  api: TestApi,
  method: string,
  url: string,
  options: CallOptions = {},
): GraphRequest {
  let version = options.version ?? "v1.0";
  let rest = url;
  if (url.startsWith("https://")) {
    const u = new URL(url);
    const [, v, ...pathParts] = u.pathname.split("/");
    version = v as GraphVersion;
    rest = `/${pathParts.join("/")}${u.search}`;
  }
  const q = rest.indexOf("?");
  const rawPath = q < 0 ? rest : rest.slice(0, q);
  const segments = rawPath.split("/").filter(Boolean).map(decodeURIComponent);
  return {
    method,
    version,
    path: `/${segments.join("/")}`,
    segments,
    query: new URLSearchParams(q < 0 ? "" : rest.slice(q + 1)),
    headers: Object.fromEntries(
      Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
    ),
    body: options.body,
    caller: caller(api, options.as ?? "writer"),
    baseUrl: BASE_URL,
  };
}

export function call(
  api: TestApi,
  method: string,
  url: string,
  options: CallOptions = {},
): Promise<GraphResponse> {
  return api.handle(request(api, method, url, options));
}

/** GET returning the body as a record (the common case in assertions). */
export async function get(
  api: TestApi,
  url: string,
  options: CallOptions = {},
): Promise<Record<string, unknown>> {
  const r = await call(api, "GET", url, options);
  expect(r.status, `GET ${url}`).to.equal(200);
  return r.body as Record<string, unknown>;
}

/** Follows @odata.nextLink to the end; returns every item and the number of pages. */
export async function getAll(
  api: TestApi,
  url: string,
  options: CallOptions = {},
): Promise<{ items: Record<string, unknown>[]; pages: number; bodies: Record<string, unknown>[] }> {
  const items: Record<string, unknown>[] = [];
  const bodies: Record<string, unknown>[] = [];
  let next: string | undefined = url;
  while (next) {
    const body = await get(api, next, options);
    bodies.push(body);
    items.push(...(body.value as Record<string, unknown>[]));
    next = body["@odata.nextLink"] as string | undefined;
  }
  return { items, pages: bodies.length, bodies };
}

/** Asserts the call fails with this Graph error; returns it for further checks. */
export async function expectGraphError(
  promise: Promise<unknown>,
  status: number,
  code: string,
  message?: string | RegExp,
): Promise<GraphHttpError> {
  let error: unknown;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  expect(error, "expected a GraphHttpError").to.be.instanceOf(GraphHttpError);
  const e = error as GraphHttpError;
  expect({ status: e.status, code: e.code }, e.message).to.deep.equal({ status, code });
  if (typeof message === "string") expect(e.message).to.equal(message);
  else if (message) expect(e.message).to.match(message);
  return e;
}

/** The seed tenant's objects by a readable name, looked up through Graph. */
export async function groupId(api: TestApi, mailNickname: string): Promise<string> {
  const body = await get(api, `/groups?$filter=mailNickname eq '${mailNickname}'&$select=id`);
  const value = body.value as { id: string }[];
  expect(value, mailNickname).to.have.length(1);
  return value[0].id;
}

export async function userId(api: TestApi, upn: string): Promise<string> {
  const body = await get(api, `/users/${encodeURIComponent(upn)}?$select=id`);
  return body.id as string;
}

export const PILOT_USER = "pilot.user@contoso.onmicrosoft.com";
export const GUEST_UPN = "alex_fabrikam.com#EXT#@contoso.onmicrosoft.com";
