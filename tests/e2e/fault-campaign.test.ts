// A fixed-seed slice of the fault campaign (`npm run faults`, docs/reliability.md): the seed
// scenario through up → change → refresh → destroy cycles under the real engine while the emulator
// throttles, fails, drops and stalls a seeded share of Graph calls and delays replication. Every
// invariant must hold after every step, and the faults must really have been injected.
import { expect } from "chai";
import {
  FAULT_KINDS,
  INVARIANTS,
  markdownReport,
  runFaultCampaign,
  type CampaignReport,
} from "../support/faultCampaign";

/** The slice: small enough for the suite, large enough that every kind of fault shows up. */
const SLICE = { seed: 7, cycles: 2, rate: 0.5 };

describe("e2e: the fault campaign (fixed-seed slice)", function () {
  this.timeout(600_000);
  let report: CampaignReport;

  before(async () => {
    report = await runFaultCampaign(SLICE);
    // The report is what a failure is investigated with: keep it in the test output.
    console.log(markdownReport(report));
  });

  it("runs every step of every cycle", () => {
    expect(report.runs).to.equal(SLICE.cycles);
    expect(report.steps).to.equal(SLICE.cycles * 4);
  });

  it("injects faults of every kind, at about the seeded rate", () => {
    for (const kind of FAULT_KINDS) {
      expect(report.faultsInjected[kind], `faults of kind "${kind}"`).to.be.greaterThan(0);
    }
    expect(report.faultsTotal).to.be.at.least(40);
    expect(report.faultsTotal / report.graphCalls).to.be.within(0.25, 0.75);
  });

  it("holds every invariant after every step: zero violations", () => {
    expect(report.violations).to.deep.equal([]);
    const checks = report.invariantChecks;
    expect(checks[INVARIANTS.noUnknownPilotGroup].held).to.be.at.least(report.steps);
    expect(checks[INVARIANTS.originalsRestored].held).to.equal(SLICE.cycles);
    expect(checks[INVARIANTS.rerunConverges].held).to.equal(report.failedSteps);
    expect(report.convergedReruns).to.equal(report.failedSteps);
  });

  it("counts a check as held only when it compared something, and compares enough", () => {
    const state = report.invariantChecks[INVARIANTS.stateMatchesTenant];
    // Checked after every step and after every rerun; each is held, violated or not applicable.
    expect(state.held + state.violated + state.notApplicable).to.equal(
      report.steps + report.failedSteps,
    );
    // After each destroy the state holds nothing to compare: not applicable, never "held".
    expect(state.notApplicable).to.be.at.least(SLICE.cycles);
    // After up, change and refresh it holds the pilot group and both singletons: each such check
    // compares their properties and member ids (at least 20 values).
    expect(state.held).to.be.at.least(3 * SLICE.cycles);
    expect(state.compared).to.be.at.least(20 * state.held);
    const originals = report.invariantChecks[INVARIANTS.originalsRestored];
    expect(originals.compared).to.be.at.least(10 * SLICE.cycles);
  });
});
