// The staged-rollout program: reads the stack settings and declares the rollout (program.ts).
import * as pulumi from "@pulumi/pulumi";
import { stagedRollout, stagedRolloutSettings } from "./program";

const settings = stagedRolloutSettings(new pulumi.Config());
const rollout = stagedRollout(settings);

export const stage = settings.stage;
export const pilotGroupId = rollout.pilotGroup.id;
export const authenticatorIncludeTargets = rollout.authenticator.includeTargets;
export const campaignIncludeTargets = rollout.campaign.includeTargets;
export const campaignExcludeTargets = rollout.campaign.excludeTargets;
