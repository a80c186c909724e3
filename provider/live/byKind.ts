// The live counterpart of a declared resource of any kind, read exactly as the resource's own
// read() does (the reads and managed-subset filters beside this file, which the providers use too),
// so that drift, preview summaries and `pulumi refresh` never disagree about what the tenant holds.
import type { GraphClient } from "../graph";
import type { InputsByKind, PilotGroupObserved, ResourceKind, SettingsByKind } from "../model";
import { liveAuthenticator } from "./authenticator";
import { liveCampaign } from "./campaign";
import { livePasskey } from "./passkey";
import { readPilotGroup } from "./pilotGroup";
import type { LiveSingleton, SingletonKind } from "./singleton";

export type LiveState =
  { exists: true; actual: SettingsByKind[ResourceKind]; displayName?: string } | { exists: false };

/** How each tenant-wide singleton is read and restricted to what a declaration manages. */
export const LIVE_SINGLETONS: { [K in SingletonKind]: LiveSingleton<K> } = {
  RegistrationCampaign: liveCampaign,
  AuthenticatorPolicy: liveAuthenticator,
  PasskeyPolicy: livePasskey,
};

/**
 * Reads what the tenant holds for a resource: a singleton's settings restricted to what the
 * declaration manages, or a pilot group (absent when it was deleted). Graph errors are thrown.
 */
export async function readLive(
  graph: GraphClient,
  kind: ResourceKind,
  id: string,
  declared: InputsByKind[ResourceKind],
): Promise<LiveState> {
  if (kind === "PilotGroup") {
    const inputs = declared as InputsByKind["PilotGroup"];
    const observed: PilotGroupObserved | undefined = await readPilotGroup(graph, id, inputs);
    if (!observed) return { exists: false };
    return { exists: true, actual: observed, displayName: observed.displayName };
  }
  const spec: LiveSingleton<SingletonKind> = LIVE_SINGLETONS[kind];
  const inputs = declared as InputsByKind[SingletonKind];
  const actual = await spec.read(graph, spec.version(inputs));
  return { exists: true, actual: spec.managed(actual, inputs) };
}

/**
 * A singleton's settings restricted to what a declaration manages (the providers' own filter), e.g.
 * the part of `originalSettings` that a delete restores over the declared properties.
 */
export function managedPart(
  kind: SingletonKind,
  settings: SettingsByKind[ResourceKind],
  declared: InputsByKind[ResourceKind],
): SettingsByKind[ResourceKind] {
  const spec: LiveSingleton<SingletonKind> = LIVE_SINGLETONS[kind];
  return spec.managed(
    settings as SettingsByKind[SingletonKind],
    declared as InputsByKind[SingletonKind],
  );
}
