// The registration campaign: registrationEnforcement.authenticationMethodsRegistrationCampaign
// inside the tenant's authentication methods policy (graph-contract.md §2).
import { patchPasskeyMigrationOptOut, patchRegistrationEnforcement } from "../../graph";
import { liveCampaign, readCampaign } from "../../live";
import {
  campaignFromGraph,
  campaignWarnings,
  campaignToGraphPatch,
  type GraphAuthenticationMethodsPolicy,
} from "../../model";
import { singletonProvider, type SingletonSpec } from "./singleton";

/** How the campaign is read (provider/live), written and restricted to what a declaration manages. */
export const campaignSingleton: SingletonSpec<"RegistrationCampaign"> = {
  ...liveCampaign,
  name: "registrationCampaign",
  subject: "the registration campaign",
  async write(graph, settings, version, before) {
    const { body } = campaignToGraphPatch(settings, before);
    // The PATCH answers the updated policy (§1.5): trusting it spares a read that replication
    // lag could answer with the old state (§4.8). The opt-out goes in a PATCH of its own (beta,
    // the version this campaign is then read on), whose answer holds both.
    let policy = await patchRegistrationEnforcement(graph, body.registrationEnforcement, version);
    if (body.optOutSettings) policy = await patchPasskeyMigrationOptOut(graph, body.optOutSettings);
    return policy?.registrationEnforcement
      ? campaignFromGraph(policy as GraphAuthenticationMethodsPolicy, version)
      : readCampaign(graph, version);
  },
  warnings: campaignWarnings,
};

export const campaignProvider = singletonProvider(campaignSingleton);
