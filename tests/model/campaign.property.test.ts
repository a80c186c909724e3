// RegistrationCampaign: the model's equivalences as properties over generated declarations (all
// three states, either method, snooze settings, targets, exclusions), and the write/read cycle: the
// Graph body a declaration is written as, read back, is no change.
import fc from "fast-check";
import {
  campaignFromGraph,
  campaignToGraphPatch,
  describeChanges,
  parseArgs,
} from "../../provider/model";
import { RUNS, campaignArgs, like, valid } from "./arbitraries";
import { canonicalFormProperties, otherExclusions, otherState } from "./properties";
import { expect } from "./support";

describe("RegistrationCampaign: properties", () => {
  canonicalFormProperties("RegistrationCampaign", campaignArgs, [otherState, otherExclusions]);

  it("what is written to Graph, read back, is no change", () => {
    fc.assert(
      fc.property(valid("RegistrationCampaign", campaignArgs), (args) => {
        const {
          onDelete: _onDelete,
          strictEligibility: _strict,
          ...settings
        } = parseArgs("RegistrationCampaign", args);
        void _onDelete;
        void _strict;
        const patch = campaignToGraphPatch(settings);
        const read = campaignFromGraph(patch.body, patch.version);
        expect(
          describeChanges("RegistrationCampaign", like("RegistrationCampaign", args), read),
        ).to.deep.equal([]);
      }),
      RUNS,
    );
  });
});
