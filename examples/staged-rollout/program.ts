// A staged rollout of the Authenticator nudge: a pilot group first, then every user. One stack
// setting, `stage`, moves the registration campaign from the pilot group to all users; Microsoft
// Authenticator stays enabled for every user at every stage (narrowing it to the pilot would take
// it from everyone else who set it up). The break-glass group is excluded from both.
import * as pulumi from "@pulumi/pulumi";
import { AuthenticatorPolicy, PilotGroup, RegistrationCampaign } from "pulumi-entra-nudge";

export const STAGES = ["pilot", "all"] as const;
export type Stage = (typeof STAGES)[number];

export interface StagedRolloutSettings {
  stage: Stage;
  /** Object id of the emergency-access (break-glass) group, excluded from both policies. */
  breakGlassGroupId: pulumi.Input<string>;
  /** The pilot's users: user principal names or object ids. */
  pilotMembers: pulumi.Input<string>[];
  pilotGroupName?: pulumi.Input<string>;
}

export interface StagedRollout {
  pilotGroup: PilotGroup;
  authenticator: AuthenticatorPolicy;
  campaign: RegistrationCampaign;
}

/** The settings from stack config (`stage` defaults to "pilot"); a wrong stage is refused. */
export function stagedRolloutSettings(config: pulumi.Config): StagedRolloutSettings {
  const stage = config.get("stage") ?? "pilot";
  if (!isStage(stage)) {
    throw new Error(
      `Stack setting "stage" is "${stage}"; use "pilot" (the pilot group only) or "all" (every user), ` +
        `e.g. \`pulumi config set stage pilot\`.`,
    );
  }
  return {
    stage,
    breakGlassGroupId: config.require("breakGlassGroupId"),
    pilotMembers: config.requireObject<string[]>("pilotMembers"),
    pilotGroupName: config.get("pilotGroupName"),
  };
}

function isStage(value: string): value is Stage {
  return (STAGES as readonly string[]).includes(value);
}

export function stagedRollout(settings: StagedRolloutSettings): StagedRollout {
  // Declared at every stage, so that moving to "all" never deletes it and moving back to "pilot"
  // finds the same group and members.
  const pilotGroup = new PilotGroup("pilot", {
    displayName: settings.pilotGroupName ?? "Authenticator pilot",
    description: "Users who get the Microsoft Authenticator registration nudge first.",
    members: settings.pilotMembers,
  });
  const audience = settings.stage === "pilot" ? pilotGroup.id : "all_users";
  const breakGlass = [{ id: settings.breakGlassGroupId, targetType: "group" as const }];

  // Every user, at every stage, in mode "any": it keeps the audience eligible for the nudge
  // ("deviceBasedPush" would make them ineligible) and takes the app from nobody. Notifications show
  // the app and the location (CISA SCuBA MS.AAD.3.3v2, the policy pack's login-context rule).
  const authenticator = new AuthenticatorPolicy("authenticator", {
    state: "enabled",
    includeTargets: [{ id: "all_users", targetType: "group", authenticationMode: "any" }],
    excludeTargets: breakGlass,
    featureSettings: {
      displayAppInformationRequiredState: { state: "enabled" },
      displayLocationInformationRequiredState: { state: "enabled" },
    },
  });

  const campaign = new RegistrationCampaign(
    "campaign",
    {
      state: "enabled",
      // The pilot sees the prompt at every MFA sign-in, so its feedback comes in fast; everyone
      // else may snooze it for a day.
      snoozeDurationInDays: settings.stage === "pilot" ? 0 : 1,
      includeTargets: [{ id: audience, targetType: "group" }],
      excludeTargets: breakGlass,
    },
    // Users are enabled for Authenticator before anyone is asked to set it up.
    { dependsOn: [authenticator] },
  );

  return { pilotGroup, authenticator, campaign };
}
