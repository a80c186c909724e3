// The live counterpart of a declared resource of any kind, read exactly as the resource's own
// read() does (the reads and managed-subset filters beside this file, which the providers use too),
// so that drift, preview summaries and `pulumi refresh` never disagree about what the tenant holds.
import type { GraphClient } from "../graph";
import type { InputsByKind, PilotGroupObserved, ResourceKind, SettingsByKind } from "../model";
import { liveAuthenticator } from "./authenticator";
import { liveCampaign } from "./campaign";
import { livePasskey } from "./passkey";
import { readPilotGroup } from "./pilotGroup";

export type LiveState =
  { exists: true; actual: SettingsByKind[ResourceKind]; displayName?: string } | { exists: false };

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
  switch (kind) {
    case "RegistrationCampaign": {
      const inputs = declared as InputsByKind["RegistrationCampaign"];
      const spec = liveCampaign;
      const actual = await spec.read(graph, spec.version(inputs));
      return { exists: true, actual: spec.managed(actual, inputs) };
    }
    case "AuthenticatorPolicy": {
      const inputs = declared as InputsByKind["AuthenticatorPolicy"];
      const spec = liveAuthenticator;
      const actual = await spec.read(graph, spec.version(inputs));
      return { exists: true, actual: spec.managed(actual, inputs) };
    }
    case "PasskeyPolicy": {
      const inputs = declared as InputsByKind["PasskeyPolicy"];
      const spec = livePasskey;
      const actual = await spec.read(graph, spec.version(inputs));
      return { exists: true, actual: spec.managed(actual, inputs) };
    }
    case "PilotGroup": {
      const inputs = declared as InputsByKind["PilotGroup"];
      const observed: PilotGroupObserved | undefined = await readPilotGroup(graph, id, inputs);
      if (!observed) return { exists: false };
      return { exists: true, actual: observed, displayName: observed.displayName };
    }
  }
}

/**
 * A singleton's settings restricted to what a declaration manages (the providers' own filter), e.g.
 * the part of `originalSettings` that a delete restores over the declared properties.
 */
export function managedPart(
  kind: "RegistrationCampaign" | "AuthenticatorPolicy" | "PasskeyPolicy",
  settings: SettingsByKind[ResourceKind],
  declared: InputsByKind[ResourceKind],
): SettingsByKind[ResourceKind] {
  if (kind === "PasskeyPolicy") {
    return livePasskey.managed(
      settings as SettingsByKind["PasskeyPolicy"],
      declared as InputsByKind["PasskeyPolicy"],
    );
  }
  return kind === "RegistrationCampaign"
    ? liveCampaign.managed(
        settings as SettingsByKind["RegistrationCampaign"],
        declared as InputsByKind["RegistrationCampaign"],
      )
    : liveAuthenticator.managed(
        settings as SettingsByKind["AuthenticatorPolicy"],
        declared as InputsByKind["AuthenticatorPolicy"],
      );
}
