// The spec reporter, followed by one plain closing line ("mocha: N passed, N failed, N skipped")
// that CI reads to know how many tests ran. Pending tests are reported as skipped, never as passed,
// and a pending test counts as a failure (and fails the run) unless tests/pending-allowed.json
// names it with a reason: a green run cannot hide a test that did not run.
import Mocha from "mocha";
import { pendingAllowed, readAllowList } from "./pendingAllowList";

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const allowed = readAllowList();
    const unlisted: string[] = [];
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, (test: Mocha.Test) => {
      if (!pendingAllowed(test.fullTitle(), allowed)) unlisted.push(test.fullTitle());
    });
    // Registered before mocha's own end-of-run callback, which exits with runner.failures.
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const s = this.stats;
      if (unlisted.length > 0) {
        process.stdout.write(
          `\n${unlisted.length} pending test(s) not on tests/pending-allowed.json, counted as failed:\n` +
            unlisted.map((title) => `  - ${title}\n`).join("") +
            "Make each run, or list it there with the reason it may not.\n",
        );
        runner.failures += unlisted.length;
      }
      process.stdout.write(
        `mocha: ${s.passes} passed, ${(s.failures ?? 0) + unlisted.length} failed, ` +
          `${(s.pending ?? 0) - unlisted.length} skipped\n`,
      );
    });
  }
}

export = SpecWithSummary;
