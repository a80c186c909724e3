// Who follows the later retirement date (graph-contract-passkeys.md §7, SMSFAQ): the Global
// Administrators and the external users, read beside the scan. Each read degrades on its own: an
// app without its permission gets the earlier date for those users (2027-02-01, the safe side of a
// plan) and the report says which part was not read.
import {
  GraphRequestError,
  globalAdministratorPrincipals,
  transitiveUsersOfGroups,
  userIdentityPages,
  type GraphClient,
} from "../graph";
import { isExternalUser } from "../model";
import type { PopulationFacts } from "./readiness";

function isForbidden(err: unknown): boolean {
  return err instanceof GraphRequestError && err.kind === "forbidden";
}

/**
 * The users holding the Global Administrator role: active assignments at the tenant scope, users
 * directly and the members of role-assignable groups (transitively). PIM-eligible assignments that
 * are not activated do not count: Microsoft does not say how they count, and the earlier date is
 * the one a plan can rely on.
 */
async function readGlobalAdministrators(graph: GraphClient): Promise<string[]> {
  const principals = await globalAdministratorPrincipals(graph);
  const ids = new Set(principals.filter((p) => p.type === "user").map((p) => p.id));
  const groups = principals.filter((p) => p.type === "group").map((p) => p.id);
  if (groups.length > 0) {
    for (const group of (await transitiveUsersOfGroups(graph, groups)).values())
      for (const id of group?.userIds ?? []) ids.add(id);
  }
  return [...ids].sort();
}

async function readExternalUsers(graph: GraphClient): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of userIdentityPages(graph)) {
    for (const user of page)
      if (typeof user.id === "string" && isExternalUser(user)) ids.push(user.id.toLowerCase());
  }
  return ids.sort();
}

/** Both reads, concurrently; a 403 leaves that part null (other failures throw). */
export async function readPopulations(graph: GraphClient): Promise<PopulationFacts> {
  const degrade = async (read: () => Promise<string[]>): Promise<string[] | null> => {
    try {
      return await read();
    } catch (err) {
      if (isForbidden(err)) return null;
      throw err;
    }
  };
  const [globalAdministrators, externalUsers] = await Promise.all([
    degrade(() => readGlobalAdministrators(graph)),
    degrade(() => readExternalUsers(graph)),
  ]);
  return { globalAdministrators, externalUsers };
}
