// Test support for suites that run against the Graph emulator: one emulator per describe() block
// (started in before(), closed in after()), a raw HTTPS helper for protocol-level assertions, a
// token helper that goes through the real @azure/identity credential, and a small fake set of
// Graph handlers for tests of the emulator's HTTP layer.
import { ClientSecretCredential } from "@azure/identity";
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { Agent, request } from "node:https";
import { GraphHttpError } from "../../emulator/errors.js";
import {
  startEmulator,
  type ConfigurableGraphApi,
  type RunningEmulator,
  type StartEmulatorOptions,
} from "../../emulator/index.js";
import type { AppRegistration, GraphRequest, GraphResponse } from "../../emulator/types.js";

export interface UseEmulatorOptions extends StartEmulatorOptions {
  /** Reset the emulator (tenant, log, faults) before each test of the block. */
  resetEachTest?: boolean;
}

/**
 * A Microsoft-managed campaign as Graph treats it (docs/emulator.md): its snooze days and method
 * are refused in a PATCH and read back as Microsoft sets them. A destroy that restores a
 * Microsoft-managed original writes its state and targets only, so a test that compares the
 * tenant after destroy with the campaign found configures the emulator with this.
 */
export const MICROSOFT_MANAGED_AS_GRAPH = {
  managedCampaignReadback: "microsoftDecides",
  managedCampaignEdits: "rejectSent",
} as const;

/**
 * Starts an emulator for the enclosing describe() and returns it; the object is usable inside
 * hooks and tests (it forwards to the emulator started in before()).
 */
export function useEmulator(options: UseEmulatorOptions = {}): RunningEmulator {
  let current: RunningEmulator | undefined;
  const { resetEachTest, ...startOptions } = options;
  before(async function () {
    this.timeout(30_000);
    current = await startEmulator(startOptions);
  });
  if (resetEachTest) beforeEach(() => current?.reset());
  after(async () => {
    await current?.close();
    current = undefined;
  });
  return new Proxy({} as RunningEmulator, {
    get(_target, property) {
      if (!current)
        throw new Error("The emulator is used outside of its describe() block's tests.");
      return Reflect.get(current, property) as unknown;
    },
  });
}

/** A token for the app through the real ClientSecretCredential (as the provider gets one). */
export async function getToken(
  emulator: RunningEmulator,
  appName = "writer",
  scope = "https://graph.microsoft.com/.default",
): Promise<string> {
  const app = emulator.info.apps[appName];
  const credential = new ClientSecretCredential(
    emulator.info.tenantId,
    app.clientId,
    app.clientSecret,
    {
      authorityHost: emulator.info.authorityHost,
      disableInstanceDiscovery: true,
    },
  );
  const token = await credential.getToken(scope);
  return token.token;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The parsed JSON body, when there is one. */
  json: unknown;
}

export interface RawRequest {
  method?: string;
  /** Path and query, e.g. "/v1.0/groups?$top=5". */
  path: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as they are. */
  body?: unknown;
  timeoutMs?: number;
  agent?: Agent;
}

/** One keep-alive agent for the tests, like a real client's connection pool. */
export const keepAliveAgent = new Agent({ keepAlive: true, maxSockets: 8 });

/** A plain HTTPS request to the emulator (trusting its CA through NODE_EXTRA_CA_CERTS). */
export function rawRequest(emulator: RunningEmulator, req: RawRequest): Promise<RawResponse> {
  const url = new URL(req.path, emulator.info.graphEndpoint);
  const body =
    req.body === undefined
      ? undefined
      : typeof req.body === "string"
        ? req.body
        : JSON.stringify(req.body);
  const headers: Record<string, string> = { ...(req.headers ?? {}) };
  if (req.token !== undefined) headers.Authorization = `Bearer ${req.token}`;
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
    headers["Content-Type"] = "application/json";
  }
  return new Promise((resolve, reject) => {
    const r = request(
      url,
      {
        method: req.method ?? "GET",
        headers,
        agent: req.agent ?? keepAliveAgent,
        timeout: req.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = text ? (JSON.parse(text) as unknown) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on("error", reject);
      },
    );
    r.on("timeout", () => r.destroy(new Error("client timeout")));
    r.on("error", reject);
    r.end(body);
  });
}

/** What the fake handlers saw, for assertions on how the HTTP layer built GraphRequests. */
export interface FakeGraphApi extends ConfigurableGraphApi {
  seen: GraphRequest[];
  resets: number;
  configured: Record<string, unknown>[];
}

/**
 * Minimal stand-in handlers: the authentication methods policy (GET for readers, PATCH needs
 * Policy.ReadWrite.AuthenticationMethod), /echo (returns what it received), /boom (throws),
 * POST /groups (201 + Location), DELETE /groups/{id} (204), /reports/... (200), and 404 otherwise.
 */
export function createFakeGraphApi(): FakeGraphApi {
  const tenantId = randomUUID();
  const apps: AppRegistration[] = [
    {
      name: "writer",
      clientId: randomUUID(),
      roles: ["Policy.ReadWrite.AuthenticationMethod", "Group.ReadWrite.All", "AuditLog.Read.All"],
    },
    { name: "reader", clientId: randomUUID(), roles: ["Policy.Read.All", "AuditLog.Read.All"] },
  ];
  let policy: Record<string, unknown> = {
    id: "authenticationMethodsPolicy",
    displayName: "Authentication Methods Policy",
  };
  const api: FakeGraphApi = {
    tenantId,
    apps,
    seen: [],
    resets: 0,
    configured: [],
    reset() {
      api.resets += 1;
      policy = { id: "authenticationMethodsPolicy", displayName: "Authentication Methods Policy" };
    },
    configure(options) {
      api.configured.push(options);
    },
    async handle(req: GraphRequest): Promise<GraphResponse> {
      api.seen.push(req);
      const path = req.path.toLowerCase();
      if (path === "/policies/authenticationmethodspolicy") {
        if (req.method === "GET") {
          return {
            status: 200,
            body: {
              "@odata.context": `${req.baseUrl}/${req.version}/$metadata#authenticationMethodsPolicy`,
              ...policy,
            },
          };
        }
        if (req.method === "PATCH") {
          if (!req.caller.roles.includes("Policy.ReadWrite.AuthenticationMethod")) {
            throw new GraphHttpError(403, "accessDenied", "Request Authorization failed", {
              innerMessage: "Request Authorization failed",
            });
          }
          policy = { ...policy, ...(req.body as Record<string, unknown>) };
          return { status: 200, body: policy };
        }
      }
      if (path === "/echo") {
        return {
          status: 200,
          body: {
            method: req.method,
            version: req.version,
            path: req.path,
            segments: req.segments,
            query: Object.fromEntries(req.query),
            headers: req.headers,
            body: req.body,
            caller: req.caller,
            baseUrl: req.baseUrl,
          },
        };
      }
      if (path.startsWith("/echo/"))
        return { status: 200, body: { path: req.path, segments: req.segments } };
      if (path === "/boom") throw new Error("handler bug");
      if (path === "/groups" && req.method === "POST") {
        const id = randomUUID();
        return {
          status: 201,
          headers: {
            Location: `${req.baseUrl}/v1.0/directoryObjects/${id}/Microsoft.DirectoryServices.Group`,
          },
          body: { id, ...(req.body as object) },
        };
      }
      if (/^\/groups\/[^/]+$/.test(path) && req.method === "DELETE") return { status: 204 };
      if (path.startsWith("/reports/") || path.startsWith("/auditlogs/"))
        return { status: 200, body: { value: [] } };
      if (/^\/users\/?$/.test(path)) return { status: 200, body: { value: [] } };
      throw new GraphHttpError(
        404,
        "Request_ResourceNotFound",
        `Resource '${req.path}' does not exist or one of its queried reference-property objects are not present.`,
      );
    },
  };
  return api;
}
