// strictEligibility through the RegistrationCampaign provider: checked, kept in the outputs and
// read back as an input, compared like onDelete, and never sent to Graph.
import { expect } from "chai";
import { provider, setConfig, setWarningSink } from "../../provider/resources/providers";
import { useEmulator } from "../support/emulator";

const PILOT_GROUP = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31";

describe("eligibility: strictEligibility in the RegistrationCampaign provider", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ resetEachTest: true });
  const campaign = () => provider("RegistrationCampaign");
  const declared = {
    state: "enabled",
    snoozeDurationInDays: 0,
    includeTargets: [{ id: PILOT_GROUP, targetType: "group" }],
    strictEligibility: true,
  };

  beforeEach(() => {
    setConfig(() => undefined, { ...emulator.env("writer"), ENTRA_NUDGE_RETRY_DELAY_SECONDS: "0" });
    setWarningSink(() => undefined);
  });
  after(() => setWarningSink(undefined));

  it("is recorded and read back, but never written to Graph", async () => {
    const { inputs } = await campaign().check!({}, declared);
    expect(inputs).to.have.property("strictEligibility", true);
    const { id, outs } = await campaign().create(inputs);
    expect(outs).to.have.property("strictEligibility", true);
    const patches = emulator.requests().filter((r) => r.method === "PATCH");
    expect(patches).to.have.length(1);
    const policy = await campaign().read!(id, outs);
    expect(policy.inputs).to.have.property("strictEligibility", true);
    // Graph never saw the argument: its campaign is exactly the declared settings.
    const diff = await campaign().diff!(id, outs, inputs);
    expect(diff.changes).to.equal(false);
    const relaxed = (await campaign().check!({}, { ...declared, strictEligibility: false })).inputs;
    expect((await campaign().diff!(id, outs, relaxed)).changes).to.equal(true);
    await campaign().update!(id, outs, relaxed);
    // Only the first create wrote: a strictEligibility change is the provider's alone.
    expect(emulator.requests().filter((r) => r.method === "PATCH")).to.have.length(1);
  });

  it("refuses a value that is not a boolean before any Graph call", async () => {
    const result = await campaign().check!({}, { ...declared, strictEligibility: "true" });
    // Check failures name the property in their words, not as the engine's property field.
    expect(result.failures).to.have.length(1);
    expect(result.failures?.[0].reason).to.contain("strictEligibility");
    expect(emulator.requests().filter((r) => r.path.startsWith("/v1.0"))).to.deep.equal([]);
  });
});
