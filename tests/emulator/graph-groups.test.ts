// Groups, members and owners through the handlers (graph-contract.md §4.1–§4.6, §4.8).
import { expect } from "chai";
import { securityIdentifierOf } from "../../emulator/graph/state";
import {
  GUEST_UPN,
  PILOT_USER,
  call,
  expectGraphError,
  get,
  getAll,
  groupId,
  testApi,
  userId,
  type TestApi,
} from "./graph-harness";

type Json = Record<string, unknown>;
const ref = (id: string) => ({
  "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${id}`,
});
const NEW_GROUP = {
  displayName: "Pilot - Authenticator wave 2",
  description: "Second wave",
  mailEnabled: false,
  mailNickname: "pilot-authenticator-wave2",
  securityEnabled: true,
};

async function create(api: TestApi, body: Json = NEW_GROUP): Promise<Json> {
  const r = await call(api, "POST", "/groups", { body });
  expect(r.status).to.equal(201);
  return r.body as Json;
}

describe("graph handlers: groups (§4.1–§4.3)", () => {
  let api: TestApi;
  beforeEach(() => {
    api = testApi();
  });

  it("POST creates a security group: 201, default properties, SID and Location as the service prints them", async () => {
    const r = await call(api, "POST", "/groups", { body: NEW_GROUP });
    expect(r.status).to.equal(201);
    const body = r.body as Json;
    expect(body["@odata.context"]).to.equal("https://127.0.0.1:8443/v1.0/$metadata#groups/$entity");
    expect(body).to.include({
      displayName: NEW_GROUP.displayName,
      mailEnabled: false,
      securityEnabled: true,
      mail: null,
      visibility: null,
    });
    expect(body.groupTypes).to.deep.equal([]);
    expect(body.createdDateTime).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(body.securityIdentifier).to.match(/^S-1-12-1-\d+-\d+-\d+-\d+$/);
    expect(r.headers?.Location).to.equal(body["@odata.id"]);
    expect(body["@odata.id"]).to.match(
      new RegExp(
        `/v2/${api.tenantId}/directoryObjects/${body.id}/Microsoft\\.DirectoryServices\\.Group$`,
      ),
    );
    expect((await get(api, `/groups/${body.id}`)).displayName).to.equal(NEW_GROUP.displayName);
  });

  it("computes the SID from the object id as the documented example shows (§4.1)", () => {
    expect(securityIdentifierOf("21d05557-b7b6-418f-86fa-a3118d751be4")).to.equal(
      "S-1-12-1-567301463-1099937718-295959174-3827004813",
    );
  });

  describe("create validation (§4.1)", () => {
    const invalid: [string, Json, string][] = [
      ["no displayName", { ...NEW_GROUP, displayName: undefined }, "displayName"],
      [
        "a 257-character displayName",
        { ...NEW_GROUP, displayName: "x".repeat(257) },
        "displayName",
      ],
      ["no mailNickname", { ...NEW_GROUP, mailNickname: undefined }, "mailNickname"],
      ["a nickname with a space", { ...NEW_GROUP, mailNickname: "pilot wave" }, "mailNickname"],
      ["a nickname with @", { ...NEW_GROUP, mailNickname: "pilot@wave" }, "mailNickname"],
      ["a nickname with a dot", { ...NEW_GROUP, mailNickname: "pilot.wave" }, "mailNickname"],
      ["a nickname with an apostrophe", { ...NEW_GROUP, mailNickname: "o'brien" }, "mailNickname"],
      ["a non-ASCII nickname", { ...NEW_GROUP, mailNickname: "pilot-é" }, "mailNickname"],
      ["a 65-character nickname", { ...NEW_GROUP, mailNickname: "n".repeat(65) }, "mailNickname"],
      ["no securityEnabled", { ...NEW_GROUP, securityEnabled: undefined }, "securityEnabled"],
      [
        "a group that is neither security nor Microsoft 365",
        { ...NEW_GROUP, securityEnabled: false },
        "securityEnabled",
      ],
    ];
    for (const [name, body, property] of invalid) {
      it(`refuses ${name}`, async () => {
        await expectGraphError(
          call(api, "POST", "/groups", { body: JSON.parse(JSON.stringify(body)) }),
          400,
          "Request_BadRequest",
          `Invalid value specified for property '${property}' of resource 'Group'.`,
        );
      });
    }

    it("refuses mail-enabled security groups with the service's message", async () => {
      await expectGraphError(
        call(api, "POST", "/groups", { body: { ...NEW_GROUP, mailEnabled: true } }),
        400,
        "Request_BadRequest",
        /does not currently support writes of mail-enabled groups/,
      );
    });

    it("allows duplicate nicknames for security groups, not for Microsoft 365 groups", async () => {
      await create(api, { ...NEW_GROUP, mailNickname: "sales" });
      const m365 = {
        displayName: "Team",
        mailEnabled: true,
        securityEnabled: false,
        mailNickname: "marketing",
        groupTypes: ["Unified"],
      };
      await expectGraphError(
        call(api, "POST", "/groups", { body: m365 }),
        400,
        "Request_BadRequest",
        "Another object with the same value for property mailNickname already exists.",
      );
      const created = await create(api, { ...m365, mailNickname: "marketing-emea" });
      expect(created.mail).to.equal("marketing-emea@contoso.onmicrosoft.com");
    });

    it("refuses unknown and read-only properties", async () => {
      await expectGraphError(
        call(api, "POST", "/groups", { body: { ...NEW_GROUP, colour: "red" } }),
        400,
        "BadRequest",
        /'colour' does not exist on type 'microsoft\.graph\.group'/,
      );
      await expectGraphError(
        call(api, "POST", "/groups", { body: { ...NEW_GROUP, id: "x" } }),
        400,
        "Request_BadRequest",
        /read-only/,
      );
    });

    it("binds members and owners at creation, at most 20, all or nothing (§4.1, §4.4)", async () => {
      const pilotUser = await userId(api, PILOT_USER);
      const created = await create(api, {
        ...NEW_GROUP,
        "members@odata.bind": [`https://graph.microsoft.com/v1.0/users/${pilotUser}`],
        "owners@odata.bind": [`https://graph.microsoft.com/v1.0/directoryObjects/${pilotUser}`],
      });
      const members = await get(api, `/groups/${created.id}/members?$select=id`);
      expect(members.value).to.deep.equal([
        { "@odata.type": "#microsoft.graph.user", id: pilotUser },
      ]);
      const many = Array.from(
        { length: 21 },
        () => `https://graph.microsoft.com/v1.0/users/${pilotUser}`,
      );
      await expectGraphError(
        call(api, "POST", "/groups", { body: { ...NEW_GROUP, "members@odata.bind": many } }),
        400,
        "Request_BadRequest",
        /at most 20/,
      );
      const missing = "0b5d9f4e-0000-4000-8000-000000000001";
      await expectGraphError(
        call(api, "POST", "/groups", {
          body: {
            ...NEW_GROUP,
            "members@odata.bind": [`https://graph.microsoft.com/v1.0/directoryObjects/${missing}`],
          },
        }),
        404,
        "Request_ResourceNotFound",
        `Resource '${missing}' does not exist or one of its queried reference-property objects are not present.`,
      );
    });

    it("needs a user-read permission to bind members with Group.Create alone (§4.1)", async () => {
      const pilotUser = await userId(api, PILOT_USER);
      const body = {
        ...NEW_GROUP,
        "members@odata.bind": [`https://graph.microsoft.com/v1.0/users/${pilotUser}`],
      };
      await expectGraphError(
        call(api, "POST", "/groups", { body, as: ["Group.Create"] }),
        403,
        "Authorization_RequestDenied",
      );
      expect(
        (await call(api, "POST", "/groups", { body, as: ["Group.Create", "User.Read.All"] }))
          .status,
      ).to.equal(201);
      expect(
        (await call(api, "POST", "/groups", { body: NEW_GROUP, as: ["Group.Create"] })).status,
      ).to.equal(201);
    });
  });

  it("GET of an unknown or non-GUID id is the directory's 404 (§4.2, §2.5)", async () => {
    for (const id of ["4f4ad0b5-59d5-4b4b-9d5b-000000000000", "all_users"]) {
      await expectGraphError(
        call(api, "GET", `/groups/${id}`),
        404,
        "Request_ResourceNotFound",
        `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
      );
    }
  });

  describe("list and $filter (§4.2)", () => {
    it("filters on displayName eq with '' escapes, and finds several groups with one name", async () => {
      await create(api, {
        ...NEW_GROUP,
        displayName: "Conor's pilot",
        mailNickname: "conors-pilot",
      });
      await create(api, {
        ...NEW_GROUP,
        displayName: "Conor's pilot",
        mailNickname: "conors-pilot-2",
      });
      const body = await get(
        api,
        `/groups?$filter=${encodeURIComponent("displayName eq 'Conor''s pilot'")}&$select=mailNickname`,
      );
      expect((body.value as Json[]).map((g) => g.mailNickname).sort()).to.deep.equal([
        "conors-pilot",
        "conors-pilot-2",
      ]);
    });

    it("filters on mailNickname (case-insensitively), startsWith, id in (...)", async () => {
      const pilot = await groupId(api, "PILOT-authenticator-wave1");
      const sales = await groupId(api, "sales");
      const starts = await get(
        api,
        "/groups?$filter=startsWith(displayName,'engineering')&$select=displayName",
      );
      expect((starts.value as Json[]).map((g) => g.displayName).sort()).to.deep.equal([
        "Engineering",
        "Engineering - Platform",
      ]);
      const byIds = await get(api, `/groups?$filter=id in ('${pilot}', '${sales}')&$select=id`);
      expect((byIds.value as Json[]).map((g) => g.id).sort()).to.deep.equal([pilot, sales].sort());
      const both = await get(
        api,
        "/groups?$filter=securityEnabled eq true and mailEnabled eq false&$select=id",
      );
      expect(both.value as Json[]).to.have.length(9);
    });

    it("refuses advanced operators without ConsistencyLevel and $count, and honours them with (§4.6)", async () => {
      await expectGraphError(
        call(api, "GET", "/groups?$filter=endsWith(mailNickname,'-wave1')"),
        400,
        "Request_UnsupportedQuery",
        "Operator 'endsWith' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information",
      );
      await expectGraphError(
        call(api, "GET", "/groups?$filter=createdDateTime ge 2020-01-01T00:00:00Z"),
        400,
        "Request_UnsupportedQuery",
        "Unsupported or invalid query filter clause specified for property 'createdDateTime' of resource 'Group'.",
      );
      const advanced = await get(
        api,
        "/groups?$filter=endsWith(mailNickname,'-wave1')&$count=true",
        { headers: { ConsistencyLevel: "eventual" } },
      );
      expect(advanced["@odata.count"]).to.equal(1);
      const ne = await get(api, "/groups?$filter=displayName ne 'Sales'&$count=true&$top=1", {
        headers: { ConsistencyLevel: "eventual" },
      });
      expect(ne["@odata.count"]).to.equal(9);
    });

    it("ignores $count=true without ConsistencyLevel; /$count needs it (§0.4, §4.6)", async () => {
      expect(await get(api, "/groups?$count=true")).not.to.have.property("@odata.count");
      await expectGraphError(
        call(api, "GET", "/groups/$count"),
        400,
        "Request_BadRequest",
        "$count is not currently supported.",
      );
      const r = await call(api, "GET", "/groups/$count", {
        headers: { ConsistencyLevel: "eventual" },
      });
      expect(r.body).to.equal(10);
      expect(r.headers?.["Content-Type"]).to.match(/^text\/plain/);
    });

    it("refuses $search without ConsistencyLevel and searches with it (§4.6)", async () => {
      await expectGraphError(
        call(api, "GET", '/groups?$search="displayName:pilot"'),
        400,
        "Request_UnsupportedQuery",
        /ConsistencyLevel: eventual/,
      );
      const body = await get(api, '/groups?$search="displayName:pilot"', {
        headers: { ConsistencyLevel: "eventual" },
      });
      expect((body.value as Json[]).map((g) => g.displayName)).to.deep.equal([
        "Pilot - Authenticator wave 1",
      ]);
    });

    it("reports filter syntax errors, unknown properties and wrong literal types", async () => {
      await expectGraphError(
        call(api, "GET", "/groups?$filter=displayName eq"),
        400,
        "BadRequest",
        /^Invalid filter clause: Syntax error/,
      );
      await expectGraphError(
        call(api, "GET", "/groups?$filter=displayName eq 'unterminated"),
        400,
        "BadRequest",
        /Unterminated string literal/,
      );
      await expectGraphError(
        call(api, "GET", "/groups?$filter=colour eq 'red'"),
        400,
        "BadRequest",
        "Could not find a property named 'colour' on type 'microsoft.graph.group'.",
      );
      await expectGraphError(
        call(api, "GET", "/groups?$filter=securityEnabled eq 'true'"),
        400,
        "BadRequest",
        "A binary operator with incompatible types was detected. Found operand types 'Edm.Boolean' and 'Edm.String' for operator kind 'Equal'.",
      );
    });

    it("pages with $top and an opaque $skiptoken; refuses $top outside 1–999 (§0.4)", async () => {
      const { items, pages, bodies } = await getAll(api, "/groups?$top=3&$select=id");
      expect(pages).to.equal(4);
      expect(items).to.have.length(10);
      expect(new Set(items.map((g) => g.id)).size).to.equal(10);
      const next = bodies[0]["@odata.nextLink"] as string;
      expect(next).to.match(
        /^https:\/\/127\.0\.0\.1:8443\/v1\.0\/groups\?\$top=3&\$select=id&\$skiptoken=[A-Za-z0-9_-]+$/,
      );
      for (const top of ["0", "1000", "x"]) {
        await expectGraphError(
          call(api, "GET", `/groups?$top=${top}`),
          400,
          "Request_UnsupportedQuery",
          /Invalid page size specified/,
        );
      }
      await expectGraphError(
        call(api, "GET", "/groups?$skiptoken=garbage"),
        400,
        "Directory_ExpiredPageToken",
      );
    });

    it("$select refuses unknown properties and keeps only what was asked", async () => {
      const body = await get(api, "/groups?$select=displayName,mailNickname&$top=1");
      expect(Object.keys((body.value as Json[])[0])).to.deep.equal(["displayName", "mailNickname"]);
      expect(body["@odata.context"]).to.match(/#groups\(displayName,mailNickname\)$/);
      await expectGraphError(
        call(api, "GET", "/groups?$select=colour"),
        400,
        "BadRequest",
        "Could not find a property named 'colour' on type 'microsoft.graph.group'.",
      );
    });
  });

  it("PATCH updates (204) and refuses bad values; renamed nicknames are found by the new one (§4.3)", async () => {
    const id = await groupId(api, "pilot-authenticator-wave1");
    const r = await call(api, "PATCH", `/groups/${id}`, {
      body: { description: "Wave 1 (SMS users)", mailNickname: "wave-1" },
    });
    expect(r).to.deep.equal({ status: 204 });
    expect((await get(api, `/groups/${id}`)).description).to.equal("Wave 1 (SMS users)");
    expect(await groupId(api, "wave-1")).to.equal(id);
    expect(
      (await get(api, "/groups?$filter=mailNickname eq 'pilot-authenticator-wave1'")).value,
    ).to.deep.equal([]);
    await expectGraphError(
      call(api, "PATCH", `/groups/${id}`, { body: { displayName: "" } }),
      400,
      "Request_BadRequest",
      /displayName/,
    );
  });

  it("DELETE soft-deletes: restorable from deleted items for 30 days, then gone (§4.3)", async () => {
    let now = Date.parse("2026-11-29T10:00:00Z");
    api = testApi({ now: () => now });
    const id = await groupId(api, "pilot-authenticator-wave1");
    expect((await call(api, "DELETE", `/groups/${id}`)).status).to.equal(204);
    await expectGraphError(call(api, "GET", `/groups/${id}`), 404, "Request_ResourceNotFound");
    const deleted = await get(api, "/directory/deletedItems/microsoft.graph.group");
    expect((deleted.value as Json[]).map((g) => g.id)).to.deep.equal([id]);
    expect((deleted.value as Json[])[0].deletedDateTime).to.be.a("string");
    const restored = await call(api, "POST", `/directory/deletedItems/${id}/restore`);
    expect(restored.status).to.equal(200);
    expect(restored.body).to.include({
      "@odata.type": "#microsoft.graph.group",
      id,
      deletedDateTime: null,
    });
    expect((await get(api, `/groups/${id}/members?$select=id`)).value).to.have.length(5);

    await call(api, "DELETE", `/groups/${id}`);
    now += 31 * 24 * 3600 * 1000;
    await expectGraphError(
      call(api, "POST", `/directory/deletedItems/${id}/restore`),
      404,
      "Request_ResourceNotFound",
    );
  });

  it("DELETE is permanent when security groups are not restorable (older docs, §10 item 11)", async () => {
    api = testApi({ deletedGroupsRestorable: false });
    const id = await groupId(api, "sales");
    await call(api, "DELETE", `/groups/${id}`);
    expect((await get(api, "/directory/deletedItems/microsoft.graph.group")).value).to.deep.equal(
      [],
    );
  });

  it("permanent delete from deleted items (204) and deleted-item reads", async () => {
    const id = await groupId(api, "hr");
    await call(api, "DELETE", `/groups/${id}`);
    expect((await get(api, `/directory/deletedItems/${id}`))["@odata.type"]).to.equal(
      "#microsoft.graph.group",
    );
    expect((await call(api, "DELETE", `/directory/deletedItems/${id}`)).status).to.equal(204);
    await expectGraphError(
      call(api, "GET", `/directory/deletedItems/${id}`),
      404,
      "Request_ResourceNotFound",
    );
  });
});

describe("graph handlers: members and owners (§4.4–§4.6)", () => {
  let api: TestApi;
  let pilot: string;
  let pilotUser: string;
  beforeEach(async () => {
    api = testApi();
    pilot = await groupId(api, "pilot-authenticator-wave1");
    pilotUser = await userId(api, PILOT_USER);
  });

  it("lists direct members as typed directory objects (§4.6)", async () => {
    const body = await get(api, `/groups/${pilot}/members`);
    expect(body["@odata.context"]).to.equal(
      "https://127.0.0.1:8443/v1.0/$metadata#directoryObjects",
    );
    const members = body.value as Json[];
    expect(members).to.have.length(5);
    expect(members.every((m) => m["@odata.type"] === "#microsoft.graph.user")).to.equal(true);
    expect(members.map((m) => m.userPrincipalName)).to.include.members([PILOT_USER, GUEST_UPN]);
  });

  it("hides member details from an app that cannot read users (§4.6)", async () => {
    const body = await get(api, `/groups/${pilot}/members`, { as: ["GroupMember.Read.All"] });
    const first = (body.value as Json[])[0];
    expect(first["@odata.type"]).to.equal("#microsoft.graph.user");
    expect(first.id).to.be.a("string");
    expect(first.displayName).to.equal(null);
  });

  it("adds by $ref (204), refuses a duplicate with the exact 400, a missing object with 404 (§4.4)", async () => {
    const alexw = await userId(api, "AlexW@contoso.onmicrosoft.com");
    expect(
      await call(api, "POST", `/groups/${pilot}/members/$ref`, { body: ref(alexw) }),
    ).to.deep.equal({ status: 204 });
    await expectGraphError(
      call(api, "POST", `/groups/${pilot}/members/$ref`, { body: ref(alexw) }),
      400,
      "Request_BadRequest",
      "One or more added object references already exist for the following modified properties: 'members'.",
    );
    const missing = "9d0c6a0e-7777-4777-8777-777777777777";
    await expectGraphError(
      call(api, "POST", `/groups/${pilot}/members/$ref`, { body: ref(missing) }),
      404,
      "Request_ResourceNotFound",
      new RegExp(missing),
    );
    await expectGraphError(
      call(api, "POST", `/groups/${missing}/members/$ref`, { body: ref(alexw) }),
      404,
      "Request_ResourceNotFound",
      new RegExp(missing),
    );
    await expectGraphError(
      call(api, "POST", `/groups/${pilot}/members/$ref`, { body: { "@odata.id": alexw } }),
      400,
      "Request_BadRequest",
      "Invalid URL format specified in @odata.id for members.",
    );
  });

  it("accepts users/{upn} references with special characters", async () => {
    const sales = await groupId(api, "sales");
    const url = `https://graph.microsoft.com/v1.0/users/${encodeURIComponent(GUEST_UPN)}`;
    expect(
      (await call(api, "POST", `/groups/${sales}/members/$ref`, { body: { "@odata.id": url } }))
        .status,
    ).to.equal(204);
  });

  it("removes by $ref (204); a non-member is 404 by default and 400 when configured (§4.5, §10 item 13)", async () => {
    expect(
      (await call(api, "DELETE", `/groups/${pilot}/members/${pilotUser}/$ref`)).status,
    ).to.equal(204);
    await expectGraphError(
      call(api, "DELETE", `/groups/${pilot}/members/${pilotUser}/$ref`),
      404,
      "Request_ResourceNotFound",
      `Resource '${pilotUser}' does not exist or one of its queried reference-property objects are not present.`,
    );
    api.configure({ nonMemberRemovalStatus: 400 });
    await expectGraphError(
      call(api, "DELETE", `/groups/${pilot}/members/${pilotUser}/$ref`),
      400,
      "Request_BadRequest",
      "One or more removed object references do not exist for the following modified properties: 'members'.",
    );
  });

  it("removes by the $id form of the $ref URL", async () => {
    const url = `https://graph.microsoft.com/v1.0/directoryObjects/${pilotUser}`;
    expect(
      (await call(api, "DELETE", `/groups/${pilot}/members/$ref?$id=${encodeURIComponent(url)}`))
        .status,
    ).to.equal(204);
    expect(
      ((await get(api, `/groups/${pilot}/members?$select=id`)).value as Json[]).map((m) => m.id),
    ).not.to.include(pilotUser);
  });

  it("owners: add, list, and the last owner stays (§4.5)", async () => {
    const owners = await get(api, `/groups/${pilot}/owners?$select=userPrincipalName`);
    expect(owners.value).to.deep.equal([
      {
        "@odata.type": "#microsoft.graph.user",
        userPrincipalName: "MeganB@contoso.onmicrosoft.com",
      },
    ]);
    const megan = await userId(api, "MeganB@contoso.onmicrosoft.com");
    await expectGraphError(
      call(api, "DELETE", `/groups/${pilot}/owners/${megan}/$ref`),
      400,
      "Request_BadRequest",
      "The group must have at least one owner, hence this owner cannot be removed.",
    );
    const adele = await userId(api, "AdeleV@contoso.onmicrosoft.com");
    expect(
      (await call(api, "POST", `/groups/${pilot}/owners/$ref`, { body: ref(adele) })).status,
    ).to.equal(204);
    expect((await call(api, "DELETE", `/groups/${pilot}/owners/${megan}/$ref`)).status).to.equal(
      204,
    );
    const sales = await groupId(api, "sales");
    await expectGraphError(
      call(api, "POST", `/groups/${pilot}/owners/$ref`, { body: ref(sales) }),
      400,
      "Request_BadRequest",
    );
  });

  it("PATCH members@odata.bind adds up to 20, all or nothing (§4.4)", async () => {
    const sales = await groupId(api, "sales");
    const ids = [
      await userId(api, "AlexW@contoso.onmicrosoft.com"),
      await userId(api, "LeeG@contoso.onmicrosoft.com"),
    ];
    const bind = (list: string[]) =>
      list.map((id) => `https://graph.microsoft.com/v1.0/directoryObjects/${id}`);
    expect(
      (await call(api, "PATCH", `/groups/${sales}`, { body: { "members@odata.bind": bind(ids) } }))
        .status,
    ).to.equal(204);
    await expectGraphError(
      call(api, "PATCH", `/groups/${sales}`, {
        body: { "members@odata.bind": bind([pilotUser, ids[0]]) },
      }),
      400,
      "Request_BadRequest",
      "One or more added object references already exist for the following modified properties: 'members'.",
    );
    const members = ((await get(api, `/groups/${sales}/members?$select=id`)).value as Json[]).map(
      (m) => m.id,
    );
    expect(members).not.to.include(pilotUser);
    expect(
      (
        await call(api, "PATCH", `/groups/${sales}`, {
          body: { "members@odata.bind": bind([pilotUser]) },
          as: ["GroupMember.ReadWrite.All"],
        })
      ).status,
    ).to.equal(204);
  });

  it("transitiveMembers expands nested groups once each, including the groups (§4.6)", async () => {
    const allStaff = await groupId(api, "all-staff");
    const direct = (await get(api, `/groups/${allStaff}/members?$select=id`)).value as Json[];
    expect(direct).to.have.length(6);
    const { items } = await getAll(
      api,
      `/groups/${allStaff}/transitiveMembers?$top=7&$select=id,displayName`,
    );
    const groups = items
      .filter((m) => m["@odata.type"] === "#microsoft.graph.group")
      .map((m) => m.displayName);
    expect(groups.sort()).to.deep.equal([
      "Engineering",
      "Engineering - Platform",
      "Finance",
      "Human Resources",
      "Sales",
    ]);
    const users = items.filter((m) => m["@odata.type"] === "#microsoft.graph.user");
    expect(users).to.have.length(new Set(users.map((u) => u.id)).size);
    expect(users).to.have.length(22);
    const onlyUsers = await getAll(
      api,
      `/groups/${allStaff}/transitiveMembers/microsoft.graph.user?$select=id&$count=true&$top=5`,
      { headers: { ConsistencyLevel: "eventual" } },
    );
    expect(onlyUsers.items).to.have.length(22);
    expect(onlyUsers.pages).to.equal(5);
    expect(onlyUsers.bodies[0]["@odata.context"]).to.match(/#users\(id\)$/);
    const count = await call(api, "GET", `/groups/${allStaff}/transitiveMembers/$count`, {
      headers: { ConsistencyLevel: "eventual" },
    });
    expect(count.body).to.equal(27);
  });

  it("refuses the cast on transitiveMembers without ConsistencyLevel and $count=true (Errata 2)", async () => {
    const allStaff = await groupId(api, "all-staff");
    const cast = `/groups/${allStaff}/transitiveMembers/microsoft.graph.user?$select=id`;
    await expectGraphError(
      call(api, "GET", cast),
      400,
      "Request_UnsupportedQuery",
      "The specified filter to the reference property query is currently not supported.",
    );
    await expectGraphError(
      call(api, "GET", cast, { headers: { ConsistencyLevel: "eventual" } }),
      400,
      "Request_UnsupportedQuery",
    );
    await expectGraphError(
      call(api, "GET", `${cast}&$count=true`),
      400,
      "Request_UnsupportedQuery",
    );
    // Without a cast it is not an advanced query.
    const plain = await get(api, `/groups/${allStaff}/transitiveMembers?$select=id`);
    expect(plain.value).to.have.length(27);
  });

  it("$expand=members on one group returns them inline, each with its default properties", async () => {
    const body = await get(api, `/groups/${pilot}?$expand=members,owners`);
    const members = body.members as Json[];
    expect(members).to.have.length(5);
    expect(members.every((m) => typeof m.userPrincipalName === "string")).to.equal(true);
    expect(body.owners).to.be.an("array");
  });

  it("refuses nested query options inside $expand (known issue 13635, Errata 1)", async () => {
    for (const expand of [
      "owners($select=id,userPrincipalName)",
      "members($select=id)",
      "owners($filter=id eq 'x')",
    ]) {
      await expectGraphError(
        call(api, "GET", `/groups/${pilot}?$select=id&$expand=${expand}`),
        400,
        "Request_BadRequest",
        "Invalid $select properties.",
      );
    }
  });
});

describe("graph handlers: replication delay (§4.8)", () => {
  it("hides a new group from reads and references until it replicates; the POST answer is usable", async () => {
    let now = Date.parse("2026-11-29T10:00:00Z");
    const api = testApi({ replicationDelayMs: 2000, now: () => now });
    const created = await create(api);
    const id = created.id as string;
    await expectGraphError(call(api, "GET", `/groups/${id}`), 404, "Request_ResourceNotFound");
    expect((await get(api, `/groups?$filter=id eq '${id}'`)).value).to.deep.equal([]);
    const user = await userId(api, PILOT_USER);
    await expectGraphError(
      call(api, "POST", `/groups/${id}/members/$ref`, { body: ref(user) }),
      404,
      "Request_ResourceNotFound",
    );
    const sales = await groupId(api, "sales");
    await expectGraphError(
      call(api, "POST", `/groups/${sales}/members/$ref`, { body: ref(id) }),
      404,
      "Request_ResourceNotFound",
    );
    now += 2000;
    expect((await get(api, `/groups/${id}`)).id).to.equal(id);
    expect(
      (await call(api, "POST", `/groups/${id}/members/$ref`, { body: ref(user) })).status,
    ).to.equal(204);
  });

  it("makes membership changes visible to member reads only after the delay; writes see them at once", async () => {
    let now = Date.parse("2026-11-29T10:00:00Z");
    const api = testApi({ replicationDelayMs: 1500, now: () => now });
    const sales = await groupId(api, "sales");
    const user = await userId(api, PILOT_USER);
    const grady = await userId(api, "GradyA@contoso.onmicrosoft.com");
    await call(api, "POST", `/groups/${sales}/members/$ref`, { body: ref(user) });
    await call(api, "DELETE", `/groups/${sales}/members/${grady}/$ref`);
    const ids = async () =>
      ((await get(api, `/groups/${sales}/members?$select=id`)).value as Json[]).map((m) => m.id);
    expect(await ids()).not.to.include(user);
    expect(await ids()).to.include(grady);
    await expectGraphError(
      call(api, "POST", `/groups/${sales}/members/$ref`, { body: ref(user) }),
      400,
      "Request_BadRequest",
    );
    now += 1500;
    expect(await ids()).to.include(user);
    expect(await ids()).not.to.include(grady);
  });
});
