// The floors the benchmark compares against, derived from what Graph documents it can do, whatever
// this implementation does (docs/performance.md explains every line; graph-contract.md sections
// cited). Pure: no I/O, so tests/bench checks the derivation against hand-computed figures.

/** Graph's page size for directory collections and the registration report (graph-contract.md §4.6, §5.3). */
export const MAX_PAGE_SIZE = 999;
/** Requests in one JSON batch (§7.1). */
export const BATCH_SIZE = 20;
/**
 * Relationships one request may bind: POST /groups (members and owners together, §4.1) and
 * PATCH /groups/{id} with members@odata.bind (members only, "up to 20", §4.4). Owners have no
 * documented bulk form: one `POST …/owners/$ref` each; removals are one `DELETE …/$ref` each (§4.5).
 */
export const CREATE_BIND_LIMIT = 20;
/**
 * Values one `$filter … in (…)` may hold: "the request is by default limited to 15 expressions in
 * the filter clause" (learn.microsoft.com/graph/filter-query-parameter, note on `in`). So 15 UPNs
 * resolve in one `GET /users?$filter=userPrincipalName in (…)`, and 15 mailNicknames are checked in
 * one `GET /groups?$filter=mailNickname in (…)` (both properties support `in`, §4.2).
 */
export const IN_FILTER_LIMIT = 15;
/**
 * Linked objects a directory object's `$expand` returns in full: the expansion is cut at a limit
 * (Graph's known issues: 100; the emulator and older documentation: 20), so only a relationship
 * shorter than this comes complete with its group's read; only one relationship is expanded.
 */
export const EXPANDED_LIMIT = 20;

/** One pilot group of a scenario. */
export interface GroupShape {
  members: number;
  /** Members named by user principal name (resolved to ids before anything is written). */
  membersByName: number;
  /** Owners declared (0: owners are not managed). */
  owners: number;
}

/** What a program declares. */
export interface ScenarioShape {
  /**
   * Tenant-wide singletons: the registration campaign and the Authenticator and passkey (FIDO2)
   * configurations. One policy GET reads them all (§1.1).
   */
  singletons: number;
  groups: GroupShape[];
  /**
   * Passkey profiles the first `up` adds to the tenant and assigns to a target (so `destroy`, which
   * restores the recorded settings, removes them while assigned). 0 or absent: none.
   */
  passkeyProfilesAdded?: number;
}

export const OPERATIONS = [
  "up",
  "preview",
  "previewRefresh",
  "upNoChange",
  "change",
  "refresh",
  "destroy",
] as const;
export type Operation = (typeof OPERATIONS)[number];

export const OPERATION_LABELS: Record<Operation, string> = {
  up: "first `up`",
  preview: "no-change `preview`",
  previewRefresh: "`preview --refresh`",
  upNoChange: "no-change `up`",
  change: "one-property change (`up`)",
  refresh: "`refresh`",
  destroy: "`destroy`",
};

/**
 * Graph requests, counted as Graph counts them for throttling: each request inside a $batch is one
 * request, the $batch envelope is not. Round trips are HTTP requests (a $batch is one).
 */
export interface CallFigure {
  reads: number;
  writes: number;
  /** HTTP requests to Graph, $batch envelopes included and their steps not. */
  roundTrips: number;
  /** HTTP requests that carry writes (a $batch of 20 PATCHes is one). */
  writeRoundTrips: number;
}

const pages = (items: number) => Math.max(1, Math.ceil(items / MAX_PAGE_SIZE));
const batches = (requests: number) => Math.ceil(requests / BATCH_SIZE);
const sum = (groups: readonly GroupShape[], f: (group: GroupShape) => number) =>
  groups.reduce((total, group) => total + f(group), 0);

/**
 * A phase: requests that need no answer from each other (or only an order `dependsOn` can express,
 * §7.1), so they share $batches of 20; the next phase needs this one's answers (a new group's id, a
 * lookup's result, a next page's link).
 */
interface Phase {
  reads: number;
  writes: number;
}

function figureOf(phases: readonly Phase[]): CallFigure {
  const figure = { reads: 0, writes: 0, roundTrips: 0, writeRoundTrips: 0 };
  for (const phase of phases) {
    figure.reads += phase.reads;
    figure.writes += phase.writes;
    figure.roundTrips += batches(phase.reads + phase.writes);
    // Reads and writes of a phase may share a batch; a batch carries writes when any is left over.
    if (phase.writes > 0) figure.writeRoundTrips += batches(phase.writes);
  }
  return figure;
}

/**
 * Writes that create one group: a POST binding up to 20 members and owners (owners first: an
 * app-only caller needs one, §4.1), the other members 20 per PATCH (§4.4), each other owner one
 * `$ref`.
 */
export function groupCreationWrites(group: Pick<GroupShape, "members" | "owners">): number {
  const boundOwners = Math.min(CREATE_BIND_LIMIT, group.owners);
  const boundMembers = Math.min(group.members, CREATE_BIND_LIMIT - boundOwners);
  const restMembers = group.members - boundMembers;
  return 1 + (group.owners - boundOwners) + Math.ceil(restMembers / CREATE_BIND_LIMIT);
}

/** Writes that change a group's members: additions 20 per PATCH (§4.4), removals one each (§4.5). */
export function memberChangeWrites(added: number, removed: number): number {
  return Math.ceil(added / CREATE_BIND_LIMIT) + removed;
}

/**
 * Reads that read one group back, by phase: the group (with one relationship shorter than
 * EXPANDED_LIMIT expanded) and the first page of each other managed relationship together, then
 * each further page of 999 (its link is in the previous page).
 */
function groupReadPhases(group: GroupShape): number[] {
  const relations = [group.members, ...(group.owners > 0 ? [group.owners] : [])];
  const expanded = relations.findIndex((n) => n < EXPANDED_LIMIT);
  const listed = relations.filter((_, i) => i !== expanded);
  const depth = Math.max(0, ...listed.map(pages));
  return Array.from({ length: Math.max(1, depth) }, (_, k) =>
    k === 0 ? 1 + listed.length : listed.filter((n) => pages(n) > k).length,
  );
}

/** Reads of a whole refresh, by phase: the policy (every singleton, §1.1) with the groups' first reads. */
function refreshPhases(shape: ScenarioShape): Phase[] {
  const perGroup = shape.groups.map(groupReadPhases);
  const depth = Math.max(1, ...perGroup.map((p) => p.length));
  return Array.from({ length: depth }, (_, k) => ({
    reads:
      (k === 0 && shape.singletons > 0 ? 1 : 0) + perGroup.reduce((t, p) => t + (p[k] ?? 0), 0),
    writes: 0,
  }));
}

/**
 * The fewest Graph requests and round trips each operation needs for the scenario with what Graph
 * documents, whatever the implementation ("no-change": the state matches the tenant). An
 * implementation may need more (one provider call per resource cannot share a $batch with
 * another resource's); it can never need fewer: a measurement below a floor means the floor is wrong.
 */
export function minimumCalls(shape: ScenarioShape, operation: Operation): CallFigure {
  const { singletons, groups } = shape;
  // One GET of the authentication methods policy returns the campaign and every method
  // configuration expanded (§1.1: authenticationMethodConfigurations is auto-expanded).
  const policyRead = singletons > 0 ? 1 : 0;
  // Passkey profiles have no methods of their own: they are written only through the FIDO2
  // configuration's PATCH, which replaces the whole set (graph-contract-passkeys.md §4). A new
  // profile is sent without an id and Graph gives it one (§4 [blog] WIKI); the PATCH answers
  // `204 No Content` (graph-contract.md, method configuration update), so the id is read back
  // before a target can name it. All new profiles go in one PATCH, and the GET follows it in the
  // same $batch (`dependsOn` orders it; it needs no answer from the PATCH, §7.1): +1 write, +1
  // read, one round trip, between the look (the PATCH carries the tenant's existing profiles) and
  // the write naming the ids.
  const addsProfiles = (shape.passkeyProfilesAdded ?? 0) > 0;
  const profilePhase: Phase = addsProfiles ? { reads: 1, writes: 1 } : { reads: 0, writes: 0 };
  switch (operation) {
    case "up": {
      // 1. Look: the policy (kept as originalSettings, restored on destroy), the groups'
      //    mailNicknames (a group is never adopted silently) and the UPNs, 15 per `in` filter.
      const upns = sum(groups, (g) => g.membersByName);
      const look: Phase = {
        reads:
          policyRead +
          Math.ceil(groups.length / IN_FILTER_LIMIT) +
          Math.ceil(upns / IN_FILTER_LIMIT),
        writes: 0,
      };
      if (groups.length === 0) {
        // The singleton writes need nothing but the look: they follow it in the same batch,
        // unless a new profile's id must be read back first.
        if (addsProfiles) return figureOf([look, profilePhase, { reads: 0, writes: singletons }]);
        return figureOf([{ reads: look.reads, writes: singletons }]);
      }
      // 2. Create each group (its POST needs the lookups' answers and the resolved ids).
      // 3. With the new ids: the other members and owners, and the singletons, whose targets
      //    name the groups (the campaign after the Authenticator configuration, by dependsOn).
      const rest = sum(groups, (g) => groupCreationWrites(g) - 1);
      //    New passkey profiles are written (and read back) beside the group POSTs.
      return figureOf([
        look,
        { reads: profilePhase.reads, writes: groups.length + profilePhase.writes },
        { reads: 0, writes: rest + singletons },
      ]);
    }
    case "preview":
    case "upNoChange":
      // The state already says everything matches the program: nothing to read, nothing to write.
      return figureOf([]);
    case "previewRefresh":
    case "refresh":
      return figureOf(refreshPhases(shape));
    case "change":
      // One singleton property: read the tenant's settings (an update that overwrites a change
      // made outside Pulumi warns or, with failOnExternalChange, refuses: the write depends on
      // the read's answer), then one PATCH.
      return figureOf([
        { reads: 1, writes: 0 },
        { reads: 0, writes: 1 },
      ]);
    case "destroy":
      // Look (the policy, its method configurations expanded: a restore writes back only what the
      // tenant still holds as the stack applied it, so it needs the live settings), then restore
      // each singleton and delete each group (its memberships go with it): dependsOn orders them
      // (§7.1). A profile still assigned to a target can't be deleted (graph-contract-passkeys.md
      // §4 [blog] WIKI): one PATCH unassigns the added profiles, a second drops them from the set,
      // ordered by dependsOn in the same $batch.
      return figureOf([
        { reads: singletons > 0 ? 1 : 0, writes: 0 },
        { reads: 0, writes: singletons + groups.length + (addsProfiles ? 1 : 0) },
      ]);
  }
}

/** The seed scenario: a pilot group with one member named by UPN, Authenticator, the campaign. */
export const SEED_SHAPE: ScenarioShape = {
  singletons: 2,
  groups: [{ members: 1, membersByName: 1, owners: 0 }],
};

/** The larger scenario: 5 pilot groups of 200 members each (by object id), both singletons. */
export const LARGE_SHAPE: ScenarioShape = {
  singletons: 2,
  groups: Array.from({ length: 5 }, () => ({ members: 200, membersByName: 0, owners: 0 })),
};

/**
 * The passkey scenario: the passkey (FIDO2) configuration alone, adding one profile ("Pilot") that
 * an include target names; its one-property change is self-service setup, which adds and removes
 * no profile.
 */
export const PASSKEY_SHAPE: ScenarioShape = {
  singletons: 1,
  groups: [],
  passkeyProfilesAdded: 1,
};

// ---- scans ----

/**
 * The least wall time a client within a sliding-window limit of `limit` requests per `windowMs`
 * needs for `requests` requests, counting from the first request's arrival to the last one's:
 * request k (0-based) can arrive no earlier than floor(k / limit) windows after the first, so the
 * last arrives at floor((requests − 1) / limit) × windowMs. (The same holds for a token bucket that
 * starts full with `limit` tokens and refills `limit` per window.)
 */
export function minimumPacedMs(requests: number, limit: number, windowMs: number): number {
  if (requests <= 0) return 0;
  return Math.floor((requests - 1) / limit) * windowMs;
}

/** Report requests a scan of `users` must send: every page of 999 rows (a last page included). */
export function reportPages(users: number): number {
  return pages(users);
}

export interface ScanMinimum {
  reportRequests: number;
  minimumMs: number;
}

/**
 * The scan's floor: the registration report's pages through the reports limit. The count request
 * `impact` sends for its progress bar is a further report request, counted in `extra`.
 */
export function scanMinimum(users: number, limit = 5, windowMs = 10_000, extra = 0): ScanMinimum {
  const reportRequests = reportPages(users) + extra;
  return { reportRequests, minimumMs: minimumPacedMs(reportRequests, limit, windowMs) };
}

// ---- readiness ----

/** The audit log's page as the client asks for it: `$top=999` (graph-contract.md §6.1 documents `$top`). */
export const AUDIT_PAGE_SIZE = 999;

const auditPages = (records: number) => Math.max(1, Math.ceil(records / AUDIT_PAGE_SIZE));

/** What `entra-nudge readiness` must read in a tenant, whatever the implementation. */
export interface ReadinessShape {
  /** Users the registration report lists (enabled users, §5.3). */
  reportedUsers: number;
  /**
   * The campaign's state. Its trend (phone-only users per day) needs the audit log only while a
   * campaign runs: `enabled`, or `default` (Microsoft managed, §2.8); `disabled` reads none.
   */
  campaignState: "enabled" | "default" | "disabled";
  /**
   * "User registered security info" records of the Authentication Methods service in the period
   * the trend covers (from an enabled campaign's start, else the audit log's 30 days).
   */
  registrationRecords: number;
  /**
   * "Authentication Methods Policy Update" records in the 30 days: only an enabled campaign needs
   * them (the day it was switched on starts the trend).
   */
  policyUpdateRecords: number;
  /**
   * Every record the Authentication Methods service logged in the 30 days: one query filtered by
   * `loggedByService` alone returns both kinds above (and others, §6.3).
   */
  serviceRecords: number;
}

export interface ReadinessMinimum {
  /** Registration report pages (reports limit). */
  reportPages: number;
  /** Audit log pages (the same reports limit: auditLogRoot/directoryAudit, §7.3). */
  auditPages: number;
  /** Both: the requests the reports limit paces. */
  reportRequests: number;
  /**
   * Policy reads, outside that limit: one GET of the authentication methods policy returns every
   * method configuration expanded (§1.1: the campaign, Authenticator, FIDO2, SMS and Voice in one).
   * The users of the groups their targets name are read outside it too (identity limits), beside
   * the report: neither adds to the paced time.
   */
  policyReads: number;
  /** First to last report-limited request at 5 / 10 s, ms (minimumPacedMs). */
  minimumMs: number;
}

/**
 * The floor of `readiness`: every registration report page (as for `impact`) and, while a
 * campaign runs, the audit log's pages the trend needs, all through the reports limit (5 requests
 * / 10 s per app and tenant, §6.1, §7.3), in whatever order: the audit log does not depend on the
 * report, and the policy read that says whether a campaign runs is not report-limited. The audit
 * pages are the fewer of two documented ways (§6.1 filters `loggedByService` and
 * `activityDisplayName` with `eq`, no `or` documented): one query per activity (the policy updates
 * only for an enabled campaign), or one query by service alone that returns both.
 *
 * Which is fewer depends on records nobody can count without reading them (directoryAudits
 * documents no `$count`, §6.1). `readiness` sends the per-activity queries: each self-service
 * registration is also logged as "User started security info registration" by the same service
 * (§6.3), so the service's records are at least 2 × registrations + policy updates, and from 500
 * registrations in the period the per-activity queries are never more pages than the one by
 * service (tests/bench/minimums.test.ts). Below that, one page by service may do where they take
 * two: one report-limited request above this floor, a whole 10-second window only when the
 * report's pages fill their last window exactly. The Microsoft-managed case reads one query.
 */
export function readinessMinimum(
  shape: ReadinessShape,
  limit = 5,
  windowMs = 10_000,
): ReadinessMinimum {
  const pagesOfReport = reportPages(shape.reportedUsers);
  let pagesOfAudit = 0;
  if (shape.campaignState === "default") pagesOfAudit = auditPages(shape.registrationRecords);
  else if (shape.campaignState === "enabled")
    pagesOfAudit = Math.min(
      auditPages(shape.policyUpdateRecords) + auditPages(shape.registrationRecords),
      auditPages(shape.serviceRecords),
    );
  const reportRequests = pagesOfReport + pagesOfAudit;
  return {
    reportPages: pagesOfReport,
    auditPages: pagesOfAudit,
    reportRequests,
    policyReads: 1,
    minimumMs: minimumPacedMs(reportRequests, limit, windowMs),
  };
}
