// Mapping from and to Graph: canonical forms from real GET shapes (fixtures), PATCH bodies that
// send only what the resource owns, every name checked against the Graph schema subset, and a
// declaration that survives the round trip without a diff.
import {
  ALL_USERS,
  AUTHENTICATOR_ODATA_TYPE,
  NIL_GUID,
  authenticatorFromGraph,
  authenticatorToGraphPatch,
  campaignFromGraph,
  campaignToGraphPatch,
  describeChanges,
  parseArgs,
  type GraphAuthenticationMethodsPolicy,
  type GraphAuthenticatorConfiguration,
} from "../../provider/model";
import { graphSchema } from "../support/schema";
import { G1, G2, U1, expect, fixture } from "./support";

const policyBeta = fixture<GraphAuthenticationMethodsPolicy>("policy-beta.json");
const policyV1 = fixture<GraphAuthenticationMethodsPolicy>("policy-v1.json");
const authenticatorBeta = fixture<GraphAuthenticatorConfiguration>("authenticator-beta.json");
const authenticatorV1 = fixture<GraphAuthenticatorConfiguration>("authenticator-v1.json");

/** No problem with `value` as an instance of the Graph type in that version (the shared validator). */
function expectValid(value: unknown, typeName: string, version: "v1.0" | "beta") {
  expect(graphSchema().validate(value, typeName, version)).to.deep.equal([]);
}

describe("model: the schema check itself", () => {
  const problems = (value: unknown, typeName: string) =>
    graphSchema().validate(value, typeName, "v1.0").join("\n");

  it("catches a beta-only property sent to v1.0", () => {
    expect(
      problems(
        { enforceRegistrationAfterAllowedSnoozes: true },
        "authenticationMethodsRegistrationCampaign",
      ),
    ).to.contain("enforceRegistrationAfterAllowedSnoozes");
    expect(
      problems({ numberMatchingRequiredState: {} }, "microsoftAuthenticatorFeatureSettings"),
    ).to.contain("numberMatchingRequiredState");
  });

  it("catches an enum value Graph does not have", () => {
    expect(
      problems(
        { id: "x", targetType: "group", authenticationMode: "passwordless" },
        "microsoftAuthenticatorAuthenticationMethodTarget",
      ),
    ).to.contain("passwordless");
  });
});

describe("model: the campaign from Graph", () => {
  it("a beta GET: canonical, with enforceRegistrationAfterAllowedSnoozes and nothing of the rest of the policy", () => {
    expect(campaignFromGraph(policyBeta)).to.deep.equal({
      state: "enabled",
      targetedAuthenticationMethod: "microsoftAuthenticator",
      snoozeDurationInDays: 3,
      enforceRegistrationAfterAllowedSnoozes: true,
      includeTargets: [
        {
          id: ALL_USERS,
          targetType: "group",
          targetedAuthenticationMethod: "microsoftAuthenticator",
        },
        { id: G1, targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" },
      ],
      excludeTargets: [
        { id: U1, targetType: "user" },
        { id: G2, targetType: "group" },
      ],
    });
  });

  it("a v1.0 GET leaves enforceRegistrationAfterAllowedSnoozes out (unknown there, so not compared)", () => {
    expect(campaignFromGraph(policyV1)).to.deep.equal({
      state: "default",
      targetedAuthenticationMethod: "microsoftAuthenticator",
      snoozeDurationInDays: 1,
      includeTargets: [
        {
          id: ALL_USERS,
          targetType: "group",
          targetedAuthenticationMethod: "microsoftAuthenticator",
        },
      ],
      excludeTargets: [],
    });
  });

  const empty: [string, GraphAuthenticationMethodsPolicy | null][] = [
    ["no registrationEnforcement", { id: "authenticationMethodsPolicy" }],
    [
      "a null campaign",
      { registrationEnforcement: { authenticationMethodsRegistrationCampaign: null } },
    ],
    ["no policy at all", null],
  ];
  for (const [name, policy] of empty) {
    it(`${name}: Graph's defaults (Microsoft managed, everyone, 1 day)`, () => {
      expect(campaignFromGraph(policy)).to.deep.equal(campaignFromGraph(policyV1));
    });
  }

  it("a target with a null method gets the default method", () => {
    const settings = campaignFromGraph({
      registrationEnforcement: {
        authenticationMethodsRegistrationCampaign: {
          state: "enabled",
          snoozeDurationInDays: 2,
          includeTargets: [{ id: G1, targetType: "group", targetedAuthenticationMethod: null }],
          excludeTargets: [],
        },
      },
    });
    expect(settings.includeTargets[0].targetedAuthenticationMethod).to.equal(
      "microsoftAuthenticator",
    );
  });
});

describe("model: the campaign PATCH", () => {
  const declared = parseArgs("RegistrationCampaign", {
    state: "enabled",
    snoozeDurationInDays: 0,
    includeTargets: [{ id: G1.toUpperCase(), targetType: "group" }],
    excludeTargets: [{ id: G2, targetType: "group" }],
    onDelete: "retain",
  });

  it("sends only registrationEnforcement, the campaign in full, on v1.0 when the snooze limit is not managed", () => {
    const write = campaignToGraphPatch(declared);
    expect(write.version).to.equal("v1.0");
    expect(write.body).to.deep.equal({
      registrationEnforcement: {
        authenticationMethodsRegistrationCampaign: {
          state: "enabled",
          snoozeDurationInDays: 0,
          includeTargets: [
            { id: G1, targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" },
          ],
          excludeTargets: [{ id: G2, targetType: "group" }],
        },
      },
    });
  });

  it("every name it sends on v1.0 exists in the v1.0 schema, every enum value too", () => {
    const { body } = campaignToGraphPatch(declared);
    expectValid(body, "authenticationMethodsPolicy", "v1.0");
  });

  it("goes to beta, with enforceRegistrationAfterAllowedSnoozes, when it is managed; the names exist in beta", () => {
    const write = campaignToGraphPatch({
      ...declared,
      enforceRegistrationAfterAllowedSnoozes: false,
    });
    expect(write.version).to.equal("beta");
    const campaign = write.body.registrationEnforcement.authenticationMethodsRegistrationCampaign;
    expect(campaign.enforceRegistrationAfterAllowedSnoozes).to.equal(false);
    expectValid(write.body, "authenticationMethodsPolicy", "beta");
  });

  it("a declaration survives PATCH then GET without a diff", () => {
    const stored = { ...policyBeta, ...campaignToGraphPatch(declared).body };
    expect(
      describeChanges("RegistrationCampaign", declared, campaignFromGraph(stored)),
    ).to.deep.equal([]);
  });

  it("restoring an adopted snapshot writes it back exactly", () => {
    const snapshot = campaignFromGraph(policyBeta);
    const stored = { ...policyV1, ...campaignToGraphPatch(snapshot).body };
    expect(campaignFromGraph(stored)).to.deep.equal(snapshot);
  });
});

describe("model: the Authenticator configuration from Graph", () => {
  it("a beta GET: canonical, companionAppAllowedState kept, numberMatchingRequiredState dropped", () => {
    expect(authenticatorFromGraph(authenticatorBeta)).to.deep.equal({
      state: "enabled",
      includeTargets: [
        {
          id: ALL_USERS,
          targetType: "group",
          authenticationMode: "any",
          isRegistrationRequired: false,
        },
        { id: G1, targetType: "group", authenticationMode: "push", isRegistrationRequired: false },
      ],
      excludeTargets: [{ id: G2, targetType: "group" }],
      isSoftwareOathEnabled: false,
      featureSettings: {
        displayAppInformationRequiredState: {
          state: "enabled",
          includeTarget: { id: G1, targetType: "group" },
          excludeTarget: { id: NIL_GUID, targetType: "group" },
        },
        displayLocationInformationRequiredState: {
          state: "default",
          includeTarget: { id: ALL_USERS, targetType: "group" },
          excludeTarget: { id: NIL_GUID, targetType: "group" },
        },
        companionAppAllowedState: {
          state: "default",
          includeTarget: { id: ALL_USERS, targetType: "group" },
          excludeTarget: { id: NIL_GUID, targetType: "group" },
        },
      },
    });
  });

  it("a v1.0 GET: nulls become Graph's defaults, no beta-only setting appears", () => {
    const settings = authenticatorFromGraph(authenticatorV1);
    expect(settings.isSoftwareOathEnabled).to.equal(false);
    expect(Object.keys(settings.featureSettings)).to.deep.equal([
      "displayAppInformationRequiredState",
      "displayLocationInformationRequiredState",
    ]);
    expect(settings.featureSettings.displayAppInformationRequiredState?.state).to.equal("default");
  });
});

describe("model: the Authenticator PATCH", () => {
  const declared = parseArgs("AuthenticatorPolicy", {
    state: "enabled",
    includeTargets: [{ id: G1, targetType: "group", authenticationMode: "any" }],
    excludeTargets: [{ id: G2, targetType: "group" }],
    featureSettings: { displayAppInformationRequiredState: { state: "enabled" } },
  });

  it("carries @odata.type and the full target collections; only the managed feature settings; v1.0", () => {
    const write = authenticatorToGraphPatch(declared);
    expect(write.version).to.equal("v1.0");
    expect(write.body).to.deep.equal({
      "@odata.type": AUTHENTICATOR_ODATA_TYPE,
      state: "enabled",
      includeTargets: [
        { id: G1, targetType: "group", authenticationMode: "any", isRegistrationRequired: false },
      ],
      excludeTargets: [{ id: G2, targetType: "group" }],
      featureSettings: {
        displayAppInformationRequiredState: {
          state: "enabled",
          includeTarget: { id: ALL_USERS, targetType: "group" },
          excludeTarget: { id: NIL_GUID, targetType: "group" },
        },
      },
    });
  });

  it("every name and enum value it sends on v1.0 exists in the v1.0 schema", () => {
    const { body } = authenticatorToGraphPatch(declared);
    expectValid(body, "microsoftAuthenticatorAuthenticationMethodConfiguration", "v1.0");
    expect(body["@odata.type"]).to.equal(
      "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
    );
  });

  it("companionAppAllowedState (beta) sends the write to beta; the names exist there", () => {
    const write = authenticatorToGraphPatch(
      parseArgs("AuthenticatorPolicy", {
        state: "enabled",
        featureSettings: { companionAppAllowedState: { state: "disabled" } },
      }),
    );
    expect(write.version).to.equal("beta");
    expectValid(write.body.featureSettings, "microsoftAuthenticatorFeatureSettings", "beta");
  });

  it("never sends numberMatchingRequiredState, even when restoring a beta snapshot that has it", () => {
    const write = authenticatorToGraphPatch(authenticatorFromGraph(authenticatorBeta));
    expect(JSON.stringify(write.body)).to.not.include("numberMatching");
    expect(write.body.isSoftwareOathEnabled).to.equal(false);
  });

  it("isSoftwareOathEnabled is sent only when managed", () => {
    expect(authenticatorToGraphPatch(declared).body).to.not.have.property("isSoftwareOathEnabled");
    const managed = parseArgs("AuthenticatorPolicy", {
      state: "enabled",
      isSoftwareOathEnabled: true,
    });
    expect(authenticatorToGraphPatch(managed).body.isSoftwareOathEnabled).to.equal(true);
  });

  it("a declaration survives PATCH then GET without a diff", () => {
    const stored = { ...authenticatorBeta, ...authenticatorToGraphPatch(declared).body };
    expect(
      describeChanges("AuthenticatorPolicy", declared, authenticatorFromGraph(stored)),
    ).to.deep.equal([]);
  });

  it("drift made in the portal is named against the declaration", () => {
    const changes = describeChanges(
      "AuthenticatorPolicy",
      declared,
      authenticatorFromGraph(authenticatorBeta),
    );
    expect(changes.map((change) => change.property)).to.have.members([
      `includeTargets[${ALL_USERS}]`,
      `featureSettings.displayAppInformationRequiredState.includeTarget.id`,
      `includeTargets[${G1}].authenticationMode`,
    ]);
  });
});
