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
  );
}

/** How the campaign is read and restricted to what a declaration manages. */
export const liveCampaign: LiveSingleton<"RegistrationCampaign"> = {
  kind: "RegistrationCampaign",
  version: campaignGraphVersion,
  read: readCampaign,
  managed(settings, declared): CampaignSettings {
    if (declared.enforceRegistrationAfterAllowedSnoozes !== undefined) return settings;
    const rest = { ...settings };
    delete rest.enforceRegistrationAfterAllowedSnoozes;
    return rest;
  },
};
