// Users through the handlers (graph-contract.md §4.7): keys with special characters, the default
// property set, $select, $filter and paging.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { DEFAULT_TENANT_FILE } from "../../emulator/graph";
import {
  GUEST_UPN,
  PILOT_USER,
  call,
  expectGraphError,
  get,
  getAll,
  testApi,
  type TestApi,
} from "./graph-harness";

type Json = Record<string, unknown>;

/** The seed tenant plus users whose UPNs need every kind of escaping. */
function tenantWithAwkwardUpns(): object {
  const tenant = JSON.parse(readFileSync(DEFAULT_TENANT_FILE, "utf8"));
  const extra = (id: string, upn: string) => ({
    id,
    userPrincipalName: upn,
    displayName: upn,
    userType: "Member",
    accountEnabled: true,
    createdDateTime: "-P1D",
  });
  tenant.users.push(
    extra("5d1f0a52-0000-4000-8000-000000000001", "100%pilot@contoso.onmicrosoft.com"),
    extra("5d1f0a52-0000-4000-8000-000000000002", "sales/emea@contoso.onmicrosoft.com"),
    extra("5d1f0a52-0000-4000-8000-000000000003", "$admin@contoso.onmicrosoft.com"),
  );
  return tenant;
}

describe("graph handlers: users (§4.7)", () => {
  let api: TestApi;
  beforeEach(() => {
    api = testApi();
  });

  it("GET by UPN returns the default properties in Graph's order", async () => {
    const body = await get(api, `/users/${PILOT_USER}`);
    expect(body["@odata.context"]).to.equal("https://127.0.0.1:8443/v1.0/$metadata#users/$entity");
    expect(Object.keys(body).slice(1)).to.deep.equal([
      "businessPhones",
      "displayName",
      "givenName",
      "jobTitle",
      "mail",
      "mobilePhone",
      "officeLocation",
      "preferredLanguage",
      "surname",
      "userPrincipalName",
      "id",
    ]);
    expect(await get(api, `/users/${body.id}`)).to.deep.equal(body);
    expect((await get(api, "/users/PILOT.USER@Contoso.onmicrosoft.com")).id).to.equal(body.id);
  });

  it("finds UPNs with #, ', % and / once percent-decoded, and $-UPNs in key syntax", async () => {
    api = testApi({}, tenantWithAwkwardUpns());
    for (const upn of [
      GUEST_UPN,
      "conor.o'brien@contoso.onmicrosoft.com",
      "100%pilot@contoso.onmicrosoft.com",
      "sales/emea@contoso.onmicrosoft.com",
    ]) {
      expect((await get(api, `/users/${encodeURIComponent(upn)}`)).userPrincipalName, upn).to.equal(
        upn,
      );
    }
    const dollar = await get(
      api,
      `/users('${encodeURIComponent("$admin@contoso.onmicrosoft.com")}')`,
    );
    expect(dollar.userPrincipalName).to.equal("$admin@contoso.onmicrosoft.com");
    const quoted = await get(
      api,
      `/users('${encodeURIComponent("conor.o''brien@contoso.onmicrosoft.com")}')`,
    );
    expect(quoted.displayName).to.equal("Conor O'Brien");
  });

  it("404s an unknown user with the directory's text", async () => {
    await expectGraphError(
      call(api, "GET", "/users/nobody@contoso.onmicrosoft.com"),
      404,
      "Request_ResourceNotFound",
      "Resource 'nobody@contoso.onmicrosoft.com' does not exist or one of its queried reference-property objects are not present.",
    );
  });

  it("returns userType, accountEnabled, createdDateTime only on $select (§4.7)", async () => {
    const plain = await get(api, `/users/${encodeURIComponent(GUEST_UPN)}`);
    expect(plain).not.to.have.any.keys("userType", "accountEnabled");
    const selected = await get(
      api,
      `/users/${encodeURIComponent(GUEST_UPN)}?$select=userType,accountEnabled,createdDateTime,externalUserState`,
    );
    expect(selected).to.deep.include({
      userType: "Guest",
      accountEnabled: true,
      externalUserState: "Accepted",
    });
    expect(selected["@odata.context"]).to.match(
      /#users\(userType,accountEnabled,createdDateTime,externalUserState\)\/\$entity$/,
    );
    await expectGraphError(
      call(api, "GET", "/users?$select=favouriteColour"),
      400,
      "BadRequest",
      "Could not find a property named 'favouriteColour' on type 'microsoft.graph.user'.",
    );
  });

  it("refuses an `in` of more than 15 values outside an advanced query (filter-query-parameter)", async () => {
    const ids = JSON.parse(readFileSync(DEFAULT_TENANT_FILE, "utf8")).users.map(
      (u: { id: string }) => u.id,
    ) as string[];
    const filter = (n: number) =>
      encodeURIComponent(
        `id in (${ids
          .slice(0, n)
          .map((id) => `'${id}'`)
          .join(",")})`,
      );
    expect((await get(api, `/users?$filter=${filter(15)}&$select=id`)).value).to.have.length(15);
    await expectGraphError(
      call(api, "GET", `/users?$filter=${filter(16)}&$select=id`),
      400,
      "Request_UnsupportedQuery",
      "Too many child clauses specified in search filter expression containing 'OR' operators: 16. Max allowed: 15",
    );
    await expectGraphError(
      call(api, "GET", `/groups?$filter=${filter(16)}`),
      400,
      "Request_UnsupportedQuery",
    );
    const advanced = await get(api, `/users?$filter=${filter(16)}&$select=id&$count=true`, {
      headers: { ConsistencyLevel: "eventual" },
    });
    expect(advanced.value).to.have.length(16);
  });

  it("filters by userPrincipalName eq / in / startsWith and userType eq", async () => {
    const upns = (body: Json) => (body.value as Json[]).map((u) => u.userPrincipalName);
    expect(
      upns(
        await get(
          api,
          `/users?$filter=${encodeURIComponent(`userPrincipalName eq '${GUEST_UPN}'`)}`,
        ),
      ),
    ).to.deep.equal([GUEST_UPN]);
    const both = await get(
      api,
      `/users?$filter=${encodeURIComponent(`userPrincipalName in ('${PILOT_USER}', 'conor.o''brien@contoso.onmicrosoft.com')`)}`,
    );
    expect(upns(both).sort()).to.deep.equal(["conor.o'brien@contoso.onmicrosoft.com", PILOT_USER]);
    expect(
      upns(await get(api, "/users?$filter=startsWith(userPrincipalName,'breakglass')")).sort(),
    ).to.deep.equal([
      "breakglass01@contoso.onmicrosoft.com",
      "breakglass02@contoso.onmicrosoft.com",
    ]);
    expect((await get(api, "/users?$filter=userType eq 'Guest'")).value).to.have.length(4);
    expect((await get(api, "/users?$filter=accountEnabled eq false")).value).to.have.length(2);
    expect(
      (await get(api, "/users?$filter=userType eq 'Guest' or accountEnabled eq false")).value,
    ).to.have.length(6);
    await expectGraphError(
      call(api, "GET", "/users?$filter=department eq 'Sales'"),
      400,
      "Request_UnsupportedQuery",
      /property 'department' of resource 'User'/,
    );
    const advanced = await get(api, "/users?$filter=department eq 'Sales'&$count=true", {
      headers: { ConsistencyLevel: "eventual" },
    });
    expect(advanced["@odata.count"]).to.equal(7);
  });

  it("pages through every user once with @odata.nextLink; counts with ConsistencyLevel", async () => {
    const { items, pages } = await getAll(api, "/users?$top=7&$select=id");
    expect(pages).to.equal(5);
    expect(items).to.have.length(30);
    expect(new Set(items.map((u) => u.id)).size).to.equal(30);
    const guests = await getAll(api, "/users?$filter=userType eq 'Guest'&$top=3&$select=userType");
    expect(guests.pages).to.equal(2);
    expect(guests.items.every((u) => u.userType === "Guest")).to.equal(true);
    expect(guests.bodies[0]["@odata.nextLink"]).to.contain("$filter=userType%20eq%20'Guest'");
    const count = await call(api, "GET", "/users/$count?$filter=userType eq 'Guest'", {
      headers: { ConsistencyLevel: "eventual" },
    });
    expect(count.body).to.equal(4);
  });

  it("needs User.Read.All (or higher) (§4.7)", async () => {
    await expectGraphError(
      call(api, "GET", "/users", { as: ["Group.Read.All"] }),
      403,
      "Authorization_RequestDenied",
      "Insufficient privileges to complete the operation.",
    );
    expect((await call(api, "GET", "/users", { as: ["Directory.Read.All"] })).status).to.equal(200);
  });

  it("GET /directoryObjects/{id} answers the typed object", async () => {
    const id = (await get(api, `/users/${PILOT_USER}`)).id as string;
    expect((await get(api, `/directoryObjects/${id}`))["@odata.type"]).to.equal(
      "#microsoft.graph.user",
    );
  });
});
