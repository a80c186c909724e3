// Typed calls for users (graph-contract.md §4.7): by object id or user principal name.
import type { User } from "@microsoft/microsoft-graph-types";
import type { GraphCall, GraphClient } from "./client";
import { checkDirectoryObjectAnswer } from "./answers";
import { GraphRequestError } from "./errors";
import { keySegment } from "./odata";

export const USER_READ = "User.Read.All";
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

/**
 * Looks up member or owner references in one set of JSON batches (20 per request): a UPN as a
 * user (GET /users/{upn}), an object id as whatever directory object it is (GET
 * /directoryObjects/{id}, which answers its @odata.type: a group id given as a member must be
 * told apart from a user's). No $select on directoryObjects: a property the base type lacks may be
 * refused (graph-contract.md, Errata 1). References that name nothing are absent from the map.
 *
 * With `mostlyUsers` (a pilot group's members), object ids are first listed as users, 15 per
 * `GET /users?$filter=id in (…)` in the same batches as the UPNs, so 200 member ids cost 14
 * requests instead of 200; only the ids that are not users (a group given as a member, an id that
 * names nothing) are then looked up one by one as directory objects.
 */
export async function lookUpPrincipals(
  graph: GraphClient,
  refs: { objectIds: string[]; userPrincipalNames: string[] },
  options: { mostlyUsers?: boolean } = {},
): Promise<Map<string, Principal>> {
  const principals = new Map<string, Principal>();
  let objectIds = [...new Set(refs.objectIds)];
  const userPrincipalNames = [...new Set(refs.userPrincipalNames)];
  if (objectIds.length + userPrincipalNames.length === 0) return principals;
  if (options.mostlyUsers && objectIds.length > 1) {
    const chunks: string[][] = [];
    for (let i = 0; i < objectIds.length; i += IN_FILTER_LIMIT) {
      chunks.push(objectIds.slice(i, i + IN_FILTER_LIMIT));
    }
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
      ...userPrincipalNames.map(userCall),
    ]);
    const byLowerId = new Map(objectIds.map((id) => [id.toLowerCase(), id]));
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
      } else if (outcome.ok) {
        const upn = userPrincipalNames[i - chunks.length];
        checkDirectoryObjectAnswer(outcome.body, `look up ${upn}`, `GET /v1.0/users/${upn}`);
        principals.set(upn, principalOf(outcome.body, "user"));
      } else if (outcome.error.status !== 404) {
        throw outcome.error;
      }
    });
    objectIds = objectIds.filter((id) => !principals.has(id));
    if (objectIds.length === 0) return principals;
    for (const [ref, principal] of await lookUpObjects(graph, objectIds)) {
      principals.set(ref, principal);
    }
    return principals;
  }
  for (const [ref, principal] of await lookUpObjects(graph, objectIds, userPrincipalNames)) {
    principals.set(ref, principal);
  }
  return principals;
}

/** Object ids as directory objects and UPNs as users, one GET each, 20 per batch. */
async function lookUpObjects(
  graph: GraphClient,
  objectIds: string[],
  userPrincipalNames: string[] = [],
): Promise<Map<string, Principal>> {
  const isObjectId = new Set(objectIds);
  const keys = [...objectIds, ...userPrincipalNames];
  const principals = new Map<string, Principal>();
  if (keys.length === 0) return principals;
  const found = await graph.lookUp<User & { "@odata.type"?: string }>(keys, (ref) =>
    isObjectId.has(ref)
      ? {
          operation: `look up the directory object ${ref}`,
          method: "GET",
          path: `/directoryObjects/${keySegment(ref)}`,
          permission: USER_READ,
          target: `the object ${ref}`,
        }
      : userCall(ref),
  );
  for (const [ref, object] of found) {
    checkDirectoryObjectAnswer(object, `look up ${ref}`, `GET /v1.0/directoryObjects/${ref}`);
    const type = isObjectId.has(ref)
      ? String(object["@odata.type"] ?? "").replace(/^#?microsoft\.graph\./, "") || "unknown"
      : "user";
    principals.set(ref, principalOf(object, type));
  }
  return principals;
}

function principalOf(object: User, type: string): Principal {
  return {
    id: String(object.id).toLowerCase(),
    type,
    ...(object.userPrincipalName ? { userPrincipalName: object.userPrincipalName } : {}),
    ...(object.displayName ? { displayName: object.displayName } : {}),
  };
}
