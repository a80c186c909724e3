// The exact Microsoft Graph application permissions each command and each resource operation
// needs: one table, read by the permission table check of docs/real-tenant.md, by the least-privilege tests
// (an app holding exactly the set works; one permission less fails) and by the 403 hint, which
// names the broader permissions that also grant a refused call. Source: the permission tables of
// the Microsoft Graph API reference pages, as recorded (page, date read) in
// emulator/graph/permissionTable.ts, which the emulator enforces.

export const POLICY_READ = "Policy.Read.AuthenticationMethod";
export const POLICY_WRITE = "Policy.ReadWrite.AuthenticationMethod";
export const GROUP_MEMBER_READ = "GroupMember.Read.All";
export const GROUP_MEMBER_WRITE = "GroupMember.ReadWrite.All";
export const GROUP_WRITE = "Group.ReadWrite.All";
export const USER_READ = "User.Read.All";
export const AUDIT_READ = "AuditLog.Read.All";
export const ROLE_READ = "RoleManagement.Read.Directory";
/**
 * The audit log page names "AuditLog.Read.All and Directory.Read.All" (both); it is also the only
 * permission for GET /directoryObjects/{id} (a service principal named as an owner).
 */
export const DIRECTORY_READ = "Directory.Read.All";

export type Permission =
  | typeof POLICY_READ
  | typeof POLICY_WRITE
  | typeof GROUP_MEMBER_READ
  | typeof GROUP_MEMBER_WRITE
  | typeof GROUP_WRITE
  | typeof USER_READ
  | typeof AUDIT_READ
  | typeof ROLE_READ
  | typeof DIRECTORY_READ;

/**
 * For each least-privileged permission a call names, the broader permissions of this table that
 * Graph also accepts for it (the "higher privileged" column of each API page): a ReadWrite
 * permission grants the reads of its family, Group.ReadWrite.All grants member reads and writes.
 */
export const GRANTED_ALSO_BY: Readonly<Record<Permission, readonly Permission[]>> = {
  [POLICY_READ]: [POLICY_WRITE],
  [POLICY_WRITE]: [],
  [GROUP_MEMBER_READ]: [GROUP_MEMBER_WRITE, GROUP_WRITE, DIRECTORY_READ],
  [GROUP_MEMBER_WRITE]: [GROUP_WRITE],
  [GROUP_WRITE]: [],
  [USER_READ]: [DIRECTORY_READ],
  [AUDIT_READ]: [],
  [ROLE_READ]: [DIRECTORY_READ],
  [DIRECTORY_READ]: [],
};

/** Whether holding `held` lets a call that names `needed` through. */
export function grants(held: string, needed: string): boolean {
  if (held === needed) return true;
  const broader = GRANTED_ALSO_BY[needed as Permission] as readonly string[] | undefined;
  return broader !== undefined && broader.includes(held);
}

/**
 * The 403 hint's list: the permission a call needs, then what else of this table grants it. A call
 * that needs two together ("A and B", as the audit log) is named with both.
 */
export function describeNeededPermission(permission: string): string {
  if (permission.includes(" and ")) return `${permission} (the call needs both)`;
  const broader = GRANTED_ALSO_BY[permission as Permission] ?? [];
  if (broader.length === 0) return permission;
  return `${permission} (or ${broader.join(" or ")}, which include${broader.length === 1 ? "s" : ""} it)`;
}

export type ResourceName =
  "RegistrationCampaign" | "AuthenticatorPolicy" | "PasskeyPolicy" | "PilotGroup";
export type EngineOperation = "preview" | "refresh" | "up" | "destroy";
export type CommandName =
  "drift" | "preview-summary" | "impact" | "report" | "readiness" | "export";

export interface PermissionEntry {
  /** What the entry is about, as the permission table of docs/real-tenant.md names it. */
  feature: string;
  /** Every permission the command or operation cannot work without, least privileged. */
  required: readonly Permission[];
  /**
   * Permissions needed only in some cases, each with the case; without them the command fails
   * in that case (or, where `degrades` says so, works with less detail and warns).
   */
  conditional?: readonly {
    permission: Permission;
    when: string;
    degrades?: boolean;
    /** What happens without it, when it degrades (default: bare ids and a warning). */
    without?: string;
  }[];
  /** Said after the permissions in the table of docs/real-tenant.md. */
  note?: string;
}

/** Without a permission the method-loss check needs: the preview or up warns and goes on. */
const NOT_CHECKED = "a warning that who would lose the method was not checked";

/**
 * The method-loss check of AuthenticatorPolicy and PasskeyPolicy (check(), at preview and again
 * before create or update): the configuration in force, the registration report's holders of the
 * method and the targets' members (resources/providers/methodLoss.ts).
 */
const METHOD_LOSS_READS: NonNullable<PermissionEntry["conditional"]> = [
  {
    permission: AUDIT_READ,
    when: "the change may take the method from users: the registration report names who has it registered",
    degrades: true,
    without: NOT_CHECKED,
  },
];

const SINGLETON_OPERATIONS = (
  name: ResourceName,
  methodLoss = false,
): Record<EngineOperation, PermissionEntry> => ({
  // check and diff run on the inputs (the tenant id comes from the settings), except that check
  // looks up the targets a declaration adds, to refuse one that names no user or group, and the
  // method policies' check reads who would lose the method.
  preview: {
    feature: `${name} preview`,
    required: [],
    conditional: [
      ...(methodLoss
        ? ([
            {
              permission: POLICY_READ,
              when: "the declaration differs from the inputs last applied and could take the method from someone (anything but all users in mode any, nobody excluded): the configuration in force is read to tell who would lose it",
              degrades: true,
              without: NOT_CHECKED,
            },
            ...METHOD_LOSS_READS,
          ] satisfies PermissionEntry["conditional"])
        : []),
      {
        permission: USER_READ,
        when: "a user target is added: it is checked to exist",
        degrades: true,
        without: "a warning, unchecked",
      },
      {
        permission: GROUP_MEMBER_READ,
        when: methodLoss
          ? "a group target is added: it is checked to exist; and the targets' members tell who keeps the method"
          : "a group target is added: it is checked to exist",
        degrades: true,
        without: "a warning, unchecked",
      },
    ],
  },
  refresh: { feature: `${name} refresh`, required: [POLICY_READ] },
  // create and update read the settings first (adoption, the overwrite warning), then PATCH.
  // Before the PATCH, the targets' ids are looked up to check each is the user or group declared.
  up: {
    feature: `${name} up`,
    required: [POLICY_WRITE],
    conditional: [
      {
        permission: USER_READ,
        when: "a target is a user: it is checked to exist, as a user, before the write",
        degrades: true,
        without: "a warning, unchecked",
      },
      {
        permission: GROUP_MEMBER_READ,
        when: methodLoss
          ? "a target is a group: it is checked to exist, as a group, before the write; and its members tell who keeps the method"
          : "a target is a group: it is checked to exist, as a group, before the write",
        degrades: true,
        without: "a warning, unchecked",
      },
      ...(methodLoss ? METHOD_LOSS_READS : []),
    ],
  },
  // destroy PATCHes the original settings back.
  destroy: { feature: `${name} destroy`, required: [POLICY_WRITE] },
});

/** The engine operations of each resource. */
export const RESOURCE_PERMISSIONS: Readonly<
  Record<ResourceName, Record<EngineOperation, PermissionEntry>>
> = {
  RegistrationCampaign: SINGLETON_OPERATIONS("RegistrationCampaign"),
  AuthenticatorPolicy: SINGLETON_OPERATIONS("AuthenticatorPolicy", true),
  // The FIDO2 configuration is read and written with the same permissions as the other method
  // configurations (graph-contract-passkeys.md §4: Policy.Read/ReadWrite.AuthenticationMethod).
  PasskeyPolicy: SINGLETON_OPERATIONS("PasskeyPolicy", true),
  PilotGroup: {
    preview: { feature: "PilotGroup preview", required: [] },
    // GET /groups/{id}, its members and owners (§4.2, §4.6).
    refresh: { feature: "PilotGroup refresh", required: [GROUP_MEMBER_READ] },
    // The mailNickname look-up, POST /groups, PATCH, members and owners through $batch (§4.1–§4.5):
    // Group.ReadWrite.All grants each; UPNs are resolved through /users (§4.7).
    up: {
      feature: "PilotGroup up",
      required: [GROUP_WRITE],
      conditional: [
        {
          permission: USER_READ,
          when: "members or owners are named: each name, and each object id not yet in the group, is looked up",
        },
      ],
      note: `\`${DIRECTORY_READ}\` too when an owner is a service principal named by its object id (only a directory-object read tells what it is)`,
    },
    // DELETE /groups/{id} accepts Group.ReadWrite.All only (§4.3).
    destroy: { feature: "PilotGroup destroy", required: [GROUP_WRITE] },
  },
};

/** The `entra-nudge` commands. */
export const COMMAND_PERMISSIONS: Readonly<Record<CommandName, PermissionEntry>> = {
  drift: {
    feature: "entra-nudge drift",
    required: [],
    conditional: [
      { permission: POLICY_READ, when: "the stack declares a campaign or an Authenticator policy" },
      {
        permission: GROUP_MEMBER_READ,
        when: "it declares a PilotGroup, or a difference names a group",
      },
      { permission: USER_READ, when: "a difference names a user" },
    ],
  },
  "preview-summary": {
    feature: "entra-nudge preview-summary",
    required: [],
    note: "none with `--offline`",
    conditional: [
      { permission: POLICY_READ, when: "the preview adopts a campaign or Authenticator policy" },
      { permission: GROUP_MEMBER_READ, when: "a change names a group" },
      { permission: USER_READ, when: "a change names a user" },
    ],
  },
  // The policy, the named groups' users and the registration report (AuditLog.Read.All).
  impact: {
    feature: "entra-nudge impact",
    required: [POLICY_READ, GROUP_MEMBER_READ, AUDIT_READ],
  },
  // As impact, plus the audit log, which needs AuditLog.Read.All and Directory.Read.All together;
  // Directory.Read.All also reads the groups, so GroupMember.Read.All adds nothing here.
  report: {
    feature: "entra-nudge report",
    required: [POLICY_READ, AUDIT_READ, DIRECTORY_READ],
  },
  // The policy, Authenticator, Fido2, Sms and Voice configurations (passkeys §7: reading them needs
  // Policy.Read.AuthenticationMethod), the named groups' members, the registration report and the
  // audit log (as report). Beside those: who holds the Global Administrator role (GET
  // roleManagement/directory/roleAssignments) and every user's identities (GET /users): the two
  // populations dated 2027-07-01 (passkeys §7). Directory.Read.All, which the audit log needs,
  // also allows both (rbacapplication-list-roleassignments and user-list list it as higher
  // privileged), so neither RoleManagement.Read.Directory nor User.Read.All is listed.
  readiness: {
    feature: "entra-nudge readiness",
    required: [POLICY_READ, AUDIT_READ, DIRECTORY_READ],
  },
  export: {
    feature: "entra-nudge export",
    required: [POLICY_READ],
    conditional: [
      { permission: GROUP_MEMBER_READ, when: "a target is a group", degrades: true },
      { permission: USER_READ, when: "a target is a user", degrades: true },
    ],
  },
};

/** Every permission an entry can need: required first, then the conditional ones. */
export function allPermissions(entry: PermissionEntry): Permission[] {
  return [...new Set([...entry.required, ...(entry.conditional ?? []).map((c) => c.permission)])];
}

/** The rows of docs/real-tenant.md's table: feature, then the permissions (conditional ones with their case). */
export function permissionTableRows(): { feature: string; permissions: string }[] {
  const describe = (entry: PermissionEntry): string => {
    const parts = entry.required.map((p) => `\`${p}\``);
    for (const c of entry.conditional ?? []) {
      const without = c.degrades ? `; without it, ${c.without ?? "bare ids and a warning"}` : "";
      parts.push(`\`${c.permission}\` (when ${c.when}${without})`);
    }
    if (entry.note) parts.push(entry.note);
    return parts.length > 0 ? parts.join(", ") : "none (no Graph call)";
  };
  const rows: { feature: string; permissions: string }[] = [];
  for (const [resource, operations] of Object.entries(RESOURCE_PERMISSIONS)) {
    for (const [operation, entry] of Object.entries(operations)) {
      rows.push({ feature: `\`${resource}\` ${operation}`, permissions: describe(entry) });
    }
  }
  for (const [command, entry] of Object.entries(COMMAND_PERMISSIONS)) {
    rows.push({ feature: `\`entra-nudge ${command}\``, permissions: describe(entry) });
  }
  return rows;
}
