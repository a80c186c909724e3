// PasskeyPolicy: the model's equivalences as properties over generated declarations (passkey
// profiles with their types, attestation and key restrictions, targets allowing profiles by name,
// exclusions); profiles, their types and AAGUIDs in another order change nothing either.
import { passkeyArgs } from "./arbitraries";
import { canonicalFormProperties, otherExclusions, otherState } from "./properties";

describe("PasskeyPolicy: properties", () => {
  canonicalFormProperties("PasskeyPolicy", passkeyArgs, [otherState, otherExclusions]);
});
