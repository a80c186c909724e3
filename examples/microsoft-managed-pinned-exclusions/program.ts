// Leaves the registration campaign to Microsoft (state "default", "Microsoft managed" in the portal)
// while pinning who is never nudged: the break-glass group, plus any listed users. Everything else
// stays Microsoft's call, and a portal edit of the exclusions shows up as drift.
import * as pulumi from "@pulumi/pulumi";
import { RegistrationCampaign } from "pulumi-entra-nudge";

export interface PinnedExclusionsSettings {
  /** Object id of the emergency-access (break-glass) group. */
  breakGlassGroupId: pulumi.Input<string>;
  /** Object ids of users never to nudge, e.g. accounts that cannot register an app. */
  excludedUserIds?: pulumi.Input<string>[];
}

export function pinnedExclusionsSettings(config: pulumi.Config): PinnedExclusionsSettings {
  return {
    breakGlassGroupId: config.require("breakGlassGroupId"),
    excludedUserIds: config.getObject<string[]>("excludedUserIds"),
  };
}

export function microsoftManagedPinnedExclusions(
  settings: PinnedExclusionsSettings,
): RegistrationCampaign {
  // Only the exclusions are declared. With state "default" Microsoft fixes the snooze (1 day) and
  // the enforcement after 3 snoozes, so declaring either with another value is refused, and
  // includeTargets keeps its default, all users, as Microsoft's campaign does.
  return new RegistrationCampaign("campaign", {
    state: "default",
    excludeTargets: [
      { id: settings.breakGlassGroupId, targetType: "group" },
      ...(settings.excludedUserIds ?? []).map((id) => ({ id, targetType: "user" as const })),
    ],
  });
}
