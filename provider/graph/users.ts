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
 * Looks up member or owner references in one set of JSON batches (20 per request): a UPN as a
 * user (GET /users/{upn}), an object id as whatever directory object it is (GET
 * /directoryObjects/{id}, which answers its @odata.type: a group id given as a member must be
 * told apart from a user's). No $select on directoryObjects: a property the base type lacks may be
 * refused (graph-contract.md, Errata 1). References that name nothing are absent from the map.
 */
export async function lookUpPrincipals(
  graph: GraphClient,
  refs: { objectIds: string[]; userPrincipalNames: string[] },
): Promise<Map<string, Principal>> {
  const objectIds = new Set(refs.objectIds);
  const isObjectId = (ref: string) => objectIds.has(ref);
  const keys = [...refs.objectIds, ...refs.userPrincipalNames];
  if (keys.length === 0) return new Map();
  const found = await graph.lookUp<User & { "@odata.type"?: string }>(keys, (ref) =>
    isObjectId(ref)
      ? {
          operation: `look up the directory object ${ref}`,
          method: "GET",
          path: `/directoryObjects/${keySegment(ref)}`,
          permission: USER_READ,
          target: `the object ${ref}`,
        }
      : userCall(ref),
  );
  const principals = new Map<string, Principal>();
  for (const [ref, object] of found) {
    checkDirectoryObjectAnswer(object, `look up ${ref}`, `GET /v1.0/directoryObjects/${ref}`);
    const type = isObjectId(ref)
      ? String(object["@odata.type"] ?? "").replace(/^#?microsoft\.graph\./, "") || "unknown"
      : "user";
    principals.set(ref, {
      id: String(object.id).toLowerCase(),
      type,
      ...(object.userPrincipalName ? { userPrincipalName: object.userPrincipalName } : {}),
      ...(object.displayName ? { displayName: object.displayName } : {}),
    });
  }
  return principals;
}
