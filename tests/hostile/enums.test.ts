// Enum members Graph added after `unknownFutureValue` (evolvable enums, graph-contract.md §0.2;
// emulator/graph/enums.ts), held by the tenant itself rather than faked into one answer: the
// emulator hides them from clients that do not send `Prefer: include-unknown-enum-members` and
// refuses them from such clients, as Graph does; the provider asks for them, so it reads, adopts,
// shows and restores the real values, and a read never writes.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { getToken, rawRequest, useEmulator, type RawResponse } from "../support/emulator";
import { loadTenant } from "../../emulator/graph/tenant";
import { provider, setConfig, setWarningSink } from "../../provider/resources/providers";

type Json = Record<string, unknown>;

const POLICY = "/v1.0/policies/authenticationMethodsPolicy";
const AUTHENTICATOR = `${POLICY}/authenticationMethodConfigurations/MicrosoftAuthenticator`;
const PREFER = { Prefer: "include-unknown-enum-members" };
const ADMINISTRATIVE_UNIT = "3c9b1f2e-7a41-4d2b-9e0f-5a6b7c8d9e01";
const PILOT_GROUP = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31";

/** The seed tenant, with the newer members tenants/README.md lists in the campaign and Authenticator. */
function tenantWithNewerMembers(): Json {
  const tenant = JSON.parse(
    readFileSync(path.resolve(__dirname, "../../../emulator/tenants/default.json"), "utf8"),
  ) as Json;
  const policy = tenant.authenticationMethodsPolicy as Json;
  const campaign = (policy.registrationEnforcement as Json)
    .authenticationMethodsRegistrationCampaign as Json;
  campaign.state = "enforced";
  campaign.excludeTargets = [{ id: ADMINISTRATIVE_UNIT, targetType: "administrativeUnit" }];
  const authenticator = (tenant.authenticationMethodConfigurations as Json[]).find(
    (c) => c.id === "MicrosoftAuthenticator",
  ) as Json;
  const features = authenticator.featureSettings as Record<string, Json>;
  features.displayLocationInformationRequiredState = {
    state: "enforced",
    includeTarget: { targetType: "dynamicGroup", id: PILOT_GROUP },
    excludeTarget: { targetType: "group", id: "00000000-0000-0000-0000-000000000000" },
  };
  authenticator.includeTargets = [
    {
      targetType: "group",
      id: "all_users",
      isRegistrationRequired: false,
      authenticationMode: "passkeyPush",
    },
  ];
  return tenant;
}

function campaignOf(policy: unknown): Json {
  return ((policy as Json).registrationEnforcement as Json)
    .authenticationMethodsRegistrationCampaign as Json;
}

function locationFeature(configuration: unknown): Json {
  return ((configuration as Json).featureSettings as Json)
    .displayLocationInformationRequiredState as Json;
}

describe("hostile input: enum members added after unknownFutureValue, held by the tenant", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ tenant: tenantWithNewerMembers(), resetEachTest: true });
  let token: string;
  let warnings: string[];

  before(async () => {
    token = await getToken(emulator);
  });
  beforeEach(() => {
    setConfig(() => undefined, {
      ...emulator.env("writer"),
      ENTRA_NUDGE_MAX_RETRIES: "0",
      ENTRA_NUDGE_RETRY_DELAY_SECONDS: "0",
    });
    warnings = [];
    setWarningSink((message) => warnings.push(message));
  });
  after(() => setWarningSink(undefined));

  const get = (p: string, headers: Record<string, string> = {}) =>
    rawRequest(emulator, { path: p, token, headers });
  const patch = (p: string, body: unknown, headers: Record<string, string> = {}) =>
    rawRequest(emulator, { method: "PATCH", path: p, token, headers, body });
  const ok = (r: RawResponse) => expect(r.status, r.text).to.be.within(200, 204);

  function writes() {
    return emulator
      .requests()
      .filter((r) => /^\/(v1\.0|beta)\//.test(r.path) && r.method !== "GET");
  }

  describe("the emulator, as Graph with evolvable enums", () => {
    it("answers unknownFutureValue without the Prefer header and the real member with it", async () => {
      const plain = await get(POLICY);
      expect(campaignOf(plain.json)).to.deep.include({
        state: "unknownFutureValue",
        excludeTargets: [{ id: ADMINISTRATIVE_UNIT, targetType: "unknownFutureValue" }],
      });
      expect(plain.headers["preference-applied"]).to.equal(undefined);

      const asked = await get(POLICY, PREFER);
      expect(campaignOf(asked.json)).to.deep.include({
        state: "enforced",
        excludeTargets: [{ id: ADMINISTRATIVE_UNIT, targetType: "administrativeUnit" }],
      });
      expect(asked.headers["preference-applied"]).to.equal("include-unknown-enum-members");
    });

    it("hides the Authenticator's newer feature state and target type, but not a mode of an enum without the sentinel", async () => {
      const plain = await get(AUTHENTICATOR);
      expect(locationFeature(plain.json)).to.deep.include({
        state: "unknownFutureValue",
        includeTarget: { targetType: "unknownFutureValue", id: PILOT_GROUP },
      });
      // microsoftAuthenticatorAuthenticationMode has no unknownFutureValue to answer instead.
      expect(((plain.json as Json).includeTargets as Json[])[0].authenticationMode).to.equal(
        "passkeyPush",
      );
      const asked = await get(AUTHENTICATOR, {
        Prefer: "return=minimal, include-unknown-enum-members",
      });
      expect(locationFeature(asked.json)).to.deep.include({
        state: "enforced",
        includeTarget: { targetType: "dynamicGroup", id: PILOT_GROUP },
      });
    });

    it("refuses a newer member sent without the Prefer header (400) and stores it with the header", async () => {
      const body = {
        registrationEnforcement: {
          authenticationMethodsRegistrationCampaign: { state: "enforced", snoozeDurationInDays: 3 },
        },
      };
      await patch(POLICY, {
        registrationEnforcement: {
          authenticationMethodsRegistrationCampaign: { state: "enabled" },
        },
      }).then(ok);
      const refused = await patch(POLICY, body);
      expect(refused.status).to.equal(400);
      expect(refused.text).to.contain(
        "'enforced' is a member of microsoft.graph.advancedConfigState added after unknownFutureValue; send the header 'Prefer: include-unknown-enum-members'",
      );
      expect(campaignOf((await get(POLICY, PREFER)).json).state).to.equal("enabled");

      const stored = await patch(POLICY, body, PREFER);
      ok(stored);
      expect(campaignOf(stored.json).state).to.equal("enforced");
      expect(campaignOf((await get(POLICY)).json).state).to.equal("unknownFutureValue");
    });

    it("keeps the value when a PATCH sends unknownFutureValue for a property, and refuses it inside a target (400)", async () => {
      const kept = await patch(POLICY, {
        registrationEnforcement: {
          authenticationMethodsRegistrationCampaign: {
            state: "unknownFutureValue",
            snoozeDurationInDays: 5,
          },
        },
      });
      ok(kept);
      expect(campaignOf((await get(POLICY, PREFER)).json)).to.include({
        state: "enforced",
        snoozeDurationInDays: 5,
      });

      const inTarget = await patch(POLICY, {
        registrationEnforcement: {
          authenticationMethodsRegistrationCampaign: {
            excludeTargets: [{ id: ADMINISTRATIVE_UNIT, targetType: "unknownFutureValue" }],
          },
        },
      });
      expect(inTarget.status).to.equal(400);
      expect(inTarget.text).to.match(
        /excludeTargets\[0\]\.targetType.*'unknownFutureValue' is a placeholder/,
      );
      const feature = await patch(AUTHENTICATOR, {
        "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
        featureSettings: {
          displayLocationInformationRequiredState: { state: "unknownFutureValue" },
        },
      });
      ok(feature);
      expect(locationFeature((await get(AUTHENTICATOR, PREFER)).json).state).to.equal("enforced");
    });

    it("refuses a tenant file that stores unknownFutureValue: a tenant holds real members", () => {
      const tenant = tenantWithNewerMembers();
      campaignOf(tenant.authenticationMethodsPolicy).state = "unknownFutureValue";
      expect(() => loadTenant(tenant)).to.throw(
        /registrationEnforcement\.authenticationMethodsRegistrationCampaign\.state.*placeholder/,
      );
    });
  });

  describe("the provider", () => {
    const campaign = () => provider("RegistrationCampaign");
    const authenticator = () => provider("AuthenticatorPolicy");

    it("reads the campaign's real new members into state and the diff, writing nothing", async () => {
      emulator.clearRequests();
      const id = `${emulator.info.tenantId}/registrationCampaign`;
      const read = await campaign().read!(id, { state: "enabled", snoozeDurationInDays: 1 });
      const props = read.props as Json;
      expect(props.state).to.equal("enforced");
      expect(props.excludeTargets).to.deep.equal([
        { id: ADMINISTRATIVE_UNIT, targetType: "administrativeUnit" },
      ]);
      const declared = (await campaign().check!({}, { state: "enabled" })).inputs as Json;
      const diff = await campaign().diff!(id, { ...props, ...(read.inputs as Json) }, declared);
      expect(diff.changes).to.equal(true);
      expect(diff.replaces ?? []).to.deep.equal([]);
      expect(writes()).to.deep.equal([]);
    });

    it("adopts the campaign's new members as the settings found and restores them exactly on delete", async () => {
      const before = campaignOf((await get(POLICY, PREFER)).json);
      const inputs = (await campaign().check!({}, { state: "enabled", snoozeDurationInDays: 0 }))
        .inputs as Json;
      const { id, outs } = await campaign().create(inputs);
      expect(outs.originalSettings).to.deep.include({
        state: "enforced",
        excludeTargets: [{ id: ADMINISTRATIVE_UNIT, targetType: "administrativeUnit" }],
      });
      expect(campaignOf((await get(POLICY, PREFER)).json)).to.include({ state: "enabled" });

      // The restore sends "enforced" and "administrativeUnit": Graph takes them only with the
      // Prefer header, so this also proves the provider's PATCH sends it.
      await campaign().delete!(id, outs);
      expect(campaignOf((await get(POLICY, PREFER)).json)).to.deep.equal(before);
    });

    it("shows drift to a new member set in the portal, and the read writes nothing", async () => {
      const inputs = (await campaign().check!({}, { state: "enabled" })).inputs as Json;
      const { id, outs } = await campaign().create(inputs);
      await patch(
        POLICY,
        {
          registrationEnforcement: {
            authenticationMethodsRegistrationCampaign: { state: "enforced" },
          },
        },
        PREFER,
      ).then(ok);
      emulator.clearRequests();
      const read = await campaign().read!(id, outs);
      expect(read.props).to.include({ state: "enforced" });
      const drift = await campaign().diff!(id, read.props as Json, inputs);
      expect(drift.changes).to.equal(true);
      expect(writes()).to.deep.equal([]);
    });

    it("adopts the Authenticator's new feature state, target type and mode, and restores them exactly", async () => {
      const before = (await get(AUTHENTICATOR, PREFER)).json as Json;
      const inputs = (
        await authenticator().check!(
          {},
          {
            state: "enabled",
            includeTargets: [{ id: PILOT_GROUP, targetType: "group", authenticationMode: "push" }],
          },
        )
      ).inputs as Json;
      const { id, outs } = await authenticator().create(inputs);
      const original = outs.originalSettings as Json;
      expect(locationFeature(original)).to.deep.include({
        state: "enforced",
        includeTarget: { targetType: "dynamicGroup", id: PILOT_GROUP },
      });
      expect((original.includeTargets as Json[])[0].authenticationMode).to.equal("passkeyPush");
      // The declaration replaced the targets (and says so); the features it does not declare stay.
      expect(warnings.join("\n")).to.contain("passkeyPush");
      expect(locationFeature((await get(AUTHENTICATOR, PREFER)).json).state).to.equal("enforced");

      await authenticator().delete!(id, outs);
      expect((await get(AUTHENTICATOR, PREFER)).json).to.deep.equal(before);
    });
  });
});
