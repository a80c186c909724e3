// The authenticator-to-passkeys program: reads the stack settings and declares the stage
// (program.ts).
import * as pulumi from "@pulumi/pulumi";
import { authenticatorToPasskeys, authenticatorToPasskeysSettings } from "./program";

const settings = authenticatorToPasskeysSettings(new pulumi.Config());
const move = authenticatorToPasskeys(settings);

export const stage = settings.stage;
export const pilotGroupId = move.pilotGroup.id;
export const passkeyProfileIds = move.passkeys.passkeyProfileIds;
export const campaignMethod = move.campaign.targetedAuthenticationMethod;
export const campaignIncludeTargets = move.campaign.includeTargets;
