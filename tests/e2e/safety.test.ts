// Resource safety through the real engine (issue 17): what the engine records after a failed
// update, a pilot group moved to another tenant, and two resources for one tenant singleton.
import { expect } from "chai";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { AuthenticatorPolicy, PasskeyPolicy, RegistrationCampaign } from "../../provider";
import { useEmulator } from "../support/emulator";
import { EngineStack, type SeedStack, diagnostics, seedStack, steps } from "../support/engineStack";
import { CAMPAIGN_PATH } from "../support/tenant";

describe("e2e: resource safety", function () {
  this.timeout(180_000);
  const emulator = useEmulator();
  const stacks: SeedStack[] = [];
  after(async () => Promise.all(stacks.map((s) => s.cleanup())));

  async function stack(name: string): Promise<SeedStack> {
    emulator.reset();
    const seed = await seedStack(emulator, { stackName: name });
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

  for (const kind of ["AuthenticatorPolicy", "PasskeyPolicy", "RegistrationCampaign"] as const) {
    it(`two ${kind} resources in one program fail the preview naming both, before anything is written`, async () => {
      emulator.reset();
      const declare = (name: string) =>
        kind === "AuthenticatorPolicy"
          ? new AuthenticatorPolicy(name, { state: "enabled" })
          : kind === "PasskeyPolicy"
            ? new PasskeyPolicy(name, { state: "enabled" })
            : new RegistrationCampaign(name, { state: "disabled" });
      const engine = await EngineStack.create({
        stackName: `two-${kind}`,
        projectName: "entra-nudge-two-singletons",
        program: () => {
          declare("team-a");
          declare("team-b");
        },
        emulator,
      });
      try {
        const events: EngineEvent[] = [];
        const error = await engine.stack.preview({ onEvent: (e) => events.push(e) }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error, "the preview fails").not.to.equal(undefined);
        const errors = diagnostics(events, "error").join("\n");
        expect(errors).to.include(`${kind} "team-b" manages`);
        expect(errors).to.include(`which ${kind} "team-a" in this program already manages`);
        expect(errors).not.to.match(/\n\s+at \S+ \(/);
        expect(emulator.requests().filter((r) => r.method === "PATCH")).to.deep.equal([]);
      } finally {
        await engine.cleanup();
      }
    });
  }

  it("a group declared as a user in excludeTargets fails the up before the campaign is written, naming the target and the fix", async () => {
    const SALES = "2fbb5b75-4b8e-581b-9aaa-28ef3cb88c74"; // a group of the default tenant
    const seed = await stack("mistyped-exclusion");
    seed.options = { additionalExclusions: [{ id: SALES, targetType: "user" }] };
    const failed = await seed.attempt((h) => seed.stack.up(h));
    expect(failed.error, "the up fails").not.to.equal(undefined);
    const errors = diagnostics(failed.events, "error").join("\n");
    expect(errors).to.include(
      `excludeTargets: "${SALES}" is declared with targetType "user", but it is the group`,
    );
    expect(errors).to.include(`Write { id: "${SALES}", targetType: "group" }.`);
    const campaignWrites = emulator
      .requests()
      .filter((r) => r.method === "PATCH" && r.path === CAMPAIGN_PATH);
    expect(campaignWrites, "the campaign is not written").to.deep.equal([]);
  });
});
