// Replays the documented examples of graph-contract.md (§2.1, §4.1, §9): documented request
// bodies are accepted with the documented status, and responses have the documented shape (the
// same property names at every level, less the documentation's known errors).
import { expect } from "chai";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { graphSchema } from "../support/schema";
import { call, get, groupId, testApi, type TestApi } from "./graph-harness";

type Json = Record<string, unknown>;
const POLICY = "/policies/authenticationMethodsPolicy";
const AUTHENTICATOR = `${POLICY}/authenticationMethodConfigurations/MicrosoftAuthenticator`;

function example(name: string): Json {
  return JSON.parse(
    readFileSync(path.resolve(__dirname, "../../../tests/fixtures/contract", name), "utf8"),
  );
}

const keys = (value: unknown) => Object.keys(value as Json).sort();
const campaignOf = (policy: Json) =>
  (policy.registrationEnforcement as Json).authenticationMethodsRegistrationCampaign as Json;
const authenticatorOf = (policy: Json) =>
  (policy.authenticationMethodConfigurations as Json[]).find(
    (c) => c.id === "MicrosoftAuthenticator",
  ) as Json;

describe("fidelity: the contract's documented examples", () => {
  let api: TestApi;
  beforeEach(() => {
    api = testApi();
  });

  it("§9.1 GET policy on v1.0: the documented properties, without the legacy per-target ones", async () => {
    const documented = example("9.1-get-policy-v1.json");
    const actual = await get(api, POLICY);
    expect(keys(actual)).to.include.members(keys(documented));
    expect(keys(campaignOf(actual))).to.deep.equal(keys(campaignOf(documented)));
    const target = (authenticatorOf(actual).includeTargets as Json[])[0];
    const documentedTarget = (authenticatorOf(documented).includeTargets as Json[])[0];
    const legacy = [
      "outlookMobileAllowedState",
      "displayAppInformationRequiredState",
      "numberMatchingRequiredState",
    ];
    expect(keys(target)).to.deep.equal(keys(documentedTarget).filter((k) => !legacy.includes(k)));
  });

  it("§9.2 GET policy on beta: the same properties at every level of the documented example", async () => {
    const documented = example("9.2-get-policy-beta.json");
    const actual = await get(api, POLICY, { version: "beta" });
    // The example predates 2026; the beta policy has since gained optOutSettings
    // (graph-contract-passkeys.md §2, SMSRET).
    expect(keys(actual)).to.deep.equal([...keys(documented), "optOutSettings"].sort());
    expect(keys(campaignOf(actual))).to.deep.equal(keys(campaignOf(documented)));
    for (const name of ["systemCredentialPreferences", "reportSuspiciousActivitySettings"])
      expect(keys(actual[name]), name).to.deep.equal(keys(documented[name]));
    const authenticator = authenticatorOf(actual);
    const documentedAuthenticator = authenticatorOf(documented);
    expect(keys(authenticator)).to.deep.equal(keys(documentedAuthenticator));
    expect(keys(authenticator.featureSettings)).to.deep.equal(
      keys(documentedAuthenticator.featureSettings),
    );
    for (const [name, feature] of Object.entries(documentedAuthenticator.featureSettings as Json))
      expect(keys((authenticator.featureSettings as Json)[name]), name).to.deep.equal(
        keys(feature),
      );
    expect(keys((authenticator.includeTargets as Json[])[0])).to.deep.equal(
      keys((documentedAuthenticator.includeTargets as Json[])[0]),
    );
    expect(actual["@microsoft.graph.tips"]).to.equal(documented["@microsoft.graph.tips"]);
    expect(actual.description).to.equal(documented.description);
    expect((actual.authenticationMethodConfigurations as Json[]).map((c) => c.id)).to.deep.equal([
      "MicrosoftAuthenticator",
      "Fido2",
      "Sms",
      "TemporaryAccessPass",
      "HardwareOath",
      "SoftwareOath",
      "Voice",
      "Email",
      "X509Certificate",
    ]);
  });

  it("§9.3 PATCH campaign: the documented body answers 200 with the documented properties", async () => {
    const body = example("9.3-patch-policy-body.json");
    const r = await call(api, "PATCH", POLICY, { body });
    expect(r.status).to.equal(200);
    const answer = r.body as Json;
    expect(keys(answer)).to.include.members([
      "id",
      "displayName",
      "description",
      "lastModifiedDateTime",
      "policyVersion",
      "registrationEnforcement",
    ]);
    expect(campaignOf(answer)).to.deep.equal(campaignOf(body));
    expect(graphSchema().validate(answer, "authenticationMethodsPolicy", "v1.0")).to.deep.equal([]);
  });

  it("§2.1 campaign shape: accepted on beta and returned as sent", async () => {
    const enforcement = example("2.1-campaign.json").registrationEnforcement as Json;
    const campaign = JSON.parse(
      JSON.stringify(enforcement.authenticationMethodsRegistrationCampaign).replace(
        "<guid>",
        await groupId(api, "emergency-access"),
      ),
    );
    const r = await call(api, "PATCH", POLICY, {
      version: "beta",
      body: { registrationEnforcement: { authenticationMethodsRegistrationCampaign: campaign } },
    });
    expect(r.status).to.equal(200);
    expect(campaignOf(r.body as Json)).to.deep.equal(campaign);
  });

  it("§9.4 GET Authenticator on v1.0: the documented shape with the schema's feature names and isSoftwareOathEnabled", async () => {
    const documented = example("9.4-get-authenticator-v1.json");
    const actual = await get(api, AUTHENTICATOR);
    expect(actual["@odata.context"]).to.equal(
      String(documented["@odata.context"]).replace(
        "https://graph.microsoft.com",
        "https://127.0.0.1:8443",
      ),
    );
    expect(keys(actual)).to.deep.equal(
      [...keys(documented), "includeTargets@odata.context", "isSoftwareOathEnabled"].sort(),
    );
    expect(keys(actual.featureSettings)).to.deep.equal([
      "displayAppInformationRequiredState",
      "displayLocationInformationRequiredState",
    ]);
    const documentedFeature = (documented.featureSettings as Json).displayAppContextRequiredState;
    expect(keys((actual.featureSettings as Json).displayAppInformationRequiredState)).to.deep.equal(
      keys(documentedFeature),
    );
  });

  it("§9.5 PATCH Authenticator: the minimal documented body answers 204 and takes effect", async () => {
    const pilot = await groupId(api, "pilot-authenticator-wave1");
    const body = JSON.parse(
      JSON.stringify(example("9.5-patch-authenticator-body.json")).replace(
        "<pilot-group-id>",
        pilot,
      ),
    );
    expect(await call(api, "PATCH", AUTHENTICATOR, { body })).to.deep.equal({ status: 204 });
    const actual = await get(api, AUTHENTICATOR);
    expect(actual.includeTargets).to.deep.equal(body.includeTargets);
    expect((actual.featureSettings as Json).displayAppInformationRequiredState).to.deep.equal(
      body.featureSettings.displayAppInformationRequiredState,
    );
  });

  it("§9.6 userRegistrationDetails: the documented row properties, for a registered member and a guest without methods", async () => {
    const documented = example("9.6-user-registration-details-v1.json").value as Json[];
    const rows = (await get(api, "/reports/authenticationMethods/userRegistrationDetails"))
      .value as Json[];
    const member = rows.find(
      (r) => r.userPrincipalName === "AlexW@contoso.onmicrosoft.com",
    ) as Json;
    const guest = rows.find(
      (r) => r.userPrincipalName === "sam.rivera_fabrikam.com#EXT#@contoso.onmicrosoft.com",
    ) as Json;
    expect(Object.keys(member)).to.deep.equal(Object.keys(documented[0]));
    expect(member.methodsRegistered).to.deep.equal(documented[0].methodsRegistered);
    expect(member).to.deep.include({
      systemPreferredAuthenticationMethods: ["push"],
      userPreferredMethodForSecondaryAuthentication: "push",
      userType: "member",
    });
    // Identity, freshness and the tenant's SSPR setting differ; every registration fact matches.
    const facts = (row: Json) =>
      Object.fromEntries(
        Object.entries(row).filter(
          ([k]) =>
            ![
              "id",
              "userPrincipalName",
              "userDisplayName",
              "lastUpdatedDateTime",
              "isSsprEnabled",
            ].includes(k),
        ),
      );
    expect(facts(guest)).to.deep.equal(facts(documented[1]));
  });

  it("§9.7 directoryAudits: the documented record shape, for a user-initiated and an app-initiated record", async () => {
    const documented = (example("9.7-directory-audits-v1.json").value as Json[])[0];
    await call(api, "PATCH", POLICY, {
      body: {
        registrationEnforcement: {
          authenticationMethodsRegistrationCampaign: { state: "enabled" },
        },
      },
    });
    const records = (await get(api, "/auditLogs/directoryAudits")).value as Json[];
    const byApp = records[0];
    const byUser = records.find((r) => (r.initiatedBy as Json).user !== null) as Json;
    for (const record of [byApp, byUser]) {
      expect(keys(record)).to.deep.equal(keys(documented));
      expect(keys(record.initiatedBy)).to.deep.equal(keys(documented.initiatedBy));
      expect(keys((record.targetResources as Json[])[0])).to.deep.equal(
        keys((documented.targetResources as Json[])[0]),
      );
    }
    expect(keys((byUser.initiatedBy as Json).user)).to.deep.equal(
      keys((documented.initiatedBy as Json).user),
    );
    expect(keys((byApp.initiatedBy as Json).app)).to.deep.equal([
      "appId",
      "displayName",
      "servicePrincipalId",
      "servicePrincipalName",
    ]);
    expect(String(byApp.activityDateTime)).to.match(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/,
    );
  });

  it("§4.1 create a security group: the documented 201 body, property for property", async () => {
    const documented = example("4.1-create-group-response.json");
    const r = await call(api, "POST", "/groups", {
      body: {
        description: "Group with designated owner and members",
        displayName: "Operations group",
        groupTypes: [],
        mailEnabled: false,
        mailNickname: "operations2019",
        securityEnabled: true,
      },
    });
    expect(r.status).to.equal(201);
    const actual = r.body as Json;
    expect(Object.keys(actual)).to.deep.equal(Object.keys(documented));
    const stable = [
      "deletedDateTime",
      "classification",
      "description",
      "displayName",
      "expirationDateTime",
      "groupTypes",
      "isAssignableToRole",
      "mail",
      "mailEnabled",
      "mailNickname",
      "membershipRule",
      "proxyAddresses",
      "securityEnabled",
      "visibility",
      "onPremisesProvisioningErrors",
    ];
    for (const name of stable) expect(actual[name], name).to.deep.equal(documented[name]);
  });
});
