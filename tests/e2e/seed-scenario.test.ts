// The seed scenario's whole life through the real engine against the emulator, on one stack: up,
// no-change previews, a program change, drift from a portal edit and its repair, the overwrite
// warning, and destroy restoring the tenant. The tests run in order and build on each other, as a
// platform team's pipeline would.
import { createRequire } from "node:module";
import { expect } from "chai";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import seedScenario from "../../examples/seed-scenario";
import { seedProjectMain } from "../../examples/seed-scenario/project";
import { useEmulator } from "../support/emulator";
import {
  PILOT_GROUP_NAME,
  type SeedStack,
  diagnostics,
  exitCode,
  seedStack,
  stepOps,
  steps,
} from "../support/engineStack";
import {
  BREAK_GLASS_GROUP_ID,
  CAMPAIGN_PATH,
  type GraphCampaign,
  PILOT_USER_ID,
  PILOT_USER_UPN,
  Tenant,
} from "../support/tenant";

/** A group and a user of the default tenant, for a declaration with more than one exclusion. */
const SALES_GROUP_ID = "2fbb5b75-4b8e-581b-9aaa-28ef3cb88c74";

type Props = Record<string, unknown>;

/** Inputs or outputs without the serialized provider (it is the engine's, not the user's). */
function withoutProvider(props: Props | undefined): Props {
  const rest = { ...(props ?? {}) };
  delete rest.__provider;
  return rest;
}

/** The top-level properties whose value differs between two property maps. */
function changedProperties(before: Props | undefined, after: Props | undefined): string[] {
  const a = withoutProvider(before);
  const b = withoutProvider(after);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]))
    .sort();
}

/** What the engine recorded for a resource of the program, from its outputs event. */
function outputsOf(events: EngineEvent[], name: string) {
  const event = events
    .map((e) => e.resOutputsEvent?.metadata)
    .find((m) => m !== undefined && m.urn.endsWith(`::${name}`));
  expect(event, `no outputs event for ${name}`).not.to.equal(undefined);
  return event as NonNullable<typeof event>;
}

describe("e2e: the root Pulumi.yaml", () => {
  it("runs the seed program the demo and these tests run inline", () => {
    // The Node.js language host requires `main` and calls what it exports when it is a function.
    const program: unknown = createRequire(__filename)(seedProjectMain());
    expect(program).to.be.a("function");
    expect(program).to.equal(seedScenario);
  });
});

describe("e2e: the seed scenario through the engine", function () {
  // Each engine operation starts the CLI and the provider process: a few seconds each.
  this.timeout(120_000);
  const emulator = useEmulator();
  const tenant = new Tenant(emulator);
  let seed: SeedStack;
  let pilotGroupId: string;
  /** The tenant before the first `up`: what destroy must give back. */
  let original: {
    campaign: GraphCampaign;
    campaignBeta: GraphCampaign;
    authenticator: Props;
    authenticatorBeta: Props;
  };

  before(async () => {
    seed = await seedStack(emulator, { stackName: "seed" });
    original = {
      campaign: await tenant.campaign("v1.0"),
      campaignBeta: await tenant.campaign("beta"),
      authenticator: await tenant.authenticator("v1.0"),
      authenticatorBeta: await tenant.authenticator("beta"),
    };
  });
  after(async () => seed?.cleanup());

  const declaredCampaign = (snoozeDurationInDays: number): GraphCampaign => ({
    state: "enabled",
    snoozeDurationInDays,
    includeTargets: [
      {
        id: pilotGroupId,
        targetType: "group",
        targetedAuthenticationMethod: "microsoftAuthenticator",
      },
    ],
    excludeTargets: [{ id: BREAK_GLASS_GROUP_ID, targetType: "group" }],
  });

  it("up creates the pilot group, the Authenticator policy and the campaign, exactly as declared", async () => {
    emulator.clearRequests();
    const up = await seed.succeed((h) => seed.stack.up(h));
    expect(stepOps(up.events)).to.deep.equal({
      pilot: "create",
      authenticator: "create",
      campaign: "create",
    });
    expect(up.result.summary.resourceChanges).to.deep.equal({ create: 4 }); // with the stack

    const groups = await tenant.groupsNamed(PILOT_GROUP_NAME);
    expect(groups, "one pilot group").to.have.length(1);
    pilotGroupId = groups[0].id;
    expect(groups[0].memberIds).to.deep.equal([PILOT_USER_ID]);
    const group = await tenant.get<Props>(`/v1.0/groups/${pilotGroupId}`);
    expect(group).to.include({
      displayName: PILOT_GROUP_NAME,
      description: "Users asked to set up Microsoft Authenticator first (registration campaign)",
      securityEnabled: true,
      mailEnabled: false,
    });
    expect(up.result.outputs.pilotGroupId.value).to.equal(pilotGroupId);
    expect(up.result.outputs.pilotMemberIds.value).to.deep.equal([PILOT_USER_ID]);

    expect(await tenant.campaign("v1.0")).to.deep.equal(declaredCampaign(0));
    // Unmanaged (beta-only) settings are left as they were.
    expect(await tenant.campaign("beta")).to.deep.equal({
      ...declaredCampaign(0),
      enforceRegistrationAfterAllowedSnoozes:
        original.campaignBeta.enforceRegistrationAfterAllowedSnoozes,
    });
    // Authenticator stays enabled for every user, as the tenant had it (nobody loses it); only the
    // declared login context changes. TOTP codes and the undeclared feature settings stay as they were.
    const withLoginContext = (authenticator: Props): Props => {
      const features = authenticator.featureSettings as Record<string, Props>;
      return {
        ...authenticator,
        state: "enabled",
        includeTargets: [
          {
            targetType: "group",
            id: "all_users",
            isRegistrationRequired: false,
            authenticationMode: "any",
          },
        ],
        featureSettings: {
          ...features,
          displayAppInformationRequiredState: {
            ...features.displayAppInformationRequiredState,
            state: "enabled",
          },
          displayLocationInformationRequiredState: {
            ...features.displayLocationInformationRequiredState,
            state: "enabled",
          },
        },
      };
    };
    expect(original.authenticator.includeTargets).to.deep.equal(
      withLoginContext(original.authenticator).includeTargets,
    );
    expect(await tenant.authenticator("v1.0")).to.deep.equal(
      withLoginContext(original.authenticator),
    );
    expect(await tenant.authenticator("beta")).to.deep.equal(
      withLoginContext(original.authenticatorBeta),
    );
    // One write per resource, nothing else.
    expect(tenant.writes().sort()).to.deep.equal([
      "PATCH /v1.0/policies/authenticationMethodsPolicy",
      "PATCH /v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/MicrosoftAuthenticator",
      "POST /v1.0/groups",
    ]);
  });

  it("a second preview reports no changes, also after reordering targets and changing GUID case", async () => {
    const again = await seed.succeed((h) => seed.stack.preview({ ...h, expectNoChanges: true }));
    expect(again.result.changeSummary).to.deep.equal({ same: 4 });

    // A declaration with several exclusions, applied, then previewed reordered and respelled.
    seed.options = {
      additionalExclusions: [
        { id: SALES_GROUP_ID, targetType: "group" },
        { id: "fd910649-87ef-50dd-aa01-0fe6b8e354a0", targetType: "user" },
      ],
    };
    await seed.succeed((h) => seed.stack.up(h));
    seed.options = {
      breakGlassGroupId: BREAK_GLASS_GROUP_ID.toUpperCase(),
      pilotMembers: [PILOT_USER_UPN.toUpperCase()],
      additionalExclusions: [
        { id: "FD910649-87EF-50DD-AA01-0FE6B8E354A0", targetType: "user" },
        { id: SALES_GROUP_ID.toUpperCase(), targetType: "group" },
      ],
    };
    const respelled = await seed.succeed((h) =>
      seed.stack.preview({ ...h, expectNoChanges: true }),
    );
    expect(respelled.result.changeSummary).to.deep.equal({ same: 4 });

    seed.options = {};
    const back = await seed.succeed((h) => seed.stack.up(h));
    expect(stepOps(back.events)).to.include({ campaign: "update", pilot: "same" });
    expect(await tenant.campaign()).to.deep.equal(declaredCampaign(0));
  });

  it("a changed snooze value previews as an update of that property, and up writes only it", async () => {
    seed.options = { snoozeDurationInDays: 3 };
    const preview = await seed.succeed((h) => seed.stack.preview(h));
    expect(stepOps(preview.events)).to.deep.equal({
      pilot: "same",
      authenticator: "same",
      campaign: "update",
    });
    const campaignStep = steps(preview.events).find((s) => s.name === "campaign");
    expect(
      changedProperties(campaignStep?.metadata.old?.inputs, campaignStep?.metadata.new?.inputs),
    ).to.deep.equal(["snoozeDurationInDays"]);
    expect(preview.stdout).to.match(/campaign\s+update\s+\[diff: ~snoozeDurationInDays\]/);

    emulator.clearRequests();
    const up = await seed.succeed((h) => seed.stack.up(h));
    expect(up.result.summary.resourceChanges).to.deep.equal({ same: 3, update: 1 });
    expect(tenant.writes()).to.deep.equal(["PATCH /v1.0/policies/authenticationMethodsPolicy"]);
    expect(await tenant.campaign()).to.deep.equal(declaredCampaign(3));
  });

  it("a portal edit is found by refresh --preview-only --expect-no-changes (exit 7), and up --refresh repairs it", async () => {
    // "Someone edited it in the portal": the portal PATCHes the whole campaign.
    await tenant.patch(CAMPAIGN_PATH, {
      registrationEnforcement: {
        authenticationMethodsRegistrationCampaign: {
          ...(await tenant.campaign()),
          snoozeDurationInDays: 7,
        },
      },
    });
    const drift = await seed.attempt((h) =>
      seed.stack.previewRefresh({ ...h, expectNoChanges: true }),
    );
    expect(exitCode(drift.error), String(drift.error)).to.equal(7);
    const refreshed = outputsOf(drift.events, "campaign");
    expect(refreshed.op).to.equal("update");
    expect(changedProperties(refreshed.old?.outputs, refreshed.new?.outputs)).to.deep.equal([
      "snoozeDurationInDays",
    ]);
    expect(refreshed.new?.outputs?.snoozeDurationInDays).to.equal(7);
    expect(drift.stdout).to.match(/campaign\s+update\s+\[diff: ~snoozeDurationInDays\]/);
    expect(stepOps(drift.events)).to.deep.equal({
      pilot: "refresh",
      authenticator: "refresh",
      campaign: "refresh",
    });
    // A preview only: the state still holds the declaration.
    const state = await seed.stack.exportStack();
    const recorded = state.deployment.resources.find((r: { urn: string }) =>
      r.urn.endsWith("::campaign"),
    ) as { outputs: Props };
    expect(recorded.outputs.snoozeDurationInDays).to.equal(3);

    emulator.clearRequests();
    const repair = await seed.succeed((h) => seed.stack.up({ ...h, refresh: true }));
    expect(repair.result.summary.resourceChanges).to.include({ update: 1 });
    expect(tenant.writes()).to.deep.equal(["PATCH /v1.0/policies/authenticationMethodsPolicy"]);
    expect(await tenant.campaign()).to.deep.equal(declaredCampaign(3));
    await seed.succeed((h) => seed.stack.previewRefresh({ ...h, expectNoChanges: true }));
  });

  it("an update after a portal edit warns, as a warning diagnostic, about each value it overwrites", async () => {
    await tenant.patch(CAMPAIGN_PATH, {
      registrationEnforcement: {
        authenticationMethodsRegistrationCampaign: {
          ...(await tenant.campaign()),
          snoozeDurationInDays: 7,
        },
      },
    });
    // The program changes for another reason; no refresh, so the state still says 3 days.
    seed.options = {
      snoozeDurationInDays: 3,
      additionalExclusions: [{ id: SALES_GROUP_ID, targetType: "group" }],
    };
    const up = await seed.succeed((h) => seed.stack.up(h));
    const warnings = diagnostics(up.events, "warning");
    expect(warnings.join("\n")).to.match(
      /RegistrationCampaign: the tenant's settings changed outside Pulumi since the last refresh; this update overwrites them with the declaration:\n {2}Snooze: 7 days → 3 days\./,
    );
    const campaign = await tenant.campaign();
    expect(campaign).to.deep.include({ snoozeDurationInDays: 3 });
    expect(campaign.excludeTargets.map((t) => t.id).sort()).to.deep.equal(
      [BREAK_GLASS_GROUP_ID, SALES_GROUP_ID].sort(),
    );
  });

  it("destroy restores the campaign as Microsoft managed (its state and targets) and the Authenticator configuration exactly, and deletes the group", async () => {
    const destroy = await seed.succeed((h) => seed.stack.destroy(h));
    expect(stepOps(destroy.events)).to.deep.equal({
      campaign: "delete",
      authenticator: "delete",
      pilot: "delete",
    });
    // The campaign found is Microsoft managed ("default"): destroy writes back what an admin may
    // configure, its state and targets; the snooze days, the snooze limit and each target's method
    // are Microsoft's to set under "default" (docs/resources.md, Destroy and restore).
    const configurable = (campaign: GraphCampaign) => ({
      state: campaign.state,
      includeTargets: campaign.includeTargets.map(({ id, targetType }) => ({
        id,
        targetType,
      })),
      excludeTargets: campaign.excludeTargets,
    });
    expect(original.campaign.state).to.equal("default");
    expect(configurable(await tenant.campaign("v1.0"))).to.deep.equal(
      configurable(original.campaign),
    );
    expect(configurable(await tenant.campaign("beta"))).to.deep.equal(
      configurable(original.campaignBeta),
    );
    expect(await tenant.authenticator("v1.0")).to.deep.equal(original.authenticator);
    expect(await tenant.authenticator("beta")).to.deep.equal(original.authenticatorBeta);
    expect(await tenant.groupsNamed(PILOT_GROUP_NAME)).to.deep.equal([]);
  });
});
