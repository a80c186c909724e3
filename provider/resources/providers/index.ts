// The providers' implementation, loaded by name ("pulumi-entra-nudge/internal/providers") from the
// small serialized shims, so the state never holds logic and a package upgrade fixes old stacks.
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import type { ConfigLookup } from "../../config";
import type { ResourceKind } from "../../model";
import { authenticatorProvider } from "./authenticator";
import { campaignProvider } from "./campaign";
import { inProviderProcess, setConfig } from "./processSession";
import { captureUrns, printErrorsOnce, thrownOnPurpose, urnOf, withUrn } from "./host";
import { passkeyProvider } from "./passkey";
import { pilotGroupProvider } from "./pilotGroup";

// The process session's switches and the session itself, for tests and embedders that drive the
// providers without the engine.
export { current as processSession, setConfig, setWarningSink, warn } from "./processSession";
// The engine-host glue (URNs for warnings, errors shown once), for its own tests.
export * as host from "./host";

const PROVIDERS: Record<ResourceKind, pulumi.dynamic.ResourceProvider> = {
  RegistrationCampaign: campaignProvider,
  AuthenticatorPolicy: authenticatorProvider,
  PasskeyPolicy: passkeyProvider,
  PilotGroup: pilotGroupProvider,
};

// Inside the engine's dynamic-provider process (host.ts says why).
if (inProviderProcess()) {
  captureUrns();
  printErrorsOnce();
}

/**
 * One call of a provider method: run with the resource's URN known to warnings, and an error the
 * host would print to stderr (check, diff, read, delete) noted so that it is shown once.
 */
function call<T>(properties: unknown, printedByHost: boolean, run: () => Promise<T>): Promise<T> {
  return withUrn(urnOf(properties), run).catch((error: unknown) => {
    if (printedByHost) thrownOnPurpose(error);
    throw error;
  });
}

function wrap(found: pulumi.dynamic.ResourceProvider): pulumi.dynamic.ResourceProvider {
  return {
    check: (olds, news) => call(news, true, () => found.check!(olds, news)),
    diff: (id, olds, news) => call(news, true, () => found.diff!(id, olds, news)),
    create: (inputs) => call(inputs, false, () => found.create(inputs)),
    read: (id, props) => call(props, true, () => found.read!(id, props)),
    update: (id, olds, news) => call(news, false, () => found.update!(id, olds, news)),
    delete: (id, props) => call(props, true, () => found.delete!(id, props)),
  };
}

const WRAPPED = new Map<ResourceKind, pulumi.dynamic.ResourceProvider>();

export function provider(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  const found = PROVIDERS[kind];
  if (!found) throw new Error(`pulumi-entra-nudge has no resource named "${kind}".`);
  let wrapped = WRAPPED.get(kind);
  if (!wrapped) WRAPPED.set(kind, (wrapped = wrap(found)));
  return wrapped;
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
