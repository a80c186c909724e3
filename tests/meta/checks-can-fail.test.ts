// Checks that used to pass without checking (issue 16), each shown failing, or reported as not
// having run, on exactly the case it used to let through.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { auditVerdict } from "../support/audit";
import { compareClaims, tallyCheck, type InvariantCount } from "../support/faultCampaign";
import { expectGolden } from "../support/golden";

describe("checks that cannot hold vacuously", () => {
  describe("fault campaign invariants", () => {
    const fresh = (): InvariantCount => ({ held: 0, violated: 0, notApplicable: 0, compared: 0 });

    it("a state that claims nothing (after a destroy or a failed create) is not applicable, not held", () => {
      // Formerly: no claim, no difference, so the check counted as held.
      const nothing = compareClaims(undefined, { displayName: "Pilot" }, "pilot");
      expect(nothing).to.deep.equal({ problems: [], compared: 0 });
      const counter = fresh();
      expect(tallyCheck(counter, nothing.problems, nothing.compared)).to.equal("notApplicable");
      expect(counter).to.deep.equal({ held: 0, violated: 0, notApplicable: 1, compared: 0 });
    });

    it("a claim compared and equal holds; compared and different is a violation", () => {
      const same = compareClaims(
        { ids: ["a", "b"], name: "x" },
        { ids: ["a", "b"], name: "x" },
        "",
      );
      expect(same.problems).to.deep.equal([]);
      expect(same.compared).to.equal(4); // the list, its 2 ids, the name
      const counter = fresh();
      expect(tallyCheck(counter, same.problems, same.compared)).to.equal("held");
      const other = compareClaims({ ids: ["a"] }, { ids: ["a", "b"] }, "pilot");
      expect(other.problems).to.deep.equal(['pilot.ids: state ["a"], tenant ["a","b"]']);
      expect(tallyCheck(counter, other.problems, other.compared)).to.equal("violated");
      expect(counter).to.include({ held: 1, violated: 1, notApplicable: 0 });
    });
  });

  describe("npm audit", () => {
    it("a registry that refuses the audit gives 'not audited', never a pass", () => {
      // Formerly: the test then compared the dependency tree with a record and passed under the
      // name of a vulnerability scan.
      const refused = auditVerdict({
        statusCode: 405,
        message: "405 Method Not Allowed - POST /-/npm/v1/security/advisories/bulk",
      });
      expect(refused).to.deep.equal({
        audited: false,
        reason:
          "registry refused: 405 Method Not Allowed - POST /-/npm/v1/security/advisories/bulk",
      });
    });

    it("an audit that answers reports its high and critical advisories; no answer at all throws", () => {
      const answered = auditVerdict({
        metadata: { vulnerabilities: { high: 1, low: 1 } },
        vulnerabilities: { tar: { severity: "high" }, ms: { severity: "low" } },
      });
      expect(answered).to.deep.equal({ audited: true, serious: ["tar (high)"] });
      expect(() => auditVerdict({ message: "getaddrinfo ENOTFOUND registry" })).to.throw(
        /npm audit could not run: getaddrinfo ENOTFOUND/,
      );
    });
  });

  describe("golden files", () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-golden-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("UPDATE_GOLDEN=1 where CI is set is refused and the expectation stays", () => {
      // Formerly: the file was rewritten with the actual output, and the comparison then passed.
      const file = path.join(dir, "summary.txt");
      fs.writeFileSync(file, "expected\n");
      expect(() => expectGolden(file, "changed\n", { UPDATE_GOLDEN: "1", CI: "true" })).to.throw(
        /UPDATE_GOLDEN=1 is refused where CI is set/,
      );
      expect(fs.readFileSync(file, "utf8")).to.equal("expected\n");
      expect(() => expectGolden(file, "changed\n", { CI: "true" })).to.throw();
    });

    it("UPDATE_GOLDEN=1 without CI rewrites the file (a developer's regeneration)", () => {
      const file = path.join(dir, "summary.txt");
      fs.writeFileSync(file, "expected\n");
      expectGolden(file, "changed\n", { UPDATE_GOLDEN: "1" });
      expect(fs.readFileSync(file, "utf8")).to.equal("changed\n");
    });
  });
});
