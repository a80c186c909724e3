// The emulator's Graph front door: authentication (Graph's 401s), request building, response
// headers, error envelopes, the request log and the control endpoints, against fake handlers.
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js";
import { ClientSecretCredential } from "@azure/identity";
import { Client, GraphError } from "@microsoft/microsoft-graph-client";
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { Agent } from "node:https";
import type { Socket } from "node:net";
import {
  createFakeGraphApi,
  getToken,
  rawRequest,
  useEmulator,
  type RawResponse,
} from "../support/emulator.js";

const GRAPH_JSON =
  "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

interface Envelope {
  error: { code: string; message: string; innerError: Record<string, string> };
}

function expectGraphError(
  res: RawResponse,
  status: number,
  code: string,
  message?: string,
): Envelope["error"] {
  expect(res.status, res.text).to.equal(status);
  const { error } = res.json as Envelope;
  expect(error.code).to.equal(code);
  if (message !== undefined) expect(error.message).to.equal(message);
  expect(error.innerError["request-id"]).to.equal(res.headers["request-id"]);
  expect(error.innerError["client-request-id"]).to.equal(res.headers["client-request-id"]);
  expect(error.innerError.date).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  return error;
}

describe("emulator server: authentication on Graph", () => {
  const emulator = useEmulator({ graphApi: createFakeGraphApi() });
  const path = "/v1.0/policies/authenticationMethodsPolicy";

  it("answers a request without a token with 401 'Access token is empty.' and a WWW-Authenticate", async () => {
    const res = await rawRequest(emulator, { path });
    expectGraphError(res, 401, "InvalidAuthenticationToken", "Access token is empty.");
    expect(res.headers["www-authenticate"]).to.match(
      /^Bearer realm="", authorization_uri=".*", client_id="00000003-0000-0000-c000-000000000000"$/,
    );
  });

  it("answers a malformed token with Graph's CompactToken parsing message", async () => {
    const res = await rawRequest(emulator, { path, token: "not-a-jwt" });
    expectGraphError(
      res,
      401,
      "InvalidAuthenticationToken",
      "CompactToken parsing failed with error code: 80049217",
    );
  });

  it("answers an expired token with 'Lifetime validation failed, the token is expired.'", async () => {
    const token = await emulator.issueAccessToken("writer", {
      issuedAt: Math.floor(Date.now() / 1000) - 3 * 3600,
    });
    const res = await rawRequest(emulator, { path, token });
    expectGraphError(
      res,
      401,
      "InvalidAuthenticationToken",
      "Lifetime validation failed, the token is expired.",
    );
  });

  it("answers a token for another resource with 'Invalid audience.'", async () => {
    // A real Entra token for Azure Resource Manager, as a client with the wrong scope gets one.
    const token = await getToken(emulator, "writer", "https://management.azure.com/.default");
    const res = await rawRequest(emulator, { path, token });
    expectGraphError(
      res,
      401,
      "InvalidAuthenticationToken",
      "Access token validation failure. Invalid audience.",
    );
  });

  it("answers a token whose signature does not verify with 401", async () => {
    const [h, p] = (await getToken(emulator)).split(".");
    const claims = JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>;
    const forged = Buffer.from(
      JSON.stringify({ ...claims, roles: ["Directory.ReadWrite.All"] }),
    ).toString("base64url");
    const [, , signature] = (await getToken(emulator)).split(".");
    const res = await rawRequest(emulator, { path, token: `${h}.${forged}.${signature}` });
    expectGraphError(res, 401, "InvalidAuthenticationToken", "Access token validation failure.");
  });

  it("accepts a national-cloud Graph audience", async () => {
    const token = await getToken(emulator, "writer", "https://graph.microsoft.us/.default");
    expect((await rawRequest(emulator, { path, token })).status).to.equal(200);
  });
});

describe("emulator server: Graph requests and responses", () => {
  const graphApi = createFakeGraphApi();
  const emulator = useEmulator({ graphApi });
  let writer: string;
  let reader: string;
  before(async () => {
    writer = await getToken(emulator, "writer");
    reader = await getToken(emulator, "reader");
  });

  it("sends Graph's headers and echoes client-request-id", async () => {
    const clientRequestId = randomUUID();
    const res = await rawRequest(emulator, {
      path: "/v1.0/policies/authenticationMethodsPolicy",
      token: writer,
      headers: { "client-request-id": clientRequestId },
    });
    expect(res.status).to.equal(200);
    expect(res.headers["content-type"]).to.equal(GRAPH_JSON);
    expect(res.headers["cache-control"]).to.equal("no-cache");
    expect(res.headers["odata-version"]).to.equal("4.0");
    expect(res.headers["request-id"]).to.match(/^[0-9a-f-]{36}$/);
    expect(res.headers["client-request-id"]).to.equal(clientRequestId);
    expect(JSON.parse(String(res.headers["x-ms-ags-diagnostic"]))).to.have.property("ServerInfo");
    expect(new Date(String(res.headers.date)).getTime()).to.be.closeTo(Date.now(), 60_000);
    expect(res.headers["x-ms-resource-unit"]).to.equal("1");
  });

  it("generates a client-request-id equal to request-id when the client sends none", async () => {
    const res = await rawRequest(emulator, {
      path: "/v1.0/policies/authenticationMethodsPolicy",
      token: writer,
    });
    expect(res.headers["client-request-id"]).to.equal(res.headers["request-id"]);
  });

  it("builds the GraphRequest: decoded segments, query, lower-case headers, body, caller, base URL", async () => {
    const res = await rawRequest(emulator, {
      method: "POST",
      path: "/beta/echo?$filter=displayName%20eq%20'a%20b'&$top=5",
      token: writer,
      headers: { "X-Custom-Header": "Value", ConsistencyLevel: "eventual" },
      body: { displayName: "Pilot" },
    });
    expect(res.status).to.equal(200);
    const seen = res.json as Record<string, unknown>;
    expect(seen).to.deep.include({
      method: "POST",
      version: "beta",
      path: "/echo",
      segments: ["echo"],
      query: { $filter: "displayName eq 'a b'", $top: "5" },
      body: { displayName: "Pilot" },
      baseUrl: emulator.info.graphEndpoint,
    });
    expect(seen.headers).to.include({ "x-custom-header": "Value", consistencylevel: "eventual" });
    expect(seen.caller).to.deep.equal({
      clientId: emulator.info.apps.writer.clientId,
      appName: "writer",
      tenantId: emulator.info.tenantId,
      roles: graphApi.apps[0].roles,
    });
    const segments = await rawRequest(emulator, { path: "/v1.0/echo/a%2Fb/%24ref", token: writer });
    expect(segments.json).to.deep.equal({
      path: "/echo/a/b/$ref",
      segments: ["echo", "a/b", "$ref"],
    });
  });

  it("answers malformed JSON with 400 BadRequest", async () => {
    const res = await rawRequest(emulator, {
      method: "PATCH",
      path: "/v1.0/policies/authenticationMethodsPolicy",
      token: writer,
      body: "{not json",
    });
    expectGraphError(
      res,
      400,
      "BadRequest",
      "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
    );
  });

  it("renders a handler's GraphHttpError with its status, code and inner message", async () => {
    const res = await rawRequest(emulator, {
      method: "PATCH",
      path: "/v1.0/policies/authenticationMethodsPolicy",
      token: reader,
      body: { registrationEnforcement: {} },
    });
    const error = expectGraphError(res, 403, "accessDenied", "Request Authorization failed");
    expect(error.innerError.message).to.equal("Request Authorization failed");
  });

  it("turns a handler crash into a 500 envelope and keeps serving", async () => {
    const res = await rawRequest(emulator, { path: "/v1.0/boom", token: writer });
    expectGraphError(res, 500, "generalException");
    expect(
      (
        await rawRequest(emulator, {
          path: "/v1.0/policies/authenticationMethodsPolicy",
          token: writer,
        })
      ).status,
    ).to.equal(200);
  });

  it("passes handler headers through and sends no body or content type with 204", async () => {
    const created = await rawRequest(emulator, {
      method: "POST",
      path: "/v1.0/groups",
      token: writer,
      body: { displayName: "g" },
    });
    expect(created.status).to.equal(201);
    expect(created.headers.location).to.match(/\/v1\.0\/directoryObjects\//);
    const id = (created.json as { id: string }).id;
    const deleted = await rawRequest(emulator, {
      method: "DELETE",
      path: `/v1.0/groups/${id}`,
      token: writer,
    });
    expect(deleted.status).to.equal(204);
    expect(deleted.text).to.equal("");
    expect(deleted.headers["content-type"]).to.equal(undefined);
    expect(deleted.headers["request-id"]).to.be.a("string");
  });

  it("answers an unknown version segment like Graph does", async () => {
    const res = await rawRequest(emulator, { path: "/v2.0/users", token: writer });
    expectGraphError(res, 400, "BadRequest", "Invalid version: v2.0");
  });

  it("keeps connections alive across requests", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<Socket>();
    agent.on("free", (socket: Socket) => sockets.add(socket));
    for (let i = 0; i < 3; i++) {
      const res = await rawRequest(emulator, {
        path: "/v1.0/policies/authenticationMethodsPolicy",
        token: writer,
        agent,
      });
      expect(res.headers.connection).to.equal("keep-alive");
    }
    expect(sockets.size).to.equal(1);
    agent.destroy();
  });

  it("works with the real Graph SDK client and TokenCredentialAuthenticationProvider", async () => {
    const { tenantId, apps, authorityHost, graphEndpoint } = emulator.info;
    const credential = new ClientSecretCredential(
      tenantId,
      apps.reader.clientId,
      apps.reader.clientSecret,
      {
        authorityHost,
        disableInstanceDiscovery: true,
      },
    );
    const client = Client.initWithMiddleware({
      authProvider: new TokenCredentialAuthenticationProvider(credential, {
        scopes: ["https://graph.microsoft.com/.default"],
      }),
      baseUrl: graphEndpoint,
      customHosts: new Set([new URL(graphEndpoint).hostname]),
    });
    const policy = (await client.api("/policies/authenticationMethodsPolicy").get()) as {
      id: string;
    };
    expect(policy.id).to.equal("authenticationMethodsPolicy");
    try {
      await client
        .api("/policies/authenticationMethodsPolicy")
        .patch({ registrationEnforcement: {} });
      expect.fail("the reader must not be allowed to PATCH");
    } catch (err) {
      expect(err).to.be.instanceOf(GraphError);
      expect((err as GraphError).statusCode).to.equal(403);
      expect((err as GraphError).code).to.equal("accessDenied");
      expect((err as GraphError).requestId).to.match(/^[0-9a-f-]{36}$/);
    }
  });
});

describe("emulator server: request log and control endpoints", () => {
  const graphApi = createFakeGraphApi();
  const emulator = useEmulator({ graphApi });
  let writer: string;
  before(async () => {
    writer = await getToken(emulator, "writer");
  });

  it("logs Graph calls with method, decoded path, status, client id, time and query", async () => {
    emulator.clearRequests();
    const before = Date.now();
    await rawRequest(emulator, {
      path: "/v1.0/policies/authenticationMethodsPolicy?$select=id",
      token: writer,
    });
    await rawRequest(emulator, { path: "/beta/users" });
    const log = (await rawRequest(emulator, { path: "/_emulator/requests" })).json as Record<
      string,
      unknown
    >[];
    expect(log).to.have.length(2);
    expect(log[0]).to.include({
      method: "GET",
      path: "/v1.0/policies/authenticationMethodsPolicy",
      status: 200,
      clientId: emulator.info.apps.writer.clientId,
      query: "$select=id",
    });
    expect(Date.parse(String(log[0].time))).to.be.within(before - 1000, Date.now() + 1000);
    expect(log[1]).to.include({ method: "GET", path: "/beta/users", status: 401, clientId: null });
    expect(log[1]).to.not.have.property("query");
  });

  it("clears the log with DELETE /_emulator/requests", async () => {
    await rawRequest(emulator, { path: "/v1.0/users", token: writer });
    expect(
      (await rawRequest(emulator, { method: "DELETE", path: "/_emulator/requests" })).status,
    ).to.equal(204);
    expect(emulator.requests()).to.deep.equal([]);
  });

  it("resets tenant, log and faults with POST /_emulator/reset", async () => {
    const resets = graphApi.resets;
    emulator.injectFault({ status: 503 });
    await rawRequest(emulator, { path: "/v1.0/users", token: writer });
    expect(
      (await rawRequest(emulator, { method: "POST", path: "/_emulator/reset" })).status,
    ).to.equal(204);
    expect(graphApi.resets).to.equal(resets + 1);
    expect(emulator.requests()).to.deep.equal([]);
    expect((await rawRequest(emulator, { path: "/v1.0/users", token: writer })).status).to.equal(
      200,
    );
  });

  it("passes realism switches to the handlers and reports the throttling in force", async () => {
    const res = await rawRequest(emulator, {
      method: "POST",
      path: "/_emulator/config",
      body: { replicationDelayMs: 1500, throttling: false },
    });
    expect(res.status).to.equal(200);
    expect(graphApi.configured.at(-1)).to.deep.equal({ replicationDelayMs: 1500 });
    expect((res.json as { throttling: { enabled: boolean } }).throttling.enabled).to.equal(false);
  });

  it("registers an app certificate on request and returns the key it made", async () => {
    const res = await rawRequest(emulator, {
      method: "POST",
      path: "/_emulator/apps/reader/certificates",
      body: {},
    });
    expect(res.status).to.equal(201);
    const made = res.json as Record<string, string>;
    expect(made.thumbprint).to.match(/^[0-9A-F]{40}$/);
    expect(made.pem).to.include("BEGIN CERTIFICATE").and.include("BEGIN PRIVATE KEY");
    const unknown = await rawRequest(emulator, {
      method: "POST",
      path: "/_emulator/apps/nobody/certificates",
      body: {},
    });
    expect(unknown.status).to.equal(400);
    expect((unknown.json as Envelope).error.message).to.include("writer, reader");
  });

  it("answers unknown control routes with 404", async () => {
    expect((await rawRequest(emulator, { path: "/_emulator/nothing" })).status).to.equal(404);
  });
});
