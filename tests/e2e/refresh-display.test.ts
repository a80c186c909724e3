// What `pulumi refresh` shows for a singleton changed outside the stack: the changed setting, and
// no noise about provider-only arguments that never live in Graph (issue 17: the display showed
// `[diff: -failOnExternalChange~snoozeDurationInDays]`); and for the seed program right after `up`,
// nothing at all, with or without `--run-program` (issue 26: every refresh showed
// `[diff: -onDelete,targetedAuthenticationMethod~includeTargets]` beside "4 unchanged").
import { expect } from "chai";
import type { Stack } from "@pulumi/pulumi/automation";
import { RegistrationCampaign } from "../../provider";
import { useEmulator } from "../support/emulator";
import type { IsolatedWorkspace } from "../support/engine";
import { EngineStack, type Handlers, type SeedStack, seedStack } from "../support/engineStack";
import { CAMPAIGN_PATH, Tenant } from "../support/tenant";

describe("engine: a refresh of the seed program with no change shows no diff", function () {
  this.timeout(300_000);
  const emulator = useEmulator();
  let seed: SeedStack;

  before(async () => {
    seed = await seedStack(emulator, { stackName: "refresh-no-change" });
    await seed.succeed((handlers) => seed.stack.up(handlers));
  });
  after(async () => seed?.cleanup());

  // --run-program registers the program's arguments and compares them with the state without
  // calling check(): arguments registered as written differed from the canonical state. The last
  // is the README's drift check.
  const refreshes: [string, (handlers: Handlers) => Promise<{ stdout: string }>][] = [
    ["pulumi refresh", (handlers) => seed.stack.refresh(handlers)],
    [
      "pulumi refresh --run-program",
      (handlers) => seed.stack.refresh({ ...handlers, runProgram: true }),
    ],
    [
      "pulumi refresh --preview-only --expect-no-changes --run-program",
      (handlers) =>
        seed.stack.previewRefresh({ ...handlers, runProgram: true, expectNoChanges: true }),
    ],
  ];
  for (const [command, run] of refreshes) {
    it(`${command}: "4 unchanged", no [diff: …]`, async () => {
      const refresh = await seed.succeed(run);
      expect(refresh.result.stdout).to.match(/4 unchanged/);
      expect(refresh.result.stdout).to.not.match(/\[diff:/);
    });
  }
});

describe("engine: a refresh shows only what changed in the tenant", function () {
  this.timeout(300_000);
  const emulator = useEmulator();
  let workspace: IsolatedWorkspace;
  let stack: Stack;

  before(async () => {
    ({ stack, workspace } = await EngineStack.create({
      stackName: "refresh",
      projectName: "entra-nudge-refresh-display",
      program: () => {
        new RegistrationCampaign("campaign", {
          state: "enabled",
          snoozeDurationInDays: 0,
          failOnExternalChange: true,
          strictEligibility: false,
          onDelete: "retain",
        });
      },
      emulator,
    }));
    await stack.up();
  });
  after(async () => workspace?.cleanup());

  it("names the setting changed in the portal and no provider-only argument", async () => {
    await new Tenant(emulator).patch(CAMPAIGN_PATH, {
      registrationEnforcement: {
        authenticationMethodsRegistrationCampaign: { snoozeDurationInDays: 5 },
      },
    });
    let output = "";
    await stack.refresh({ onOutput: (text) => (output += text) });
    expect(output).to.match(/\[diff: ~snoozeDurationInDays\]/);
    expect(output).to.not.match(/failOnExternalChange|strictEligibility|onDelete/);
  });
});
