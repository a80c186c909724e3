// The passkey (FIDO2) method configuration with passkey profiles (graph-contract-passkeys.md §4).
import { patchFido2Configuration } from "../../graph";
import { livePasskey, readPasskey } from "../../live";
import { passkeyMainPatches, passkeyProfilesFirstPatch, passkeyWeakenings } from "../../model";
import { readUntilSettled } from "./replication";
import { checkMethodLoss } from "./methodLoss";
import { singletonProvider, type SingletonSpec } from "./singleton";

/**
 * How the configuration is read (provider/live) and written. Graph replaces the profile set as a
 * whole, gives new profiles their ids, and refuses to delete a profile a target still names (§4
 * [blog] WIKI), so a write takes up to three PATCHes, each only when needed:
 * 1. new profiles (and nothing else), then a read for their ids;
 * 2. the configuration, targets naming profile ids, profiles to delete kept while still assigned;
 * 3. the profile set without them.
 * A declaration that adds and removes no assigned profile is one PATCH.
 */
export const passkeySingleton: SingletonSpec<"PasskeyPolicy"> = {
  ...livePasskey,
  name: "passkeyPolicy",
  subject: "the passkey (FIDO2) configuration",
  checkWithTenant: (inputs, olds) => checkMethodLoss("PasskeyPolicy", inputs, olds),
  async write(graph, settings, version, before) {
    let current = before ?? (await readPasskey(graph, version));
    const first = passkeyProfilesFirstPatch(settings, current);
    // References are resolved before the first write, so a bad one writes nothing.
    if (!first) passkeyMainPatches(settings, current);
    if (first) {
      await patchFido2Configuration(graph, first as never, version);
      // The ids Graph gave the new profiles; a read right after a write may still answer the old
      // set (§4.8), so it is repeated until every declared profile is there.
      const wanted = (settings.passkeyProfiles ?? []).map((p) => p.name.toLowerCase());
      current = await readUntilSettled(
        () => readPasskey(graph, version),
        (now) =>
          wanted.every((name) =>
            (now.passkeyProfiles ?? []).some((p) => p.name.toLowerCase() === name),
          ),
      );
    }
    const { patches, after } = passkeyMainPatches(settings, current);
    for (const body of patches) await patchFido2Configuration(graph, body as never, version);
    // Each PATCH answers 204 (§3.1): what Graph holds is what was written onto what was read.
    return after;
  },
  weakenings: (before, after) => passkeyWeakenings(before as never, after),
};

export const passkeyProvider = singletonProvider(passkeySingleton);
