// The campaign's one method (graph-contract-passkeys.md §1), Microsoft-managed state (§2) and the
// beta passkey-migration opt-out, in the model: read in any case, written in the documented lower
// case to every include target, compared once per campaign, never on case.
import {
  ALL_USERS,
  campaignFromGraph,
  campaignToGraphPatch,
  campaignWarnings,
  checkArgs,
  describeChanges,
  diffResult,
  parseArgs,
  type CampaignSettings,
  type GraphAuthenticationMethodsPolicy,
} from "../../provider/model";
import { G1, G2, expect } from "./support";

const policy = (
  campaign: Record<string, unknown>,
  rest: Record<string, unknown> = {},
): GraphAuthenticationMethodsPolicy =>
  ({
    registrationEnforcement: { authenticationMethodsRegistrationCampaign: campaign },
    ...rest,
  }) as GraphAuthenticationMethodsPolicy;

const passkeyCampaignInGraph = (method = "Fido2") =>
  policy({
    state: "enabled",
    snoozeDurationInDays: 1,
    includeTargets: [
      { id: ALL_USERS, targetType: "group", targetedAuthenticationMethod: method },
      { id: G1.toUpperCase(), targetType: "group", targetedAuthenticationMethod: method },
    ],
    excludeTargets: [],
  });

describe("model: the campaign's method", () => {
  it('reads "Fido2" (the Graph reference\'s spelling) as the campaign\'s method "fido2"', () => {
    const settings = campaignFromGraph(passkeyCampaignInGraph("Fido2"));
    expect(settings.targetedAuthenticationMethod).to.equal("fido2");
    expect(settings.includeTargets.map((t) => t.targetedAuthenticationMethod)).to.deep.equal([
      "fido2",
      "fido2",
    ]);
  });

  for (const spelling of ["Fido2", "FIDO2", "fido2"]) {
    it(`never diffs on case: a declared "fido2" against ${JSON.stringify(spelling)} in Graph`, () => {
      const changes = describeChanges(
        "RegistrationCampaign",
        {
          state: "enabled",
          targetedAuthenticationMethod: "fido2",
          includeTargets: [
            { id: ALL_USERS, targetType: "group" },
            { id: G1, targetType: "group" },
          ],
        },
        campaignFromGraph(passkeyCampaignInGraph(spelling)),
      );
      expect(changes).to.deep.equal([]);
    });
  }

  it("a change of method is one campaign-wide change, not one per target", () => {
    const changes = describeChanges(
      "RegistrationCampaign",
      {
        state: "enabled",
        targetedAuthenticationMethod: "microsoftAuthenticator",
        includeTargets: [
          { id: ALL_USERS, targetType: "group" },
          { id: G1, targetType: "group" },
        ],
      },
      campaignFromGraph(passkeyCampaignInGraph()),
    );
    expect(changes).to.deep.equal([
      {
        property: "targetedAuthenticationMethod",
        declared: "microsoftAuthenticator",
        actual: "fido2",
      },
    ]);
  });

  it("targets that disagree in Graph read as a mixed method, which differs from any declaration", () => {
    const mixed = campaignFromGraph(
      policy({
        state: "enabled",
        includeTargets: [
          { id: G1, targetType: "group", targetedAuthenticationMethod: "fido2" },
          { id: G2, targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" },
        ],
      }),
    );
    expect(mixed.targetedAuthenticationMethod).to.equal("fido2+microsoftAuthenticator");
    const changes = describeChanges(
      "RegistrationCampaign",
      {
        state: "enabled",
        snoozeDurationInDays: 1,
        targetedAuthenticationMethod: "fido2",
        includeTargets: [
          { id: G1, targetType: "group" },
          { id: G2, targetType: "group" },
        ],
      },
      mixed,
    );
    expect(changes.map((change) => change.property)).to.deep.equal([
      "targetedAuthenticationMethod",
    ]);
  });

  it("the PATCH writes the documented lower-case method to every include target", () => {
    const inputs = parseArgs("RegistrationCampaign", {
      state: "enabled",
      targetedAuthenticationMethod: "Fido2",
      includeTargets: [
        { id: G1, targetType: "group" },
        { id: G2, targetType: "group" },
      ],
    });
    const { version, body } = campaignToGraphPatch(inputs);
    expect(version).to.equal("v1.0");
    expect(
      body.registrationEnforcement.authenticationMethodsRegistrationCampaign.includeTargets,
    ).to.deep.equal([
      { id: G1, targetType: "group", targetedAuthenticationMethod: "fido2" },
      { id: G2, targetType: "group", targetedAuthenticationMethod: "fido2" },
    ]);
    expect(body).to.not.have.property("optOutSettings");
  });

  it("older state (a per-target method only) reads as the same campaign: no diff after upgrading", () => {
    const olds = {
      state: "enabled",
      snoozeDurationInDays: 1,
      includeTargets: [
        { id: G1, targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" },
      ],
      excludeTargets: [],
      onDelete: "restore",
    };
    const news = checkArgs("RegistrationCampaign", {
      state: "enabled",
      includeTargets: [{ id: G1, targetType: "group" }],
    });
    if (!news.ok) throw new Error("valid");
    expect(diffResult("RegistrationCampaign", olds, news.inputs).changes).to.equal(false);
  });
});

describe('model: state "default" (Microsoft decides the method and the snoozes)', () => {
  const migrated = campaignFromGraph(
    policy({
      state: "default",
      snoozeDurationInDays: 1,
      enforceRegistrationAfterAllowedSnoozes: false,
      includeTargets: [
        { id: ALL_USERS, targetType: "group", targetedAuthenticationMethod: "fido2" },
      ],
    }),
  );

  it("reading what Microsoft chose never shows a difference", () => {
    expect(describeChanges("RegistrationCampaign", { state: "default" }, migrated)).to.deep.equal(
      [],
    );
  });

  it("the PATCH sends only the state and the targets: the method and snooze settings are Microsoft's (HOWTO: can't be configured)", () => {
    const inputs = parseArgs("RegistrationCampaign", {
      state: "default",
      includeTargets: [
        { id: ALL_USERS, targetType: "group" },
        { id: G1, targetType: "group" },
      ],
    });
    const { body } = campaignToGraphPatch(inputs, migrated);
    const campaign = body.registrationEnforcement.authenticationMethodsRegistrationCampaign;
    expect(campaign).to.not.have.property("snoozeDurationInDays");
    expect(campaign).to.not.have.property("enforceRegistrationAfterAllowedSnoozes");
    expect(campaign.includeTargets).to.deep.equal([
      { id: ALL_USERS, targetType: "group" },
      { id: G1, targetType: "group" },
    ]);
  });
});

describe("model: passkeyMigrationOptOut (beta optOutSettings.passkeyDynamicMigration)", () => {
  it("is read only from beta; an absent optOutSettings there means not opted out", () => {
    const answer = passkeyCampaignInGraph();
    expect(campaignFromGraph(answer, "v1.0")).to.not.have.property("passkeyMigrationOptOut");
    expect(campaignFromGraph(answer, "beta").passkeyMigrationOptOut).to.equal(false);
    const optedOut = policy(
      { state: "default" },
      { optOutSettings: { passkeyDynamicMigration: true } },
    );
    expect(campaignFromGraph(optedOut, "beta").passkeyMigrationOptOut).to.equal(true);
  });

  it("declared, it is written through beta next to the campaign", () => {
    const inputs = parseArgs("RegistrationCampaign", {
      state: "enabled",
      passkeyMigrationOptOut: true,
    });
    const { version, body } = campaignToGraphPatch(inputs);
    expect(version).to.equal("beta");
    expect(body.optOutSettings).to.deep.equal({ passkeyDynamicMigration: true });
  });

  it("omitted, it is not managed: never compared", () => {
    const actual: CampaignSettings = {
      ...campaignFromGraph(passkeyCampaignInGraph("fido2"), "beta"),
      passkeyMigrationOptOut: true,
    };
    expect(
      describeChanges(
        "RegistrationCampaign",
        {
          state: "enabled",
          targetedAuthenticationMethod: "fido2",
          includeTargets: [
            { id: ALL_USERS, targetType: "group" },
            { id: G1, targetType: "group" },
          ],
        },
        actual,
      ),
    ).to.deep.equal([]);
  });

  it("the preview warns that it has no effect from 2027-02-01", () => {
    const [before] = campaignWarnings(
      { passkeyMigrationOptOut: true },
      new Date("2026-12-03T00:00:00Z"),
    );
    expect(before).to.contain("only until 2027-02-01; from then it has no effect");
    const [after] = campaignWarnings(
      { passkeyMigrationOptOut: true },
      new Date("2027-02-01T00:00:00Z"),
    );
    expect(after).to.contain("has no effect any more");
    expect(campaignWarnings({ passkeyMigrationOptOut: false }, new Date())).to.deep.equal([]);
  });
});
