// Typed calls for users (graph-contract.md §4.7): by object id or user principal name.
import type { User } from "@microsoft/microsoft-graph-types";
import type { GraphCall, GraphClient } from "./client";
import { checkDirectoryObjectAnswer } from "./answers";
import { GraphRequestError } from "./errors";
import { keySegment } from "./odata";

export const USER_READ = "User.Read.All";
/** GET /groups/{id}: GroupMember.Read.All is the least (group-get). */
const GROUP_READ = "GroupMember.Read.All";
export const USER_FIELDS = "id,userPrincipalName,displayName,userType,accountEnabled";

/**
 * Looks up users by id or UPN, in batches of 20. Returns a map from each key as given to the
 * user; keys that do not exist are absent from the map. Other failures throw.
 */
export async function getUsers(graph: GraphClient, keys: string[]): Promise<Map<string, User>> {
  const found = await graph.lookUp<User>(keys, userCall);
  for (const [key, user] of found) {
    checkDirectoryObjectAnswer(user, `look up the user ${key}`, `GET /v1.0/users/${key}`);
  }
  return found;
}

/** GET /users/{id or UPN}; a UPN that starts with '$' must use the users('...') form (§4.7). */
function userCall(key: string): GraphCall {
  return {
    operation: `look up the user ${key}`,
    method: "GET",
    path: key.startsWith("$")
      ? `/users('${keySegment(key.replace(/'/g, "''"))}')`
      : `/users/${keySegment(key)}`,
    query: { $select: USER_FIELDS },
    permission: USER_READ,
    target: `the user ${key}`,
  };
}

export function isNotFound(err: unknown): boolean {
  return err instanceof GraphRequestError && err.kind === "notFound";
}

/** A member or owner reference looked up: the object it names and what kind of object it is. */
export interface Principal {
  /** Lower-case object id. */
  id: string;
  /** "user", "group", "servicePrincipal", ... (from @odata.type; "user" for a UPN). */
  type: string;
  userPrincipalName?: string;
  displayName?: string;
}

/**
 * Values in one `in` filter: Graph accepts at most 15 (learn.microsoft.com/graph/filter-query-parameter,
 * "the in operator is limited to 15 values"; bench/minimums.ts derives its floors from the same).
 */
export const IN_FILTER_LIMIT = 15;

/** GET /directoryObjects/{id} needs Directory.Read.All (directoryobject-get, no lower permission). */
export const DIRECTORY_READ = "Directory.Read.All";

/**
 * Looks up member or owner references with calls the documented least permissions cover, in JSON
 * batches (20 per request): UPNs as users (GET /users/{upn}); object ids as users, 15 per
 * `GET /users?$filter=id in (…)` (User.Read.All: "the in operator is limited to 15 values",
 * IN_FILTER_LIMIT), then the ids that are not users as groups (GET /groups/{id},
 * GroupMember.Read.All). So 200 member ids cost 14 requests and a group given as a member is told
 * apart from a user. With `likelyGroups` (a policy's declared targets: few ids) every id is
 * looked up as both in one round trip.
 *
 * With `otherObjects`, the ids that are neither (a service principal named as an owner) are then
 * looked up one by one as directory objects (GET /directoryObjects/{id}, which answers its
 * @odata.type) and need Directory.Read.All (learn.microsoft.com/graph/api/directoryobject-get):
 * only those ids pay that permission. No $select on directoryObjects: a property the base type
 * lacks may be refused (graph-contract.md, Errata 1). References that name nothing are absent
 * from the map.
 */
export async function lookUpPrincipals(
  graph: GraphClient,
  refs: { objectIds: string[]; userPrincipalNames: string[] },
  options: { otherObjects?: boolean; likelyGroups?: readonly string[] } = {},
): Promise<Map<string, Principal>> {
  const principals = new Map<string, Principal>();
  const objectIds = [...new Set(refs.objectIds)];
  const userPrincipalNames = [...new Set(refs.userPrincipalNames)];
  if (objectIds.length + userPrincipalNames.length === 0) return principals;
  if (options.likelyGroups !== undefined) {
    // A few declared targets: every id as a user and as a group in one round trip, so an id that
    // names nothing, or the other kind, is known without a second one.
    await lookUpAs(graph, principals, objectIds, objectIds, userPrincipalNames);
  } else {
    await lookUpAs(graph, principals, objectIds, [], userPrincipalNames);
    const left = objectIds.filter((id) => !principals.has(id));
    await lookUpAs(graph, principals, [], left);
  }
  const others = objectIds.filter((id) => !principals.has(id));
  if (!options.otherObjects || others.length === 0) return principals;
  const found = await graph.lookUp<User & { "@odata.type"?: string }>(others, (ref) => ({
    operation: `look up the directory object ${ref}`,
    method: "GET",
    path: `/directoryObjects/${keySegment(ref)}`,
    permission: DIRECTORY_READ,
    target: `the object ${ref}`,
  }));
  for (const [ref, object] of found) {
    checkDirectoryObjectAnswer(object, `look up ${ref}`, `GET /v1.0/directoryObjects/${ref}`);
    const type =
      String(object["@odata.type"] ?? "").replace(/^#?microsoft\.graph\./, "") || "unknown";
    principals.set(ref, principalOf(object, type));
  }
  return principals;
}

/** One round trip: ids as users (15 per `id in` filter), ids as groups, UPNs as users. */
async function lookUpAs(
  graph: GraphClient,
  principals: Map<string, Principal>,
  userIds: string[],
  groupIds: string[],
  userPrincipalNames: string[] = [],
): Promise<void> {
  const chunks: string[][] = [];
  for (let i = 0; i < userIds.length; i += IN_FILTER_LIMIT) {
    chunks.push(userIds.slice(i, i + IN_FILTER_LIMIT));
  }
  if (chunks.length + groupIds.length + userPrincipalNames.length === 0) return;
  const outcomes = await graph.batch<{ value?: User[] } & User>([
    ...chunks.map((ids): GraphCall => ({
      operation: `look up ${ids.length} users by object id`,
      method: "GET",
      path: "/users",
      query: {
        $filter: `id in (${ids.map((id) => `'${id.replace(/'/g, "''")}'`).join(",")})`,
        $select: USER_FIELDS,
      },
      permission: USER_READ,
      target: "the users named by object id",
    })),
    ...groupIds.map((id): GraphCall => ({
      operation: `look up the group ${id}`,
      method: "GET",
      path: `/groups/${keySegment(id)}`,
      query: { $select: "id,displayName" },
      permission: GROUP_READ,
      target: `the object ${id}`,
    })),
    ...userPrincipalNames.map(userCall),
  ]);
  const byLowerId = new Map(userIds.map((id) => [id.toLowerCase(), id]));
  outcomes.forEach((outcome, i) => {
    if (i < chunks.length) {
      if (!outcome.ok) throw outcome.error;
      const users = outcome.body.value;
      if (!Array.isArray(users)) {
        checkDirectoryObjectAnswer(users, "look up users by object id", "GET /v1.0/users");
        return;
      }
      for (const user of users) {
        checkDirectoryObjectAnswer(user, "look up users by object id", "GET /v1.0/users");
        const ref = byLowerId.get(String(user.id).toLowerCase());
        if (ref !== undefined) principals.set(ref, principalOf(user, "user"));
      }
      return;
    }
    if (!outcome.ok) {
      if (outcome.error.status !== 404) throw outcome.error;
      return;
    }
    if (i < chunks.length + groupIds.length) {
      const id = groupIds[i - chunks.length];
      checkDirectoryObjectAnswer(outcome.body, `look up ${id}`, `GET /v1.0/groups/${id}`);
      principals.set(id, principalOf(outcome.body, "group"));
      return;
    }
    const upn = userPrincipalNames[i - chunks.length - groupIds.length];
    checkDirectoryObjectAnswer(outcome.body, `look up ${upn}`, `GET /v1.0/users/${upn}`);
    principals.set(upn, principalOf(outcome.body, "user"));
  });
}

function principalOf(object: User, type: string): Principal {
  return {
    id: String(object.id).toLowerCase(),
    type,
    ...(object.userPrincipalName ? { userPrincipalName: object.userPrincipalName } : {}),
    ...(object.displayName ? { displayName: object.displayName } : {}),
  };
}
