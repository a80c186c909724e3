// Destroy never overwrites what it did not write (model/onDelete.ts restorePlan): a property is
// restored to the settings found on adoption only where the tenant still holds what the stack last
// applied; what someone else changed since is left as found and named; what the stack does not
// manage is never written back.
import {
  campaignToGraphPatch,
  describeChanges,
  normalizeCampaignSettings,
  parseArgs,
  restorePlan,
} from "../../provider/model";
import type { CampaignSettings } from "../../provider/model";
import { G1, G2, expect } from "./support";

/** Microsoft managed, as a tenant holds it before anyone adopts it. */
const FOUND = normalizeCampaignSettings({
  state: "default",
  targetedAuthenticationMethod: "microsoftAuthenticator",
  snoozeDurationInDays: 1,
  includeTargets: [{ id: "all_users", targetType: "group" }],
  excludeTargets: [],
}) as CampaignSettings;

/** What the stack declared and applied (its outputs hold these, plus the lifecycle data). */
const APPLIED = parseArgs("RegistrationCampaign", {
  state: "enabled",
  snoozeDurationInDays: 0,
  includeTargets: [{ id: G1, targetType: "group" }],
  excludeTargets: [{ id: G2, targetType: "group" }],
});
const appliedSettings = (): CampaignSettings => {
  const { onDelete: _o, ...settings } = APPLIED as CampaignSettings & { onDelete?: string };
  void _o;
  return settings as CampaignSettings;
};

describe("model: destroy restores only what the tenant still holds as the stack applied it", () => {
  it("nothing changed since: the state and targets go back to what was found; under Microsoft managed the snooze days are Microsoft's, neither written nor named as restored", () => {
    const plan = restorePlan("RegistrationCampaign", APPLIED, FOUND, appliedSettings());
    expect(plan.left).to.deep.equal([]);
    // The snooze days (0 applied, 1 found) are not restored: under "default" they "can't be
    // configured" (HOWTO), so the restore writes the state and the targets only and Microsoft
    // sets the rest.
    expect(plan.restored.sort()).to.deep.equal(
      ["excludeTargets", "includeTargets", "state"].sort(),
    );
    expect(plan.settings).to.deep.include({ state: "default", excludeTargets: [] });
    const campaign = campaignToGraphPatch(plan.settings, appliedSettings()).body
      .registrationEnforcement.authenticationMethodsRegistrationCampaign;
    expect(campaign).to.deep.equal({
      state: "default",
      includeTargets: [{ id: "all_users", targetType: "group" }],
      excludeTargets: [],
    });
  });

  it("a restore to Microsoft managed is done when the state and targets are back, whatever snooze days and method Microsoft then shows", () => {
    const plan = restorePlan("RegistrationCampaign", APPLIED, FOUND, appliedSettings());
    const asMicrosoftSetsThem = normalizeCampaignSettings({
      ...FOUND,
      targetedAuthenticationMethod: "fido2",
      snoozeDurationInDays: 0,
      enforceRegistrationAfterAllowedSnoozes: false,
      includeTargets: [
        { id: "all_users", targetType: "group", targetedAuthenticationMethod: "fido2" },
      ],
    }) as CampaignSettings;
    expect(
      describeChanges("RegistrationCampaign", plan.settings, asMicrosoftSetsThem),
    ).to.deep.equal([]);
    // An admin-configured state still compares them.
    expect(
      describeChanges(
        "RegistrationCampaign",
        { ...plan.settings, state: "enabled" },
        { ...asMicrosoftSetsThem, state: "enabled" },
      ).map((change) => change.property),
    ).to.include.members(["snoozeDurationInDays", "targetedAuthenticationMethod"]);
  });

  it("a property someone changed since is left as found and named with its value; the others are restored", () => {
    const live = { ...appliedSettings(), snoozeDurationInDays: 7 };
    const plan = restorePlan("RegistrationCampaign", APPLIED, FOUND, live);
    expect(plan.left).to.deep.equal([{ property: "snoozeDurationInDays", value: 7 }]);
    expect(plan.settings.snoozeDurationInDays).to.equal(7);
    expect(plan.settings.state).to.equal("default");
    expect(plan.restored).to.not.include("snoozeDurationInDays");
  });

  it("Microsoft's migration (Microsoft managed, nudging to passkeys) is left as found: fido2 is never written back to Authenticator", () => {
    const live = normalizeCampaignSettings({
      ...appliedSettings(),
      state: "default",
      targetedAuthenticationMethod: "fido2",
      includeTargets: [{ id: G1, targetType: "group", targetedAuthenticationMethod: "fido2" }],
    }) as CampaignSettings;
    const plan = restorePlan("RegistrationCampaign", APPLIED, FOUND, live);
    const left = plan.left.map((entry) => entry.property);
    expect(left).to.include.members(["state", "targetedAuthenticationMethod"]);
    expect(plan.settings.state).to.equal("default");
    expect(plan.settings.targetedAuthenticationMethod).to.equal("fido2");
  });

  it("another stack's values over everything: nothing is restored", () => {
    const live = normalizeCampaignSettings({
      state: "disabled",
      snoozeDurationInDays: 5,
      includeTargets: [{ id: G2, targetType: "group" }],
      excludeTargets: [],
    }) as CampaignSettings;
    const plan = restorePlan("RegistrationCampaign", APPLIED, FOUND, live);
    expect(plan.restored).to.deep.equal([]);
    expect(plan.settings).to.deep.equal(live);
  });

  it("a property the stack does not manage is never written back, whatever it was on adoption", () => {
    const applied = parseArgs("RegistrationCampaign", { state: "enabled" });
    const found = { ...FOUND, enforceRegistrationAfterAllowedSnoozes: true };
    const live = {
      ...(normalizeCampaignSettings(applied) as CampaignSettings),
      enforceRegistrationAfterAllowedSnoozes: false,
    };
    const plan = restorePlan("RegistrationCampaign", applied, found, live);
    expect(plan.settings.enforceRegistrationAfterAllowedSnoozes).to.equal(false);
    expect(plan.restored).to.not.include("enforceRegistrationAfterAllowedSnoozes");
  });
});
