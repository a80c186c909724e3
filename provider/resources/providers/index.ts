// The providers' implementation, loaded by name ("pulumi-entra-nudge/internal/providers") from the
// small serialized shims, so the state never holds logic and a package upgrade fixes old stacks.
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import type { ConfigLookup } from "../../config";
import type { ResourceKind } from "../../model";
import { authenticatorProvider } from "./authenticator";
import { campaignProvider } from "./campaign";
import { setConfig } from "./processSession";
import { pilotGroupProvider } from "./pilotGroup";

// The process session's switches and the session itself, for tests and embedders that drive the
// providers without the engine.
export { current as processSession, setConfig, setWarningSink } from "./processSession";

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

let configuredWith: string | undefined;

/** The engine's configure call: the whole stack config, with namespaced keys. */
export function configure(req: pulumi.dynamic.ConfigureRequest): void {
  // The dynamic-provider host configures each resource kind's provider, all with the same stack
  // config: one Graph client (one sign-in) then serves them all. Only a hash of the config (which
  // may hold a secret) is kept.
  const raw = (req.config as { rawConfig?: unknown }).rawConfig;
  const hash =
    raw === undefined ? undefined : createHash("sha256").update(JSON.stringify(raw)).digest("hex");
  if (hash !== undefined && hash === configuredWith) return;
  configuredWith = hash;
  const lookup: ConfigLookup = (key) => req.config.get(key);
  // The keys let a misspelled entra-nudge: setting be named in a warning.
  if (raw && typeof raw === "object") lookup.keys = () => Object.keys(raw);
  setConfig(lookup);
}
