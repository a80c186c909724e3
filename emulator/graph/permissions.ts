// Who may call what. The calls the product sends are decided by Microsoft's permission tables
// (permissionTable.ts), per token type: an app token's roles against the Application row, a
// delegated token's scopes against the Delegated row. The other calls the emulator answers keep
// the contract's lists below: a caller passes when its roles hold any of them, and a ReadWrite
// permission also grants the matching Read permission.
import type { CallerIdentity, GraphVersion } from "../types";
import type { PermissionTableRow } from "./permissionTable";

export const PERMISSIONS = {
  /** §1.2: GET authenticationMethodsPolicy. */
  policyRead: [
    "Policy.Read.AuthenticationMethod",
    "Policy.ReadWrite.AuthenticationMethod",
    "Policy.Read.All",
  ],
  /** §1.2, §3.2: PATCH the policy; PATCH/DELETE a method configuration. */
  policyWrite: ["Policy.ReadWrite.AuthenticationMethod"],
  /** §3.2, §10 item 8: GET a method configuration (current least privilege by analogy). */
  configurationRead: [
    "Policy.Read.AuthenticationMethod",
    "Policy.Read.All",
    "Policy.ReadWrite.AuthenticationMethod",
  ],
  /** §4.1: POST /groups. */
  groupCreate: ["Group.Create", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
  /** §4.2: GET/list groups. */
  groupRead: [
    "GroupMember.Read.All",
    "Group.Read.All",
    "Group.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
  ],
  /** §4.3: PATCH /groups/{id}. */
  groupUpdate: ["Group.ReadWrite.All", "Directory.ReadWrite.All"],
  /** §4.3: DELETE /groups/{id}, restore and permanent delete ("no higher"). */
  groupDelete: ["Group.ReadWrite.All"],
  /** §4.3: list/get deleted groups. */
  deletedGroupRead: [
    "Group.Read.All",
    "Group.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
  ],
  /** §4.4, §4.5, §10 item 12: add/remove members and owners. */
  memberWrite: ["GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
  /** §4.6: list members / transitive members / owners. */
  memberRead: [
    "GroupMember.Read.All",
    "Directory.Read.All",
    "Group.Read.All",
    "Group.ReadWrite.All",
    "GroupMember.ReadWrite.All",
    "Directory.ReadWrite.All",
  ],
  /** §4.7: users. */
  userRead: [
    "User.Read.All",
    "User.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
  ],
  /** §5.2: userRegistrationDetails (v1.0 lists no higher permission). */
  reportRead: ["AuditLog.Read.All"],
  /** §5.2: beta also lists UserAuthenticationMethod.Read.All as higher. */
  reportReadBeta: ["AuditLog.Read.All", "UserAuthenticationMethod.Read.All"],
  /**
   * GET /roleManagement/directory/roleAssignments (rbacapplication-list-roleassignments, directory
   * provider, application permissions least privileged first).
   */
  roleAssignmentRead: [
    "RoleManagement.Read.Directory",
    "RoleManagement.Read.All",
    "Directory.Read.All",
    "RoleManagement.ReadWrite.Directory",
    "Directory.ReadWrite.All",
  ],
  /** §6.1: directoryAudits. */
  auditRead: ["AuditLog.Read.All", "Directory.Read.All"],
} as const;

export type PermissionSet = readonly string[];

/** The caller's roles with the Read permissions their ReadWrite permissions imply. */
function effectiveRoles(caller: CallerIdentity): Set<string> {
  const roles = new Set<string>();
  for (const role of caller.roles) {
    roles.add(role.toLowerCase());
    if (role.includes(".ReadWrite."))
      roles.add(role.replace(".ReadWrite.", ".Read.").toLowerCase());
  }
  return roles;
}

export function holdsAny(caller: CallerIdentity, accepted: PermissionSet): boolean {
  const roles = effectiveRoles(caller);
  return accepted.some((p) => roles.has(p.toLowerCase()));
}

export function reportPermissions(version: GraphVersion): PermissionSet {
  return version === "beta" ? PERMISSIONS.reportReadBeta : PERMISSIONS.reportRead;
}

/**
 * Whether the caller's token allows a call the permission table lists: all of the least-privileged
 * permissions ("A and B"), or any one of the higher-privileged ones; never where the page says "Not
 * supported" for the token's type. Only what the page names counts (no ReadWrite-implies-Read).
 */
export function tablePermits(caller: CallerIdentity, row: PermissionTableRow): boolean {
  const delegated = caller.scopes !== undefined;
  const requirement = delegated ? row.delegated : row.application;
  if (requirement.least === null) return false;
  const held = new Set(
    (delegated ? (caller.scopes ?? []) : caller.roles).map((p) => p.toLowerCase()),
  );
  if (requirement.least.every((p) => held.has(p.toLowerCase()))) return true;
  return requirement.higher.some((p) => held.has(p.toLowerCase()));
}
