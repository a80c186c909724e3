// Typed calls for users (graph-contract.md §4.7): by object id or user principal name.
import type { User } from "@microsoft/microsoft-graph-types";
import type { GraphClient } from "./client";
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
  const found = await graph.lookUp<User>(keys, (key) => ({
    operation: `look up the user ${key}`,
    method: "GET",
    // A UPN that starts with '$' must use the users('...') form (§4.7).
    path: key.startsWith("$")
      ? `/users('${keySegment(key.replace(/'/g, "''"))}')`
      : `/users/${keySegment(key)}`,
    query: { $select: USER_FIELDS },
    permission: USER_READ,
    target: `the user ${key}`,
  }));
  for (const [key, user] of found) {
    checkDirectoryObjectAnswer(user, `look up the user ${key}`, `GET /v1.0/users/${key}`);
  }
  return found;
}

export function isNotFound(err: unknown): boolean {
  return err instanceof GraphRequestError && err.kind === "notFound";
}
