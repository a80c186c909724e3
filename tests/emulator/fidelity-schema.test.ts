// The schema validator itself: it must catch what it exists to catch, or the fidelity tests
// built on it prove nothing. Also checks the contract's own examples against the schema.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { graphSchema } from "../support/schema";

type Json = Record<string, unknown>;
const example = (name: string): Json =>
  JSON.parse(
    readFileSync(path.resolve(__dirname, "../../../tests/fixtures/contract", name), "utf8"),
  );

const campaign = (extra: Json = {}): Json => ({
  snoozeDurationInDays: 1,
  state: "enabled",
  excludeTargets: [],
  includeTargets: [
    {
      id: "all_users",
      targetType: "group",
      targetedAuthenticationMethod: "microsoftAuthenticator",
    },
  ],
  ...extra,
});

describe("fidelity: the schema validator", () => {
  const schema = graphSchema();

  it("accepts a valid v1.0 campaign and refuses the beta-only property on v1.0 only", () => {
    expect(
      schema.validate(campaign(), "authenticationMethodsRegistrationCampaign", "v1.0"),
    ).to.deep.equal([]);
    const withEnforce = campaign({ enforceRegistrationAfterAllowedSnoozes: true });
    expect(
      schema.validate(withEnforce, "authenticationMethodsRegistrationCampaign", "v1.0"),
    ).to.deep.equal([
      "$.enforceRegistrationAfterAllowedSnoozes: 'enforceRegistrationAfterAllowedSnoozes' is not a property of authenticationMethodsRegistrationCampaign in v1.0",
    ]);
    expect(
      schema.validate(withEnforce, "authenticationMethodsRegistrationCampaign", "beta"),
    ).to.deep.equal([]);
  });

  it("refuses enum values that are not members, wrong JSON types and nulls in non-nullable properties", () => {
    const problems = schema.validate(
      campaign({
        state: "on",
        snoozeDurationInDays: null,
        includeTargets: [{ id: "all_users", targetType: "everyone" }],
      }),
      "authenticationMethodsRegistrationCampaign",
      "v1.0",
    );
    expect(problems).to.deep.equal([
      "$.snoozeDurationInDays: null, but authenticationMethodsRegistrationCampaign.snoozeDurationInDays is not nullable",
      "$.state: 'on' is not a member of advancedConfigState in v1.0",
      "$.includeTargets[0].targetType: 'everyone' is not a member of authenticationMethodTargetType in v1.0",
    ]);
    expect(
      schema.validate({ isMfaCapable: "yes" }, "userRegistrationDetails", "v1.0"),
    ).to.deep.equal(['$.isMfaCapable: expected Edm.Boolean, found "yes"']);
  });

  it("follows BaseType inheritance and @odata.type, and checks derivation", () => {
    const target = {
      id: "all_users",
      targetType: "group",
      isRegistrationRequired: false,
      authenticationMode: "push",
    };
    expect(
      schema.validate(target, "microsoftAuthenticatorAuthenticationMethodTarget", "v1.0"),
    ).to.deep.equal([]);
    const config = {
      "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
      id: "MicrosoftAuthenticator",
      state: "enabled",
      includeTargets: [target],
    };
    expect(schema.validate(config, "authenticationMethodConfiguration", "v1.0")).to.deep.equal([]);
    expect(
      schema.validate(
        { ...config, "@odata.type": "#microsoft.graph.group" },
        "authenticationMethodConfiguration",
        "v1.0",
      )[0],
    ).to.match(/group does not derive from authenticationMethodConfiguration/);
    expect(
      schema.validate(
        { ...config, "@odata.type": "#microsoft.graph.nope" },
        "authenticationMethodConfiguration",
        "v1.0",
      )[0],
    ).to.match(/unknown in v1\.0/);
  });

  it("allows instance annotations but checks what a property annotation names", () => {
    const config = {
      "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
      "@odata.context": "x",
      "@microsoft.graph.tips": "y",
      "includeTargets@odata.context": "z",
      "outlookTargets@odata.context": "z",
    };
    expect(schema.validate(config, "authenticationMethodConfiguration", "v1.0")).to.deep.equal([
      "$.outlookTargets@odata.context: 'outlookTargets' is not a property of microsoftAuthenticatorAuthenticationMethodConfiguration in v1.0",
    ]);
  });

  it("knows the beta-only feature settings and enum members", () => {
    const features = {
      companionAppAllowedState: { state: "default" },
      displayAppInformationRequiredState: { state: "enabled" },
    };
    expect(
      schema.validate(features, "microsoftAuthenticatorFeatureSettings", "v1.0"),
    ).to.have.length(1);
    expect(
      schema.validate(features, "microsoftAuthenticatorFeatureSettings", "beta"),
    ).to.deep.equal([]);
    expect(
      schema.validate({ defaultMfaMethod: "sms" }, "userRegistrationDetails", "beta"),
    ).to.deep.equal(["$.defaultMfaMethod: 'sms' is not a member of defaultMfaMethodType in beta"]);
  });

  it("validates types outside the CSDL subset from the generated v1.0 types (users, other configurations)", () => {
    expect(
      schema.validate(
        { id: "x", userPrincipalName: "a@b", accountEnabled: true, businessPhones: [] },
        "user",
        "v1.0",
      ),
    ).to.deep.equal([]);
    expect(
      schema.validate({ favouriteColour: "red", accountEnabled: "yes" }, "user", "v1.0"),
    ).to.deep.equal([
      "$.favouriteColour: 'favouriteColour' is not a property of user in v1.0",
      '$.accountEnabled: expected Edm.Boolean, found "yes"',
    ]);
    const fido = {
      "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
      keyRestrictions: { enforcementType: "deny" },
    };
    expect(schema.validate(fido, "authenticationMethodConfiguration", "v1.0")).to.deep.equal([
      "$.keyRestrictions.enforcementType: 'deny' is not a member of fido2RestrictionEnforcementType in v1.0",
    ]);
  });

  it("allows only the documented extra userIdentity properties (§6.2, open type)", () => {
    const identity = {
      id: "x",
      displayName: null,
      userPrincipalName: null,
      ipAddress: "10.0.0.0",
      userType: null,
      homeTenantId: null,
      homeTenantName: null,
    };
    expect(schema.validate(identity, "userIdentity", "v1.0")).to.deep.equal([]);
    expect(schema.validate({ ...identity, shoeSize: 9 }, "userIdentity", "v1.0")).to.have.length(1);
  });

  it("catches the legacy per-target properties of the 2022 documentation example (§9.1)", () => {
    const problems = graphSchema().validate(
      example("9.1-get-policy-v1.json"),
      "authenticationMethodsPolicy",
      "v1.0",
    );
    expect(problems).to.deep.equal(
      [
        "outlookMobileAllowedState",
        "displayAppInformationRequiredState",
        "numberMatchingRequiredState",
      ].map(
        (p) =>
          `$.authenticationMethodConfigurations[0].includeTargets[0].${p}: '${p}' is not a property of microsoftAuthenticatorAuthenticationMethodTarget in v1.0`,
      ),
    );
  });

  it("catches the documentation error in the v1.0 Authenticator example (§9.4)", () => {
    const problems = graphSchema().validate(
      example("9.4-get-authenticator-v1.json"),
      "authenticationMethodConfiguration",
      "v1.0",
    );
    expect(problems.map((p) => p.split(":")[0])).to.deep.equal([
      "$.featureSettings.displayAppContextRequiredState",
      "$.featureSettings.displayLocationContextRequiredState",
    ]);
  });

  it("finds the 2024 example valid on beta and full of beta-only properties on v1.0 (§9.2)", () => {
    const body = example("9.2-get-policy-beta.json");
    expect(graphSchema().validate(body, "authenticationMethodsPolicy", "beta")).to.deep.equal([]);
    const v1 = graphSchema()
      .validate(body, "authenticationMethodsPolicy", "v1.0")
      .map((p) => p.split(":")[0]);
    expect(v1).to.include.members([
      "$.registrationEnforcement.authenticationMethodsRegistrationCampaign.enforceRegistrationAfterAllowedSnoozes",
      "$.systemCredentialPreferences",
      "$.reportSuspiciousActivitySettings",
      "$.authenticationMethodConfigurations[0].featureSettings.companionAppAllowedState",
      "$.authenticationMethodConfigurations[0].featureSettings.numberMatchingRequiredState",
    ]);
  });

  it("finds the report, audit and group examples valid (§9.6, §9.7, §4.1)", () => {
    expect(
      graphSchema().validateResponse(
        example("9.6-user-registration-details-v1.json"),
        "userRegistrationDetails",
        "v1.0",
      ),
    ).to.deep.equal([]);
    expect(
      graphSchema().validateResponse(
        example("9.7-directory-audits-v1.json"),
        "directoryAudit",
        "v1.0",
      ),
    ).to.deep.equal([]);
    expect(
      graphSchema().validate(example("4.1-create-group-response.json"), "group", "v1.0"),
    ).to.deep.equal([]);
  });
});
