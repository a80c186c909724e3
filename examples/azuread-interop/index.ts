// The azuread interop program: stack settings in, groups and policies declared (program.ts).
import * as pulumi from "@pulumi/pulumi";
import { azureadInterop, azureadInteropSettings } from "./program";

const interop = azureadInterop(azureadInteropSettings(new pulumi.Config()));

export const pilotGroupObjectId = interop.pilotGroup.objectId;
export const breakGlassGroupId = interop.breakGlassGroupId;
export const campaignIncludeTargets = interop.campaign.includeTargets;
export const authenticatorIncludeTargets = interop.authenticator.includeTargets;
