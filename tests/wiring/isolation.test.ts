// The wiring tests share a mocha process with suites that run the real engine through the
// Automation API, so a mocked program must leave the process-wide Pulumi runtime as it found it:
// no mock monitor, options or config left behind for the next test.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { RegistrationCampaign } from "pulumi-entra-nudge";
import { TYPES, runMocked } from "./mocks";

function processWideRuntime() {
  return {
    project: pulumi.runtime.getProject(),
    stack: pulumi.runtime.getStack(),
    dryRun: pulumi.runtime.isDryRun(),
    hasMonitor: pulumi.runtime.hasMonitor(),
    monitor: pulumi.runtime.getMonitor(),
    config: pulumi.runtime.allConfig(),
  };
}

describe("wiring test isolation", () => {
  it("a mocked program leaves no monitor, option or config in the process-wide runtime", async () => {
    const before = processWideRuntime();
    expect(before.monitor, "a monitor was left by an earlier test").to.equal(undefined);
    const run = await runMocked(() => new RegistrationCampaign("campaign", { state: "disabled" }), {
      project: "isolation-check",
      config: { stage: "all" },
    });
    expect(run.resources.map((resource) => resource.type)).to.deep.equal([TYPES.campaign]);
    expect(processWideRuntime()).to.deep.equal(before);
  });
});
