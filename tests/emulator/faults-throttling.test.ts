// Throttling (graph-contract.md §7.3): off by default; when on, the reports limit of 5 requests
// per 10 s per app, the identity resource-unit bucket, and a configurable generic limit, each
// answering 429 with a Retry-After after which the call succeeds.
import { expect } from "chai";
import { Throttler, resourceUnitCost } from "../../emulator/throttle.js";
import { createFakeGraphApi, getToken, rawRequest, useEmulator } from "../support/emulator.js";

describe("emulator throttling", () => {
  const emulator = useEmulator({ graphApi: createFakeGraphApi(), resetEachTest: true });
  let writer: string;
  let reader: string;
  before(async () => {
    writer = await getToken(emulator, "writer");
    reader = await getToken(emulator, "reader");
  });
  afterEach(() => emulator.configure({ throttling: false }));
  const report = (token: string) =>
    rawRequest(emulator, {
      path: "/v1.0/reports/authenticationMethods/userRegistrationDetails",
      token,
    });

  it("is off by default", async () => {
    for (let i = 0; i < 12; i++) expect((await report(writer)).status).to.equal(200);
  });

  it("allows 5 report requests per 10 s per app, then answers 429 with Retry-After", async () => {
    emulator.configure({ throttling: true });
    for (let i = 0; i < 5; i++) expect((await report(writer)).status).to.equal(200);
    const throttled = await report(writer);
    expect(throttled.status).to.equal(429);
    const retryAfter = Number(throttled.headers["retry-after"]);
    expect(retryAfter).to.be.within(9, 10);
    expect(throttled.json).to.have.nested.property("error.code", "TooManyRequests");
    expect((await report(reader)).status, "another app has its own budget").to.equal(200);
    expect(
      (
        await rawRequest(emulator, {
          path: "/v1.0/policies/authenticationMethodsPolicy",
          token: writer,
        })
      ).status,
      "other workloads are not limited by it",
    ).to.equal(200);
  });

  it("frees the budget after Retry-After (short window)", async function () {
    this.timeout(10_000);
    emulator.configure({ throttling: { reports: { requests: 2, windowSeconds: 1 } } });
    expect((await report(writer)).status).to.equal(200);
    expect((await report(writer)).status).to.equal(200);
    const throttled = await report(writer);
    expect(throttled.status).to.equal(429);
    expect(throttled.headers["retry-after"]).to.equal("1");
    await new Promise((r) => setTimeout(r, 1050));
    expect((await report(writer)).status).to.equal(200);
  });

  it("applies a configurable generic limit to every Graph call, with the directory's 429 body", async () => {
    await rawRequest(emulator, {
      method: "POST",
      path: "/_emulator/config",
      body: { throttling: { generic: { requests: 3, windowSeconds: 60 } } },
    });
    const call = () => rawRequest(emulator, { path: "/v1.0/users", token: writer });
    for (let i = 0; i < 3; i++) expect((await call()).status).to.equal(200);
    const throttled = await call();
    expect(throttled.status).to.equal(429);
    expect(Number(throttled.headers["retry-after"])).to.be.within(59, 60);
    expect(throttled.headers["x-ms-throttle-scope"]).to.equal(
      `Tenant_Application/ReadWrite/${emulator.info.apps.writer.clientId}/${emulator.info.tenantId}`,
    );
    expect(throttled.json).to.have.nested.property(
      "error.message",
      `Your request is throttled temporarily. Please try after ${throttled.headers["retry-after"]} seconds.`,
    );
  });

  it("charges identity calls in resource units and throttles the bucket", async () => {
    emulator.configure({ throttling: { resourceUnits: { units: 4, windowSeconds: 30 } } });
    const users = await rawRequest(emulator, { path: "/v1.0/users", token: writer });
    expect(users.headers["x-ms-resource-unit"]).to.equal("2");
    const selected = await rawRequest(emulator, { path: "/v1.0/users?$select=id", token: writer });
    expect(selected.headers["x-ms-resource-unit"]).to.equal("1");
    expect(selected.headers["x-ms-throttle-limit-percentage"]).to.equal(undefined);
    const third = await rawRequest(emulator, { path: "/v1.0/users?$select=id", token: writer });
    expect(third.headers["x-ms-throttle-limit-percentage"], "past 80% of the bucket").to.equal(
      "1.0",
    );
    const throttled = await rawRequest(emulator, { path: "/v1.0/users", token: writer });
    expect(throttled.status).to.equal(429);
    expect(throttled.headers["x-ms-throttle-information"]).to.equal("ResourceUnitLimitExceeded");
  });
});

describe("throttle cost model", () => {
  const q = (s = "") => new URLSearchParams(s);
  const cases: [string, string, string, number][] = [
    ["GET", "/users", "", 2],
    ["GET", "/users", "$select=id", 1],
    ["GET", "/groups/abc/members", "", 3],
    ["GET", "/groups/abc/members", "$top=5", 2],
    ["GET", "/groups/abc/transitiveMembers", "$expand=x", 6],
    ["GET", "/groups/abc", "$select=id", 1],
    ["POST", "/directoryObjects/getByIds", "", 5],
    ["PATCH", "/policies/authenticationMethodsPolicy", "", 1],
  ];
  for (const [method, path, query, cost] of cases) {
    it(`${method} ${path}${query ? "?" + query : ""} costs ${cost} RU`, () => {
      expect(resourceUnitCost(method, path, q(query))).to.equal(cost);
    });
  }

  it("counts writes separately and names the write limit", () => {
    const t = new Throttler({ writes: { requests: 2, windowSeconds: 150 } });
    const call = { tenantId: "t", clientId: "c", method: "PATCH", path: "/groups/g", query: q() };
    expect(t.check(call, 0).ok).to.equal(true);
    expect(t.check(call, 1).ok).to.equal(true);
    const third = t.check(call, 2);
    expect(third.ok).to.equal(false);
    if (!third.ok) {
      expect(third.error.options.headers).to.include({
        "Retry-After": "150",
        "x-ms-throttle-information": "WriteLimitExceeded",
      });
    }
    expect(t.check(call, 150_001).ok, "after the window").to.equal(true);
  });
});
