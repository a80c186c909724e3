// Wiring of examples/staged-rollout: the stage setting moves the campaign from the pilot group to
// all users while the Authenticator method stays enabled for all users, the break-glass group
// stays excluded, and the declared arguments pass the model's validation.
import * as path from "node:path";
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { validateArgs } from "../../provider/model";
import {
  stagedRollout,
  type Stage,
  type StagedRolloutSettings,
} from "../../examples/staged-rollout/program";
import { TYPES, declaredInputs, loadFresh, onlyOne, runMocked, valueOf } from "./mocks";

const PROJECT = "staged-rollout";
const PILOT_GROUP_ID = "5f0c6b9e-8a1d-4c2e-9b3f-1a2b3c4d5e6f";
const BREAK_GLASS_ID = "0b7d2c4e-6f81-4a93-b5c7-d9e1f3a5b7c9";
const cloud = {
  resources: { [TYPES.pilotGroup]: () => ({ id: PILOT_GROUP_ID }) },
};

function settings(stage: Stage): StagedRolloutSettings {
  return {
    stage,
    breakGlassGroupId: BREAK_GLASS_ID,
    pilotMembers: ["adele.vance@contoso.com", "alex.wilber@contoso.com"],
  };
}

function rollout(stage: Stage) {
  return runMocked(() => stagedRollout(settings(stage)), { project: PROJECT, cloud });
}

const breakGlassExcluded = [{ id: BREAK_GLASS_ID, targetType: "group" }];

describe("examples/staged-rollout wiring", () => {
  it("declares a pilot group, the Authenticator method and the campaign, with their type tokens", async () => {
    const run = await rollout("pilot");
    expect(run.resources.map((resource) => [resource.type, resource.name])).to.have.deep.members([
      [TYPES.pilotGroup, "pilot"],
      [TYPES.authenticator, "authenticator"],
      [TYPES.campaign, "campaign"],
    ]);
    expect(declaredInputs(onlyOne(run, TYPES.pilotGroup))).to.include({
      displayName: "Authenticator pilot",
    });
    expect(declaredInputs(onlyOne(run, TYPES.pilotGroup)).members).to.deep.equal([
      "adele.vance@contoso.com",
      "alex.wilber@contoso.com",
    ]);
  });

  it("stage pilot: the campaign targets the pilot group's id and prompts at every sign-in", async () => {
    const run = await rollout("pilot");
    const authenticator = declaredInputs(onlyOne(run, TYPES.authenticator));
    const campaign = declaredInputs(onlyOne(run, TYPES.campaign));
    expect(
      authenticator.includeTargets,
      "nobody outside the pilot loses Authenticator",
    ).to.deep.equal([
      {
        id: "all_users",
        targetType: "group",
        authenticationMode: "any",
        isRegistrationRequired: false,
      },
    ]);
    expect(authenticator.excludeTargets).to.deep.equal(breakGlassExcluded);
    expect(campaign).to.deep.include({
      state: "enabled",
      snoozeDurationInDays: 0,
      includeTargets: [
        {
          id: PILOT_GROUP_ID,
          targetType: "group",
          targetedAuthenticationMethod: "microsoftAuthenticator",
        },
      ],
      excludeTargets: breakGlassExcluded,
    });
  });

  it("stage all: targets all users, keeps the pilot group and the break-glass exclusion", async () => {
    const run = await rollout("all");
    const authenticator = declaredInputs(onlyOne(run, TYPES.authenticator));
    const campaign = declaredInputs(onlyOne(run, TYPES.campaign));
    expect(authenticator.includeTargets).to.deep.equal([
      {
        id: "all_users",
        targetType: "group",
        authenticationMode: "any",
        isRegistrationRequired: false,
      },
    ]);
    expect(authenticator.excludeTargets).to.deep.equal(breakGlassExcluded);
    expect(campaign).to.deep.include({
      state: "enabled",
      snoozeDurationInDays: 1,
      includeTargets: [
        {
          id: "all_users",
          targetType: "group",
          targetedAuthenticationMethod: "microsoftAuthenticator",
        },
      ],
      excludeTargets: breakGlassExcluded,
    });
    expect(onlyOne(run, TYPES.pilotGroup).name).to.equal("pilot");
  });

  for (const stage of ["pilot", "all"] as const) {
    it(`stage ${stage}: every declared argument passes the model's validation`, async () => {
      const run = await rollout(stage);
      expect(validateArgs("PilotGroup", onlyOne(run, TYPES.pilotGroup).inputs)).to.deep.equal([]);
      expect(
        validateArgs("AuthenticatorPolicy", onlyOne(run, TYPES.authenticator).inputs),
      ).to.deep.equal([]);
      expect(
        validateArgs("RegistrationCampaign", onlyOne(run, TYPES.campaign).inputs),
      ).to.deep.equal([]);
    });
  }

  describe("index.ts (the program Pulumi runs)", () => {
    const indexModule = path.join(__dirname, "..", "..", "examples", "staged-rollout", "index");
    type Index = Record<string, pulumi.Output<unknown> | string>;
    const config = {
      breakGlassGroupId: BREAK_GLASS_ID,
      pilotMembers: JSON.stringify(["adele.vance@contoso.com"]),
    };

    it("reads stage from the stack config, pilot by default", async () => {
      const run = await runMocked(() => loadFresh<Index>(indexModule), {
        project: PROJECT,
        config,
        cloud,
      });
      expect(run.result.stage).to.equal("pilot");
      expect(declaredInputs(onlyOne(run, TYPES.campaign)).includeTargets).to.deep.equal([
        {
          id: PILOT_GROUP_ID,
          targetType: "group",
          targetedAuthenticationMethod: "microsoftAuthenticator",
        },
      ]);
      expect(declaredInputs(onlyOne(run, TYPES.pilotGroup)).members).to.deep.equal([
        "adele.vance@contoso.com",
      ]);
    });

    it("stage all from the stack config reaches both targets and the stack outputs", async () => {
      const run = await runMocked(() => loadFresh<Index>(indexModule), {
        project: PROJECT,
        config: { ...config, stage: "all" },
        cloud,
      });
      const campaignTargets = run.result.campaignIncludeTargets;
      const authenticatorTargets = run.result.authenticatorIncludeTargets;
      if (typeof campaignTargets === "string" || typeof authenticatorTargets === "string") {
        throw new Error("index.ts must export the targets as outputs");
      }
      expect(await valueOf(campaignTargets)).to.deep.equal([
        {
          id: "all_users",
          targetType: "group",
          targetedAuthenticationMethod: "microsoftAuthenticator",
        },
      ]);
      expect(await valueOf(authenticatorTargets)).to.deep.equal([
        {
          id: "all_users",
          targetType: "group",
          authenticationMode: "any",
          isRegistrationRequired: false,
        },
      ]);
    });

    it("refuses an unknown stage with the values it accepts", async () => {
      const failure = await runMocked(() => loadFresh<Index>(indexModule), {
        project: PROJECT,
        config: { ...config, stage: "everyone" },
        cloud,
      }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).to.be.instanceOf(Error);
      expect(String(failure)).to.match(/"stage" is "everyone"; use "pilot" .* or "all"/);
    });
  });
});
