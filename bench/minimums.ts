// The physical minimums the benchmark compares against, derived from what each job must do in
// Graph (docs/performance.md explains every line). Pure: no I/O, so tests/bench checks them.

/** Graph's page size for directory collections and the registration report (graph-contract.md §4.6, §5.3). */
export const MAX_PAGE_SIZE = 999;
/** Requests in one JSON batch (graph-contract.md §7.1). */
export const BATCH_SIZE = 20;
/** Relationships one POST /groups may bind (members@odata.bind and owners@odata.bind, §4.1). */
export const CREATE_BIND_LIMIT = 20;

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
  /** Tenant-wide singletons: the registration campaign and the Authenticator configuration. */
  singletons: number;
  groups: GroupShape[];
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
 * request, the $batch envelope is not. `roundTrips` counts HTTP requests (a $batch is one).
 */
export interface CallFigure {
  reads: number;
  writes: number;
  /** HTTP requests that carry writes (a $batch of 20 `$ref` additions is one). */
  writeRoundTrips: number;
}

const pages = (items: number) => Math.max(1, Math.ceil(items / MAX_PAGE_SIZE));
const batches = (items: number) => Math.ceil(items / BATCH_SIZE);

/**
 * Owners one group read can expand inline (`$expand=owners`): a directory object's expansion is cut
 * at a limit (20 in the emulator and older documentation), so only a shorter list is complete.
 */
const EXPANDED_OWNERS_LIMIT = 20;

/**
 * Reading one group back: the group itself with its owners expanded, its member pages, and owner
 * pages only when the owners may not all fit in the expansion.
 */
function groupReads(group: GroupShape): number {
  return (
    1 + pages(group.members) + (group.owners >= EXPANDED_OWNERS_LIMIT ? pages(group.owners) : 0)
  );
}

/**
 * The fewest Graph requests each operation needs for the scenario, on the assumption that the
 * operation is the second of its kind where it says so ("no-change": the state matches the tenant).
 */
export function minimumCalls(shape: ScenarioShape, operation: Operation): CallFigure {
  const sum = (f: (group: GroupShape) => number) =>
    shape.groups.reduce((total, group) => total + f(group), 0);
  switch (operation) {
    case "up": {
      // Singletons: read what is there (kept to restore on destroy), write the declaration.
      // Groups: one lookup that the mailNickname is free (a group is never adopted silently), one
      // lookup per user principal name (batched 20 per round trip), one POST that binds up to 20
      // members and owners, the rest added as $ref in batches of 20.
      const bound = (g: GroupShape) => Math.min(CREATE_BIND_LIMIT, g.members + g.owners);
      const rest = (g: GroupShape) => g.members + g.owners - bound(g);
      return {
        reads: shape.singletons + sum((g) => 1 + g.membersByName),
        writes: shape.singletons + sum((g) => 1 + rest(g)),
        writeRoundTrips: shape.singletons + sum((g) => 1 + batches(rest(g))),
      };
    }
    case "preview":
    case "upNoChange":
      // The state already says everything matches the program: nothing to read, nothing to write.
      return { reads: 0, writes: 0, writeRoundTrips: 0 };
    case "previewRefresh":
    case "refresh":
      return { reads: shape.singletons + sum(groupReads), writes: 0, writeRoundTrips: 0 };
    case "change":
      // One singleton property: read the tenant's settings (the documented warning when someone
      // changed them outside Pulumi since the last refresh), then one PATCH.
      return { reads: 1, writes: 1, writeRoundTrips: 1 };
    case "destroy":
      // Restore each singleton from the recorded originalSettings, delete each group (its
      // memberships go with it).
      return {
        reads: 0,
        writes: shape.singletons + shape.groups.length,
        writeRoundTrips: shape.singletons + shape.groups.length,
      };
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
