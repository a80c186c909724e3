// What the engine shows of the providers' own messages: a warning sent by a provider call lands
// on the resource it is about, not on `pulumi:pulumi:Stack` (provider/resources/providers/host.ts).
import { expect } from "chai";
import { useEmulator } from "../support/emulator";
import { CAMPAIGN_PATH, SeedStack } from "./harness";

describe("engine: provider warnings on the resource's URN", function () {
  this.timeout(300_000);
  const emulator = useEmulator();
  let seed: SeedStack;

  before(async () => {
    seed = await SeedStack.create(emulator, { stackName: "diagnostics" });
    await seed.succeed((handlers) => seed.stack.up(handlers));
  });
  after(async () => seed?.cleanup());

  it("a retry warning during the campaign's update is attached to the campaign", async () => {
    seed.options = { snoozeDurationInDays: 3 };
    emulator.injectFault({ status: 503, count: 1, method: "PATCH", pathPrefix: CAMPAIGN_PATH });
    const update = await seed.succeed((handlers) => seed.stack.up(handlers));
    const warnings = update.events
      .map((event) => event.diagnosticEvent)
      .filter((d) => d !== undefined && d.severity === "warning" && /retrying/.test(d.message));
    expect(warnings, "the 503 was retried with a warning").to.have.length.greaterThan(0);
    for (const warning of warnings) {
      expect(warning?.urn, warning?.message).to.match(/entra-nudge:RegistrationCampaign::/);
    }
  });
});
