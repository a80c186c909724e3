// Who holds the Global Administrator role, and how each user signs in: what decides a phone-only
// user's retirement date (graph-contract-passkeys.md §7, SMSFAQ: Global Administrators and external
// users follow 2027-07-01, everyone else 2027-02-01).
import type { GraphClient } from "./client";

/** The Global Administrator role's template id (its roleDefinitionId in every tenant). */
export const GLOBAL_ADMINISTRATOR_ROLE = "62e90394-69f5-4237-9190-012177145e10";
export const ROLE_READ = "RoleManagement.Read.Directory";
const USER_READ = "User.Read.All";

/** A principal holding the role: a user, or a role-assignable group whose members hold it. */
export interface RolePrincipal {
  /** Lower-case object id. */
  id: string;
  /** "user", "group", "servicePrincipal", ... (from the expanded principal's @odata.type). */
  type: string;
}

/**
 * The role's active assignments (learn.microsoft.com/graph/api/rbacapplication-list-roleassignments,
 * example 1: `$filter=roleDefinitionId eq '…'&$expand=principal`; RoleManagement.Read.Directory is
 * the least privileged application permission). Active means permanent assignments and PIM-eligible
 * ones activated at the time of the read; eligible assignments not activated are listed elsewhere
 * (roleEligibilitySchedules) and are not read.
 */
export async function globalAdministratorPrincipals(graph: GraphClient): Promise<RolePrincipal[]> {
  const assignments = await graph.all<{
    principalId?: string | null;
    directoryScopeId?: string | null;
    principal?: { "@odata.type"?: string; id?: string | null } | null;
  }>({
    operation: "list who holds the Global Administrator role",
    method: "GET",
    path: "/roleManagement/directory/roleAssignments",
    query: { $filter: `roleDefinitionId eq '${GLOBAL_ADMINISTRATOR_ROLE}'`, $expand: "principal" },
    permission: ROLE_READ,
  });
  const principals = new Map<string, RolePrincipal>();
  for (const a of assignments) {
    // The role at the tenant scope ("/"); an administrative unit's scope does not make a Global Administrator.
    if (a.directoryScopeId && a.directoryScopeId !== "/") continue;
    const id = (a.principal?.id ?? a.principalId)?.toLowerCase();
    if (!id) continue;
    const type = (a.principal?.["@odata.type"] ?? "#microsoft.graph.user").replace(
      /^#microsoft\.graph\./,
      "",
    );
    principals.set(id, { id, type });
  }
  return [...principals.values()];
}

/** A user's sign-in identities (Graph's objectIdentity) and B2B invitation state. */
export interface UserIdentities {
  id: string;
  userType?: string | null;
  externalUserState?: string | null;
  identities?: { signInType?: string | null; issuer?: string | null }[] | null;
}

/** Every user's identities, 999 a page (GET /users, §4.7; User.Read.All). */
export function userIdentityPages(
  graph: GraphClient,
): AsyncGenerator<UserIdentities[], void, undefined> {
  return graph.pages<UserIdentities>({
    operation: "list how users sign in (their identities)",
    method: "GET",
    path: "/users",
    query: { $select: "id,userType,externalUserState,identities", $top: 999 },
    permission: USER_READ,
  });
}
