// Golden files: expected output compared as a whole. `UPDATE_GOLDEN=1` rewrites them on a
// developer's machine (the diff is then reviewed and committed); where `CI` is set the rewrite is
// refused, so a CI job can never make its own expectation pass.
import * as fs from "node:fs";
import { expect } from "chai";

/** Whether this run may rewrite golden files; throws when asked to where CI is set. */
export function goldenRewriteAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.UPDATE_GOLDEN !== "1") return false;
  if (env.CI) {
    throw new Error(
      "UPDATE_GOLDEN=1 is refused where CI is set: a golden file is an expectation to review, " +
        "not to regenerate in CI. Regenerate it locally, review the diff and commit it.",
    );
  }
  return true;
}

/** Compares `actual` with the golden file; rewrites the file first only when allowed. */
export function expectGolden(
  file: string,
  actual: string,
  env: NodeJS.ProcessEnv = process.env,
): void {
  if (goldenRewriteAllowed(env)) fs.writeFileSync(file, actual);
  expect(actual).to.equal(fs.readFileSync(file, "utf8"));
}
