// The seed scenario (DESIGN.md): Microsoft Authenticator enabled, in mode "any", for every user (as
// tenants have it today: narrowing it to the pilot would take Authenticator from everyone else who
// uses it); the registration campaign enabled for a pilot group, whose test user signs in with SMS,
// with 0 snooze days (the prompt comes back at every MFA sign-in); the break-glass group excluded.
//
// The module's export is the program itself: the Node.js language host calls an exported function
// (root Pulumi.yaml, `pulumi up` against a real tenant; `npm start`, which copies this file into a
// project of its own), and the end-to-end tests call the same function inline through the
// Automation API, so all of them run this exact code.
import * as pulumi from "@pulumi/pulumi";
import { AuthenticatorPolicy, PilotGroup, RegistrationCampaign } from "pulumi-entra-nudge";

/** "Emergency Access Accounts" in the emulator's default tenant; set `breakGlassGroupId` elsewhere. */
const EMULATOR_BREAK_GLASS_GROUP_ID = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c";
/** The scenario's test user, registered with a phone number (SMS) only. */
const EMULATOR_PILOT_MEMBERS = ["pilot.user@contoso.onmicrosoft.com"];
const DEFAULT_PILOT_GROUP_NAME = "Authenticator pilot";

type Target = { id: string; targetType: "user" | "group" };

/**
 * What can vary between tenants (stack config in the project's namespace, e.g.
 * `pulumi config set breakGlassGroupId <object id>`); an option given here wins over the config.
 */
interface SeedScenarioOptions {
  /** Object id of the break-glass group, never nudged. Config `breakGlassGroupId`. */
  breakGlassGroupId?: string;
  /** Who is in the pilot: user principal names or object ids. Config `pilotMembers` (a list). */
  pilotMembers?: string[];
  /** Config `pilotGroupName`. */
  pilotGroupName?: string;
  /** 0 (the scenario) prompts at every MFA sign-in. Config `snoozeDurationInDays`. */
  snoozeDurationInDays?: number;
  /** Users or groups excluded besides the break-glass group. Config `additionalExclusions`. */
  additionalExclusions?: Target[];
}

interface SeedScenarioOutputs {
  pilotGroupId: pulumi.Output<string>;
  pilotGroupName: pulumi.Output<string>;
  pilotMemberIds: pulumi.Output<string[]>;
  authenticatorState: pulumi.Output<string>;
  campaignState: pulumi.Output<string>;
  snoozeDurationInDays: pulumi.Output<number>;
  excludedIds: pulumi.Output<string[]>;
}

function seedScenario(options: SeedScenarioOptions = {}): SeedScenarioOutputs {
  const config = new pulumi.Config();
  const breakGlassGroupId =
    options.breakGlassGroupId ?? config.get("breakGlassGroupId") ?? EMULATOR_BREAK_GLASS_GROUP_ID;
  const pilotMembers =
    options.pilotMembers ?? config.getObject<string[]>("pilotMembers") ?? EMULATOR_PILOT_MEMBERS;
  const additionalExclusions =
    options.additionalExclusions ?? config.getObject<Target[]>("additionalExclusions") ?? [];

  const pilot = new PilotGroup("pilot", {
    displayName: options.pilotGroupName ?? config.get("pilotGroupName") ?? DEFAULT_PILOT_GROUP_NAME,
    description: "Users asked to set up Microsoft Authenticator first (registration campaign)",
    members: pilotMembers,
  });

  // Prerequisite of the nudge: the pilot may use Authenticator in mode any (push or passwordless).
  // Everyone may, so nobody who set it up loses it; the app shows the application and the location
  // in its notifications, so a push nobody started is recognised (CISA SCuBA MS.AAD.3.3v2, the
  // policy pack's login-context rule). One-time codes are left as the tenant has them.
  const authenticator = new AuthenticatorPolicy("authenticator", {
    state: "enabled",
    includeTargets: [{ id: "all_users", targetType: "group", authenticationMode: "any" }],
    featureSettings: {
      displayAppInformationRequiredState: { state: "enabled" },
      displayLocationInformationRequiredState: { state: "enabled" },
    },
  });

  const campaign = new RegistrationCampaign(
    "campaign",
    {
      state: "enabled",
      snoozeDurationInDays:
        options.snoozeDurationInDays ?? config.getNumber("snoozeDurationInDays") ?? 0,
      includeTargets: [{ id: pilot.id, targetType: "group" }],
      excludeTargets: [{ id: breakGlassGroupId, targetType: "group" }, ...additionalExclusions],
    },
    // Nudging users toward a method they may not use would send them to a dead end.
    { dependsOn: [authenticator] },
  );

  return {
    pilotGroupId: pilot.id,
    pilotGroupName: pilot.displayName,
    pilotMemberIds: pilot.memberIds,
    authenticatorState: authenticator.state,
    campaignState: campaign.state,
    snoozeDurationInDays: campaign.snoozeDurationInDays,
    excludedIds: campaign.excludeTargets.apply((targets) => targets.map((t) => t.id)),
  };
}

export = seedScenario;
