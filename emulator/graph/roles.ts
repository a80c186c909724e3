// Directory role assignments (unified RBAC, directory provider): GET
// /roleManagement/directory/roleAssignments, with the documented $filter on roleDefinitionId or
// principalId and $expand=principal (learn.microsoft.com/graph/api/rbacapplication-list-roleassignments,
// example 1 lists the Global Administrators that way). What the tenant file says: a user's
// `adminRoles` and a role-assignable group's `adminRoles` are active assignments at the tenant
// scope ("/"). PIM-eligible assignments are not modelled: Graph lists them apart
// (roleEligibilitySchedules), and this listing shows them only while activated.
import type { GraphResponse } from "../types";
import type { Context } from "./context";
import { requirePermission } from "./context";
import { renderGroup, renderUser } from "./directory";
import { badRequest } from "./failures";
import {
  checkFilter,
  compileFilter,
  jsonAccessor,
  parseFilter,
  type FilterRules,
} from "./odata/filter";
import { collectionBody } from "./odata/query";
import { PERMISSIONS } from "./permissions";

/**
 * Built-in role template ids by display name (learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference):
 * the names a tenant file's `adminRoles` may use.
 */
export const BUILT_IN_ROLES: Readonly<Record<string, string>> = {
  "Global Administrator": "62e90394-69f5-4237-9190-012177145e10",
  "Privileged Role Administrator": "e8611ab8-c189-46e8-94e1-60213ab1f814",
  "Privileged Authentication Administrator": "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
  "Authentication Policy Administrator": "0526716b-113d-4c15-b2c8-68e3c22b9f80",
  "Authentication Administrator": "c4e39bd9-1100-46d3-8c65-fb160da0071f",
  "Security Administrator": "194ae4cb-b126-40b2-bd5b-6091b380977d",
  "Conditional Access Administrator": "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
  "Exchange Administrator": "29232cdf-9323-42fd-ade2-1d097af3e4de",
  "SharePoint Administrator": "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
  "Helpdesk Administrator": "729827e3-9c14-49f7-bb1b-9608f156bbb8",
  "Billing Administrator": "b0f54661-2d74-4c50-afa3-1ec803f12efe",
  "User Administrator": "fe930be7-5e62-47db-91af-98c3a49a38b1",
  "Groups Administrator": "fdd7a751-b60b-444a-984c-02652fe8fa1c",
  "Global Reader": "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
  "Security Reader": "5d6b6bb7-de71-4623-b4af-96380a352509",
  "Reports Reader": "4a5d8f65-41da-4de4-8968-e035b65339cf",
};

const ROLE_ASSIGNMENT_FILTER: FilterRules = {
  typeName: "unifiedRoleAssignment",
  resourceName: "UnifiedRoleAssignment",
  properties: {
    roleDefinitionId: { type: "string", ops: ["eq"], advancedOps: [] },
    principalId: { type: "string", ops: ["eq"], advancedOps: [] },
    directoryScopeId: { type: "string", ops: ["eq"], advancedOps: [] },
  },
};

interface Assignment {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  kind: "user" | "group";
}

/** Active assignments at the tenant scope, from the seed (no Graph call here writes roles). */
function assignments(ctx: Context): Assignment[] {
  const out: Assignment[] = [];
  const add = (
    principalId: string,
    roles: readonly string[] | undefined,
    kind: Assignment["kind"],
  ) => {
    for (const name of roles ?? []) {
      const roleDefinitionId = BUILT_IN_ROLES[name];
      if (!roleDefinitionId) continue;
      // Graph's ids are opaque strings; this one is stable per principal and role.
      out.push({ id: `${roleDefinitionId}-${principalId}`, principalId, roleDefinitionId, kind });
    }
  };
  for (const u of ctx.state.seed.tenant.users) add(u.id, u.adminRoles, "user");
  for (const g of ctx.state.seed.tenant.groups) {
    if (ctx.state.groups.get(g.id)?.deletedDateTime) continue;
    add(g.id, g.adminRoles, "group");
  }
  return out;
}

export function listRoleAssignments(ctx: Context): GraphResponse {
  requirePermission(ctx, PERMISSIONS.roleAssignmentRead);
  const { req } = ctx;
  const filterText = req.query.get("$filter");
  let matches: (entity: unknown) => boolean = () => true;
  if (filterText !== null) {
    const node = parseFilter(filterText);
    checkFilter(node, ROLE_ASSIGNMENT_FILTER, false);
    matches = compileFilter(node, jsonAccessor);
  }
  const expand = (req.query.get("$expand") ?? "").trim();
  if (expand !== "" && expand.toLowerCase() !== "principal")
    throw badRequest(`Could not find a navigation property '${expand}' on unifiedRoleAssignment.`);
  const domain = ctx.state.seed.tenant.domain;
  const value = assignments(ctx)
    .map((a) => ({
      assignment: a,
      body: {
        id: a.id,
        principalId: a.principalId,
        resourceScope: "/",
        directoryScopeId: "/",
        roleDefinitionId: a.roleDefinitionId,
      } as Record<string, unknown>,
    }))
    .filter(({ body }) => matches(body))
    .map(({ assignment, body }) => {
      if (expand === "") return body;
      if (assignment.kind === "user") {
        const user = ctx.state.users.get(assignment.principalId);
        return user ? { ...body, principal: renderUser(user, undefined, domain, true) } : body;
      }
      const group = ctx.state.groups.get(assignment.principalId);
      return group ? { ...body, principal: renderGroup(group, undefined, true) } : body;
    });
  return {
    status: 200,
    body: collectionBody(
      req,
      expand === ""
        ? "roleManagement/directory/roleAssignments"
        : "roleManagement/directory/roleAssignments(principal())",
      value,
    ),
  };
}
