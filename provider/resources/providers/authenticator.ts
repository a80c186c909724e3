// The Microsoft Authenticator method configuration (graph-contract.md §3).
import { patchAuthenticatorConfiguration } from "../../graph";
import { liveAuthenticator } from "../../live";
import { authenticatorToGraphPatch, type AuthenticatorSettings } from "../../model";
import { checkMethodLoss } from "./methodLoss";
import { singletonProvider, type SingletonSpec } from "./singleton";

/** How the configuration is read (provider/live), written and restricted to what a declaration manages. */
export const authenticatorSingleton: SingletonSpec<"AuthenticatorPolicy"> = {
  ...liveAuthenticator,
  name: "microsoftAuthenticator",
  subject: "the Microsoft Authenticator configuration",
  checkWithTenant: (inputs, olds) => checkMethodLoss("AuthenticatorPolicy", inputs, olds),
  async write(graph, settings, version, before) {
    const { body } = authenticatorToGraphPatch(settings);
    await patchAuthenticatorConfiguration(graph, body as never, version);
    // The PATCH answers 204 without a body (§3.1). Graph's guidance is to trust a successful write
    // rather than read it back (§4.8): a read right after it may answer the old configuration for
    // seconds. What Graph holds now is the configuration read just before, with the PATCH applied.
    return before ? withPatchApplied(before, settings) : settings;
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
