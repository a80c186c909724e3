// Reading what the method-loss check needs, and nothing more: the registration report's rows of
// the users who hold the method, and the users of the groups that decide who keeps it. On a large
// tenant this is a fraction of a full scan: the report answers only the holders (its documented
// `$filter` on methodsRegistered, `any` with `eq`: "Supports $filter (any with eq)" on
// https://learn.microsoft.com/graph/api/resources/userregistrationdetails, and the list page's
// example `methodsRegistered/any(x:x eq 'email')`,
// https://learn.microsoft.com/graph/api/authenticationmethodsroot-list-userregistrationdetails),
// one query per registration value (the documented form, no `or` of lambdas). A fresh cached scan
// (cache.ts) that resolved every group needed answers instead, with no report request.
import {
  isMissingPremiumLicence,
  transitiveUsersOfGroups,
  userRegistrationDetailsPages,
  type GraphClient,
  type GroupUsers,
} from "../graph";
import { holderQueriesOf, holdsMethod, type LossMethod } from "../model";
import { readFreshestCachedScan, type ScanCacheSettings } from "./cache";
import { groupsByUser, PremiumLicenceRequiredError, scannedUserOf, type ScannedUser } from "./scan";

export interface MethodHolders {
  users: ScannedUser[];
  /** Each group asked for; undefined for a group that does not exist (or not yet: §4.8). */
  groups: Map<string, GroupUsers | undefined>;
  /** Where the rows came from. */
  source: { cachedAt: string } | { reportRequests: number };
}

/** The filter that selects the holders of one registration value (documented form). */
export function holderFilter(registration: string): string {
  return `methodsRegistered/any(m:m eq '${registration}')`;
}

export interface HolderCache {
  settings: ScanCacheSettings;
  tenantId: string;
}

/**
 * The users who hold `method`, with the memberships of `groupIds` (lower-case). Throws
 * PremiumLicenceRequiredError without P1/P2, GraphRequestError otherwise (403: a permission).
 */
export async function readMethodHolders(
  graph: GraphClient,
  method: LossMethod,
  groupIds: readonly string[],
  cache?: HolderCache,
): Promise<MethodHolders> {
  const wanted = [...new Set(groupIds.map((id) => id.toLowerCase()))].sort();
  const cached =
    cache &&
    readFreshestCachedScan(cache.settings, {
      graphEndpoint: graph.settings.graphEndpoint,
      tenantId: cache.tenantId,
      clientId: graph.settings.clientId,
      groupIds: wanted,
    });
  if (cached) {
    return {
      users: cached.scan.users.filter((user) => holdsMethod(method, user.methodsRegistered)),
      groups: new Map(wanted.map((id) => [id, cached.scan.groups.get(id)])),
      source: { cachedAt: cached.scannedAt },
    };
  }
  const before = graph.counters.reportRequests;
  let groups: Map<string, GroupUsers | undefined>;
  let rows: ScannedUser[][];
  try {
    [groups, ...rows] = await Promise.all([
      transitiveUsersOfGroups(graph, wanted),
      ...holderQueriesOf(method).map((registration) => readHolders(graph, registration)),
    ]);
  } catch (err) {
    if (isMissingPremiumLicence(err)) throw new PremiumLicenceRequiredError(err);
    throw err;
  }
  const byId = new Map<string, ScannedUser>();
  for (const user of rows.flat()) byId.set(user.id, user);
  const groupsOf = groupsByUser(groups);
  const users = [...byId.values()].map((user) => ({
    ...user,
    groupIds: groupsOf.get(user.id) ?? new Set<string>(),
  }));
  return {
    users,
    groups,
    source: { reportRequests: graph.counters.reportRequests - before },
  };
}

async function readHolders(graph: GraphClient, registration: string): Promise<ScannedUser[]> {
  const users: ScannedUser[] = [];
  for await (const page of userRegistrationDetailsPages(graph, {
    filter: holderFilter(registration),
  })) {
    for (const row of page) {
      const user = scannedUserOf(row);
      if (user) users.push(user);
    }
  }
  return users;
}
