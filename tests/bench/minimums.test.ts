// The benchmark's pure parts (bench/minimums.ts, bench/report.ts): the minimums it compares against
// and the table it writes into docs/performance.md. The benchmark itself runs with `npm run bench`.
import { expect } from "chai";
import type { ScenarioResult } from "../../bench/graphCalls";
import {
  LARGE_SHAPE,
  SEED_SHAPE,
  minimumCalls,
  minimumPacedMs,
  scanMinimum,
} from "../../bench/minimums";
import {
  BEGIN_MARKER,
  END_MARKER,
  callVerdict,
  graphCallRows,
  markdownTable,
  replaceGenerated,
} from "../../bench/report";

describe("bench: the minimums", () => {
  it("5 groups of 200 members: 10 write round trips per group at creation (1 POST + 9 batches of 20)", () => {
    const up = minimumCalls(LARGE_SHAPE, "up");
    // 2 singletons read and written; per group a mailNickname lookup, 1 POST binding 20 members,
    // 180 `$ref` additions in 9 batches.
    expect(up).to.deep.equal({ reads: 2 + 5, writes: 2 + 5 * 181, writeRoundTrips: 2 + 5 * 10 });
  });

  it("nothing to read or write when nothing changed; a refresh reads each singleton and each group", () => {
    for (const operation of ["preview", "upNoChange"] as const) {
      expect(minimumCalls(LARGE_SHAPE, operation)).to.deep.equal({
        reads: 0,
        writes: 0,
        writeRoundTrips: 0,
      });
    }
    // The group and one page of members each (200 < 999); owners are not managed.
    expect(minimumCalls(LARGE_SHAPE, "refresh")).to.deep.equal({
      reads: 2 + 5 * 2,
      writes: 0,
      writeRoundTrips: 0,
    });
    // Up to 19 owners come with the group's read ($expand); more may be cut, so they are listed.
    const withOwners = { singletons: 0, groups: [{ members: 2000, membersByName: 0, owners: 3 }] };
    expect(minimumCalls(withOwners, "refresh").reads).to.equal(1 + 3);
    const manyOwners = { singletons: 0, groups: [{ members: 2000, membersByName: 0, owners: 30 }] };
    expect(minimumCalls(manyOwners, "refresh").reads).to.equal(1 + 3 + 1);
  });

  it("the seed scenario: its member is named by UPN, so the first up resolves it", () => {
    expect(minimumCalls(SEED_SHAPE, "up")).to.deep.equal({
      reads: 2 + 1 + 1,
      writes: 3,
      writeRoundTrips: 3,
    });
    expect(minimumCalls(SEED_SHAPE, "destroy")).to.deep.equal({
      reads: 0,
      writes: 3,
      writeRoundTrips: 3,
    });
  });

  it("paced scans: request k arrives floor(k / 5) windows after the first", () => {
    expect(minimumPacedMs(0, 5, 10_000)).to.equal(0);
    expect(minimumPacedMs(5, 5, 10_000)).to.equal(0);
    expect(minimumPacedMs(6, 5, 10_000)).to.equal(10_000);
    expect(minimumPacedMs(101, 5, 10_000)).to.equal(200_000);
    // 100,000 users: 101 pages of 999 rows; 10,000 users: 11 pages.
    expect(scanMinimum(100_000)).to.deep.equal({ reportRequests: 101, minimumMs: 200_000 });
    expect(scanMinimum(10_000)).to.deep.equal({ reportRequests: 11, minimumMs: 20_000 });
  });
});

describe("bench: the table", () => {
  it("a write when nothing changed fails; extra reads show as a gap", () => {
    const zero = { reads: 0, writes: 0, writeRoundTrips: 0 };
    expect(callVerdict("preview", { reads: 0, writes: 1, writeRoundTrips: 1 }, zero)).to.match(
      /^✘ 1 write/,
    );
    expect(callVerdict("preview", zero, zero)).to.equal("✔ at minimum");
    expect(
      callVerdict(
        "refresh",
        { reads: 5, writes: 0, writeRoundTrips: 0 },
        { reads: 4, writes: 0, writeRoundTrips: 0 },
      ),
    ).to.equal("gap +1 R (see below)");
  });

  it("renders each operation beside its minimum, escaping the cells", () => {
    const scenario: ScenarioResult = {
      scenario: "seed",
      description: "the seed scenario",
      operations: [
        {
          operation: "up",
          wallMs: 2500,
          minimum: { reads: 4, writes: 3, writeRoundTrips: 3 },
          measured: {
            reads: 4,
            writes: 3,
            roundTrips: 7,
            writeRoundTrips: 3,
            signIns: 1,
            throttled: 0,
          },
        },
      ],
    };
    const table = markdownTable(graphCallRows([scenario]));
    const lines = table.split("\n");
    expect(lines[0]).to.equal("| figure | measured | goal | physical minimum | verdict |");
    expect(lines[2]).to.equal(
      "| Graph calls, seed: first `up` | 4 R + 3 W (7 round trips, 3 with writes; 1 sign-ins) " +
        "| = minimum; no write without a change | 4 R + 3 W (3 with writes) | ✔ at minimum |",
    );
    expect(
      markdownTable([{ figure: "a|b", measured: "", goal: "", minimum: "", verdict: "" }]),
    ).to.include("a\\|b");
  });

  it("replaces only the generated block of the document, keeping what is written by hand", () => {
    const doc = `# Performance\n\nintro\n\n${BEGIN_MARKER}\nold table\n${END_MARKER}\n\n## Derivations\n`;
    const updated = replaceGenerated(doc, "new table");
    expect(updated).to.equal(
      `# Performance\n\nintro\n\n${BEGIN_MARKER}\n\nnew table\n\n${END_MARKER}\n\n## Derivations\n`,
    );
    expect(replaceGenerated("# P\n", "t")).to.equal(
      `# P\n\n${BEGIN_MARKER}\n\nt\n\n${END_MARKER}\n`,
    );
  });
});
