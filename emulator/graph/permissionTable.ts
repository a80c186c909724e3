// Microsoft's permission tables as data: for every Graph request the product sends (method, version,
// route), what the API's reference page says a caller needs, read from the page on the date given.
// The emulator enforces it per token (permissions.ts: an app token's roles against the Application
// row, a delegated token's scopes against the Delegated row); the tests check the product's
// declared permissions (provider/permissions.ts, docs/real-tenant.md) and every request the suites
// send against it (tests/security/permission-table.test.ts). Data only: no logic here.
import type { GraphVersion } from "../types";

/** One permission-type row of a page's table. */
export interface PermissionRequirement {
  /**
   * The "Least privileged permissions" cell: every permission listed is needed together (the page's
   * "A and B" form lists two). `null` is the page's "Not supported.": no permission of this type
   * allows the call.
   */
  least: readonly string[] | null;
  /** The "Higher privileged permissions" cell: each one alone also allows the call. */
  higher: readonly string[];
}

export interface PermissionTableRow {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  versions: readonly GraphVersion[];
  /**
   * The emulator's route (emulator/graph/index.ts): literal segments, `:name` parameters;
   * `:cast` is an OData cast segment (microsoft.graph.user).
   */
  route: string;
  /** A narrower form of the same route: the body holds exactly these properties. */
  bodyOnly?: readonly string[];
  delegated: PermissionRequirement;
  application: PermissionRequirement;
  /** The reference page. */
  page: string;
  /** Where the table was read: the docs source file, or the published page. */
  readFrom: string;
  /** The date it was read. */
  read: string;
  note?: string;
}

const READ = "2026-12-07";
const DOCS = "microsoftgraph/microsoft-graph-docs-contrib";
const LEARN = "https://learn.microsoft.com/graph/api";
const BOTH: readonly GraphVersion[] = ["v1.0", "beta"];
const V1: readonly GraphVersion[] = ["v1.0"];
const NONE: readonly string[] = [];

/** The same requirement for both permission types (most pages). */
function same(least: readonly string[], higher: readonly string[] = NONE) {
  const requirement: PermissionRequirement = { least, higher };
  return { delegated: requirement, application: requirement };
}

const CONFIGURATIONS = "policies/authenticationMethodsPolicy/authenticationMethodConfigurations";
const GROUP_READERS = [
  "Group.ReadWrite.All",
  "Directory.Read.All",
  "Directory.ReadWrite.All",
  "Group.Read.All",
];
const MEMBER_READERS = [
  "Directory.Read.All",
  "Group.Read.All",
  "Group.ReadWrite.All",
  "GroupMember.ReadWrite.All",
];

export const PERMISSION_TABLE: readonly PermissionTableRow[] = [
  {
    method: "GET",
    versions: BOTH,
    route: "policies/authenticationMethodsPolicy",
    ...same(
      ["Policy.Read.AuthenticationMethod"],
      ["Policy.ReadWrite.AuthenticationMethod", "Policy.Read.All"],
    ),
    page: `${LEARN}/authenticationmethodspolicy-get`,
    readFrom: `${DOCS} api-reference/v1.0/includes/permissions/authenticationmethodspolicy-get-permissions.md`,
    read: READ,
  },
  {
    method: "PATCH",
    versions: BOTH,
    route: "policies/authenticationMethodsPolicy",
    ...same(["Policy.ReadWrite.AuthenticationMethod"]),
    page: `${LEARN}/authenticationmethodspolicy-update`,
    readFrom: "graph-contract.md §1.2 (the page's include is not in the stored docs copy)",
    read: READ,
  },
  {
    method: "GET",
    versions: BOTH,
    route: `${CONFIGURATIONS}/:id`,
    ...same(["Policy.Read.AuthenticationMethod"], ["Policy.ReadWrite.AuthenticationMethod"]),
    page: `${LEARN}/fido2authenticationmethodconfiguration-get`,
    readFrom: "the published fido2 page (learn.microsoft.com)",
    read: READ,
    note: "The product reads the MicrosoftAuthenticator, Fido2, Sms and Voice configurations; each method's page lists the same permissions as the fido2 page read here.",
  },
  {
    method: "PATCH",
    versions: BOTH,
    route: `${CONFIGURATIONS}/:id`,
    ...same(["Policy.ReadWrite.AuthenticationMethod"]),
    page: `${LEARN}/microsoftauthenticatorauthenticationmethodconfiguration-update`,
    readFrom: "the published v1.0 and beta pages (learn.microsoft.com)",
    read: READ,
    note: "The product writes the MicrosoftAuthenticator and Fido2 configurations.",
  },
  {
    method: "POST",
    versions: V1,
    route: "groups",
    delegated: {
      least: ["Group.ReadWrite.All"],
      higher: ["Directory.ReadWrite.All", "Group-PreferredDataLocation.ReadWrite.All"],
    },
    application: {
      least: ["Group.Create"],
      higher: [
        "Directory.ReadWrite.All",
        "Group-PreferredDataLocation.ReadWrite.All",
        "Group.ReadWrite.All",
      ],
    },
    page: `${LEARN}/group-post-groups`,
    readFrom: `${DOCS} api-reference/v1.0/includes/permissions/group-post-groups-permissions.md`,
    read: READ,
  },
  {
    method: "GET",
    versions: V1,
    route: "groups",
    ...same(
      ["Group-NestingSupport.ReadWrite.All"],
      [
        "Directory.Read.All",
        "Directory.ReadWrite.All",
        "Group.ManageProtection.All",
        "Group.Read.All",
        "Group.ReadWrite.All",
        "GroupMember.Read.All",
      ],
    ),
    page: `${LEARN}/group-list`,
    readFrom: `${DOCS} api-reference/v1.0/includes/permissions/group-list-permissions.md`,
    read: READ,
  },
  {
    method: "GET",
    versions: BOTH,
    route: "groups/:id",
    ...same(["GroupMember.Read.All"], GROUP_READERS),
    page: `${LEARN}/group-get`,
    readFrom: `${DOCS} api-reference/v1.0/includes/permissions/group-get-permissions.md and the beta one`,
    read: READ,
    note: "The product reads a pilot group with its owners ($expand=owners) on beta: v1.0 does not list service principals among a group's owners.",
  },
  {
    // Example 2 of the add-members page: PATCH /groups/{id} with only members@odata.bind.
    method: "PATCH",
    versions: V1,
    route: "groups/:id",
    bodyOnly: ["members@odata.bind"],
    ...same(["GroupMember.ReadWrite.All"], ["Group.ReadWrite.All", "Directory.ReadWrite.All"]),
    page: `${LEARN}/group-post-members`,
    readFrom:
      "graph-contract.md §4.4 (current pages, user members); the stored copy of the page is older and lists GroupMember.ReadWrite.All and User.ReadWrite.All",
    read: READ,
  },
  {
    method: "PATCH",
    versions: V1,
    route: "groups/:id",
    ...same(
      ["Group-NestingSupport.ReadWrite.All"],
      [
        "Directory.ReadWrite.All",
        "Group-PreferredDataLocation.ReadWrite.All",
        "Group.ManageProtection.All",
        "Group.ReadWrite.All",
      ],
    ),
    page: `${LEARN}/group-update`,
    readFrom: `${DOCS} api-reference/v1.0/includes/permissions/group-update-permissions.md`,
    read: READ,
  },
  {
    method: "DELETE",
    versions: V1,
    route: "groups/:id",
    ...same(["Group.ReadWrite.All"]),
    page: `${LEARN}/group-delete`,
    readFrom: "graph-contract.md §4.3 (the page's include is not in the stored docs copy)",
    read: READ,
  },
  {
    method: "GET",
    versions: V1,
    route: "groups/:id/members",
    ...same(["GroupMember.Read.All"], MEMBER_READERS),
    page: `${LEARN}/group-list-members`,
    readFrom: `${DOCS} api-reference/v1.0/includes/permissions/group-list-members-permissions.md`,
    read: READ,
  },
  {
    method: "GET",
    versions: BOTH,
    route: "groups/:id/owners",
    ...same(["GroupMember.Read.All"], MEMBER_READERS),
    page: `${LEARN}/group-list-owners`,
    readFrom: `${DOCS} api-reference/v1.0/includes/permissions/group-list-owners-permissions.md; the published beta page (learn.microsoft.com, ?view=graph-rest-beta) lists the same`,
    read: READ,
    note: 'v1.0: "service principals are not listed as group owners due to the staged rollout of service principals to the Microsoft Graph v1.0 endpoint"; beta lists them, so the product lists owners there.',
  },
  {
    method: "GET",
    versions: V1,
    route: "groups/:id/transitiveMembers/:cast",
    ...same(
      ["GroupMember.ReadBasic.All"],
      [
        "Directory.Read.All",
        "Group.Read.All",
        "Group.ReadBasic.All",
        "Group.ReadWrite.All",
        "GroupMember.Read.All",
        "GroupMember.ReadWrite.All",
      ],
    ),
    page: `${LEARN}/group-list-transitivemembers`,
    readFrom: `${DOCS} api-reference/v1.0/includes/permissions/group-list-transitivemembers-permissions.md`,
    read: READ,
  },
  {
    method: "POST",
    versions: V1,
    route: "groups/:id/members/$ref",
    ...same(["GroupMember.ReadWrite.All"], ["Group.ReadWrite.All", "Directory.ReadWrite.All"]),
    page: `${LEARN}/group-post-members`,
    readFrom:
      "graph-contract.md §4.4 (current pages, user members); the stored copy of the page is older and lists GroupMember.ReadWrite.All and User.ReadWrite.All",
    read: READ,
  },
  {
    method: "DELETE",
    versions: V1,
    route: "groups/:id/members/:memberId/$ref",
    ...same(["GroupMember.ReadWrite.All"], ["Directory.ReadWrite.All", "Group.ReadWrite.All"]),
    page: `${LEARN}/group-delete-members`,
    readFrom: "the published page (learn.microsoft.com)",
    read: READ,
  },
  {
    method: "POST",
    versions: V1,
    route: "groups/:id/owners/$ref",
    delegated: {
      least: ["Group.ReadWrite.All"],
      higher: ["Directory.ReadWrite.All", "Directory.AccessAsUser.All"],
    },
    application: { least: ["Group.ReadWrite.All"], higher: ["Directory.ReadWrite.All"] },
    page: `${LEARN}/group-post-owners`,
    readFrom: `${DOCS} api-reference/v1.0/api/group-post-owners.md`,
    read: READ,
  },
  {
    method: "DELETE",
    versions: V1,
    route: "groups/:id/owners/:memberId/$ref",
    ...same(["Group.ReadWrite.All"], ["Directory.ReadWrite.All"]),
    page: `${LEARN}/group-delete-owners`,
    readFrom: "as the add-owners page (the remove-owners include is not in the stored docs copy)",
    read: READ,
  },
  {
    method: "GET",
    versions: V1,
    route: "users/:id",
    delegated: {
      least: ["User.ReadBasic.All"],
      higher: [
        "User.Read.All",
        "User.ReadWrite.All",
        "Directory.Read.All",
        "Directory.ReadWrite.All",
      ],
    },
    application: {
      least: ["User.Read.All"],
      higher: ["User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
    },
    page: `${LEARN}/user-get`,
    readFrom: "graph-contract.md §4.7 (the page's include is not in the stored docs copy)",
    read: READ,
  },
  {
    method: "GET",
    versions: V1,
    route: "users",
    delegated: {
      least: ["User.ReadBasic.All"],
      higher: [
        "User.Read.All",
        "User.ReadWrite.All",
        "Directory.Read.All",
        "Directory.ReadWrite.All",
      ],
    },
    application: {
      least: ["User.Read.All"],
      higher: ["User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
    },
    page: `${LEARN}/user-list`,
    readFrom: "graph-contract.md §4.7 (the page's include is not in the stored docs copy)",
    read: READ,
  },
  {
    method: "GET",
    versions: V1,
    route: "roleManagement/directory/roleAssignments",
    ...same(
      ["EntitlementManagement.Read.All"],
      [
        "EntitlementManagement.ReadWrite.All",
        "Directory.Read.All",
        "Directory.ReadWrite.All",
        "RoleManagement.Read.Directory",
        "RoleManagement.ReadWrite.Directory",
      ],
    ),
    page: `${LEARN}/rbacapplication-list-roleassignments`,
    readFrom: `${DOCS} api-reference/v1.0/includes/permissions/rbacapplication-list-roleassignments-permissions.md`,
    read: READ,
    note: "The delegated row also lists RoleManagement.Read.All and the Exchange role permissions as higher; the application row is recorded.",
  },
  {
    method: "GET",
    versions: V1,
    route: "directoryObjects/:id",
    ...same(["Directory.Read.All"]),
    page: `${LEARN}/directoryobject-get`,
    readFrom: `${DOCS} api-reference/v1.0/includes/permissions/directoryobject-get-permissions.md`,
    read: READ,
  },
  {
    method: "GET",
    versions: V1,
    route: "reports/authenticationMethods/userRegistrationDetails",
    ...same(["AuditLog.Read.All"], ["UserAuthenticationMethod.Read.All"]),
    page: `${LEARN}/authenticationmethodsroot-list-userregistrationdetails`,
    readFrom: `${DOCS} api-reference/v1.0/includes/permissions/authenticationmethodsroot-list-userregistrationdetails-permissions.md`,
    read: READ,
  },
  {
    method: "GET",
    versions: BOTH,
    route: "reports/authenticationMethods/usersRegisteredByMethod",
    delegated: { least: ["AuditLog.Read.All"], higher: NONE },
    application: { least: null, higher: NONE },
    page: `${LEARN}/authenticationmethodsroot-usersregisteredbymethod`,
    readFrom: "the published v1.0 and beta pages (learn.microsoft.com)",
    read: READ,
    note: "Application permissions: Not supported. An app token is refused.",
  },
  {
    method: "GET",
    versions: V1,
    route: "auditLogs/directoryAudits",
    ...same(["AuditLog.Read.All", "Directory.Read.All"]),
    page: `${LEARN}/directoryaudit-list`,
    readFrom: `${DOCS} api-reference/v1.0/includes/permissions/directoryaudit-list-permissions.md`,
    read: READ,
    note: '"AuditLog.Read.All and Directory.Read.All": both, for both permission types.',
  },
];

/** A row's name in logs and messages: "GET v1.0 groups/:id" (with the body form when narrowed). */
export function rowName(row: PermissionTableRow): string {
  const body = row.bodyOnly ? ` {${row.bodyOnly.join(", ")}}` : "";
  return `${row.method} ${row.versions.join("|")} /${row.route}${body}`;
}
