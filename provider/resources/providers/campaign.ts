// The registration campaign: registrationEnforcement.authenticationMethodsRegistrationCampaign
// inside the tenant's authentication methods policy (graph-contract.md §2).
import {
  getAuthenticationMethodsPolicy,
  patchRegistrationEnforcement,
  type GraphClient,
} from "../../graph";
import {
  campaignFromGraph,
  campaignGraphVersion,
  campaignToGraphPatch,
  type CampaignSettings,
  type GraphAuthenticationMethodsPolicy,
  type GraphVersion,
} from "../../model";
import { singletonProvider, type SingletonSpec } from "./singleton";

/** The campaign as Graph holds it, canonical (also what `entra-nudge drift` compares). */
export async function readCampaign(
  graph: GraphClient,
  version: GraphVersion,
): Promise<CampaignSettings> {
  return campaignFromGraph(
    (await getAuthenticationMethodsPolicy(graph, version)) as GraphAuthenticationMethodsPolicy,
  );
}

/** How the campaign is read, written and restricted to what a declaration manages. */
export const campaignSingleton: SingletonSpec<"RegistrationCampaign"> = {
  kind: "RegistrationCampaign",
  name: "registrationCampaign",
  subject: "the registration campaign",
  version: campaignGraphVersion,
  read: readCampaign,
  async write(graph, settings, version) {
    const { body } = campaignToGraphPatch(settings);
    // The PATCH answers the updated policy (§1.5): trusting it spares a read that replication
    // lag could answer with the old state (§4.8).
    const policy = await patchRegistrationEnforcement(graph, body.registrationEnforcement, version);
    return policy?.registrationEnforcement
      ? campaignFromGraph(policy as GraphAuthenticationMethodsPolicy)
      : readCampaign(graph, version);
  },
  managed(settings, declared): CampaignSettings {
    if (declared.enforceRegistrationAfterAllowedSnoozes !== undefined) return settings;
    const rest = { ...settings };
    delete rest.enforceRegistrationAfterAllowedSnoozes;
    return rest;
  },
};

export const campaignProvider = singletonProvider(campaignSingleton);
