// Every body the handlers return, on v1.0 and on beta, checked against that version's schema:
// no property the version lacks, no enum value outside its members (tests/support/schema.ts).
import { expect } from "chai";
import type { GraphVersion } from "../../emulator/types";
import { graphSchema } from "../support/schema";
import {
  GUEST_UPN,
  PILOT_USER,
  call,
  groupId,
  testApi,
  userId,
  type CallOptions,
  type TestApi,
} from "./graph-harness";
import { GROUP_PROPERTIES, USER_PROPERTIES } from "../../emulator/graph/directory";

type Json = Record<string, unknown>;
const POLICY = "/policies/authenticationMethodsPolicy";
const CONFIGURATIONS = `${POLICY}/authenticationMethodConfigurations`;
const REPORT = "/reports/authenticationMethods/userRegistrationDetails";

/** Writes of every kind, so the audit log and the state hold what every handler produces. */
async function exercise(api: TestApi, version: GraphVersion): Promise<{ group: string }> {
  const pilot = await groupId(api, "pilot-authenticator-wave1");
  await call(api, "PATCH", POLICY, {
    version,
    body: {
      registrationEnforcement: {
        authenticationMethodsRegistrationCampaign: {
          state: "enabled",
          snoozeDurationInDays: 0,
          enforceRegistrationAfterAllowedSnoozes: true,
          includeTargets: [
            {
              id: pilot,
              targetType: "group",
              targetedAuthenticationMethod: "microsoftAuthenticator",
            },
          ],
          excludeTargets: [{ id: await groupId(api, "emergency-access"), targetType: "group" }],
        },
      },
    },
  });
  await call(api, "PATCH", `${CONFIGURATIONS}/MicrosoftAuthenticator`, {
    version,
    body: {
      "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
      includeTargets: [{ id: pilot, targetType: "group", authenticationMode: "push" }],
      featureSettings: { displayLocationInformationRequiredState: { state: "enabled" } },
    },
  });
  const created = (
    await call(api, "POST", "/groups", {
      version,
      body: {
        displayName: "Wave 2",
        mailNickname: "wave-2",
        mailEnabled: false,
        securityEnabled: true,
      },
    })
  ).body as Json;
  const group = created.id as string;
  const member = {
    "@odata.id": `https://graph.microsoft.com/${version}/directoryObjects/${await userId(api, PILOT_USER)}`,
  };
  await call(api, "POST", `/groups/${group}/members/$ref`, { version, body: member });
  await call(api, "POST", `/groups/${group}/owners/$ref`, { version, body: member });
  await call(api, "PATCH", `/groups/${group}`, { version, body: { description: "Second wave" } });
  const hr = await groupId(api, "hr");
  await call(api, "DELETE", `/groups/${hr}`, { version });
  return { group };
}

for (const version of ["v1.0", "beta"] as const) {
  describe(`fidelity: every response body matches the ${version} schema`, () => {
    const schema = graphSchema();
    let api: TestApi;
    let group: string;
    before(async () => {
      api = testApi();
      ({ group } = await exercise(api, version));
    });

    const valid = async (
      url: string,
      type: string,
      method = "GET",
      body?: unknown,
      headers?: Record<string, string>,
      as?: CallOptions["as"],
    ) => {
      const r = await call(api, method, url, { version, body, headers, as });
      expect(r.status, `${method} ${url}`).to.be.within(200, 201);
      expect(schema.validateResponse(r.body, type, version), `${method} ${url}`).to.deep.equal([]);
      return r.body as Json;
    };

    it("the policy: GET, GET with $select, and the PATCH answer", async () => {
      await valid(POLICY, "authenticationMethodsPolicy");
      await valid(
        `${POLICY}?$select=registrationEnforcement,policyVersion`,
        "authenticationMethodsPolicy",
      );
      await valid(POLICY, "authenticationMethodsPolicy", "PATCH", {
        registrationEnforcement: {
          authenticationMethodsRegistrationCampaign: { snoozeDurationInDays: 2 },
        },
      });
    });

    it("every method configuration, listed and one by one", async () => {
      const list = await valid(CONFIGURATIONS, "authenticationMethodConfiguration");
      for (const config of list.value as Json[])
        await valid(`${CONFIGURATIONS}/${config.id}`, "authenticationMethodConfiguration");
    });

    it("groups: list, one, every selectable property, create answer, expand", async () => {
      await valid("/groups", "group");
      await valid(`/groups/${group}`, "group");
      await valid(`/groups?$select=${GROUP_PROPERTIES.join(",")}`, "group");
      await valid(`/groups/${group}?$expand=members,owners`, "group");
      await valid("/groups", "group", "POST", {
        displayName: "Wave 3",
        mailNickname: "wave-3",
        mailEnabled: false,
        securityEnabled: true,
      });
      await valid("/groups", "group", "POST", {
        displayName: "M365",
        mailNickname: "m365-team",
        mailEnabled: true,
        securityEnabled: false,
        groupTypes: ["Unified"],
        visibility: "Private",
      });
    });

    it("members, owners, transitive members and casts", async () => {
      const allStaff = await groupId(api, "all-staff");
      await valid(`/groups/${allStaff}/members`, "directoryObject");
      await valid(`/groups/${allStaff}/transitiveMembers`, "directoryObject");
      await valid(
        `/groups/${allStaff}/transitiveMembers/microsoft.graph.user?$count=true`,
        "user",
        "GET",
        undefined,
        { ConsistencyLevel: "eventual" },
      );
      await valid(`/groups/${allStaff}/members/microsoft.graph.group`, "group");
      await valid(`/groups/${group}/owners`, "directoryObject");
      await valid(`/directoryObjects/${await userId(api, GUEST_UPN)}`, "directoryObject");
    });

    it("deleted items and restore", async () => {
      const deleted = await valid("/directory/deletedItems/microsoft.graph.group", "group");
      const id = (deleted.value as Json[])[0].id as string;
      await valid(`/directory/deletedItems/${id}`, "directoryObject");
      await valid(`/directory/deletedItems/${id}/restore`, "directoryObject", "POST");
    });

    it("users: list, one, every selectable property", async () => {
      await valid("/users", "user");
      await valid(`/users/${encodeURIComponent(GUEST_UPN)}`, "user");
      await valid(`/users?$select=${USER_PROPERTIES.join(",")}`, "user");
    });

    it("the registration report and its summaries", async () => {
      await valid(REPORT, "userRegistrationDetails");
      await valid(`${REPORT}/${await userId(api, PILOT_USER)}`, "userRegistrationDetails");
      await valid(
        "/reports/authenticationMethods/usersRegisteredByMethod(includedUserTypes='all',includedUserRoles='all')",
        "userRegistrationMethodSummary",
        "GET",
        undefined,
        undefined,
        // Application permissions are not supported here: a signed-in user's token.
        { scopes: ["AuditLog.Read.All"] },
      );
      await valid(
        "/reports/authenticationMethods/usersRegisteredByFeature(includedUserTypes='member',includedUserRoles='admin')",
        "userRegistrationFeatureSummary",
      );
    });

    it("audit records: seeded ones and those every write above produced", async () => {
      const audits = await valid("/auditLogs/directoryAudits", "directoryAudit");
      const activities = new Set((audits.value as Json[]).map((a) => a.activityDisplayName));
      expect([...activities]).to.include.members([
        "Authentication Methods Policy Update",
        "Add group",
        "Add member to group",
        "Add owner to group",
        "Update group",
        "Delete group",
      ]);
      await valid(`/auditLogs/directoryAudits/${(audits.value as Json[])[0].id}`, "directoryAudit");
    });
  });
}
