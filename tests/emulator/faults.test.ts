// Fault injection: each kind (status, count, method/path filters, seeded rate, Retry-After,
// connection reset, stall) as a client sees it.
import { ClientSecretCredential } from "@azure/identity";
import { Client, GraphError } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js";
import { expect } from "chai";
import { Agent } from "node:https";
import { createFakeGraphApi, getToken, rawRequest, useEmulator } from "../support/emulator.js";

const POLICY = "/v1.0/policies/authenticationMethodsPolicy";

describe("emulator faults", () => {
  const emulator = useEmulator({ graphApi: createFakeGraphApi(), resetEachTest: true });
  let token: string;
  before(async () => {
    token = await getToken(emulator, "writer");
  });
  const get = (path = POLICY) => rawRequest(emulator, { path, token });
  const patch = (path = POLICY) => rawRequest(emulator, { method: "PATCH", path, token, body: {} });

  it("fails the next N matching requests (method and path prefix) with 503 serviceNotAvailable", async () => {
    const res = await rawRequest(emulator, {
      method: "POST",
      path: "/_emulator/faults",
      body: { status: 503, count: 3, method: "PATCH", pathPrefix: "/v1.0/policies" },
    });
    expect(res.status).to.equal(200);
    expect((await get()).status, "GET is not matched").to.equal(200);
    expect((await patch("/v1.0/groups")).status, "another path is not matched").to.equal(404);
    const failed = [await patch(), await patch(), await patch()];
    for (const f of failed) {
      expect(f.status).to.equal(503);
      expect((f.json as { error: { code: string } }).error.code).to.equal("serviceNotAvailable");
      expect(f.headers["retry-after"]).to.equal(undefined);
    }
    expect((await patch()).status, "the fourth passes").to.equal(200);
    expect(emulator.requests().map((e) => e.status)).to.deep.equal([200, 404, 503, 503, 503, 200]);
  });

  it("adds Retry-After and the throttling body to an injected 429", async () => {
    emulator.injectFault({ status: 429, count: 1, retryAfter: 7 });
    const res = await get();
    expect(res.status).to.equal(429);
    expect(res.headers["retry-after"]).to.equal("7");
    expect((res.json as { error: { code: string; message: string } }).error).to.deep.include({
      code: "Request_ThrottledTemporarily",
      message: "Your request is throttled temporarily. Please try after 7 seconds.",
    });
  });

  it("lets a fault override the error code and message", async () => {
    emulator.injectFault({
      status: 409,
      count: 1,
      code: "Request_BadRequest",
      message: "Conflict on purpose.",
    });
    expect((await get()).json).to.have.nested.property("error.message", "Conflict on purpose.");
  });

  it("fails a seeded random share, the same requests for the same seed", async () => {
    const run = async () => {
      emulator.reset();
      emulator.injectFault({ rate: 0.3, seed: 7, statuses: [429, 503] });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await get()).status);
      return statuses;
    };
    const first = await run();
    expect(await run()).to.deep.equal(first);
    const failures = first.filter((s) => s !== 200);
    expect(failures.length).to.be.within(4, 22);
    expect(new Set(failures)).to.deep.equal(new Set([429, 503]));
  });

  it("stops failing after {clear: true}", async () => {
    emulator.injectFault({ status: 500 });
    expect((await get()).status).to.equal(500);
    await rawRequest(emulator, {
      method: "POST",
      path: "/_emulator/faults",
      body: { clear: true },
    });
    expect((await get()).status).to.equal(200);
  });

  it("drops the connection without an answer for a reset fault", async () => {
    emulator.injectFault({ reset: true, count: 1 });
    const agent = new Agent({ keepAlive: false });
    let error: NodeJS.ErrnoException | undefined;
    try {
      await rawRequest(emulator, { path: POLICY, token, agent });
    } catch (err) {
      error = err as NodeJS.ErrnoException;
    }
    expect(error?.code).to.be.oneOf(["ECONNRESET", "EPIPE"]);
    expect((await get()).status).to.equal(200);
  });

  it("stalls past a client's timeout with delayMs, then serves normally", async () => {
    emulator.injectFault({ delayMs: 1500, count: 1 });
    const started = Date.now();
    let error: Error | undefined;
    try {
      await rawRequest(emulator, {
        path: POLICY,
        token,
        timeoutMs: 200,
        agent: new Agent({ keepAlive: false }),
      });
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).to.equal("client timeout");
    expect(Date.now() - started).to.be.below(1000);
    const delayed = Date.now();
    emulator.injectFault({ delayMs: 150, status: 504, count: 1 });
    const res = await get();
    expect(res.status).to.equal(504);
    expect(Date.now() - delayed).to.be.at.least(140);
  });

  it("fails token requests only when a path prefix names the token endpoint, with an ESTS body", async () => {
    emulator.injectFault({ status: 503, count: 1 });
    expect((await getToken(emulator, "reader")).split(".")).to.have.length(3);
    emulator.clearFaults();
    emulator.injectFault({
      status: 400,
      count: 1,
      pathPrefix: `/${emulator.info.tenantId}/oauth2`,
    });
    const res = await rawRequest(emulator, {
      method: "POST",
      path: `/${emulator.info.tenantId}/oauth2/v2.0/token`,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    expect(res.status).to.equal(400);
    expect(String((res.json as { error_description: string }).error_description)).to.match(
      /^AADSTS\d+: /,
    );
  });

  it("refuses an invalid fault with a 400 that says what is wrong", async () => {
    const res = await rawRequest(emulator, {
      method: "POST",
      path: "/_emulator/faults",
      body: { status: 200 },
    });
    expect(res.status).to.equal(400);
    expect((res.json as { error: { message: string } }).error.message).to.include("400-599");
    const nothing = await rawRequest(emulator, {
      method: "POST",
      path: "/_emulator/faults",
      body: { count: 2 },
    });
    expect((nothing.json as { error: { message: string } }).error.message).to.include('"status"');
  });

  it("is retried by the Graph SDK's RetryHandler when Retry-After allows", async () => {
    emulator.injectFault({ status: 503, count: 2, retryAfter: 0 });
    const { tenantId, apps, authorityHost, graphEndpoint } = emulator.info;
    const credential = new ClientSecretCredential(
      tenantId,
      apps.writer.clientId,
      apps.writer.clientSecret,
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
    expect(
      ((await client.api("/policies/authenticationMethodsPolicy").get()) as { id: string }).id,
    ).to.equal("authenticationMethodsPolicy");
    const graphCalls = emulator.requests().filter((e) => e.path === POLICY);
    expect(graphCalls.map((e) => e.status)).to.deep.equal([503, 503, 200]);
    emulator.injectFault({ status: 404, count: 1 });
    const err = await client
      .api("/policies/authenticationMethodsPolicy")
      .get()
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(GraphError);
    expect((err as GraphError).code).to.equal("Request_ResourceNotFound");
  });
});
