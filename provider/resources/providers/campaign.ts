// The registration campaign: registrationEnforcement.authenticationMethodsRegistrationCampaign
// inside the tenant's authentication methods policy (graph-contract.md §2).
import { patchRegistrationEnforcement } from "../../graph";
import { liveCampaign, readCampaign } from "../../live";
import {
  campaignFromGraph,
  campaignToGraphPatch,
  type GraphAuthenticationMethodsPolicy,
} from "../../model";
import { singletonProvider, type SingletonSpec } from "./singleton";

/** How the campaign is read (provider/live), written and restricted to what a declaration manages. */
export const campaignSingleton: SingletonSpec<"RegistrationCampaign"> = {
  ...liveCampaign,
  name: "registrationCampaign",
  subject: "the registration campaign",
  async write(graph, settings, version) {
    const { body } = campaignToGraphPatch(settings);
    // The PATCH answers the updated policy (§1.5): trusting it spares a read that replication
    // lag could answer with the old state (§4.8).
    const policy = await patchRegistrationEnforcement(graph, body.registrationEnforcement, version);
    return policy?.registrationEnforcement
      ? campaignFromGraph(policy as GraphAuthenticationMethodsPolicy)
      : readCampaign(graph, version);
  },
};

export const campaignProvider = singletonProvider(campaignSingleton);
