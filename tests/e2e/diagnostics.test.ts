// What the engine shows of the providers' own messages: a warning sent by a provider call lands
// on the resource it is about, not on `pulumi:pulumi:Stack` (provider/resources/providers/host.ts);
// an adoption warning is shown once, in words; a check error is a sentence, not an engine dump.
import { expect } from "chai";
import { useEmulator } from "../support/emulator";
import { type SeedStack, seedStack } from "../support/engineStack";
import { CAMPAIGN_PATH } from "../support/tenant";

describe("engine: provider warnings on the resource's URN", function () {
  this.timeout(300_000);
  const emulator = useEmulator();
  let seed: SeedStack;
  /** What the first `pulumi up` (the adoption) printed. */
  let adoption: string;

  before(async () => {
    seed = await seedStack(emulator, { stackName: "diagnostics" });
    adoption = (await seed.succeed((handlers) => seed.stack.up(handlers))).stdout;
  });
  after(async () => seed?.cleanup());

  it("up prints each adoption warning once per resource, one sentence per property in words, no JSON", () => {
    // The engine's non-interactive display repeats a resource's last diagnostic on its progress
    // rows, first line only: the rows carry the warning's heading, the property sentences appear
    // once, under Diagnostics.
    const sentences = [
      "State: Microsoft managed → Enabled.",
      "Snooze: 1 day → every sign-in.",
      "Included: + Authenticator pilot.",
      "Included: − All users.",
      "Excluded: + Emergency Access Accounts.",
      "Show application name in notifications: Microsoft managed → Enabled.",
      "Show geographic location in notifications: Microsoft managed → Enabled.",
    ];
    for (const sentence of sentences) {
      expect(adoption.split(sentence).length - 1, `"${sentence}" in:\n${adoption}`).to.equal(1);
    }
    const diagnostics = adoption.slice(adoption.indexOf("Diagnostics:"));
    for (const kind of ["RegistrationCampaign", "AuthenticatorPolicy"]) {
      const heading = new RegExp(`${kind}: adopting .*; this create changes`, "g");
      expect(diagnostics.match(heading), kind).to.have.length(1);
    }
    expect(adoption, "no JSON in the warnings").to.not.match(/\{"id"|→ \(absent\)|\(absent\) →/);
  });

  it("a check error is the problem in a sentence, without the engine's dump of the input", async () => {
    seed.options = { snoozeDurationInDays: 15 };
    const preview = await seed.attempt((h) => seed.stack.preview(h));
    seed.options = {};
    expect(preview.error, "the preview fails").to.not.equal(undefined);
    const shown = preview.stdout + preview.stderr + String(preview.error);
    expect(shown).to.match(
      /RegistrationCampaign resource 'campaign' has a problem: snoozeDurationInDays: 15 is outside 0–14/,
    );
    expect(shown, "no dump of the input").to.not.match(/ value \S|map\[/);
  });

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
