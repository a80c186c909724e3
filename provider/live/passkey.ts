// The passkey (FIDO2) method configuration as the tenant holds it (graph-contract-passkeys.md §4),
// read the way the PasskeyPolicy resource reads it.
import { getFido2Configuration, type GraphClient } from "../graph";
import {
  passkeyFromGraph,
  passkeyGraphVersion,
  type GraphFido2Configuration,
  type GraphVersion,
  type PasskeySettings,
} from "../model";
import type { LiveSingleton } from "./singleton";

/** The passkey configuration as Graph holds it, canonical. */
export async function readPasskey(
  graph: GraphClient,
  version: GraphVersion,
): Promise<PasskeySettings> {
  return passkeyFromGraph(
    (await getFido2Configuration(graph, version)) as unknown as GraphFido2Configuration,
  );
}

/** How the configuration is read and restricted to what a declaration manages. */
export const livePasskey: LiveSingleton<"PasskeyPolicy"> = {
  kind: "PasskeyPolicy",
  version: passkeyGraphVersion,
  read: readPasskey,
  /**
   * The profile set only when declared; the profiles' ids by name and the default profile's id
   * always (they resolve the targets' references in later comparisons).
   */
  managed(settings, declared): PasskeySettings {
    const managed: PasskeySettings = { ...settings };
    if (declared.passkeyProfiles === undefined) delete managed.passkeyProfiles;
    return managed;
  },
};
