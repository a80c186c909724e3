// The Microsoft Authenticator method configuration (graph-contract.md §3).
import {
  getAuthenticatorConfiguration,
  patchAuthenticatorConfiguration,
  type GraphClient,
} from "../../graph";
import {
  authenticatorFromGraph,
  authenticatorGraphVersion,
  authenticatorToGraphPatch,
  describeChanges,
  type AuthenticatorFeatureSettings,
  type AuthenticatorSettings,
  type GraphAuthenticatorConfiguration,
  type GraphVersion,
} from "../../model";
import { singletonProvider, type SingletonSpec } from "./singleton";

/** The Authenticator configuration as Graph holds it, canonical (also what drift compares). */
export async function readAuthenticator(
  graph: GraphClient,
  version: GraphVersion,
): Promise<AuthenticatorSettings> {
  return authenticatorFromGraph(
    (await getAuthenticatorConfiguration(graph, version)) as GraphAuthenticatorConfiguration,
  );
}

/** How the configuration is read, written and restricted to what a declaration manages. */
export const authenticatorSingleton: SingletonSpec<"AuthenticatorPolicy"> = {
  kind: "AuthenticatorPolicy",
  name: "microsoftAuthenticator",
  subject: "the Microsoft Authenticator configuration",
  version: authenticatorGraphVersion,
  read: readAuthenticator,
  async write(graph, settings, version) {
    const { body } = authenticatorToGraphPatch(settings);
    await patchAuthenticatorConfiguration(graph, body as never, version);
    // The PATCH answers 204 without a body (§3.1), so what Graph stored is read back. Right after
    // a write a read may still answer the old configuration for seconds (§4.8: ~5 s observed on
    // policies), which the state would then record: the read is repeated while it does not show
    // the write, and the successful write is trusted if replication takes longer than that.
    // A failed read-back does not undo the write: the settings written are then what Graph holds.
    for (const delaySeconds of [0, 1, 2, 4]) {
      await new Promise((resolve) => setTimeout(resolve, delaySeconds * 1000));
      let stored: AuthenticatorSettings;
      try {
        stored = await readAuthenticator(graph, version);
      } catch {
        return settings;
      }
      if (describeChanges("AuthenticatorPolicy", settings, stored).length === 0) return stored;
    }
    return settings;
  },
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

export const authenticatorProvider = singletonProvider(authenticatorSingleton);
