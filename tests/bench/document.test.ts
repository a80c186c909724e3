// docs/performance.md's generated block is bench/results/latest.json rendered (bench/report.ts),
// formatted as `npm run bench` writes it: a figure in the table that the results file does not
// hold, or a results file committed without its table, fails here. `npm run bench -- --render`
// writes the table again from the results file.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import * as prettier from "prettier";
import { BEGIN_MARKER, END_MARKER, renderResults, replaceGenerated } from "../../bench/report";
import type { BenchResults } from "../../bench/report";
import { projectRoot } from "../support/engine";

describe("bench: docs/performance.md against bench/results/latest.json", () => {
  it("the generated block is the results file rendered", async () => {
    const docFile = path.join(projectRoot, "docs", "performance.md");
    const doc = fs.readFileSync(docFile, "utf8");
    const results = JSON.parse(
      fs.readFileSync(path.join(projectRoot, "bench", "results", "latest.json"), "utf8"),
    ) as BenchResults;
    const options = (await prettier.resolveConfig(docFile)) ?? {};
    const expected = await prettier.format(replaceGenerated(doc, renderResults(results)), {
      ...options,
      filepath: docFile,
    });
    const block = (text: string) =>
      text.slice(text.indexOf(BEGIN_MARKER), text.indexOf(END_MARKER) + END_MARKER.length);
    expect(block(doc)).to.include("| figure");
    expect(block(doc)).to.equal(block(expected));
  });
});
