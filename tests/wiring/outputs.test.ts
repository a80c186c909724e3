// Every output a resource class declares is an output property, even when its argument was
// omitted: the provider fills defaults in (all users, mode any, a derived mailNickname), and a
// program that exports `campaign.includeTargets` must get them.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { AuthenticatorPolicy, PilotGroup, RegistrationCampaign } from "../../provider";
import { TYPES, runMocked, valueOf } from "./mocks";

const ALL_USERS_TARGET = { id: "all_users", targetType: "group" };

describe("resource outputs", () => {
  it("exist for omitted arguments and carry what the provider returns", async () => {
    const run = await runMocked(
      () => ({
        campaign: new RegistrationCampaign("campaign", { state: "default" }),
        authenticator: new AuthenticatorPolicy("authenticator", { state: "enabled" }),
        group: new PilotGroup("pilot", { displayName: "Pilot" }),
      }),
      {
        project: "outputs",
        cloud: {
          resources: {
            [TYPES.campaign]: () => ({
              id: "tenant/registrationCampaign",
              outputs: {
                snoozeDurationInDays: 1,
                includeTargets: [ALL_USERS_TARGET],
                onDelete: "restore",
              },
            }),
            [TYPES.authenticator]: () => ({
              id: "tenant/microsoftAuthenticator",
              outputs: {
                includeTargets: [{ ...ALL_USERS_TARGET, authenticationMode: "any" }],
                featureSettings: {},
              },
            }),
            [TYPES.pilotGroup]: () => ({
              id: "5b8f1c2e-0000-4c1e-9b1a-7f3e2d1c0b9a",
              outputs: { mailNickname: "pilot", description: "", memberIds: [] },
            }),
          },
        },
      },
    );
    const { campaign, authenticator, group } = run.result;
    for (const output of [
      campaign.snoozeDurationInDays,
      campaign.includeTargets,
      campaign.excludeTargets,
      campaign.onDelete,
      authenticator.includeTargets,
      authenticator.featureSettings,
      group.mailNickname,
      group.description,
      group.memberIds,
    ]) {
      expect(pulumi.Output.isInstance(output)).to.equal(true);
    }
    expect(await valueOf(campaign.includeTargets)).to.deep.equal([ALL_USERS_TARGET]);
    expect(await valueOf(campaign.snoozeDurationInDays)).to.equal(1);
    expect(await valueOf(authenticator.includeTargets)).to.deep.equal([
      { ...ALL_USERS_TARGET, authenticationMode: "any" },
    ]);
    expect(await valueOf(group.mailNickname)).to.equal("pilot");
  });
});
