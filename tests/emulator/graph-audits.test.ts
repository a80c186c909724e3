// Directory audit records through the handlers (graph-contract.md §6): one for every policy,
// configuration and group change, and the documented $filter subset.
import { expect } from "chai";
import {
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
const AUDITS = "/auditLogs/directoryAudits";

async function newest(api: TestApi, count = 1): Promise<Json[]> {
  return (await get(api, `${AUDITS}?$top=${count}`)).value as Json[];
}

function targets(record: Json): Json[] {
  return record.targetResources as Json[];
}

function modified(
  target: Json,
): Record<string, { oldValue: string | null; newValue: string | null }> {
  return Object.fromEntries(
    (
      target.modifiedProperties as {
        displayName: string;
        oldValue: string | null;
        newValue: string | null;
      }[]
    ).map((p) => [p.displayName, { oldValue: p.oldValue, newValue: p.newValue }]),
  );
}

describe("graph handlers: directoryAudits (§6)", () => {
  let api: TestApi;
  beforeEach(() => {
    api = testApi();
  });

  it("lists the seeded history newest first, inside the 30-day retention (§6.1)", async () => {
    const { items } = await getAll(api, `${AUDITS}?$top=4`);
    const times = items.map((a) => Date.parse(String(a.activityDateTime)));
    expect(times).to.deep.equal([...times].sort((a, b) => b - a));
    expect(items).to.have.length(15);
    expect(new Set(items.map((a) => a.id)).size).to.equal(15);
    expect(
      items.every((a) => Date.now() - Date.parse(String(a.activityDateTime)) < 30 * 86400e3),
    ).to.equal(true);
    api.configure({ premiumLicense: false });
    const free = (await getAll(api, AUDITS)).items;
    expect(
      free.every((a) => Date.now() - Date.parse(String(a.activityDateTime)) < 7 * 86400e3),
    ).to.equal(true);
    expect(free.length).to.be.lessThan(items.length);
  });

  it("records a campaign change with the whole policy, enums as integers (§6.3)", async () => {
    await call(api, "PATCH", "/policies/authenticationMethodsPolicy", {
      body: {
        registrationEnforcement: {
          authenticationMethodsRegistrationCampaign: { state: "enabled", snoozeDurationInDays: 0 },
        },
      },
      headers: {
        "client-request-id": "7d2c1b1e-2222-4333-8444-955566667777",
        "user-agent": "entra-nudge/0.1",
      },
    });
    const [record] = await newest(api);
    const writer = api.apps.find((a) => a.name === "writer");
    expect(record).to.deep.include({
      category: "ApplicationManagement",
      activityDisplayName: "Authentication Methods Policy Update",
      loggedByService: "Authentication Methods",
      operationType: "Update",
      result: "success",
      correlationId: "7d2c1b1e-2222-4333-8444-955566667777",
    });
    expect(record.id).to.match(/^AuthMethods_7d2c1b1e-2222-4333-8444-955566667777_/);
    expect((record.initiatedBy as Json).app).to.deep.include({
      appId: writer?.clientId,
      displayName: "entra-nudge (writer)",
    });
    expect((record.initiatedBy as Json).user).to.equal(null);
    expect(record.additionalDetails).to.deep.equal([
      { key: "User-Agent", value: "entra-nudge/0.1" },
    ]);
    const change = modified(targets(record)[0]).AuthenticationMethodsPolicy;
    const before = JSON.parse(String(change.oldValue));
    const after = JSON.parse(String(change.newValue));
    expect(
      before.registrationEnforcement.authenticationMethodsRegistrationCampaign,
    ).to.deep.include({ state: 0, snoozeDurationInDays: 1 });
    expect(after.registrationEnforcement.authenticationMethodsRegistrationCampaign).to.deep.include(
      { state: 1, snoozeDurationInDays: 0 },
    );
    expect(
      after.registrationEnforcement.authenticationMethodsRegistrationCampaign.includeTargets[0]
        .targetType,
    ).to.equal(1);
  });

  it("files policy updates under the configured category (§10 item 18)", async () => {
    api.configure({ policyAuditCategory: "PolicyManagement" });
    await call(api, "PATCH", "/policies/authenticationMethodsPolicy", {
      body: {
        registrationEnforcement: {
          authenticationMethodsRegistrationCampaign: { state: "disabled" },
        },
      },
    });
    expect((await newest(api))[0].category).to.equal("PolicyManagement");
  });

  it("records only the changed properties of an Authenticator change, and resets (§6.3)", async () => {
    const url =
      "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/MicrosoftAuthenticator";
    await call(api, "PATCH", url, {
      body: {
        "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
        state: "disabled",
        isSoftwareOathEnabled: false,
      },
    });
    const [update] = await newest(api);
    expect(targets(update)[0]).to.deep.include({ id: "MicrosoftAuthenticator", type: "Policy" });
    expect(modified(targets(update)[0])).to.deep.equal({ state: { oldValue: "0", newValue: "1" } });
    await call(api, "DELETE", url);
    const [reset] = await newest(api);
    expect(reset.activityDisplayName).to.equal("Authentication Methods Policy Reset");
  });

  it("records group creation, membership, update, deletion and restore as Core Directory does (§6.3)", async () => {
    const pilotUser = await userId(api, PILOT_USER);
    const created = (
      await call(api, "POST", "/groups", {
        body: {
          displayName: "Wave 2",
          mailNickname: "wave-2",
          mailEnabled: false,
          securityEnabled: true,
          "members@odata.bind": [`https://graph.microsoft.com/v1.0/users/${pilotUser}`],
        },
      })
    ).body as Json;
    const id = created.id as string;
    const [addMember, addGroup] = await newest(api, 2);
    expect(addGroup).to.deep.include({
      activityDisplayName: "Add group",
      category: "GroupManagement",
      loggedByService: "Core Directory",
      operationType: "Add",
    });
    expect(modified(targets(addGroup)[0]).DisplayName).to.deep.equal({
      oldValue: "[]",
      newValue: '["Wave 2"]',
    });
    expect(modified(targets(addGroup)[0])["Included Updated Properties"].newValue).to.equal(
      '"DisplayName, MailNickname, MailEnabled, SecurityEnabled"',
    );
    expect(addMember.activityDisplayName).to.equal("Add member to group");
    expect(targets(addMember)[0]).to.deep.include({
      id: pilotUser,
      type: "User",
      userPrincipalName: PILOT_USER,
    });
    expect(modified(targets(addMember)[0])["Group.ObjectID"]).to.deep.equal({
      oldValue: null,
      newValue: JSON.stringify(id),
    });
    expect(targets(addMember)[1]).to.deep.include({ id, type: "Group", groupType: "azureAD" });

    await call(api, "DELETE", `/groups/${id}/members/${pilotUser}/$ref`);
    const [remove] = await newest(api);
    expect(remove.activityDisplayName).to.equal("Remove member from group");
    expect(modified(targets(remove)[0])["Group.ObjectID"]).to.deep.equal({
      oldValue: JSON.stringify(id),
      newValue: null,
    });

    await call(api, "PATCH", `/groups/${id}`, { body: { description: "Second wave" } });
    const [update] = await newest(api);
    expect(update.activityDisplayName).to.equal("Update group");
    expect(modified(targets(update)[0]).Description).to.deep.equal({
      oldValue: "[]",
      newValue: '["Second wave"]',
    });

    await call(api, "DELETE", `/groups/${id}`);
    await call(api, "POST", `/directory/deletedItems/${id}/restore`);
    await call(api, "DELETE", `/groups/${id}`);
    await call(api, "DELETE", `/directory/deletedItems/${id}`);
    const names = (await newest(api, 4)).map((a) => a.activityDisplayName);
    expect(names).to.deep.equal([
      "Hard Delete group",
      "Delete group",
      "Restore group",
      "Delete group",
    ]);
  });

  it("writes no record for a failed change", async () => {
    const before = (await newest(api))[0].id;
    await expectGraphError(
      call(api, "PATCH", "/policies/authenticationMethodsPolicy", {
        body: {
          registrationEnforcement: {
            authenticationMethodsRegistrationCampaign: { snoozeDurationInDays: 99 },
          },
        },
      }),
      400,
      "BadRequest",
    );
    expect((await newest(api))[0].id).to.equal(before);
  });

  describe("$filter (§6.1)", () => {
    const count = async (api: TestApi, filter: string) =>
      (await getAll(api, `${AUDITS}?$filter=${encodeURIComponent(filter)}`)).items.length;

    it("by service, activity and date range", async () => {
      expect(
        await count(
          api,
          "loggedByService eq 'Authentication Methods' and activityDisplayName eq 'User registered security info'",
        ),
      ).to.equal(4);
      const since = new Date(Date.now() - 6 * 86400e3).toISOString().slice(0, 19) + "Z";
      expect(await count(api, `activityDateTime ge ${since}`)).to.equal(5);
      const until = new Date(Date.now() - 20 * 86400e3).toISOString();
      expect(await count(api, `activityDateTime le ${until}`)).to.equal(7);
      expect(await count(api, "startswith(activityDisplayName,'User ')")).to.equal(8);
    });

    it("by target and initiator", async () => {
      const lee = await userId(api, "LeeG@contoso.onmicrosoft.com");
      expect(await count(api, `targetResources/any(t: t/id eq '${lee}')`)).to.equal(3);
      expect(await count(api, `initiatedBy/user/id eq '${lee}'`)).to.equal(2);
      const pilot = await groupId(api, "pilot-authenticator-wave1");
      expect(await count(api, `targetResources/any(t:t/id eq '${pilot}')`)).to.equal(6);
    });

    it("refuses a quoted date and unsupported properties", async () => {
      await expectGraphError(
        call(
          api,
          "GET",
          `${AUDITS}?$filter=${encodeURIComponent("activityDateTime ge '2026-09-01T00:00:00Z'")}`,
        ),
        400,
        "BadRequest",
        /incompatible types.*'Edm\.DateTimeOffset' and 'Edm\.String'/,
      );
      await expectGraphError(
        call(api, "GET", `${AUDITS}?$filter=resultReason eq 'x'`),
        400,
        "BadRequest",
        /resultReason/,
      );
    });

    it("refuses what the directoryAudit page does not list: category, result, gt and lt on dates", async () => {
      for (const [filter, error] of [
        ["category eq 'GroupManagement'", /category/],
        ["result eq 'success'", /result/],
        ["operationType eq 'Add'", /operationType/],
        ["targetResources/any(t: t/userPrincipalName eq 'a@b.c')", /userPrincipalName/],
      ] as const) {
        await expectGraphError(
          call(api, "GET", `${AUDITS}?$filter=${encodeURIComponent(filter)}`),
          400,
          "BadRequest",
          error,
        );
      }
      for (const op of ["gt", "lt"]) {
        await expectGraphError(
          call(
            api,
            "GET",
            `${AUDITS}?$filter=${encodeURIComponent(`activityDateTime ${op} 2026-09-01T00:00:00Z`)}`,
          ),
          400,
          "Request_UnsupportedQuery",
          /activityDateTime/,
        );
      }
    });
  });

  it("orders oldest first on request and fetches one record by id", async () => {
    const asc = (await get(api, `${AUDITS}?$orderby=activityDateTime asc&$top=2`)).value as Json[];
    expect(Date.parse(String(asc[0].activityDateTime))).to.be.lessThan(
      Date.parse(String(asc[1].activityDateTime)),
    );
    const one = await get(api, `${AUDITS}/${asc[0].id}`);
    expect(one.id).to.equal(asc[0].id);
    expect(one["@odata.context"]).to.match(/#auditLogs\/directoryAudits\/\$entity$/);
  });

  it("shows new records after the configured latency (§10 item 23)", async () => {
    let now = Date.now();
    api = testApi({ auditDelayMs: 60_000, now: () => now });
    const before = (await newest(api))[0].id;
    await call(api, "PATCH", "/policies/authenticationMethodsPolicy", {
      body: {
        registrationEnforcement: {
          authenticationMethodsRegistrationCampaign: { state: "enabled" },
        },
      },
    });
    expect((await newest(api))[0].id).to.equal(before);
    now += 60_000;
    expect((await newest(api))[0].activityDisplayName).to.equal(
      "Authentication Methods Policy Update",
    );
  });

  it("needs AuditLog.Read.All and Directory.Read.All together (directoryaudit-list, read 2026-12-07)", async () => {
    for (const roles of [["Policy.Read.All"], ["AuditLog.Read.All"], ["Directory.Read.All"]]) {
      await expectGraphError(
        call(api, "GET", AUDITS, { as: roles }),
        403,
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
      );
    }
    expect(
      (await call(api, "GET", AUDITS, { as: ["AuditLog.Read.All", "Directory.Read.All"] })).status,
    ).to.equal(200);
  });
});
