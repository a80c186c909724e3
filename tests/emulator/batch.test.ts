// JSON batching (graph-contract.md §7.1) through the emulator: limits, ids, dependsOn and 424,
// per-step faults, throttling and authorization, and the Graph SDK's batch helpers.
import { BatchRequestContent, BatchResponseContent } from "@microsoft/microsoft-graph-client";
import { expect } from "chai";
import { Agent } from "node:https";
import {
  createFakeGraphApi,
  getToken,
  rawRequest,
  useEmulator,
  type RawResponse,
} from "../support/emulator.js";

interface StepResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: { error?: { code: string; message: string } } & Record<string, unknown>;
}

const POLICY = "/policies/authenticationMethodsPolicy";

function responses(res: RawResponse): Map<string, StepResponse> {
  expect(res.status, res.text).to.equal(200);
  return new Map((res.json as { responses: StepResponse[] }).responses.map((r) => [r.id, r]));
}

describe("emulator $batch", () => {
  const emulator = useEmulator({ graphApi: createFakeGraphApi(), resetEachTest: true });
  let writer: string;
  let reader: string;
  before(async () => {
    writer = await getToken(emulator, "writer");
    reader = await getToken(emulator, "reader");
  });
  const batch = (body: unknown, token = writer, version = "v1.0", agent?: Agent) =>
    rawRequest(emulator, { method: "POST", path: `/${version}/$batch`, token, body, agent });

  it("runs each step and answers {responses: [{id, status, headers, body}]}", async () => {
    const res = await batch({
      requests: [
        { id: "1", method: "GET", url: POLICY },
        { id: "2", method: "GET", url: "users?$select=id" },
        {
          id: "3",
          method: "POST",
          url: "/groups",
          headers: { "Content-Type": "application/json" },
          body: { displayName: "Pilot" },
        },
        { id: "4", method: "GET", url: "/nothing/here" },
      ],
    });
    expect(res.headers["content-type"]).to.match(/^application\/json;odata\.metadata=minimal/);
    const r = responses(res);
    expect([...r.keys()].sort()).to.deep.equal(["1", "2", "3", "4"]);
    expect(r.get("1")).to.deep.include({ status: 200 });
    expect(r.get("1")?.body).to.include({ id: "authenticationMethodsPolicy" });
    expect(r.get("1")?.headers).to.include({ "Cache-Control": "no-cache", "OData-Version": "4.0" });
    expect(r.get("2")?.headers["x-ms-resource-unit"]).to.equal("1");
    expect(r.get("3")?.status).to.equal(201);
    expect(r.get("3")?.body).to.include({ displayName: "Pilot" });
    expect(r.get("3")?.headers.Location).to.be.a("string");
    expect(r.get("4")?.status).to.equal(404);
    expect(r.get("4")?.body?.error?.code).to.equal("Request_ResourceNotFound");
  });

  it("logs the steps with the $batch request-id as batchId", async () => {
    const res = await batch({
      requests: [
        { id: "a", method: "GET", url: POLICY },
        { id: "b", method: "GET", url: "/users?$top=3" },
      ],
    });
    const log = emulator.requests();
    const outer = log.find((e) => e.path === "/v1.0/$batch");
    expect(outer).to.include({ method: "POST", status: 200, requestId: res.headers["request-id"] });
    const steps = log.filter((e) => e.batchId === res.headers["request-id"]);
    expect(steps.map((s) => s.path).sort()).to.deep.equal([
      "/v1.0/policies/authenticationMethodsPolicy",
      "/v1.0/users",
    ]);
    expect(steps.find((s) => s.path === "/v1.0/users")).to.include({
      query: "$top=3",
      clientId: emulator.info.apps.writer.clientId,
    });
  });

  it("refuses more than 20 requests with 400", async () => {
    const requests = Array.from({ length: 21 }, (_, i) => ({
      id: String(i + 1),
      method: "GET",
      url: POLICY,
    }));
    const res = await batch({ requests });
    expect(res.status).to.equal(400);
    expect(res.json).to.have.nested.property("error.code", "BadRequest");
    expect((await batch({ requests: requests.slice(0, 20) })).status).to.equal(200);
  });

  const malformed: [string, unknown][] = [
    [
      "duplicate ids (case-insensitive)",
      {
        requests: [
          { id: "A", method: "GET", url: POLICY },
          { id: "a", method: "GET", url: POLICY },
        ],
      },
    ],
    [
      "an absolute url",
      { requests: [{ id: "1", method: "GET", url: "https://graph.microsoft.com/v1.0/users" }] },
    ],
    [
      "a body without Content-Type",
      { requests: [{ id: "1", method: "POST", url: "/groups", body: {} }] },
    ],
    [
      "a dependsOn on a missing id",
      { requests: [{ id: "1", method: "GET", url: POLICY, dependsOn: ["9"] }] },
    ],
    [
      "a dependsOn cycle",
      {
        requests: [
          { id: "1", method: "GET", url: POLICY, dependsOn: ["2"] },
          { id: "2", method: "GET", url: POLICY, dependsOn: ["1"] },
        ],
      },
    ],
    ["no requests array", { value: [] }],
    ["a missing method", { requests: [{ id: "1", url: POLICY }] }],
  ];
  for (const [what, body] of malformed) {
    it(`refuses a batch with ${what} as a whole (400)`, async () => {
      const res = await batch(body);
      expect(res.status).to.equal(400);
      expect(res.json).to.have.nested.property("error.code", "BadRequest");
      expect(
        emulator.requests().filter((e) => e.batchId),
        "no step ran",
      ).to.deep.equal([]);
    });
  }

  it("runs dependsOn in order and answers 424 for dependants of a failed step", async () => {
    const res = await batch({
      requests: [
        { id: "1", method: "GET", url: POLICY },
        { id: "2", method: "GET", url: "/missing", dependsOn: ["1"] },
        { id: "3", method: "GET", url: POLICY, dependsOn: ["2"] },
        { id: "4", method: "GET", url: POLICY, dependsOn: ["3"] },
      ],
    });
    const r = responses(res);
    expect([1, 2, 3, 4].map((i) => r.get(String(i))?.status)).to.deep.equal([200, 404, 424, 424]);
    expect(r.get("3")?.body?.error?.code).to.equal("FailedDependency");
    const ran = emulator.requests().filter((e) => e.batchId);
    expect(
      ran.map((e) => e.path),
      "dependants of the failure never ran",
    ).to.deep.equal(["/v1.0/policies/authenticationMethodsPolicy", "/v1.0/missing"]);
  });

  it("authorizes each step with the outer token", async () => {
    const r = responses(
      await batch(
        {
          requests: [
            { id: "read", method: "GET", url: POLICY },
            {
              id: "write",
              method: "PATCH",
              url: POLICY,
              headers: { "Content-Type": "application/json" },
              body: {},
            },
          ],
        },
        reader,
      ),
    );
    expect(r.get("read")?.status).to.equal(200);
    expect(r.get("write")?.status).to.equal(403);
  });

  it("requires a token for the $batch request itself", async () => {
    const res = await rawRequest(emulator, {
      method: "POST",
      path: "/v1.0/$batch",
      body: { requests: [{ id: "1", method: "GET", url: POLICY }] },
    });
    expect(res.status).to.equal(401);
  });

  it("passes steps through fault injection: only the matching step fails, with its Retry-After", async () => {
    emulator.injectFault({ status: 429, method: "PATCH", count: 1, retryAfter: 3 });
    const r = responses(
      await batch({
        requests: [
          { id: "1", method: "GET", url: POLICY },
          {
            id: "2",
            method: "PATCH",
            url: POLICY,
            headers: { "Content-Type": "application/json" },
            body: {},
          },
        ],
      }),
    );
    expect(r.get("1")?.status).to.equal(200);
    expect(r.get("2")?.status).to.equal(429);
    expect(r.get("2")?.headers["Retry-After"]).to.equal("3");
  });

  it("fails the $batch POST itself only when a fault names $batch", async () => {
    emulator.injectFault({ status: 503, count: 1, pathPrefix: "/v1.0/$batch" });
    const res = await batch({ requests: [{ id: "1", method: "GET", url: POLICY }] });
    expect(res.status).to.equal(503);
    expect(
      responses(await batch({ requests: [{ id: "1", method: "GET", url: POLICY }] })).get("1")
        ?.status,
    ).to.equal(200);
  });

  it("drops the connection when a step meets a reset fault", async () => {
    emulator.injectFault({ reset: true, count: 1, method: "PATCH" });
    const err = await batch(
      {
        requests: [
          {
            id: "1",
            method: "PATCH",
            url: POLICY,
            headers: { "Content-Type": "application/json" },
            body: {},
          },
        ],
      },
      writer,
      "v1.0",
      new Agent({ keepAlive: false }),
    ).catch((e: unknown) => e as NodeJS.ErrnoException);
    expect((err as NodeJS.ErrnoException).code).to.be.oneOf(["ECONNRESET", "EPIPE"]);
  });

  it("throttles steps individually", async () => {
    emulator.configure({ throttling: { reports: { requests: 2, windowSeconds: 10 } } });
    try {
      const requests = ["1", "2", "3"].map((id, i) => ({
        id,
        method: "GET",
        url: "/reports/authenticationMethods/userRegistrationDetails",
        ...(i > 0 ? { dependsOn: [String(i)] } : {}),
      }));
      const r = responses(await batch({ requests }));
      expect(["1", "2", "3"].map((id) => r.get(id)?.status)).to.deep.equal([200, 200, 429]);
      expect(Number(r.get("3")?.headers["Retry-After"])).to.be.within(9, 10);
    } finally {
      emulator.configure({ throttling: false });
    }
  });

  it("answers a GET on $batch with 405", async () => {
    expect((await rawRequest(emulator, { path: "/beta/$batch", token: writer })).status).to.equal(
      405,
    );
  });

  it("round-trips with the Graph SDK's BatchRequestContent and BatchResponseContent (beta)", async () => {
    const base = emulator.info.graphEndpoint;
    const content = new BatchRequestContent([
      { id: "1", request: new Request(`${base}${POLICY}`, { method: "GET" }) },
      {
        id: "2",
        request: new Request(`${base}/groups`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ displayName: "From SDK" }),
        }),
        dependsOn: ["1"],
      },
    ]);
    const res = await batch(await content.getContent(), writer, "beta");
    const parsed = new BatchResponseContent(res.json as { responses: [] });
    expect(parsed.getResponseById("1").status).to.equal(200);
    const created = parsed.getResponseById("2");
    expect(created.status).to.equal(201);
    expect(((await created.json()) as { displayName: string }).displayName).to.equal("From SDK");
  });
});
