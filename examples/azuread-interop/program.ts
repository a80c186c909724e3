// Groups managed with @pulumi/azuread feed the nudge: a pilot group created with azuread.Group is
// the registration campaign's target, and an existing break-glass group found with azuread.getGroup
// is excluded from the campaign and the Microsoft Authenticator method. Authenticator stays enabled
// for every user: narrowing it to the pilot would take it from everyone else who set it up.
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { AuthenticatorPolicy, RegistrationCampaign } from "pulumi-entra-nudge";

export interface AzureadInteropSettings {
  pilotGroupName: string;
  /** Object ids of the pilot's users (azuread.Group members take object ids). */
  pilotMemberIds: pulumi.Input<string>[];
  /** Display name of the existing emergency-access (break-glass) group. */
  breakGlassGroupName: string;
}

export interface AzureadInterop {
  pilotGroup: azuread.Group;
  breakGlassGroupId: pulumi.Output<string>;
  authenticator: AuthenticatorPolicy;
  campaign: RegistrationCampaign;
}

export function azureadInteropSettings(config: pulumi.Config): AzureadInteropSettings {
  return {
    pilotGroupName: config.get("pilotGroupName") ?? "Authenticator pilot",
    pilotMemberIds: config.getObject<string[]>("pilotMemberIds") ?? [],
    breakGlassGroupName: config.require("breakGlassGroupName"),
  };
}

export function azureadInterop(settings: AzureadInteropSettings): AzureadInterop {
  const pilotGroup = new azuread.Group("pilot", {
    displayName: settings.pilotGroupName,
    description: "Users who get the Microsoft Authenticator registration nudge first.",
    securityEnabled: true,
    members: settings.pilotMemberIds,
  });
  const breakGlass = azuread.getGroupOutput({
    displayName: settings.breakGlassGroupName,
    securityEnabled: true,
  });

  // objectId, not id: azuread ids are "/groups/{objectId}", the targets take the bare object id.
  const pilot = [{ id: pilotGroup.objectId, targetType: "group" as const }];
  const excluded = [{ id: breakGlass.objectId, targetType: "group" as const }];

  // Notifications show the app and the location (CISA SCuBA MS.AAD.3.3v2, the policy pack's
  // login-context rule).
  const authenticator = new AuthenticatorPolicy("authenticator", {
    state: "enabled",
    includeTargets: [{ id: "all_users", targetType: "group", authenticationMode: "any" }],
    excludeTargets: excluded,
    featureSettings: {
      displayAppInformationRequiredState: { state: "enabled" },
      displayLocationInformationRequiredState: { state: "enabled" },
    },
  });
  const campaign = new RegistrationCampaign(
    "campaign",
    { state: "enabled", snoozeDurationInDays: 0, includeTargets: pilot, excludeTargets: excluded },
    // Authenticator is enabled for the pilot before the pilot is asked to set it up.
    { dependsOn: [authenticator] },
  );

  return { pilotGroup, breakGlassGroupId: breakGlass.objectId, authenticator, campaign };
}
