// Resource safety through the real engine (issue 17): what the engine records after a failed
// update, a pilot group moved to another tenant, and two resources for one tenant singleton.
import { expect } from "chai";
import { useEmulator } from "../support/emulator";
import { CAMPAIGN_PATH, SeedStack, steps } from "./harness";

describe("e2e: resource safety", function () {
  this.timeout(180_000);
  const emulator = useEmulator();
  const stacks: SeedStack[] = [];
  after(async () => Promise.all(stacks.map((s) => s.cleanup())));

  async function stack(name: string): Promise<SeedStack> {
    emulator.reset();
    const seed = await SeedStack.create(emulator, { stackName: name });
    stacks.push(seed);
    return seed;
  }

  it("a failed update that wrote nothing (a 403) leaves the state as it was: the next preview names the change, and once reverted --expect-no-changes passes", async () => {
    const seed = await stack("failed-update");
    await seed.succeed((h) => seed.stack.up(h));
    seed.options = { snoozeDurationInDays: 5 };
    emulator.injectFault({ status: 403, method: "PATCH", pathPrefix: CAMPAIGN_PATH });
    const failed = await seed.attempt((h) => seed.stack.up(h));
    emulator.clearFaults();
    expect(failed.error, "the update fails").not.to.equal(undefined);

    // Still declared: the change is pending, and the preview says which property it is.
    const pending = await seed.succeed((h) => seed.stack.preview(h));
    const campaign = steps(pending.events).find((s) => s.name === "campaign");
    expect(campaign?.op).to.equal("update");
    // The Node dynamic provider sends no detailed diff: the CLI shows old inputs → new inputs.
    expect(campaign?.metadata.old?.inputs.snoozeDurationInDays, "recorded").to.equal(0);
    expect(campaign?.metadata.new?.inputs.snoozeDurationInDays, "declared").to.equal(5);

    // Reverted in the program: nothing to do, and the CI gate passes.
    seed.options = {};
    await seed.succeed((h) => seed.stack.preview({ ...h, expectNoChanges: true }));
  });
});
