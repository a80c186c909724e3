// Routing, permissions and reset, across endpoints (graph-contract.md §1.2, §3.2, §4, §5.2, §6.1, §7.2).
import { expect } from "chai";
import {
  PILOT_USER,
  call,
  expectGraphError,
  get,
  groupId,
  testApi,
  userId,
  type TestApi,
} from "./graph-harness";

const POLICY = "/policies/authenticationMethodsPolicy";
const AUTHENTICATOR = `${POLICY}/authenticationMethodConfigurations/MicrosoftAuthenticator`;
const DENIED = "Insufficient privileges to complete the operation.";

describe("graph handlers: routing", () => {
  let api: TestApi;
  beforeEach(() => {
    api = testApi();
  });

  it("answers an unknown segment with OData's 400, naming the first unknown segment", async () => {
    await expectGraphError(
      call(api, "GET", "/applications"),
      400,
      "BadRequest",
      "Resource not found for the segment 'applications'.",
    );
    const id = await groupId(api, "sales");
    await expectGraphError(
      call(api, "GET", `/groups/${id}/photos`),
      400,
      "BadRequest",
      "Resource not found for the segment 'photos'.",
    );
    await expectGraphError(
      call(api, "GET", `${POLICY}/nonsense`),
      400,
      "BadRequest",
      "Resource not found for the segment 'nonsense'.",
    );
  });

  it("answers a method the resource lacks with 405 (§7.2)", async () => {
    for (const [method, url] of [
      ["PUT", "/groups"],
      ["POST", "/users"],
      ["DELETE", "/auditLogs/directoryAudits"],
      ["POST", POLICY],
    ]) {
      await expectGraphError(
        call(api, method, url),
        405,
        "Request_BadRequest",
        "Specified HTTP method is not allowed for the request target.",
      );
    }
  });

  it("matches literal segments case-insensitively (the Entra how-to writes authenticationmethodspolicy)", async () => {
    expect((await get(api, "/policies/authenticationmethodspolicy")).id).to.equal(
      "authenticationMethodsPolicy",
    );
    expect((await get(api, "/GROUPS?$top=1")).value).to.have.length(1);
  });

  it("builds context and nextLink URLs from the request's base URL and version", async () => {
    const body = await get(api, "/users?$top=2", { version: "beta" });
    expect(body["@odata.context"]).to.equal("https://127.0.0.1:8443/beta/$metadata#users");
    expect(body["@odata.nextLink"]).to.match(
      /^https:\/\/127\.0\.0\.1:8443\/beta\/users\?\$top=2&\$skiptoken=/,
    );
  });

  it("refuses a $skiptoken from another collection", async () => {
    const next = String((await get(api, "/users?$top=2"))["@odata.nextLink"]);
    const token = new URL(next).searchParams.get("$skiptoken");
    await expectGraphError(
      call(api, "GET", `/groups?$skiptoken=${token}`),
      400,
      "Directory_ExpiredPageToken",
    );
  });

  it("reset() returns the tenant to its loaded state", async () => {
    const id = await groupId(api, "sales");
    await call(api, "DELETE", `/groups/${id}`);
    await call(api, "PATCH", POLICY, {
      body: {
        registrationEnforcement: {
          authenticationMethodsRegistrationCampaign: { state: "enabled" },
        },
      },
    });
    const pilot = await groupId(api, "pilot-authenticator-wave1");
    await call(api, "DELETE", `/groups/${pilot}/members/${await userId(api, PILOT_USER)}/$ref`);
    const auditsBefore = ((await get(api, "/auditLogs/directoryAudits")).value as unknown[]).length;
    api.reset();
    expect((await get(api, `/groups/${id}`)).id).to.equal(id);
    expect((await get(api, `/groups/${pilot}/members`)).value).to.have.length(5);
    const campaign = (
      (await get(api, POLICY)).registrationEnforcement as Record<string, Record<string, unknown>>
    ).authenticationMethodsRegistrationCampaign;
    expect(campaign.state).to.equal("default");
    expect(((await get(api, "/auditLogs/directoryAudits")).value as unknown[]).length).to.equal(
      auditsBefore - 3,
    );
  });

  it("resets do not leak writes between states that share seed records", async () => {
    const id = await groupId(api, "sales");
    await call(api, "PATCH", `/groups/${id}`, { body: { description: "changed" } });
    api.reset();
    expect((await get(api, `/groups/${id}`)).description).to.equal("Sales department");
    const other = testApi();
    expect((await get(other, `/groups/${id}`)).description).to.equal("Sales department");
  });
});

describe("graph handlers: permissions (§1.2, §3.2, §4, §5.2, §6.1, §7.2)", () => {
  let api: TestApi;
  let group: string;
  let user: string;
  beforeEach(async () => {
    api = testApi();
    group = await groupId(api, "sales");
    user = await userId(api, PILOT_USER);
  });

  /** Each call with the least-privileged permission the contract names for it. */
  const calls = (): {
    name: string;
    method: string;
    url: string;
    least: string | string[];
    body?: unknown;
  }[] => [
    { name: "GET policy", method: "GET", url: POLICY, least: "Policy.Read.AuthenticationMethod" },
    {
      name: "PATCH policy",
      method: "PATCH",
      url: POLICY,
      least: "Policy.ReadWrite.AuthenticationMethod",
      body: {
        registrationEnforcement: {
          authenticationMethodsRegistrationCampaign: { state: "enabled" },
        },
      },
    },
    {
      name: "GET Authenticator",
      method: "GET",
      url: AUTHENTICATOR,
      least: "Policy.Read.AuthenticationMethod",
    },
    {
      name: "PATCH Authenticator",
      method: "PATCH",
      url: AUTHENTICATOR,
      least: "Policy.ReadWrite.AuthenticationMethod",
      body: {
        "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
        state: "enabled",
      },
    },
    {
      name: "POST groups",
      method: "POST",
      url: "/groups",
      least: "Group.Create",
      body: { displayName: "x", mailNickname: "x", mailEnabled: false, securityEnabled: true },
    },
    { name: "GET groups", method: "GET", url: "/groups", least: "GroupMember.Read.All" },
    {
      name: "PATCH group",
      method: "PATCH",
      url: `/groups/${group}`,
      least: "Group.ReadWrite.All",
      body: { description: "x" },
    },
    {
      name: "add member",
      method: "POST",
      url: `/groups/${group}/members/$ref`,
      least: "GroupMember.ReadWrite.All",
      body: { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${user}` },
    },
    {
      name: "list members",
      method: "GET",
      url: `/groups/${group}/members`,
      least: "GroupMember.Read.All",
    },
    {
      name: "list transitive members",
      method: "GET",
      url: `/groups/${group}/transitiveMembers`,
      least: "GroupMember.Read.All",
    },
    { name: "GET users", method: "GET", url: "/users", least: "User.Read.All" },
    {
      name: "GET report",
      method: "GET",
      url: "/reports/authenticationMethods/userRegistrationDetails",
      least: "AuditLog.Read.All",
    },
    {
      name: "GET audits",
      method: "GET",
      url: "/auditLogs/directoryAudits",
      // directoryaudit-list: "AuditLog.Read.All and Directory.Read.All", both.
      least: ["AuditLog.Read.All", "Directory.Read.All"],
    },
    {
      name: "DELETE group",
      method: "DELETE",
      url: `/groups/${group}`,
      least: "Group.ReadWrite.All",
    },
  ];

  it("every call refuses an app without its permission with Authorization_RequestDenied", async () => {
    for (const c of calls()) {
      await expectGraphError(
        call(api, c.method, c.url, { body: c.body, as: ["Mail.Read"] }),
        403,
        "Authorization_RequestDenied",
        DENIED,
      );
    }
  });

  it("every call accepts its least-privileged permission", async () => {
    for (const c of calls()) {
      const r = await call(api, c.method, c.url, { body: c.body, as: [c.least].flat() });
      expect(r.status, c.name).to.be.within(200, 204);
    }
  });

  it("a ReadWrite permission grants its Read permission", async () => {
    expect(
      (await call(api, "GET", POLICY, { as: ["Policy.ReadWrite.AuthenticationMethod"] })).status,
    ).to.equal(200);
    expect((await call(api, "GET", "/groups", { as: ["Group.ReadWrite.All"] })).status).to.equal(
      200,
    );
  });

  it("the reader app reads everything and changes nothing", async () => {
    for (const c of calls()) {
      const r = call(api, c.method, c.url, { body: c.body, as: "reader" });
      if (c.method === "GET") expect((await r).status, c.name).to.equal(200);
      else await expectGraphError(r, 403, "Authorization_RequestDenied");
    }
  });

  it("deleting a group takes Group.ReadWrite.All, not Directory.ReadWrite.All (§4.3)", async () => {
    await expectGraphError(
      call(api, "DELETE", `/groups/${group}`, { as: ["Directory.ReadWrite.All"] }),
      403,
      "Authorization_RequestDenied",
    );
  });

  it("policy endpoints can answer the accessDenied shape instead (§7.2)", async () => {
    api.configure({ policyDeniedCode: "accessDenied" });
    const e = await expectGraphError(
      call(api, "GET", POLICY, { as: ["User.Read.All"] }),
      403,
      "accessDenied",
      "Request Authorization failed",
    );
    expect(e.options.innerMessage).to.equal("Request Authorization failed");
    await expectGraphError(
      call(api, "GET", "/groups", { as: ["User.Read.All"] }),
      403,
      "Authorization_RequestDenied",
    );
  });

  it("checks the permission before whether the object exists", async () => {
    await expectGraphError(
      call(api, "GET", "/groups/0b5d9f4e-0000-4000-8000-000000000001", { as: ["User.Read.All"] }),
      403,
      "Authorization_RequestDenied",
    );
  });
});
