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
  async write(graph, settings, version, before) {
    const { body } = authenticatorToGraphPatch(settings);
    await patchAuthenticatorConfiguration(graph, body as never, version);
    // The PATCH answers 204 without a body (§3.1). Graph's guidance is to trust a successful write
    // rather than read it back (§4.8): a read right after it may answer the old configuration for
    // seconds. What Graph holds now is the configuration read just before, with the PATCH applied.
    return before ? withPatchApplied(before, settings) : settings;
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

/**
 * The configuration after a PATCH of `written` onto `before` (§3.1): the state and both target
 * lists are replaced; isSoftwareOathEnabled and each feature setting change only where declared.
 */
export function withPatchApplied(
  before: AuthenticatorSettings,
  written: AuthenticatorSettings,
): AuthenticatorSettings {
  return {
    ...before,
    state: written.state,
    includeTargets: written.includeTargets,
    excludeTargets: written.excludeTargets,
    ...(written.isSoftwareOathEnabled === undefined
      ? {}
      : { isSoftwareOathEnabled: written.isSoftwareOathEnabled }),
    featureSettings: { ...before.featureSettings, ...written.featureSettings },
  };
}

export const authenticatorProvider = singletonProvider(authenticatorSingleton);
