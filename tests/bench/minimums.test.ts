// The benchmark's pure parts (bench/minimums.ts, bench/report.ts): the minimums it compares against
// and the table it writes into docs/performance.md. The benchmark itself runs with `npm run bench`.
import { expect } from "chai";
import type { ScenarioResult } from "../../bench/graphCalls";
import {
  LARGE_SHAPE,
  PASSKEY_SHAPE,
  SEED_SHAPE,
  groupCreationWrites,
  memberChangeWrites,
  minimumCalls,
  minimumPacedMs,
  readinessMinimum,
  scanMinimum,
} from "../../bench/minimums";
import type { ReadinessResult } from "../../bench/readiness";
import {
  BEGIN_MARKER,
  END_MARKER,
  callVerdict,
  graphCallRows,
  overheadRows,
  markdownTable,
  readinessRows,
  renderResults,
  replaceGenerated,
  type BenchResults,
} from "../../bench/report";

describe("bench: the minimums", () => {
  // Each figure is derived by hand from Graph's documented limits: 20 requests per $batch (§7.1),
  // 20 members per POST /groups or PATCH members@odata.bind (§4.1, §4.4), 15 values per `in`
  // filter, 999 per page (§4.6), one policy GET for every singleton (§1.1).
  it("5 groups of 200 members: 1 POST + 9 PATCHes of 20 per group; 5 round trips in all", () => {
    // Look: 1 policy read + 1 `mailNickname in (…)` for the 5 groups. Create: 5 POSTs (1 batch).
    // Then 5 × 9 PATCHes and the 2 singleton writes: 47 requests, 3 batches.
    expect(minimumCalls(LARGE_SHAPE, "up")).to.deep.equal({
      reads: 2,
      writes: 2 + 5 * (1 + 9),
      roundTrips: 1 + 1 + 3,
      writeRoundTrips: 1 + 3,
    });
    // Done-when of issue 16: at most 10 member-related writes for a 200-member group.
    expect(groupCreationWrites({ members: 200, owners: 0 })).to.equal(10);
  });

  it("a 5,000-member pilot: 250 writes to create, 263 to swap 250 members, not 4,981", () => {
    expect(groupCreationWrites({ members: 5000, owners: 0 })).to.equal(1 + 249);
    // 250 added: 13 PATCHes (12 × 20 + 10); 250 removed: one DELETE $ref each (§4.5).
    expect(memberChangeWrites(250, 250)).to.equal(13 + 250);
    // Owners have no bulk form: beyond the 20 bound at creation, one $ref each.
    expect(groupCreationWrites({ members: 30, owners: 25 })).to.equal(1 + 5 + 2);
  });

  it("nothing to read or write when nothing changed; a refresh shares its batches across groups", () => {
    for (const operation of ["preview", "upNoChange"] as const) {
      expect(minimumCalls(LARGE_SHAPE, operation)).to.deep.equal({
        reads: 0,
        writes: 0,
        roundTrips: 0,
        writeRoundTrips: 0,
      });
    }
    // 1 policy read + per group its read and one page of members (200 < 999): 11 reads, 1 batch.
    expect(minimumCalls(LARGE_SHAPE, "refresh")).to.deep.equal({
      reads: 11,
      writes: 0,
      roundTrips: 1,
      writeRoundTrips: 0,
    });
    // 3 owners come with the group's read ($expand); 2,000 members are 3 pages, each page's link
    // in the previous one: 3 sequential round trips.
    const withOwners = { singletons: 0, groups: [{ members: 2000, membersByName: 0, owners: 3 }] };
    expect(minimumCalls(withOwners, "refresh")).to.include({ reads: 1 + 3, roundTrips: 3 });
    // 30 owners may be cut in an expansion: listed beside the members.
    const manyOwners = { singletons: 0, groups: [{ members: 2000, membersByName: 0, owners: 30 }] };
    expect(minimumCalls(manyOwners, "refresh")).to.include({ reads: 1 + 3 + 1, roundTrips: 3 });
  });

  it("the seed scenario: one look, one POST, then both singletons; its one member comes expanded", () => {
    // Look: policy + mailNickname + the UPN. Create: the POST binds the member. Then 2 PATCHes.
    expect(minimumCalls(SEED_SHAPE, "up")).to.deep.equal({
      reads: 3,
      writes: 3,
      roundTrips: 3,
      writeRoundTrips: 2,
    });
    // The policy, and the group with its 1 member expanded (under 20): 2 reads in 1 batch.
    expect(minimumCalls(SEED_SHAPE, "refresh")).to.deep.equal({
      reads: 2,
      writes: 0,
      roundTrips: 1,
      writeRoundTrips: 0,
    });
    // The policy read (what the tenant holds now), then 2 restores and 1 delete, ordered by
    // dependsOn in one batch.
    expect(minimumCalls(SEED_SHAPE, "destroy")).to.deep.equal({
      reads: 1,
      writes: 3,
      roundTrips: 2,
      writeRoundTrips: 1,
    });
    // The change's write depends on its read's answer (external-change check): 2 round trips.
    expect(minimumCalls(SEED_SHAPE, "change")).to.deep.equal({
      reads: 1,
      writes: 1,
      roundTrips: 2,
      writeRoundTrips: 1,
    });
  });

  it("the passkey configuration: a new profile's id is read back; an assigned one is unassigned, then deleted", () => {
    // Look (the policy; its profiles go back in the PATCH, which replaces the set), then the new
    // profile's PATCH with the GET for its id after it (dependsOn, one batch: 204, no body), then
    // the PATCH whose target names that id: 2 reads, 2 writes, 3 round trips.
    expect(minimumCalls(PASSKEY_SHAPE, "up")).to.deep.equal({
      reads: 2,
      writes: 2,
      roundTrips: 3,
      writeRoundTrips: 2,
    });
    // A write that adds and removes no profile: 1 GET + 1 PATCH, as for the other singletons.
    expect(minimumCalls(PASSKEY_SHAPE, "change")).to.deep.equal(minimumCalls(SEED_SHAPE, "change"));
    expect(minimumCalls(PASSKEY_SHAPE, "refresh")).to.deep.equal({
      reads: 1,
      writes: 0,
      roundTrips: 1,
      writeRoundTrips: 0,
    });
    // The configuration read, then the restore removes the added profile, still assigned:
    // unassign, then delete, one batch.
    expect(minimumCalls(PASSKEY_SHAPE, "destroy")).to.deep.equal({
      reads: 1,
      writes: 2,
      roundTrips: 2,
      writeRoundTrips: 1,
    });
    // Without an added profile the passkey configuration is one more singleton: its writes follow
    // the look in one batch.
    const noProfile = { singletons: 1, groups: [], passkeyProfilesAdded: 0 };
    expect(minimumCalls(noProfile, "up")).to.deep.equal({
      reads: 1,
      writes: 1,
      roundTrips: 1,
      writeRoundTrips: 1,
    });
    expect(minimumCalls(noProfile, "destroy")).to.include({ writes: 1 });
    // Beside a group, the profile's PATCH and GET share the group POST's phase: 3 round trips.
    const withGroup = { ...SEED_SHAPE, singletons: 3, passkeyProfilesAdded: 1 };
    expect(minimumCalls(withGroup, "up")).to.deep.equal({
      reads: 3 + 1,
      writes: 3 + 1 + 1,
      roundTrips: 3,
      writeRoundTrips: 2,
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

describe("bench: readiness's minimum", () => {
  // The generated 100,000-user tenant (seed 1): 98,040 enabled users, Microsoft managed, 500
  // "User registered security info" records in the audit log's 30 days, no policy update.
  const generated = {
    reportedUsers: 98_040,
    campaignState: "default",
    registrationRecords: 500,
    policyUpdateRecords: 0,
    serviceRecords: 500,
  } as const;

  it("100,000 users, Microsoft managed: 99 report pages + 1 audit page, the 100th at 190 s", () => {
    // ceil(98,040 / 999) = 99 pages; the registrations fit one audit page of 999; the campaign's
    // start is not needed (not enabled). 100 requests at 5 / 10 s: the last floor(99 / 5) = 19
    // windows after the first.
    expect(readinessMinimum(generated)).to.deep.equal({
      reportPages: 99,
      auditPages: 1,
      reportRequests: 100,
      policyReads: 1,
      minimumMs: 190_000,
    });
    // One request more (the campaign's state changes, read and unused) costs a whole window: the
    // 101st request arrives 200 s after the first.
    expect(minimumPacedMs(101, 5, 10_000)).to.equal(200_000);
  });

  it("no campaign: the report alone; an enabled campaign: the fewer of two audit queries and one", () => {
    expect(readinessMinimum({ ...generated, campaignState: "disabled" })).to.include({
      auditPages: 0,
      reportRequests: 99,
      minimumMs: 190_000,
    });
    // Enabled: the policy updates (its start) and the registrations, one query each (1 + 1), or
    // one query by service alone over both (500 + 3 records: 1 page).
    const enabled = {
      ...generated,
      campaignState: "enabled",
      policyUpdateRecords: 3,
      serviceRecords: 503,
    } as const;
    expect(readinessMinimum(enabled)).to.include({ auditPages: 1, reportRequests: 100 });
    // A busy service log (2,500 other records): the two filtered queries are fewer pages (1 + 1 < 4).
    expect(readinessMinimum({ ...enabled, serviceRecords: 3_003 })).to.include({ auditPages: 2 });
    // 2,000 registrations: 3 pages of 999.
    expect(
      readinessMinimum({ ...generated, registrationRecords: 2_000, serviceRecords: 2_000 }),
    ).to.include({ auditPages: 3, reportRequests: 102, minimumMs: 200_000 });
    // 10,000 users (9,840 enabled): 10 pages + 1 audit page = 11 requests, the last at 20 s.
    expect(readinessMinimum({ ...generated, reportedUsers: 9_840 })).to.include({
      reportRequests: 11,
      minimumMs: 20_000,
    });
  });
});

describe("readiness's audit queries against the floor (an enabled campaign)", () => {
  // What readiness sends: one query per activity, the policy updates (its start) then the
  // registrations of the period.
  const twoQueries = (policyUpdates: number, registrations: number) =>
    Math.ceil(policyUpdates / 999) + Math.max(1, Math.ceil(registrations / 999));
  const shape = (registrations: number, policyUpdates: number, serviceRecords: number) =>
    ({
      reportedUsers: 9_840,
      campaignState: "enabled",
      registrationRecords: registrations,
      policyUpdateRecords: policyUpdates,
      serviceRecords,
    }) as const;

  it("users registering through the nudge: at 500 registrations or more the two queries are the floor", () => {
    // Each self-service registration is also logged as "User started security info registration"
    // by the same service (graph-contract.md §6.3), so the service's records are at least
    // 2 × registrations + policy updates: from 500 registrations (and one policy update) they fill
    // more than one 999-record page, and from there one page per 999 registrations more.
    for (const registrations of [500, 600, 998, 999, 1_000, 2_500, 9_990, 50_000]) {
      for (const policyUpdates of [1, 3, 40]) {
        const service = 2 * registrations + policyUpdates;
        const floor = readinessMinimum(shape(registrations, policyUpdates, service)).auditPages;
        expect(twoQueries(policyUpdates, registrations), `${registrations} registrations`).to.equal(
          floor,
        );
      }
    }
  });

  it("fewer than 500 registrations: one page by service may do, one request above the floor", () => {
    const floor = readinessMinimum(shape(120, 1, 2 * 120 + 1)).auditPages;
    expect(floor).to.equal(1);
    expect(twoQueries(1, 120)).to.equal(2);
  });
});

/** A readiness result with the 100,000-user floor (190 s) and the given figures. */
function readinessResult(run: Partial<ReadinessResult["run"]>): ReadinessResult {
  const base = {
    wallMs: 200_000,
    peakRssMb: 210,
    requests: 106,
    reportRequests: 100,
    auditRequests: 1,
    throttled: 0,
    reportSpanMs: 192_000,
    exitCode: 0,
  };
  return {
    users: 100_000,
    shape: {
      reportedUsers: 98_040,
      campaignState: "default",
      registrationRecords: 500,
      policyUpdateRecords: 0,
      serviceRecords: 500,
    },
    minimum: {
      reportPages: 99,
      auditPages: 1,
      reportRequests: 100,
      policyReads: 1,
      minimumMs: 190_000,
    },
    run: { ...base, ...run },
    cachedRun: {
      ...base,
      wallMs: 1_000,
      requests: 0,
      reportRequests: 0,
      auditRequests: 0,
      reportSpanMs: 0,
    },
    phoneOnly: 33_000,
  };
}

describe("bench: readiness in the table", () => {
  it("judges 100,000 users against 1.1 × the minimum and 300 MB, and says why when not", () => {
    const ok = readinessRows([readinessResult({})]);
    const row = (rows: typeof ok, figure: string) => {
      const found = rows.find((r) => r.figure.endsWith(figure));
      if (!found) throw new Error(`no row ${figure}`);
      return found;
    };
    // 200 s ÷ 190 s = 1.05.
    expect(row(ok, "wall time (uncached)").verdict).to.equal("✔ 1.05 × the minimum");
    expect(row(ok, "report-limited requests").verdict).to.equal("✔ at the floor");
    expect(row(ok, "peak RSS").verdict).to.equal("✔");
    expect(row(ok, "rerun within the cache lifetime").verdict).to.equal("✔");
    // 210 s > 209 s; 101 requests; 300 MB is not under 300 MB; a report page read again.
    const slow = readinessRows([
      readinessResult({ wallMs: 210_000, reportRequests: 101, auditRequests: 2, peakRssMb: 300 }),
    ]);
    expect(row(slow, "wall time (uncached)").verdict).to.equal("✘ 1.11 × the minimum (see below)");
    expect(row(slow, "report-limited requests").verdict).to.equal(
      "above the floor: +1 (see below)",
    );
    expect(row(slow, "peak RSS").verdict).to.match(/^✘/);
    const reread = readinessResult({});
    reread.cachedRun = { ...reread.cachedRun, requests: 100, reportRequests: 100 };
    expect(row(readinessRows([reread]), "rerun within the cache lifetime").verdict).to.equal("✘");
    // The audit log read again (as before readiness cached it beside the scan): no longer the floor.
    const audited = readinessResult({});
    audited.cachedRun = { ...audited.cachedRun, requests: 1, reportRequests: 1, auditRequests: 1 };
    expect(row(readinessRows([audited]), "rerun within the cache lifetime")).to.deep.include({
      goal: "0 requests",
      minimum: "0",
      verdict: "✘",
    });
    // A rerun that met the reports window's tail: its audit read answered 429, then retried.
    const throttled = readinessResult({});
    throttled.cachedRun = {
      ...throttled.cachedRun,
      requests: 2,
      auditRequests: 2,
      reportRequests: 2,
      throttled: 1,
    };
    expect(row(readinessRows([throttled]), "rerun within the cache lifetime").verdict).to.equal(
      "✘",
    );
    expect(
      row(readinessRows([readinessResult({ reportRequests: 99 })]), "report-limited requests")
        .verdict,
    ).to.match(/^✘ below the floor/);
    // 10,000 users: shown, not judged.
    const small = { ...readinessResult({ wallMs: 30_000 }), users: 10_000 };
    small.minimum = { ...small.minimum, minimumMs: 20_000 };
    expect(row(readinessRows([small]), "wall time (uncached)").verdict).to.equal(
      "— (1.50 × the minimum)",
    );
    // A `--quick` run measures 10,000 users only: the goal's size is said to be unmeasured.
    const quickRows = readinessRows([small]);
    expect(quickRows[quickRows.length - 1]).to.include({
      figure: "readiness, 100,000 users",
      measured: "not measured (a `--quick` run: 10,000 users only)",
    });
    expect(readinessRows([small, readinessResult({})]).map((r) => r.figure)).to.not.include(
      "readiness, 100,000 users",
    );
  });

  it("a results file without readiness says it is not measured yet, never a figure", () => {
    const rows = readinessRows(undefined);
    expect(rows).to.have.length(1);
    expect(rows[0].measured).to.match(/^not measured yet/);
    expect(rows[0].verdict).to.match(/^— /);
    const results = {
      machine: {
        cpuModel: "x",
        cores: 2,
        memoryGb: 4,
        platform: "p",
        node: "20",
        engineVersion: "3",
        loadAverage: 0.5,
        date: "2026-12-03T00:00:00Z",
      },
      quick: false,
      durationMs: 1000,
    } satisfies BenchResults;
    expect(renderResults(results)).to.include("| readiness, 100,000 users | not measured yet");
  });
});

describe("bench: the table", () => {
  it("a write when nothing changed fails; above the floor is a gap; below it, the floor is wrong", () => {
    const zero = { reads: 0, writes: 0, roundTrips: 0, writeRoundTrips: 0 };
    expect(callVerdict("preview", { ...zero, writes: 1, writeRoundTrips: 1 }, zero)).to.match(
      /^✘ 1 write/,
    );
    expect(callVerdict("preview", zero, zero)).to.equal("✔ at the floor");
    const floor = { reads: 4, writes: 0, roundTrips: 1, writeRoundTrips: 0 };
    expect(callVerdict("refresh", { ...floor, reads: 5, roundTrips: 5 }, floor)).to.equal(
      "above the floor: +1 R, +4 round trips (see below)",
    );
    expect(callVerdict("up", { ...floor, reads: 3 }, floor)).to.equal(
      "✘ below the floor (-1 R): the floor is wrong",
    );
  });

  it("engine overhead: judged against 1.10 × the do-nothing floor, never on a busy machine", () => {
    const overhead = {
      runs: 7,
      seedPreviewMedianMs: 1100,
      emptyPreviewMedianMs: 400,
      oneResourcePreviewMedianMs: 1000,
      trivialDynamicPreviewMedianMs: 1000,
      ratio: 2.75,
      minimumRatio: 2.5,
      provider: { hostReadyMs: 500, implementationRequireMs: 30, startToReadyMs: 530 },
      serializedProvider: [],
    } as unknown as Parameters<typeof overheadRows>[0];
    expect(overheadRows(overhead)[0].verdict).to.equal("✔ 1.10 × the floor");
    expect(overheadRows({ ...overhead, ratio: 2.8 })[0].verdict).to.match(/^✘ 1\.12 × the floor/);
    expect(overheadRows(overhead, true)[0].verdict).to.match(/^not judged: busy machine/);
  });

  it("renders each operation beside its minimum, escaping the cells", () => {
    const scenario: ScenarioResult = {
      scenario: "seed",
      description: "the seed scenario",
      operations: [
        {
          operation: "up",
          wallMs: 2500,
          minimum: { reads: 3, writes: 3, roundTrips: 3, writeRoundTrips: 2 },
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
        "| no write without a change; writes at the floor | 3 R + 3 W (3 round trips, 2 with writes) " +
        "| above the floor: +1 R, +4 round trips, +1 write round trips (see below) |",
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
