// The fault campaign (issue 7): the seed scenario driven by the real Pulumi engine through cycles
// of up → change → refresh → destroy while the emulator fails a seeded random share of Graph calls
// (throttling with and without Retry-After, 5xx, dropped connections, stalls past the client's
// timeout) and delays replication. After every step the invariants are checked against the tenant
// itself (Graph reads with no fault armed, never through the provider). `npm run faults` runs the
// default campaign; tests/e2e/fault-campaign.test.ts runs a small fixed-seed slice.
import * as fs from "node:fs";
import { isDeepStrictEqual } from "node:util";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { DEFAULT_TENANT_FILE } from "../../emulator/graph/index.js";
import { startEmulator, type FaultSpec, type RunningEmulator } from "../../emulator/index.js";
import { seededRandom } from "../../emulator/random.js";
import { deriveMailNickname, PROVIDER_ONLY_ARGUMENTS } from "../../provider/model";
import {
  type Handlers,
  type Operation,
  PILOT_GROUP_NAME,
  type SeedOptions,
  type SeedStack,
  recordedResources,
  seedStack,
} from "./engineStack";
import { AUTHENTICATOR_PATH, CAMPAIGN_PATH, PILOT_USER_UPN } from "./tenant";
import { getToken, MICROSOFT_MANAGED_AS_GRAPH, rawRequest } from "./emulator";

export interface CampaignOptions {
  /** Seeds every random choice: which calls fail and how, the changes, the replication lag. */
  seed: number;
  /** up → change → refresh → destroy cycles. */
  cycles: number;
  /** Share (0–1) of Graph calls that meet a fault while a step runs. */
  rate: number;
  /**
   * Which lane this is (0 unless `npm run faults` runs several at once, each in its own process
   * with its own emulator and stack): the lane's random choices are drawn from seed and lane.
   */
  lane?: number;
  /** Progress lines (one per step). */
  log?: (line: string) => void;
}

/** The fault kinds, in the order they are armed (the first that fires for a call wins). */
export const FAULT_KINDS = [
  "429 with Retry-After",
  "429 without Retry-After",
  "500/502/503/504",
  "connection reset",
  "stall past the client timeout",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Share of the rate each kind gets. */
const KIND_SHARE: Record<FaultKind, number> = {
  "429 with Retry-After": 0.15,
  "429 without Retry-After": 0.2,
  "500/502/503/504": 0.35,
  "connection reset": 0.15,
  "stall past the client timeout": 0.15,
};

/** The provider's per-attempt timeout and how long a stall holds a call: well past it. */
const CLIENT_TIMEOUT_MS = 1500;
const STALL_MS = 2500;
/** Replication lag of new groups, memberships and policy writes in the steps that get it. */
const REPLICATION_DELAY_MS = 3000;
/** Share of steps that run with replication lag. */
const REPLICATION_SHARE = 0.3;

/** Short retries: the campaign must take minutes, not hours (the emulator's Retry-After is 1 s). */
const CAMPAIGN_ENV = {
  ENTRA_NUDGE_TIMEOUT_MS: String(CLIENT_TIMEOUT_MS),
  ENTRA_NUDGE_RETRY_DELAY_SECONDS: "0.1",
  ENTRA_NUDGE_MAX_RETRIES: "4",
};

/**
 * Users of the default tenant the programs put in the pilot besides its test user: every user but
 * the break-glass accounts (emulator/tenants/default.json; one UPN has a quote, which the lookups
 * must escape). Many members make many batched lookups and member changes, each a call that can
 * meet a fault.
 */
function otherPilotUsers(): string[] {
  const tenant = JSON.parse(fs.readFileSync(DEFAULT_TENANT_FILE, "utf8")) as {
    users: { userPrincipalName: string }[];
  };
  return tenant.users
    .map((u) => u.userPrincipalName)
    .filter((upn) => upn !== PILOT_USER_UPN && !upn.startsWith("breakglass"));
}

export type StepKind = "up" | "change" | "refresh" | "destroy";

export interface Violation {
  lane: number;
  cycle: number;
  step: StepKind;
  invariant: string;
  detail: string;
}

export interface CampaignReport {
  seed: number;
  /** Lanes run side by side, and cycles per lane. */
  lanes: number;
  cycles: number;
  rate: number;
  /** Completed up → change → refresh → destroy cycles. */
  runs: number;
  /** Engine operations run under faults. */
  steps: number;
  failedSteps: number;
  /** Failed steps whose rerun without faults converged. */
  convergedReruns: number;
  /** Steps run with replication lag. */
  replicationDelayedSteps: number;
  faultsInjected: Record<FaultKind, number>;
  faultsTotal: number;
  /** Graph calls the engine's providers made during the steps (the denominator of the rate). */
  graphCalls: number;
  /** Engine operations of every kind (steps, reruns, convergence checks). */
  engineOperations: number;
  invariantChecks: Record<string, InvariantCount>;
  /** Checks that compared something and found no difference. */
  checksHeld: number;
  violations: Violation[];
  /** The first line of each failed step's error, with how often it was seen. */
  failureMessages: Record<string, number>;
  durationSeconds: number;
}

/**
 * One invariant's checks. A check holds only when it compared something; one that had nothing to
 * compare (a state emptied by a destroy, a failed create) is not applicable, never "held".
 */
export interface InvariantCount {
  held: number;
  violated: number;
  notApplicable: number;
  /** Values compared (each a property or id the state claims, read back from the tenant). */
  compared: number;
}

export type CheckOutcome = "held" | "violated" | "notApplicable";

/** Counts one check: violated when it found a difference, held only when it compared something. */
export function tallyCheck(
  counter: InvariantCount,
  problems: readonly string[],
  compared: number,
): CheckOutcome {
  counter.compared += compared;
  if (problems.length > 0) {
    counter.violated += 1;
    return "violated";
  }
  if (compared === 0) {
    counter.notApplicable += 1;
    return "notApplicable";
  }
  counter.held += 1;
  return "held";
}

/** Invariant names, as the report lists them. */
export const INVARIANTS = {
  stateMatchesTenant: "state and tenant agree on what the state claims",
  noUnknownPilotGroup: "no pilot group the state does not know",
  rerunConverges: "a failed step, rerun without faults, converges",
  originalsRestored: "after destroy, the campaign and Authenticator settings are the originals",
} as const;

type Props = Record<string, unknown>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads the tenant through Graph as the writer app, with no fault armed (the caller clears them). */
class TenantReader {
  private token?: string;

  constructor(private readonly emulator: RunningEmulator) {}

  async get<T>(path: string): Promise<{ status: number; json: T }> {
    this.token ??= await getToken(this.emulator, "writer");
    const response = await rawRequest(this.emulator, { path, token: this.token });
    if (response.status === 401) {
      this.token = undefined;
      return this.get(path);
    }
    if (response.status !== 200 && response.status !== 404) {
      throw new Error(`GET ${path} answered ${response.status}: ${response.text}`);
    }
    return { status: response.status, json: response.json as T };
  }

  /**
   * The campaign as Graph holds it, with the two settings the resource declares outside it: the
   * campaign's one method (Graph holds it on each include target; the targets' common method, the
   * default when there are none) and the passkey migration opt-out (the policy's optOutSettings).
   */
  async campaign(): Promise<Props> {
    const policy = await this.get<{
      registrationEnforcement: { authenticationMethodsRegistrationCampaign: Props };
      optOutSettings?: { passkeyDynamicMigration?: boolean };
    }>(CAMPAIGN_PATH.replace("/v1.0", "/beta"));
    const campaign = policy.json.registrationEnforcement.authenticationMethodsRegistrationCampaign;
    const targets = (campaign.includeTargets ?? []) as { targetedAuthenticationMethod?: string }[];
    const methods = new Set(
      targets.map((t) => t.targetedAuthenticationMethod ?? "microsoftAuthenticator"),
    );
    const optOut = policy.json.optOutSettings?.passkeyDynamicMigration;
    return {
      ...campaign,
      ...(methods.size <= 1
        ? { targetedAuthenticationMethod: [...methods][0] ?? "microsoftAuthenticator" }
        : {}),
      ...(typeof optOut === "boolean" ? { passkeyMigrationOptOut: optOut } : {}),
    };
  }

  async authenticator(): Promise<Props> {
    const { json } = await this.get<Props>(AUTHENTICATOR_PATH.replace("/v1.0", "/beta"));
    const { "@odata.context": _context, ...settings } = json;
    void _context;
    return settings;
  }

  /** Ids of the groups with this mailNickname or this displayName. */
  async groupsLike(mailNickname: string, displayName: string): Promise<string[]> {
    const ids = new Set<string>();
    for (const filter of [
      `mailNickname eq '${mailNickname.replace(/'/g, "''")}'`,
      `displayName eq '${displayName.replace(/'/g, "''")}'`,
    ]) {
      const { json } = await this.get<{ value: { id: string }[] }>(
        `/v1.0/groups?$filter=${encodeURIComponent(filter)}&$select=id`,
      );
      for (const group of json.value) ids.add(group.id.toLowerCase());
    }
    return [...ids].sort();
  }

  async group(id: string): Promise<{ displayName: string; mailNickname: string } | undefined> {
    const { status, json } = await this.get<{ displayName: string; mailNickname: string }>(
      `/v1.0/groups/${id}?$select=id,displayName,mailNickname`,
    );
    return status === 404 ? undefined : json;
  }

  async memberIds(id: string): Promise<string[]> {
    const { json } = await this.get<{ value: { id: string }[] }>(
      `/v1.0/groups/${id}/members?$select=id&$top=999`,
    );
    return json.value.map((m) => m.id.toLowerCase()).sort();
  }
}

/** Targets and ids compared the way the provider normalizes them (sorted, lower-case ids). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonical);
    return items.every((i) => typeof i === "object" && i !== null && "id" in i)
      ? [...items].sort((a, b) => String((a as Props).id).localeCompare(String((b as Props).id)))
      : items;
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value as Props)
        .filter(([key]) => !key.startsWith("@odata"))
        .map(([key, v]) => [key, key === "id" && typeof v === "string" ? v.toLowerCase() : v])
        .map(([key, v]) => [key, canonical(v)]),
    );
  }
  return value;
}

/** What a comparison found, and how many values it compared. */
export interface Comparison {
  problems: string[];
  compared: number;
}

/**
 * Where `claimed` (what the state says) and `actual` (Graph) differ: every property the state
 * claims must be Graph's; properties Graph has beyond those are not the state's business. Counts
 * the values compared: a claim the state does not hold (after a partial failure) compares nothing.
 */
export function compareClaims(claimed: unknown, actual: unknown, path: string): Comparison {
  const result: Comparison = { problems: [], compared: 0 };
  const walk = (c: unknown, a: unknown, at: string): void => {
    if (c === undefined) return;
    const mismatch = () =>
      result.problems.push(`${at}: state ${JSON.stringify(c)}, tenant ${JSON.stringify(a)}`);
    if (typeof c === "object" && c !== null && !Array.isArray(c)) {
      if (typeof a !== "object" || a === null || Array.isArray(a)) {
        result.compared += 1;
        mismatch();
        return;
      }
      for (const [key, value] of Object.entries(c as Props)) {
        walk(value, (a as Props)[key], at ? `${at}.${key}` : key);
      }
      return;
    }
    if (Array.isArray(c)) {
      result.compared += 1; // the list itself: its length
      if (!Array.isArray(a) || a.length !== c.length) {
        mismatch();
        return;
      }
      c.forEach((item, i) => walk(item, a[i], `${at}[${i}]`));
      return;
    }
    result.compared += 1;
    if (!isDeepStrictEqual(c, a)) mismatch();
  };
  walk(claimed, actual, path);
  return result;
}

/** Several comparisons as one. */
function joined(...comparisons: Comparison[]): Comparison {
  return {
    problems: comparisons.flatMap((c) => c.problems),
    compared: comparisons.reduce((n, c) => n + c.compared, 0),
  };
}

/** The settings part of a singleton's outputs (no lifecycle data, no provider-only arguments). */
function claimedSettings(outputs: Props): Props {
  const settings: Props = { ...outputs };
  for (const key of ["__provider", "tenantId", "originalSettings", ...PROVIDER_ONLY_ARGUMENTS]) {
    delete settings[key];
  }
  return settings;
}

/** A pilot of the test user and `count` other users drawn at random. */
function pilotOf(random: () => number, others: string[], count: number): string[] {
  const pool = [...others];
  const picked: string[] = [];
  while (picked.length < count && pool.length > 0) {
    picked.push(...pool.splice(Math.floor(random() * pool.length), 1));
  }
  return [PILOT_USER_UPN, ...picked];
}

/** What a cycle's up declares, and the change after it (other members, other snooze days). */
function cyclePrograms(random: () => number, others: string[]): [SeedOptions, SeedOptions] {
  const first = { pilotMembers: pilotOf(random, others, Math.floor(random() * 8)) };
  const changed = {
    snoozeDurationInDays: 1 + Math.floor(random() * 14),
    pilotMembers: pilotOf(random, others, 5 + Math.floor(random() * 16)),
  };
  return [first, changed];
}

export async function runFaultCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const lane = options.lane ?? 0;
  const random = seededRandom(options.seed * 1000 + lane);
  const report: CampaignReport = {
    seed: options.seed,
    lanes: 1,
    cycles: options.cycles,
    rate: options.rate,
    runs: 0,
    steps: 0,
    failedSteps: 0,
    convergedReruns: 0,
    replicationDelayedSteps: 0,
    faultsInjected: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>,
    faultsTotal: 0,
    graphCalls: 0,
    engineOperations: 0,
    invariantChecks: Object.fromEntries(
      Object.values(INVARIANTS).map((name) => [
        name,
        { held: 0, violated: 0, notApplicable: 0, compared: 0 },
      ]),
    ),
    checksHeld: 0,
    violations: [],
    failureMessages: {},
    durationSeconds: 0,
  };

  const others = otherPilotUsers();
  const emulator = await startEmulator();
  // The default tenant's campaign is Microsoft managed, as Graph treats it (docs/emulator.md): its
  // snooze days and method are refused in a PATCH and read back as Microsoft sets them. A destroy
  // gives back its state and targets, so "the originals" are the campaign found.
  emulator.configure(MICROSOFT_MANAGED_AS_GRAPH);
  const tenant = new TenantReader(emulator);
  let seed: SeedStack | undefined;
  try {
    seed = await seedStack(emulator, { stackName: `faults-${lane}`, env: CAMPAIGN_ENV });
    const originals = {
      campaign: await tenant.campaign(),
      authenticator: await tenant.authenticator(),
    };
    const stack = seed;

    const run = async <T>(operation: (h: Handlers) => Promise<T>): Promise<Operation<T>> => {
      report.engineOperations += 1;
      return stack.attempt(operation);
    };

    const record = (cycle: number, step: StepKind, invariant: string, found: Comparison) => {
      const { problems, compared } = found;
      const outcome = tallyCheck(report.invariantChecks[invariant], problems, compared);
      if (outcome === "held") report.checksHeld += 1;
      if (outcome !== "violated") return;
      for (const detail of problems) {
        report.violations.push({ lane, cycle, step, invariant, detail });
        log(`    VIOLATION (${invariant}): ${detail}`);
      }
    };

    const resources = () => recordedResources(stack);

    /** The state's claims, one by one, against the tenant; and no pilot group it does not know. */
    const checkTenant = async (cycle: number, step: StepKind) => {
      const recorded = await resources();
      const found: Comparison[] = [];
      const pilot = recorded.get("pilot");
      if (pilot?.id) {
        const outputs = pilot.outputs ?? {};
        const group = await tenant.group(pilot.id);
        if (!group) {
          found.push({
            problems: [`pilot: the state holds group ${pilot.id}, which does not exist`],
            compared: 1,
          });
        } else {
          found.push(
            { problems: [], compared: 1 }, // the group the state holds exists
            compareClaims(
              { displayName: outputs.displayName, mailNickname: outputs.mailNickname },
              group,
              "pilot",
            ),
            compareClaims(outputs.memberIds, await tenant.memberIds(pilot.id), "pilot.memberIds"),
          );
        }
      }
      for (const [name, read] of [
        ["campaign", () => tenant.campaign()],
        ["authenticator", () => tenant.authenticator()],
      ] as const) {
        const resource = recorded.get(name);
        if (!resource?.outputs) continue;
        found.push(
          compareClaims(
            canonical(claimedSettings(resource.outputs)),
            canonical(await read()),
            name,
          ),
        );
      }
      record(cycle, step, INVARIANTS.stateMatchesTenant, joined(...found));

      const displayName = String(pilot?.outputs?.displayName ?? PILOT_GROUP_NAME);
      const mailNickname = String(
        pilot?.outputs?.mailNickname ?? deriveMailNickname(PILOT_GROUP_NAME),
      );
      const known = pilot?.id ? [pilot.id.toLowerCase()] : [];
      const unknown = (await tenant.groupsLike(mailNickname, displayName)).filter(
        (id) => !known.includes(id),
      );
      // Always a comparison: the tenant's groups of that name against the one the state knows.
      record(cycle, step, INVARIANTS.noUnknownPilotGroup, {
        problems: unknown.map(
          (id) => `group ${id} ("${displayName}") exists, the state does not know it`,
        ),
        compared: 1,
      });
      return recorded;
    };

    const checkOriginals = async (cycle: number) => {
      const found = joined(
        compareClaims(
          canonical(originals.campaign),
          canonical(await tenant.campaign()),
          "campaign",
        ),
        compareClaims(
          canonical(originals.authenticator),
          canonical(await tenant.authenticator()),
          "authenticator",
        ),
      );
      record(cycle, "destroy", INVARIANTS.originalsRestored, found);
    };

    /** A step's operation, and what "converged" means for it once rerun without faults. */
    const operations: Record<
      StepKind,
      { run: (h: Handlers) => Promise<unknown>; converged: (h: Handlers) => Promise<unknown> }
    > = {
      up: {
        run: (h) => stack.stack.up(h),
        converged: (h) => stack.stack.preview({ ...h, expectNoChanges: true }),
      },
      change: {
        run: (h) => stack.stack.up(h),
        converged: (h) => stack.stack.preview({ ...h, expectNoChanges: true }),
      },
      refresh: {
        run: (h) => stack.stack.refresh(h),
        converged: (h) => stack.stack.previewRefresh({ ...h, expectNoChanges: true }),
      },
      destroy: {
        run: (h) => stack.stack.destroy(h),
        converged: async () => {
          const left = [...(await resources()).keys()];
          if (left.length > 0) throw new Error(`the state still holds ${left.join(", ")}`);
        },
      },
    };

    for (let cycle = 1; cycle <= options.cycles; cycle++) {
      const [first, changed] = cyclePrograms(random, others);
      stack.options = first;
      for (const step of ["up", "change", "refresh", "destroy"] as StepKind[]) {
        if (step === "change") stack.options = changed;
        const stepSeed = Math.floor(random() * 2 ** 31);
        const lagged = random() < REPLICATION_SHARE;
        const specs = FAULT_KINDS.map((kind, index): FaultSpec => ({
          rate: options.rate * KIND_SHARE[kind],
          seed: stepSeed + index,
          ...faultOf(kind),
        }));
        if (lagged) {
          emulator.configure({
            replicationDelayMs: REPLICATION_DELAY_MS,
            policyReplicationDelayMs: REPLICATION_DELAY_MS,
          });
          report.replicationDelayedSteps += 1;
        }
        const logStart = emulator.requests().length;
        const stepStarted = Date.now();
        for (const spec of specs) emulator.injectFault(spec);
        const outcome = await run(operations[step].run);
        const fired = await firedCounts(emulator);
        emulator.clearFaults();
        report.steps += 1;
        report.graphCalls += emulator
          .requests()
          .slice(logStart)
          .filter((r) => /^\/(v1\.0|beta)\//.test(r.path) && !r.path.endsWith("/$batch")).length;
        let firedNow = 0;
        for (const kind of FAULT_KINDS) {
          report.faultsInjected[kind] += fired[kind];
          firedNow += fired[kind];
        }
        report.faultsTotal += firedNow;
        // Stalled calls are still answered (and applied) after the client gave up: let them land,
        // and let replication finish, so that the checks read what the tenant finally holds.
        if (fired["stall past the client timeout"] > 0) await sleep(STALL_MS + 200);
        if (lagged) {
          emulator.configure({ replicationDelayMs: 0, policyReplicationDelayMs: 0 });
          await sleep(REPLICATION_DELAY_MS + 200);
        }
        const failed = outcome.error !== undefined;
        const seconds = ((Date.now() - stepStarted) / 1000).toFixed(1);
        log(
          `lane ${lane} cycle ${cycle} ${step.padEnd(7)} ${failed ? "FAILED" : "ok    "} ${seconds.padStart(5)} s ${String(firedNow).padStart(3)} faults` +
            `${lagged ? ", replication lag" : ""}${failed ? `: ${firstLine(errorText(outcome))}` : ""}`,
        );
        await checkTenant(cycle, step);
        if (failed) {
          report.failedSteps += 1;
          // Ids differ from run to run; what failed and why is what adds up.
          const message = firstLine(errorText(outcome))
            .replace(/\s*\(request-id [^)]*\)?.*$/, "")
            .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "{id}");
          report.failureMessages[message] = (report.failureMessages[message] ?? 0) + 1;
          const rerun = await run(operations[step].run);
          const converged =
            rerun.error === undefined ? await run(operations[step].converged) : undefined;
          const problems =
            rerun.error !== undefined
              ? [`rerun failed: ${firstLine(errorText(rerun))}`]
              : converged?.error !== undefined
                ? [`not converged: ${firstLine(errorText(converged))}`]
                : [];
          if (problems.length === 0) report.convergedReruns += 1;
          // Always a comparison: the rerun's outcome and the no-change preview after it.
          record(cycle, step, INVARIANTS.rerunConverges, { problems, compared: 1 });
          await checkTenant(cycle, step);
        }
        if (step === "destroy") await checkOriginals(cycle);
      }
      report.runs += 1;
    }
  } finally {
    await seed?.cleanup();
    await emulator.close();
    report.durationSeconds = Math.round((Date.now() - started) / 1000);
  }
  return report;
}

function faultOf(kind: FaultKind): Partial<FaultSpec> {
  switch (kind) {
    case "429 with Retry-After":
      return { statuses: [429], retryAfter: 1 };
    case "429 without Retry-After":
      return { statuses: [429] };
    case "500/502/503/504":
      return { statuses: [500, 502, 503, 504] };
    case "connection reset":
      return { reset: true };
    case "stall past the client timeout":
      return { delayMs: STALL_MS };
  }
}

/** How often each armed fault fired (GET /_emulator/faults), by kind. */
async function firedCounts(emulator: RunningEmulator): Promise<Record<FaultKind, number>> {
  const response = await rawRequest(emulator, { path: "/_emulator/faults" });
  const armed = (response.json as { faults: (FaultSpec & { fired: number })[] }).faults;
  const counts = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  for (const fault of armed) {
    const kind = FAULT_KINDS.find((k) => isDeepStrictEqual(pick(fault, faultOf(k)), faultOf(k)));
    if (kind) counts[kind] += fault.fired;
  }
  return counts;
}

function pick(fault: FaultSpec, like: Partial<FaultSpec>): Partial<FaultSpec> {
  const keys = ["statuses", "retryAfter", "reset", "delayMs"] as const;
  return Object.fromEntries(
    keys.filter((k) => fault[k] !== undefined || k in like).map((k) => [k, fault[k]]),
  );
}

/** The error the user saw: the engine's error diagnostics, else the command's message. */
function errorText(operation: Operation<unknown>): string {
  const diagnostics = operation.events
    .map((event: EngineEvent) => event.diagnosticEvent)
    .filter((d) => d !== undefined && d.severity === "error")
    .map((d) => (d as { message: string }).message.trim())
    .filter((m) => m !== "" && !/^update failed$/i.test(m));
  return diagnostics[0] ?? String(operation.error);
}

/** The first line that says something ("1 error occurred:" and list bullets left out). */
function firstLine(text: string): string {
  return (
    text
      .split("\n")
      .map((l) => l.trim().replace(/^\*\s+/, ""))
      .find((l) => l !== "" && !/^\d+ errors? occurred:?$/.test(l)) ?? text
  ).slice(0, 300);
}

/** The report as Markdown (docs/reliability.md keeps the latest default run's). */
export function markdownReport(report: CampaignReport): string {
  const lines = [
    `Fault campaign: seed ${report.seed}, ${report.lanes} lane(s) × ${report.cycles} cycles, fault rate ${report.rate}, ${report.durationSeconds} s`,
    "",
    "| measure | value |",
    "|---|---|",
    `| runs (up → change → refresh → destroy cycles) | ${report.runs} |`,
    `| steps (engine operations under faults) | ${report.steps} |`,
    `| failed steps (all rerun without faults) | ${report.failedSteps} |`,
    `| reruns that converged | ${report.convergedReruns} |`,
    `| steps with replication lag (${REPLICATION_DELAY_MS / 1000} s) | ${report.replicationDelayedSteps} |`,
    `| Graph calls during steps | ${report.graphCalls} |`,
    `| faults injected | ${report.faultsTotal} |`,
    ...FAULT_KINDS.map((kind) => `| &nbsp;&nbsp;${kind} | ${report.faultsInjected[kind]} |`),
    `| engine operations (steps, reruns, convergence checks) | ${report.engineOperations} |`,
    `| invariant checks held (each compared something) | ${report.checksHeld} |`,
    ...Object.entries(report.invariantChecks).map(
      ([name, c]) =>
        `| &nbsp;&nbsp;${name} | ${c.held} held, ${c.violated} violated; ${c.notApplicable} not applicable (nothing to compare); ${c.compared} values compared |`,
    ),
    `| **violations** | **${report.violations.length}** |`,
  ];
  if (Object.keys(report.failureMessages).length > 0) {
    lines.push("", "Why steps failed (first line of the error the user saw):", "");
    for (const [message, count] of Object.entries(report.failureMessages)) {
      lines.push(`- ${count} × ${message.replace(/\|/g, "\\|")}`);
    }
  }
  if (report.violations.length > 0) {
    lines.push("", "Violations:", "");
    for (const v of report.violations) {
      lines.push(`- lane ${v.lane}, cycle ${v.cycle}, ${v.step}: ${v.invariant}: ${v.detail}`);
    }
  }
  return lines.join("\n");
}

/** The lanes' reports as one (durations: the longest lane's, as they run side by side). */
export function mergeReports(reports: CampaignReport[]): CampaignReport {
  const [first, ...rest] = reports;
  const merged: CampaignReport = structuredClone(first);
  merged.lanes = reports.length;
  for (const report of rest) {
    for (const key of [
      "runs",
      "steps",
      "failedSteps",
      "convergedReruns",
      "replicationDelayedSteps",
      "faultsTotal",
      "graphCalls",
      "engineOperations",
      "checksHeld",
    ] as const) {
      merged[key] += report[key];
    }
    for (const kind of FAULT_KINDS) merged.faultsInjected[kind] += report.faultsInjected[kind];
    for (const [name, counts] of Object.entries(report.invariantChecks)) {
      merged.invariantChecks[name].held += counts.held;
      merged.invariantChecks[name].violated += counts.violated;
      merged.invariantChecks[name].notApplicable += counts.notApplicable;
      merged.invariantChecks[name].compared += counts.compared;
    }
    for (const [message, count] of Object.entries(report.failureMessages)) {
      merged.failureMessages[message] = (merged.failureMessages[message] ?? 0) + count;
    }
    merged.violations.push(...report.violations);
    merged.durationSeconds = Math.max(merged.durationSeconds, report.durationSeconds);
  }
  return merged;
}
