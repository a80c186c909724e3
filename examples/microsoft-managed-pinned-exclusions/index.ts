// The Microsoft-managed campaign with pinned exclusions: stack settings in, campaign declared
// (program.ts).
import * as pulumi from "@pulumi/pulumi";
import { microsoftManagedPinnedExclusions, pinnedExclusionsSettings } from "./program";

const campaign = microsoftManagedPinnedExclusions(pinnedExclusionsSettings(new pulumi.Config()));

export const campaignState = campaign.state;
export const campaignExcludeTargets = campaign.excludeTargets;
