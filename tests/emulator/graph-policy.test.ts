// The authentication methods policy and the Microsoft Authenticator configuration, through the
// handlers (graph-contract.md §1–§3, §10).
import { expect } from "chai";
import { call, expectGraphError, get, groupId, testApi, type TestApi } from "./graph-harness";

const POLICY = "/policies/authenticationMethodsPolicy";
const AUTHENTICATOR = `${POLICY}/authenticationMethodConfigurations/MicrosoftAuthenticator`;
const AUTHENTICATOR_TYPE =
  "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration";

type Json = Record<string, unknown>;

function campaignOf(policy: Json): Json {
  return (policy.registrationEnforcement as Json).authenticationMethodsRegistrationCampaign as Json;
}

function patchCampaign(api: TestApi, campaign: Json, version: "v1.0" | "beta" = "v1.0") {
  return call(api, "PATCH", POLICY, {
    version,
    body: { registrationEnforcement: { authenticationMethodsRegistrationCampaign: campaign } },
  });
}

describe("graph handlers: authenticationMethodsPolicy (§1, §2)", () => {
  let api: TestApi;
  beforeEach(() => {
    api = testApi();
  });

  it("GET returns the out-of-the-box campaign with the configurations expanded and annotated", async () => {
    const body = await get(api, POLICY);
    expect(body["@odata.context"]).to.equal(
      "https://127.0.0.1:8443/v1.0/$metadata#authenticationMethodsPolicy",
    );
    expect(body.id).to.equal("authenticationMethodsPolicy");
    expect(campaignOf(body)).to.deep.equal({
      snoozeDurationInDays: 1,
      state: "default",
      excludeTargets: [],
      includeTargets: [
        {
          id: "all_users",
          targetType: "group",
          targetedAuthenticationMethod: "microsoftAuthenticator",
        },
      ],
    });
    expect(body["authenticationMethodConfigurations@odata.context"]).to.equal(
      "https://127.0.0.1:8443/v1.0/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations",
    );
    const configs = body.authenticationMethodConfigurations as Json[];
    expect(configs.map((c) => c.id)).to.include.members([
      "MicrosoftAuthenticator",
      "Fido2",
      "Sms",
      "Email",
    ]);
    const authenticator = configs.find((c) => c.id === "MicrosoftAuthenticator") as Json;
    expect(authenticator["includeTargets@odata.context"]).to.equal(
      "https://127.0.0.1:8443/v1.0/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations('MicrosoftAuthenticator')/microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration/includeTargets",
    );
  });

  it("keeps beta-only properties out of v1.0 and serves them on beta (§1.4, §2.2, §3.5)", async () => {
    const v1 = await get(api, POLICY);
    const beta = await get(api, POLICY, { version: "beta" });
    expect(v1).not.to.have.any.keys(
      "systemCredentialPreferences",
      "reportSuspiciousActivitySettings",
    );
    expect(campaignOf(v1)).not.to.have.property("enforceRegistrationAfterAllowedSnoozes");
    expect(beta).to.include.keys("systemCredentialPreferences", "reportSuspiciousActivitySettings");
    expect(campaignOf(beta).enforceRegistrationAfterAllowedSnoozes).to.equal(true);
    const v1Authenticator = (v1.authenticationMethodConfigurations as Json[]).find(
      (c) => c.id === "MicrosoftAuthenticator",
    ) as Json;
    expect(v1Authenticator.featureSettings).to.have.all.keys(
      "displayAppInformationRequiredState",
      "displayLocationInformationRequiredState",
    );
    expect((v1.authenticationMethodConfigurations as Json[]).map((c) => c.id)).not.to.include(
      "HardwareOath",
    );
    expect((beta.authenticationMethodConfigurations as Json[]).map((c) => c.id)).to.include(
      "HardwareOath",
    );
  });

  it("honours $select with OData's context fragment and refuses unknown or beta-only names on v1.0", async () => {
    const body = await get(api, `${POLICY}?$select=displayName,registrationEnforcement`);
    expect(Object.keys(body)).to.deep.equal([
      "@odata.context",
      "displayName",
      "registrationEnforcement",
    ]);
    expect(body["@odata.context"]).to.match(
      /#authenticationMethodsPolicy\(displayName,registrationEnforcement\)$/,
    );
    await expectGraphError(
      call(api, "GET", `${POLICY}?$select=systemCredentialPreferences`),
      400,
      "BadRequest",
      "Could not find a property named 'systemCredentialPreferences' on type 'microsoft.graph.authenticationMethodsPolicy'.",
    );
    const beta = await get(api, `${POLICY}?$select=systemCredentialPreferences`, {
      version: "beta",
    });
    expect(beta).to.have.property("systemCredentialPreferences");
  });

  it("PATCH answers 200 with the policy and merges: omitted nested scalars and targets are preserved (§1.5)", async () => {
    const pilot = await groupId(api, "pilot-authenticator-wave1");
    await patchCampaign(api, {
      state: "enabled",
      snoozeDurationInDays: 0,
      includeTargets: [
        { id: pilot, targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" },
      ],
    });
    const r = await patchCampaign(api, { state: "disabled" });
    expect(r.status).to.equal(200);
    const campaign = campaignOf(r.body as Json);
    expect(campaign).to.deep.include({ state: "disabled", snoozeDurationInDays: 0 });
    expect(campaign.includeTargets).to.deep.equal([
      { id: pilot, targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" },
    ]);
    expect(campaignOf(await get(api, POLICY))).to.deep.equal(campaign);
  });

  it("replaces collections whole: excludeTargets [] clears them (§1.5, §10 item 4)", async () => {
    const breakGlass = await groupId(api, "emergency-access");
    await patchCampaign(api, { excludeTargets: [{ id: breakGlass, targetType: "group" }] });
    expect(campaignOf(await get(api, POLICY)).excludeTargets).to.deep.equal([
      { id: breakGlass, targetType: "group" },
    ]);
    await patchCampaign(api, { excludeTargets: [] });
    expect(campaignOf(await get(api, POLICY)).excludeTargets).to.deep.equal([]);
    expect(campaignOf(await get(api, POLICY)).includeTargets).to.have.length(1);
  });

  it("updates lastModifiedDateTime with 7 fractional digits and does not expand configurations in the PATCH answer", async () => {
    const r = await patchCampaign(api, { snoozeDurationInDays: 3 });
    const body = r.body as Json;
    expect(body.lastModifiedDateTime).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
    expect(body).not.to.have.property("authenticationMethodConfigurations");
    expect(body["@odata.context"]).to.equal(
      "https://127.0.0.1:8443/v1.0/$metadata#authenticationMethodsPolicy",
    );
  });

  it("fills the targeted method and keeps the sent spelling of fido2 (§2.3, §10 item 3)", async () => {
    const pilot = await groupId(api, "pilot-authenticator-wave1");
    const r = await patchCampaign(api, { includeTargets: [{ id: pilot, targetType: "group" }] });
    expect(campaignOf(r.body as Json).includeTargets).to.deep.equal([
      { id: pilot, targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" },
    ]);
    const fido = await patchCampaign(api, {
      includeTargets: [
        { id: "all_users", targetType: "group", targetedAuthenticationMethod: "Fido2" },
      ],
    });
    expect(fido.status).to.equal(200);
    expect(campaignOf(fido.body as Json).includeTargets).to.deep.equal([
      { id: "all_users", targetType: "group", targetedAuthenticationMethod: "Fido2" },
    ]);
  });

  it("accepts unknown object ids: the policy stores ids without checking them (§2.6)", async () => {
    const r = await patchCampaign(api, {
      excludeTargets: [{ id: "7f0c1d8e-1111-4222-8333-944455556666", targetType: "user" }],
    });
    expect(r.status).to.equal(200);
  });

  describe("validation (§2.6, §10 item 2)", () => {
    const cases: [string, Json, RegExp][] = [
      [
        "snooze above 14",
        { snoozeDurationInDays: 15 },
        /snoozeDurationInDays.*outside the range 0\.\.14/,
      ],
      ["negative snooze", { snoozeDurationInDays: -1 }, /outside the range/],
      [
        "a bad state",
        { state: "on" },
        /'on' is not a member of microsoft\.graph\.advancedConfigState/,
      ],
      // A PATCH's unknownFutureValue keeps a merged property (tests/hostile/enums.test.ts); in a
      // collection, which the PATCH replaces, it is refused (emulator/graph/enums.ts).
      [
        "unknownFutureValue in a target",
        {
          excludeTargets: [
            { id: "7f0c1d8e-1111-4222-8333-944455556666", targetType: "unknownFutureValue" },
          ],
        },
        /'unknownFutureValue' is a placeholder/,
      ],
      [
        "a bad targetType",
        { excludeTargets: [{ id: "7f0c1d8e-1111-4222-8333-944455556666", targetType: "device" }] },
        /authenticationMethodTargetType/,
      ],
      [
        "all_users as a user target",
        { includeTargets: [{ id: "all_users", targetType: "user" }] },
        /'all_users' is a group target/,
      ],
      [
        "all_users excluded",
        { excludeTargets: [{ id: "all_users", targetType: "group" }] },
        /'all_users' cannot be used here/,
      ],
      [
        "a name instead of an id",
        { excludeTargets: [{ id: "Break Glass", targetType: "group" }] },
        /is not an object id/,
      ],
      [
        "an unknown targeted method",
        {
          includeTargets: [
            { id: "all_users", targetType: "group", targetedAuthenticationMethod: "sms" },
          ],
        },
        /not a method a registration campaign can target/,
      ],
      [
        "mixed targeted methods",
        {
          includeTargets: [
            {
              id: "all_users",
              targetType: "group",
              targetedAuthenticationMethod: "microsoftAuthenticator",
            },
            {
              id: "7f0c1d8e-1111-4222-8333-944455556666",
              targetType: "group",
              targetedAuthenticationMethod: "fido2",
            },
          ],
        },
        /same targetedAuthenticationMethod/,
      ],
      [
        "a target without targetType",
        { includeTargets: [{ id: "all_users" }] },
        /a target type is required/,
      ],
    ];
    for (const [name, campaign, message] of cases) {
      it(`refuses ${name} with 400 and changes nothing`, async () => {
        const before = await get(api, POLICY);
        await expectGraphError(patchCampaign(api, campaign), 400, "BadRequest", message);
        expect(await get(api, POLICY)).to.deep.equal(before);
      });
    }

    it("refuses wrong JSON types with OData's conversion error", async () => {
      await expectGraphError(
        patchCampaign(api, { snoozeDurationInDays: "3" }),
        400,
        "BadRequest",
        "Cannot convert the literal '3' to the expected type 'Edm.Int32'.",
      );
    });

    it("refuses properties the type lacks, beta-only ones on v1.0 included", async () => {
      await expectGraphError(
        patchCampaign(api, { snoozeDays: 3 }),
        400,
        "BadRequest",
        /^The property 'snoozeDays' does not exist on type 'microsoft\.graph\.authenticationMethodsRegistrationCampaign'\./,
      );
      await expectGraphError(
        call(api, "PATCH", POLICY, { body: { systemCredentialPreferences: { state: "enabled" } } }),
        400,
        "BadRequest",
        /'systemCredentialPreferences' does not exist on type 'microsoft\.graph\.authenticationMethodsPolicy'/,
      );
      const beta = await call(api, "PATCH", POLICY, {
        version: "beta",
        body: { systemCredentialPreferences: { state: "enabled" } },
      });
      expect(beta.status).to.equal(200);
    });

    it("accepts read-only properties sent back unchanged and refuses changed ones", async () => {
      const ok = await call(api, "PATCH", POLICY, {
        body: {
          id: "authenticationMethodsPolicy",
          displayName: "Authentication Methods Policy",
          registrationEnforcement: {
            authenticationMethodsRegistrationCampaign: { state: "enabled" },
          },
        },
      });
      expect(ok.status).to.equal(200);
      await expectGraphError(
        call(api, "PATCH", POLICY, { body: { displayName: "Mine" } }),
        400,
        "BadRequest",
        "Property 'displayName' is read-only and cannot be set.",
      );
    });

    it("reports the configured error code (§10 item 2)", async () => {
      api.configure({ validationErrorCode: "invalidRequest" });
      await expectGraphError(
        patchCampaign(api, { snoozeDurationInDays: 99 }),
        400,
        "invalidRequest",
      );
    });

    it("refuses an empty body", async () => {
      await expectGraphError(
        call(api, "PATCH", POLICY),
        400,
        "BadRequest",
        "Empty Payload. JSON content expected.",
      );
    });
  });

  describe("enforceRegistrationAfterAllowedSnoozes (§2.2, §10 item 1)", () => {
    it("is accepted on v1.0, stored, and shown on beta only", async () => {
      const r = await patchCampaign(api, { enforceRegistrationAfterAllowedSnoozes: false });
      expect(r.status).to.equal(200);
      expect(campaignOf(r.body as Json)).not.to.have.property(
        "enforceRegistrationAfterAllowedSnoozes",
      );
      expect(
        campaignOf(await get(api, POLICY, { version: "beta" }))
          .enforceRegistrationAfterAllowedSnoozes,
      ).to.equal(false);
    });

    it("is echoed on v1.0 when configured", async () => {
      api.configure({ v1EchoEnforceRegistration: true });
      const campaign = campaignOf(await get(api, POLICY));
      expect(Object.keys(campaign).slice(0, 2)).to.deep.equal([
        "snoozeDurationInDays",
        "enforceRegistrationAfterAllowedSnoozes",
      ]);
    });
  });

  it("Microsoft-managed state: snooze edits are stored by default and refused when configured (§2.8, §10 item 6)", async () => {
    expect((await patchCampaign(api, { snoozeDurationInDays: 5 })).status).to.equal(200);
    api.configure({ managedCampaignEdits: "reject" });
    await expectGraphError(
      patchCampaign(api, { snoozeDurationInDays: 0 }),
      400,
      "BadRequest",
      /Microsoft managed/,
    );
    expect(
      (await patchCampaign(api, { state: "enabled", snoozeDurationInDays: 0 })).status,
    ).to.equal(200);
  });

  it("DELETE is 405 (§1.1, §10 item 24)", async () => {
    await expectGraphError(
      call(api, "DELETE", POLICY),
      405,
      "Request_BadRequest",
      "Specified HTTP method is not allowed for the request target.",
    );
  });

  it("reads may lag a write when policy replication is configured (§4.8)", async () => {
    let now = Date.parse("2026-11-29T10:00:00Z");
    api = testApi({ policyReplicationDelayMs: 5000, now: () => now });
    await patchCampaign(api, { state: "enabled" });
    expect(campaignOf(await get(api, POLICY)).state).to.equal("default");
    now += 5000;
    expect(campaignOf(await get(api, POLICY)).state).to.equal("enabled");
  });
});

describe("graph handlers: Microsoft Authenticator configuration (§3)", () => {
  let api: TestApi;
  beforeEach(() => {
    api = testApi();
  });

  it("GET answers the configuration, by either casing of its id and the key-segment form", async () => {
    const body = await get(api, AUTHENTICATOR);
    expect(body["@odata.context"]).to.equal(
      "https://127.0.0.1:8443/v1.0/$metadata#authenticationMethodConfigurations/$entity",
    );
    expect(body).to.include({
      "@odata.type": AUTHENTICATOR_TYPE,
      id: "MicrosoftAuthenticator",
      state: "enabled",
      isSoftwareOathEnabled: false,
    });
    expect(body.includeTargets).to.deep.equal([
      {
        targetType: "group",
        id: "all_users",
        isRegistrationRequired: false,
        authenticationMode: "any",
      },
    ]);
    const lower = await get(
      api,
      `${POLICY}/authenticationMethodConfigurations/microsoftAuthenticator`,
    );
    const keyed = await get(
      api,
      `${POLICY}/authenticationMethodConfigurations('MicrosoftAuthenticator')`,
    );
    expect(lower.id).to.equal("MicrosoftAuthenticator");
    expect(keyed.id).to.equal("MicrosoftAuthenticator");
  });

  it("feature settings per version: companionAppAllowedState and numberMatchingRequiredState on beta only (§3.5)", async () => {
    const v1 = (await get(api, AUTHENTICATOR)).featureSettings as Json;
    const beta = (await get(api, AUTHENTICATOR, { version: "beta" })).featureSettings as Json;
    expect(v1).to.have.all.keys(
      "displayAppInformationRequiredState",
      "displayLocationInformationRequiredState",
    );
    expect(beta).to.include.keys("companionAppAllowedState", "numberMatchingRequiredState");
    expect((beta.numberMatchingRequiredState as Json).state).to.equal("enabled");
  });

  it("PATCH answers 204, replaces targets, merges feature settings and defaults the mode", async () => {
    const pilot = await groupId(api, "pilot-authenticator-wave1");
    const r = await call(api, "PATCH", AUTHENTICATOR, {
      body: {
        "@odata.type": AUTHENTICATOR_TYPE,
        includeTargets: [{ targetType: "group", id: pilot }],
        featureSettings: { displayAppInformationRequiredState: { state: "enabled" } },
      },
    });
    expect(r).to.deep.equal({ status: 204 });
    const body = await get(api, AUTHENTICATOR, { version: "beta" });
    expect(body.includeTargets).to.deep.equal([
      { isRegistrationRequired: false, targetType: "group", id: pilot, authenticationMode: "any" },
    ]);
    const features = body.featureSettings as Record<string, Json>;
    expect(features.displayAppInformationRequiredState).to.deep.equal({
      state: "enabled",
      includeTarget: { targetType: "group", id: "all_users" },
      excludeTarget: { targetType: "group", id: "00000000-0000-0000-0000-000000000000" },
    });
    expect(features.companionAppAllowedState.state).to.equal("default");
  });

  it("PATCH without @odata.type, or with another type, is 400 (§3.1, §10 item 10)", async () => {
    await expectGraphError(
      call(api, "PATCH", AUTHENTICATOR, { body: { state: "disabled" } }),
      400,
      "BadRequest",
      /must specify '@odata\.type'/,
    );
    await expectGraphError(
      call(api, "PATCH", AUTHENTICATOR, {
        body: {
          "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
          state: "disabled",
        },
      }),
      400,
      "BadRequest",
      /does not match/,
    );
  });

  it("refuses number matching with the service's verbatim message, even unchanged (§3.6, §10 item 9)", async () => {
    const beta = await get(api, AUTHENTICATOR, { version: "beta" });
    const roundTrip = { ...beta };
    delete roundTrip["@odata.context"];
    await expectGraphError(
      call(api, "PATCH", AUTHENTICATOR, { version: "beta", body: roundTrip }),
      400,
      "badRequest",
      "Persistance of policy failed with error: Microsoft Authenticator's number matching feature can no longer be toggled as part of featureSettings.",
    );
    await expectGraphError(
      call(api, "PATCH", AUTHENTICATOR, {
        body: {
          "@odata.type": AUTHENTICATOR_TYPE,
          featureSettings: { numberMatchingRequiredState: { state: "enabled" } },
        },
      }),
      400,
      "BadRequest",
      /'numberMatchingRequiredState' does not exist on type 'microsoft\.graph\.microsoftAuthenticatorFeatureSettings'/,
    );
  });

  it("refuses companionAppAllowedState on v1.0 and accepts it on beta", async () => {
    const body = {
      "@odata.type": AUTHENTICATOR_TYPE,
      featureSettings: { companionAppAllowedState: { state: "disabled" } },
    };
    await expectGraphError(
      call(api, "PATCH", AUTHENTICATOR, { body }),
      400,
      "BadRequest",
      /companionAppAllowedState/,
    );
    expect((await call(api, "PATCH", AUTHENTICATOR, { version: "beta", body })).status).to.equal(
      204,
    );
  });

  it("refuses legacy per-target properties and bad modes", async () => {
    await expectGraphError(
      call(api, "PATCH", AUTHENTICATOR, {
        body: {
          "@odata.type": AUTHENTICATOR_TYPE,
          includeTargets: [
            { id: "all_users", targetType: "group", numberMatchingRequiredState: "default" },
          ],
        },
      }),
      400,
      "BadRequest",
      /microsoftAuthenticatorAuthenticationMethodTarget/,
    );
    await expectGraphError(
      call(api, "PATCH", AUTHENTICATOR, {
        body: {
          "@odata.type": AUTHENTICATOR_TYPE,
          includeTargets: [
            { id: "all_users", targetType: "group", authenticationMode: "passwordless" },
          ],
        },
      }),
      400,
      "BadRequest",
      /microsoftAuthenticatorAuthenticationMode/,
    );
  });

  it("DELETE reverts the configuration to the tenant's default (§3.1)", async () => {
    await call(api, "PATCH", AUTHENTICATOR, {
      body: { "@odata.type": AUTHENTICATOR_TYPE, state: "disabled" },
    });
    expect((await get(api, AUTHENTICATOR)).state).to.equal("disabled");
    expect((await call(api, "DELETE", AUTHENTICATOR)).status).to.equal(204);
    expect((await get(api, AUTHENTICATOR)).state).to.equal("enabled");
  });

  it("other configurations are served and patchable; HardwareOath exists on beta only", async () => {
    const fido = await get(api, `${POLICY}/authenticationMethodConfigurations/Fido2`);
    expect(fido["@odata.type"]).to.equal("#microsoft.graph.fido2AuthenticationMethodConfiguration");
    const r = await call(api, "PATCH", `${POLICY}/authenticationMethodConfigurations/Sms`, {
      body: {
        "@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration",
        state: "disabled",
      },
    });
    expect(r.status).to.equal(204);
    await expectGraphError(
      call(api, "GET", `${POLICY}/authenticationMethodConfigurations/HardwareOath`),
      404,
      "NotFound",
    );
    expect(
      (
        await get(api, `${POLICY}/authenticationMethodConfigurations/HardwareOath`, {
          version: "beta",
        })
      ).state,
    ).to.equal("disabled");
    const list = await get(api, `${POLICY}/authenticationMethodConfigurations`);
    expect((list.value as Json[]).length).to.equal(8);
  });

  it("a PATCH updates the policy's lastModifiedDateTime", async () => {
    const before = (await get(api, POLICY)).lastModifiedDateTime as string;
    await call(api, "PATCH", AUTHENTICATOR, {
      body: { "@odata.type": AUTHENTICATOR_TYPE, isSoftwareOathEnabled: true },
    });
    const after = (await get(api, POLICY)).lastModifiedDateTime as string;
    expect(Date.parse(after)).to.be.greaterThan(Date.parse(before));
  });
});
