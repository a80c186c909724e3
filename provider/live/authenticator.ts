// The Microsoft Authenticator method configuration as the tenant holds it (graph-contract.md §3),
// read the way the AuthenticatorPolicy resource reads it.
import { getAuthenticatorConfiguration, type GraphClient } from "../graph";
import {
  authenticatorFromGraph,
  authenticatorGraphVersion,
  type AuthenticatorFeatureSettings,
  type AuthenticatorSettings,
  type GraphAuthenticatorConfiguration,
  type GraphVersion,
} from "../model";
import type { LiveSingleton } from "./singleton";

/** The Authenticator configuration as Graph holds it, canonical. */
export async function readAuthenticator(
  graph: GraphClient,
  version: GraphVersion,
): Promise<AuthenticatorSettings> {
  return authenticatorFromGraph(
    (await getAuthenticatorConfiguration(graph, version)) as GraphAuthenticatorConfiguration,
  );
}

/** How the configuration is read and restricted to what a declaration manages. */
export const liveAuthenticator: LiveSingleton<"AuthenticatorPolicy"> = {
  kind: "AuthenticatorPolicy",
  version: authenticatorGraphVersion,
  read: readAuthenticator,
  managed(settings, declared): AuthenticatorSettings {
    const featureSettings: AuthenticatorFeatureSettings = {};
    for (const name of Object.keys(
      declared.featureSettings,
    ) as (keyof AuthenticatorFeatureSettings)[]) {
      if (settings.featureSettings[name]) featureSettings[name] = settings.featureSettings[name];
    }
    const managed: AuthenticatorSettings = { ...settings, featureSettings };
    if (declared.isSoftwareOathEnabled === undefined) delete managed.isSoftwareOathEnabled;
    return managed;
  },
};
