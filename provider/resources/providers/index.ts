// The providers' implementation, loaded by name ("pulumi-entra-nudge/internal/providers") from the
// small serialized shims, so the state never holds logic and a package upgrade fixes old stacks.
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "../../model";
import { authenticatorProvider } from "./authenticator";
import { campaignProvider } from "./campaign";
import { setConfig } from "./context";
import { pilotGroupProvider } from "./pilotGroup";

export { setConfig, setWarningSink } from "./context";

const PROVIDERS: Record<ResourceKind, pulumi.dynamic.ResourceProvider> = {
  RegistrationCampaign: campaignProvider,
  AuthenticatorPolicy: authenticatorProvider,
  PilotGroup: pilotGroupProvider,
};

export function provider(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  const found = PROVIDERS[kind];
  if (!found) throw new Error(`pulumi-entra-nudge has no resource named "${kind}".`);
  return found;
}

/** The engine's configure call: the whole stack config, with namespaced keys. */
export function configure(req: pulumi.dynamic.ConfigureRequest): void {
  setConfig((key) => req.config.get(key));
}
