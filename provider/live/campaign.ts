// The registration campaign as the tenant holds it: registrationEnforcement.
// authenticationMethodsRegistrationCampaign inside the authentication methods policy
// (graph-contract.md §2), read the way the RegistrationCampaign resource reads it.
import { getAuthenticationMethodsPolicy, type GraphClient } from "../graph";
import {
  campaignFromGraph,
  campaignGraphVersion,
  type CampaignSettings,
  type GraphAuthenticationMethodsPolicy,
  type GraphVersion,
} from "../model";
import type { LiveSingleton } from "./singleton";

/** The campaign as Graph holds it, canonical. */
export async function readCampaign(
  graph: GraphClient,
  version: GraphVersion,
): Promise<CampaignSettings> {
  return campaignFromGraph(
    (await getAuthenticationMethodsPolicy(graph, version)) as GraphAuthenticationMethodsPolicy,
    version,
  );
}

/** How the campaign is read and restricted to what a declaration manages. */
export const liveCampaign: LiveSingleton<"RegistrationCampaign"> = {
  kind: "RegistrationCampaign",
  version: campaignGraphVersion,
  read: readCampaign,
  /**
   * Only what the declaration manages: the beta-only settings when declared, and under state
   * "default" neither the method nor the snooze days (Microsoft decides them; reading them never
   * shows a difference).
   */
  managed(settings, declared): CampaignSettings {
    const rest: CampaignSettings = { ...settings };
    if (declared.enforceRegistrationAfterAllowedSnoozes === undefined) {
      delete rest.enforceRegistrationAfterAllowedSnoozes;
    }
    if (declared.passkeyMigrationOptOut === undefined) delete rest.passkeyMigrationOptOut;
    if (declared.snoozeDurationInDays === undefined) delete rest.snoozeDurationInDays;
    if (declared.targetedAuthenticationMethod === undefined) {
      delete rest.targetedAuthenticationMethod;
      rest.includeTargets = settings.includeTargets.map((target) => ({
        id: target.id,
        targetType: target.targetType,
      }));
    }
    return rest;
  },
};
