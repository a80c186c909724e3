// The spec reporter, followed by one plain closing line ("mocha: N passed, N failed, N skipped")
// that CI reads to know how many tests ran. Pending tests are reported as skipped, never as passed.
import Mocha from "mocha";

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const s = this.stats;
      process.stdout.write(
        `mocha: ${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`,
      );
    });
  }
}

export = SpecWithSummary;
