// Faults during `up`, through the real engine: Graph failing a burst of writes, dropping a
// connection, and throttling at random. Each run ends in success or in a clean error (a sentence
// naming what failed, no stack trace); the state never claims what Graph lacks; a rerun without
// the fault converges; no group is ever orphaned. Each case gets a fresh stack and tenant, so that
// one case's leftovers cannot hide another's. That each fault fired is read from the emulator's
// own fault counters (GET /_emulator/faults), never inferred from the statuses the log shows: a
// stalled or cut-off creation is logged 201 like any other.
import { isDeepStrictEqual } from "node:util";
import { expect } from "chai";
import type { FaultSpec, RunningEmulator } from "../../emulator/index.js";
import { rawRequest, useEmulator } from "../support/emulator";
import {
  type Operation,
  PILOT_GROUP_NAME,
  type SeedStack,
  diagnostics,
  expectStateTruthful,
  recordedResources,
  seedStack,
} from "../support/engineStack";
import { BREAK_GLASS_GROUP_ID, PILOT_USER_ID, Tenant } from "../support/tenant";

interface FaultCase {
  title: string;
  faults: FaultSpec[];
  /** How the first `up` must end: one outcome per case, seeded random faults included. */
  outcome: "success" | "error";
  /** What a clean error says (checked when the first `up` fails). */
  message?: RegExp;
  /** Fewer retries where the fault is meant to outlast them (the SDK's backoff is not configurable). */
  env?: Record<string, string>;
  /** How often each fault (in `faults`' order) must have fired during the first `up`. */
  fired: (number | "some")[];
}

const CASES: FaultCase[] = [
  {
    title: "a 503 burst shorter than the retries",
    faults: [{ status: 503, count: 3, retryAfter: 0 }],
    outcome: "success",
    fired: [3],
  },
  {
    title: "a 503 burst on the policy writes that outlasts the retries",
    faults: [{ status: 503, count: 50, method: "PATCH", pathPrefix: "/v1.0/policies" }],
    outcome: "error",
    env: { ENTRA_NUDGE_MAX_RETRIES: "2" },
    // The first PATCH and its two retries.
    fired: [3],
    message:
      /Could not update the Microsoft Authenticator method configuration\. Microsoft Graph answered 503/,
  },
  {
    title: "a reset connection on the group's creation (never repeated: a POST creates)",
    faults: [{ reset: true, count: 1, method: "POST", pathPrefix: "/v1.0/groups" }],
    outcome: "error",
    message: /Could not create the security group "Authenticator pilot"/,
    fired: [1],
  },
  {
    title: "a lost answer to the group's creation (Graph creates it, the client times out)",
    faults: [{ delayMs: 2500, count: 1, method: "POST", pathPrefix: "/v1.0/groups" }],
    outcome: "success",
    env: { ENTRA_NUDGE_TIMEOUT_MS: "1000" },
    fired: [1],
  },
  {
    title:
      "an answer to the group's creation cut off after Graph created it (found by mailNickname, recorded)",
    faults: [{ truncateBytes: 12, count: 1, method: "POST", pathPrefix: "/v1.0/groups" }],
    outcome: "success",
    fired: [1],
  },
  {
    title: "reset connections on reads (repeated)",
    faults: [{ reset: true, count: 2, method: "GET" }],
    outcome: "success",
    fired: [2],
  },
  {
    // A throttled request was not carried out, so every call, a group's creation included, is
    // repeated (https://learn.microsoft.com/graph/throttling). With 8 retries a call fails only
    // after 9 throttled answers in a row (0.4^9 ≈ 3 in 10,000 per call): the storm is survived.
    // 503s, which a creation is not repeated after, have their own cases above.
    title: "a 429 storm: a seeded random share of every Graph call throttled",
    faults: [{ rate: 0.4, seed: 7, statuses: [429], retryAfter: 0 }],
    outcome: "success",
    env: { ENTRA_NUDGE_MAX_RETRIES: "8" },
    fired: ["some"],
  },
];

/**
 * How often each injected fault fired, from the emulator's counters (GET /_emulator/faults). A
 * fault with a `count` leaves the list once spent: it fired exactly `count` times.
 */
async function firedCounts(emulator: RunningEmulator, specs: FaultSpec[]): Promise<number[]> {
  const response = await rawRequest(emulator, { path: "/_emulator/faults" });
  const armed = (response.json as { faults: (FaultSpec & { fired: number })[] }).faults;
  return specs.map((spec) => {
    const listed = armed.find((fault) =>
      Object.entries(spec).every(([key, value]) =>
        isDeepStrictEqual(fault[key as keyof FaultSpec], value),
      ),
    );
    if (listed) return listed.fired;
    if (spec.count === undefined)
      throw new Error(`an unlimited fault left the list: ${JSON.stringify(spec)}`);
    return spec.count;
  });
}

describe("e2e: faults during up", function () {
  this.timeout(180_000);
  const emulator = useEmulator();
  const tenant = new Tenant(emulator);
  const stacks: SeedStack[] = [];
  after(async () => Promise.all(stacks.map((s) => s.cleanup())));

  /** A failed operation's error, as the user reads it: the engine's error diagnostics. */
  function expectCleanError(operation: Operation<unknown>, message: RegExp | undefined): void {
    const errors = diagnostics(operation.events, "error").join("\n");
    if (message) expect(errors).to.match(message);
    // A sentence for a person, not a crash: no stack trace, no JavaScript error class.
    expect(errors).not.to.match(/\n\s+at \S+ \(|TypeError|ReferenceError|Unhandled/);
  }

  for (const [index, fault] of CASES.entries()) {
    it(`${fault.title}: ${fault.outcome === "success" ? "succeeds" : "fails with a clean error"}, then a rerun converges`, async () => {
      emulator.reset();
      const seed = await seedStack(emulator, {
        stackName: `faults-${index}`,
        env: fault.env,
      });
      stacks.push(seed);
      for (const spec of fault.faults) emulator.injectFault(spec);

      const first = await seed.attempt((h) => seed.stack.up(h));
      expect(first.error === undefined ? "success" : "error", String(first.error)).to.equal(
        fault.outcome,
      );
      if (first.error !== undefined) expectCleanError(first, fault.message);
      const fired = await firedCounts(emulator, fault.faults);
      expect(
        fired.map((n, i) => (fault.fired[i] === "some" && n > 0 ? "some" : n)),
        "how often each fault fired (the emulator's counters)",
      ).to.deep.equal(fault.fired);
      emulator.clearFaults();
      await expectStateTruthful(seed, tenant);

      await seed.succeed((h) => seed.stack.up(h));
      await seed.succeed((h) => seed.stack.preview({ ...h, expectNoChanges: true }));
      await expectStateTruthful(seed, tenant);

      // Converged: exactly one pilot group, the one the state holds, and the declared campaign.
      const groups = await tenant.groupsNamed(PILOT_GROUP_NAME);
      const recorded = await recordedResources(seed);
      expect(groups, "no orphaned group").to.deep.equal([
        { id: recorded.get("pilot")?.id, memberIds: [PILOT_USER_ID] },
      ]);
      const campaign = await tenant.campaign();
      expect(campaign).to.deep.include({ state: "enabled", snoozeDurationInDays: 0 });
      expect(campaign.includeTargets.map((t) => t.id)).to.deep.equal([groups[0].id]);
      expect(campaign.excludeTargets.map((t) => t.id)).to.deep.equal([BREAK_GLASS_GROUP_ID]);
    });
  }
});
