// AuthenticatorPolicy: the model's equivalences as properties over generated declarations (modes,
// registration required, feature settings with their targets, exclusions), and the write/read cycle.
import fc from "fast-check";
import {
  authenticatorFromGraph,
  authenticatorToGraphPatch,
  describeChanges,
  parseArgs,
} from "../../provider/model";
import { RUNS, authenticatorArgs, like, valid } from "./arbitraries";
import { canonicalFormProperties, otherExclusions, otherState } from "./properties";
import { expect } from "./support";

describe("AuthenticatorPolicy: properties", () => {
  canonicalFormProperties("AuthenticatorPolicy", authenticatorArgs, [otherState, otherExclusions]);

  it("what is written to Graph, read back, is no change", () => {
    fc.assert(
      fc.property(valid("AuthenticatorPolicy", authenticatorArgs), (args) => {
        const { onDelete: _onDelete, ...settings } = parseArgs("AuthenticatorPolicy", args);
        void _onDelete;
        const patch = authenticatorToGraphPatch(settings);
        const read = authenticatorFromGraph(patch.body);
        expect(
          describeChanges("AuthenticatorPolicy", like("AuthenticatorPolicy", args), read),
        ).to.deep.equal([]);
      }),
      RUNS,
    );
  });
});
