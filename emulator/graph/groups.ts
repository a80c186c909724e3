// Groups (§4.1–§4.6, §4.8): create, read, list, update, delete and restore security groups; add
// and remove members and owners by reference; list direct, transitive and owner links. New groups
// and link changes reach reads only after the replication delay (§4.8), while writes see them at
// once, as on the real directory.
import { randomUUID } from "node:crypto";
import type { GraphResponse } from "../types";
import { GraphHttpError } from "../errors";
import type { Context } from "./context";
import { requirePermission } from "./context";
import { directoryValue, writeAudit, type AuditTarget, type ModifiedProperty } from "./audits";
import {
  GROUP_FILTER,
  GROUP_PROPERTIES,
  MEMBER_FILTER,
  USER_PROPERTIES,
  countDirectory,
  groupItem,
  listDirectory,
  pinnedIds,
  renderGroup,
  renderHiddenUser,
  renderUser,
  userProperty,
  type DirectoryItem,
  type DirectoryListing,
} from "./directory";
import {
  accessDenied,
  badRequest,
  castNeedsAdvancedQuery,
  nestedExpandOptions,
  notFound,
  segmentNotFound,
  unknownBodyProperty,
} from "./failures";
import { advancedQuery, contextUrl, parseSelect, selectFragment } from "./odata/query";
import { PERMISSIONS, holdsAny } from "./permissions";
import type { GroupRecord, Relation } from "./state";
import { secondsTimestamp } from "./time";
import { securityIdentifierOf } from "./state";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Deleted groups stay restorable for 30 days (§4.3). */
const DELETED_RETENTION_MS = 30 * DAY_MS;
/** At most 20 member/owner references in one create or update (§4.1, §4.4). */
const MAX_BINDS = 20;

function groupType(g: GroupRecord): string {
  return g.groupTypes.includes("Unified") ? "unifiedGroups" : "azureAD";
}

function invalidGroupValue(property: string): GraphHttpError {
  // §4.1, §7.2: the directory's text for a bad nickname, used for every bad create value.
  return badRequest(`Invalid value specified for property '${property}' of resource 'Group'.`);
}

/** §4.1: ≤ 64 ASCII characters, none of the characters either documented list forbids. */
function validMailNickname(nickname: unknown): nickname is string {
  return (
    typeof nickname === "string" &&
    nickname.length > 0 &&
    nickname.length <= 64 &&
    /^[\x21-\x7e]+$/.test(nickname) &&
    !/[@()\\[\]";:.<>,/']/.test(nickname)
  );
}

/** The group reads see, or the directory's 404 (§4.2). */
function readableGroup(ctx: Context, id: string): GroupRecord {
  const g = ctx.state.readableGroup(id, ctx.now);
  if (!g) throw notFound(id);
  return g;
}

/** The group to write: reads must already see it (a just-created group 404s, §4.8). */
function writableGroup(ctx: Context, id: string): GroupRecord {
  readableGroup(ctx, id);
  return ctx.state.writableGroup(id) as GroupRecord;
}

function groupTarget(g: GroupRecord, modified: ModifiedProperty[] = []): AuditTarget {
  return {
    id: g.id,
    displayName: g.displayName,
    type: "Group",
    groupType: groupType(g),
    modifiedProperties: modified,
  };
}

function coreDirectoryAudit(
  ctx: Context,
  activity: string,
  operationType: string,
  targets: AuditTarget[],
  resultReason = "",
): void {
  writeAudit(ctx, {
    service: "Core Directory",
    category: "GroupManagement",
    activity,
    operationType,
    targets,
    resultReason,
  });
}

/** Core Directory names group properties in PascalCase and adds the list of what changed (§6.2). */
function propertyChanges(
  changes: { name: string; oldValue: unknown; newValue: unknown }[],
): ModifiedProperty[] {
  const pascal = (n: string) => n[0].toUpperCase() + n.slice(1);
  const out: ModifiedProperty[] = changes.map((c) => ({
    displayName: pascal(c.name),
    oldValue: directoryValue(c.oldValue),
    newValue: directoryValue(c.newValue),
  }));
  out.push({
    displayName: "Included Updated Properties",
    oldValue: null,
    newValue: JSON.stringify(changes.map((c) => pascal(c.name)).join(", ")),
  });
  return out;
}

function linkAudit(
  ctx: Context,
  g: GroupRecord,
  relation: Relation,
  objectId: string,
  adding: boolean,
): void {
  const user = ctx.state.users.get(objectId);
  const group = user ? undefined : ctx.state.groups.get(objectId);
  const value = (v: string) => JSON.stringify(v);
  const object: AuditTarget = {
    id: objectId,
    displayName: group ? group.displayName : null,
    type: user ? "User" : "Group",
    userPrincipalName: user?.userPrincipalName ?? null,
    groupType: group ? groupType(group) : null,
    modifiedProperties: [
      {
        displayName: "Group.ObjectID",
        oldValue: adding ? null : value(g.id),
        newValue: adding ? value(g.id) : null,
      },
      {
        displayName: "Group.DisplayName",
        oldValue: adding ? null : value(g.displayName),
        newValue: adding ? value(g.displayName) : null,
      },
    ],
  };
  const noun = relation === "members" ? "member" : "owner";
  coreDirectoryAudit(
    ctx,
    `${adding ? "Add" : "Remove"} ${noun} ${adding ? "to" : "from"} group`,
    adding ? "Assign" : "Unassign",
    [object, groupTarget(g)],
    adding && relation === "members" ? "Successfully added member to group" : "",
  );
}

// --- References (@odata.id / @odata.bind) -------------------------------------------------------

interface Reference {
  id: string;
  kind: "user" | "group" | "servicePrincipal";
}

function invalidReference(relation: string, annotation: string): GraphHttpError {
  // The directory's answer to a reference that is not a directory object URL (inferred wording).
  return badRequest(`Invalid URL format specified in ${annotation} for ${relation}.`);
}

/**
 * Resolves `https://host/v1.0/directoryObjects/{id}` (or users/, groups/, servicePrincipals/) to an
 * object reads see.
 */
function resolveReference(
  ctx: Context,
  value: unknown,
  relation: Relation,
  annotation: string,
): Reference {
  if (typeof value !== "string") throw invalidReference(relation, annotation);
  let path: string;
  try {
    path = new URL(value).pathname;
  } catch {
    throw invalidReference(relation, annotation);
  }
  const segments = path.split("/").filter(Boolean).map(decodeURIComponent);
  const at = segments.findIndex((s) =>
    ["directoryobjects", "users", "groups", "serviceprincipals"].includes(s.toLowerCase()),
  );
  if (at < 0 || at !== segments.length - 2) throw invalidReference(relation, annotation);
  const collection = segments[at].toLowerCase();
  const key = segments[at + 1];
  if (collection === "directoryobjects" || collection === "serviceprincipals") {
    const sp = ctx.state.seed.servicePrincipals.get(key.toLowerCase());
    if (sp) return { id: sp.id, kind: "servicePrincipal" };
    if (collection === "serviceprincipals") throw notFound(key);
  }
  if (collection !== "groups") {
    const user = collection === "users" ? ctx.state.userByKey(key) : ctx.state.users.get(key);
    if (user) return { id: user.id, kind: "user" };
  }
  if (collection !== "users" && ctx.state.readableGroup(key, ctx.now))
    return { id: key, kind: "group" };
  throw notFound(key); // §4.4
}

function alreadyLinked(relation: Relation): GraphHttpError {
  return badRequest(
    `One or more added object references already exist for the following modified properties: '${relation}'.`,
  ); // §4.4
}

function checkLinkable(g: GroupRecord, ref: Reference, relation: Relation): void {
  // "Add a user or service principal to a Microsoft 365 or security group's owners"
  // (learn.microsoft.com/graph/api/group-post-owners).
  if (relation === "owners" && ref.kind === "group")
    throw badRequest("Only users and service principals can be owners of a group."); // inferred wording
  if (ref.id === g.id) throw badRequest("A group cannot be a member of itself."); // inferred wording
}

/** Links objects to a group, visible to reads after the replication delay (§4.8). */
function link(ctx: Context, g: GroupRecord, relation: Relation, ids: string[]): void {
  const visibleAt = ctx.now + ctx.options.replicationDelayMs;
  for (const id of ids) {
    g[relation].set(id, visibleAt);
    g.departing.delete(`${relation}:${id}`);
  }
  ctx.state.touch(visibleAt);
}

// --- Listing ------------------------------------------------------------------------------------

function groupListing(ctx: Context): DirectoryListing {
  const { state } = ctx;
  return {
    context: "groups",
    typeName: "group",
    selectable: GROUP_PROPERTIES,
    rules: GROUP_FILTER,
    ids: state.groupIdsSorted,
    item: (id) => {
      const g = state.readableGroup(id, ctx.now);
      return g && groupItem(g);
    },
    lookup: (filter) =>
      pinnedIds(filter, {
        property: "mailNickname",
        lookup: (nickname) => state.groupsByNickname.get(nickname.toLowerCase()) ?? [],
      }),
  };
}

export function listGroups(ctx: Context): GraphResponse {
  requirePermission(ctx, PERMISSIONS.groupRead);
  return listDirectory(ctx, groupListing(ctx));
}

export function countGroups(ctx: Context): GraphResponse {
  requirePermission(ctx, PERMISSIONS.groupRead);
  return countDirectory(ctx, groupListing(ctx));
}

/**
 * A service principal as a directory-object read shows it. v1.0 lists none among a group's owners
 * or members: "Currently, service principals are not listed as group owners due to the staged
 * rollout of service principals to the Microsoft Graph v1.0 endpoint"
 * (learn.microsoft.com/graph/api/group-list-owners, read 2026-12-07; beta lists them).
 */
function servicePrincipalItem(ctx: Context, id: string): DirectoryItem | undefined {
  const sp = ctx.state.seed.servicePrincipals.get(id.toLowerCase());
  if (!sp) return undefined;
  const values: Record<string, unknown> = {
    id: sp.id,
    appId: sp.appId,
    displayName: sp.displayName,
    accountEnabled: true,
    servicePrincipalType: "Application",
  };
  const read = (name: string) => values[name] ?? null;
  return {
    id: sp.id,
    read,
    render: (select) => {
      const out: Record<string, unknown> = { "@odata.type": "#microsoft.graph.servicePrincipal" };
      // A selected property the type lacks (userPrincipalName) reads null in a listing.
      for (const name of select ?? Object.keys(values))
        if (name in values) out[name] = values[name];
      return out;
    },
  };
}

/** Whether a group's owners and members listings show service principals (not on v1.0). */
function listsServicePrincipals(ctx: Context): boolean {
  return ctx.req.version === "beta";
}

/** A linked object a group listing shows on this version: v1.0 hides service principals. */
function linkedItem(ctx: Context, id: string): DirectoryItem | undefined {
  const item = memberItem(ctx, id);
  if (item) return item;
  return listsServicePrincipals(ctx) ? servicePrincipalItem(ctx, id) : undefined;
}

/** A member as listings show it: typed, and hidden when the app cannot read users (§4.6). */
function memberItem(ctx: Context, id: string): DirectoryItem | undefined {
  const domain = ctx.state.seed.tenant.domain;
  const user = ctx.state.users.get(id);
  if (user) {
    const canRead = holdsAny(ctx.req.caller, PERMISSIONS.userRead);
    return {
      id,
      read: (name) => userProperty(user, name, domain),
      render: (select) =>
        canRead ? renderUser(user, select, domain, true) : renderHiddenUser(user, select),
    };
  }
  const g = ctx.state.readableGroup(id, ctx.now);
  return (
    g && {
      id,
      read: (name) => groupItem(g).read(name),
      render: (select) => renderGroup(g, select, true),
    }
  );
}

type LinkView = "members" | "owners" | "transitiveMembers";

function linkListing(
  ctx: Context,
  g: GroupRecord,
  view: LinkView,
  cast: string | undefined,
): DirectoryListing {
  const ids =
    view === "transitiveMembers"
      ? ctx.state.transitiveMemberIds(g, ctx.now)
      : ctx.state.linkedIds(g, view, ctx.now);
  const only = cast === undefined ? undefined : castKind(cast);
  const selectable =
    only === "user"
      ? USER_PROPERTIES
      : only === "group"
        ? GROUP_PROPERTIES
        : [...new Set([...USER_PROPERTIES, ...GROUP_PROPERTIES])];
  return {
    context: only === "user" ? "users" : only === "group" ? "groups" : "directoryObjects",
    typeName: only ?? "directoryObject",
    selectable,
    rules:
      only === "user"
        ? { ...MEMBER_FILTER, typeName: "user" }
        : only === "group"
          ? GROUP_FILTER
          : MEMBER_FILTER,
    ids,
    item: (id) => {
      if (only === "user" && !ctx.state.users.has(id)) return undefined;
      if (only === "group" && !ctx.state.readableGroup(id, ctx.now)) return undefined;
      return view === "transitiveMembers" ? memberItem(ctx, id) : linkedItem(ctx, id);
    },
  };
}

function castKind(cast: string): "user" | "group" {
  const lower = cast.toLowerCase();
  if (lower === "microsoft.graph.user") return "user";
  if (lower === "microsoft.graph.group") return "group";
  throw segmentNotFound(cast);
}

/** GET /groups/{id}/members | owners | transitiveMembers [/microsoft.graph.user|group] (§4.6). */
export function listLinks(ctx: Context, view: LinkView): GraphResponse {
  requirePermission(ctx, PERMISSIONS.memberRead);
  const g = readableGroup(ctx, ctx.params.id);
  if (view === "transitiveMembers" && ctx.params.cast !== undefined && !advancedQuery(ctx.req)) {
    throw castNeedsAdvancedQuery();
  }
  return listDirectory(ctx, linkListing(ctx, g, view, ctx.params.cast));
}

export function countLinks(ctx: Context, view: LinkView): GraphResponse {
  requirePermission(ctx, PERMISSIONS.memberRead);
  const g = readableGroup(ctx, ctx.params.id);
  return countDirectory(ctx, linkListing(ctx, g, view, ctx.params.cast));
}

// --- Single group -------------------------------------------------------------------------------

/**
 * $expand=members / owners on a single group: at most 20 linked objects, as the service limits
 * them, each with its default properties. Nested options ("owners($select=id)") are refused: known
 * issue 13635 (Errata 1).
 */
function expansions(ctx: Context, g: GroupRecord): Record<string, unknown> {
  const raw = ctx.req.query.get("$expand");
  if (raw === null) return {};
  const out: Record<string, unknown> = {};
  // Commas inside nested options do not separate expansions: "owners($select=id,displayName)".
  for (const part of raw.split(/,(?![^(]*\))/)) {
    const m = /^\s*(members|owners)(\(.*\))?\s*$/i.exec(part);
    if (!m)
      throw badRequest(
        `Could not find a property named '${part.trim()}' on type 'microsoft.graph.group'.`,
        "BadRequest",
      );
    if (m[2] !== undefined) throw nestedExpandOptions();
    const relation = m[1].toLowerCase() as Relation;
    requirePermission(ctx, PERMISSIONS.memberRead);
    out[relation] = ctx.state
      .linkedIds(g, relation, ctx.now)
      .map((id) => linkedItem(ctx, id)?.render(undefined))
      .filter((v) => v !== undefined)
      .slice(0, 20);
  }
  return out;
}

export function getGroup(ctx: Context): GraphResponse {
  requirePermission(ctx, PERMISSIONS.groupRead);
  const g = readableGroup(ctx, ctx.params.id);
  const select = parseSelect(ctx.req, GROUP_PROPERTIES, "group");
  return {
    status: 200,
    body: {
      "@odata.context": contextUrl(ctx.req, selectFragment("groups/$entity", select)),
      ...renderGroup(g, select),
      ...expansions(ctx, g),
    },
  };
}

// --- Create / update / delete -------------------------------------------------------------------

/** Properties the service manages; sending them on create or update is refused (inferred). */
const READ_ONLY_GROUP = new Set([
  "id",
  "deletedDateTime",
  "createdDateTime",
  "renewedDateTime",
  "securityIdentifier",
  "mail",
  "proxyAddresses",
  "onPremisesSyncEnabled",
  "onPremisesSecurityIdentifier",
  "onPremisesLastSyncDateTime",
  "expirationDateTime",
  "membershipRuleProcessingState",
]);
/** §4.1: these cannot be set on POST. */
const NOT_ON_CREATE = new Set([
  "allowExternalSenders",
  "autoSubscribeNewMembers",
  "hideFromAddressLists",
  "hideFromOutlookClients",
  "isSubscribedByMail",
  "unseenCount",
]);
const GROUP_PROPERTY_SET = new Set<string>(GROUP_PROPERTIES);
const BINDS = ["members@odata.bind", "owners@odata.bind"] as const;
const VISIBILITIES = ["Private", "Public", "HiddenMembership"];

function requireObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null)
    throw badRequest("Empty Payload. JSON content expected.", "BadRequest");
  if (typeof body !== "object" || Array.isArray(body))
    throw badRequest("The request body must be a JSON object.", "BadRequest");
  return body as Record<string, unknown>;
}

function checkGroupBodyNames(body: Record<string, unknown>, creating: boolean): void {
  for (const key of Object.keys(body)) {
    if ((BINDS as readonly string[]).includes(key) || key.startsWith("@")) continue;
    if (!GROUP_PROPERTY_SET.has(key)) throw unknownBodyProperty(key, "group");
    if (READ_ONLY_GROUP.has(key))
      throw badRequest(`Property '${key}' is read-only and cannot be set.`);
    if (creating && NOT_ON_CREATE.has(key))
      throw badRequest(
        `Property '${key}' cannot be set when the group is created; update the group instead.`,
      );
  }
}

/** Resolves the @odata.bind arrays: all must exist, or nothing is linked (§4.4). */
function resolveBinds(ctx: Context, body: Record<string, unknown>): Record<Relation, Reference[]> {
  const out: Record<Relation, Reference[]> = { members: [], owners: [] };
  let total = 0;
  for (const relation of ["members", "owners"] as const) {
    const raw = body[`${relation}@odata.bind`];
    if (raw === undefined) continue;
    if (!Array.isArray(raw)) throw invalidReference(relation, `${relation}@odata.bind`);
    total += raw.length;
    if (total > MAX_BINDS)
      throw badRequest(
        `The request adds ${total} references; at most ${MAX_BINDS} members and owners can be added in one request.`,
      ); // §4.1/§4.4 state the limit; the text is inferred
    out[relation] = raw.map((v) => resolveReference(ctx, v, relation, `${relation}@odata.bind`));
  }
  return out;
}

function validDisplayName(value: unknown): value is string {
  return typeof value === "string" && value.trim().length > 0 && value.length <= 256;
}

/** POST /groups → 201 with the default properties (§4.1). */
export function createGroup(ctx: Context): GraphResponse {
  requirePermission(ctx, PERMISSIONS.groupCreate);
  const body = requireObject(ctx.req.body);
  checkGroupBodyNames(body, true);
  const { displayName, mailNickname, mailEnabled, securityEnabled, description, visibility } = body;
  const groupTypes = body.groupTypes ?? [];
  if (!validDisplayName(displayName)) throw invalidGroupValue("displayName");
  if (!validMailNickname(mailNickname)) throw invalidGroupValue("mailNickname");
  if (typeof mailEnabled !== "boolean") throw invalidGroupValue("mailEnabled");
  if (typeof securityEnabled !== "boolean") throw invalidGroupValue("securityEnabled");
  if (!Array.isArray(groupTypes) || groupTypes.some((t) => t !== "Unified"))
    throw invalidGroupValue("groupTypes");
  const unified = groupTypes.includes("Unified");
  if (mailEnabled && !unified)
    throw badRequest(
      "The service does not currently support writes of mail-enabled groups. Please ensure that the mail-enablement property is unset or is set to false.",
    );
  if (unified && !mailEnabled) throw invalidGroupValue("mailEnabled");
  if (!unified && !securityEnabled) throw invalidGroupValue("securityEnabled");
  if (description !== undefined && description !== null && typeof description !== "string")
    throw invalidGroupValue("description");
  if (visibility !== undefined && visibility !== null && !VISIBILITIES.includes(String(visibility)))
    throw invalidGroupValue("visibility");
  if (
    body.isAssignableToRole === true &&
    !holdsAny(ctx.req.caller, ["RoleManagement.ReadWrite.Directory"])
  )
    throw accessDenied("Authorization_RequestDenied"); // §4.1
  // §4.1: only Microsoft 365 groups need a unique nickname.
  if (unified) {
    for (const id of ctx.state.groupsByNickname.get(mailNickname.toLowerCase()) ?? []) {
      if (ctx.state.groups.get(id)?.groupTypes.includes("Unified"))
        throw badRequest(
          "Another object with the same value for property mailNickname already exists.",
        );
    }
  }
  const binding =
    body["members@odata.bind"] !== undefined || body["owners@odata.bind"] !== undefined;
  // §4.1: with Group.Create alone, binding users also needs a permission to read them.
  if (
    binding &&
    !holdsAny(ctx.req.caller, ["Group.ReadWrite.All", "Directory.ReadWrite.All"]) &&
    !holdsAny(ctx.req.caller, ["User.Read.All", "Directory.Read.All"])
  )
    throw accessDenied("Authorization_RequestDenied");
  const binds = resolveBinds(ctx, body);
  const created = secondsTimestamp(ctx.now);
  const id = randomUUID();
  const domain = ctx.state.seed.tenant.domain;
  const g: GroupRecord = {
    id,
    displayName,
    description: typeof description === "string" ? description : null,
    mailNickname,
    mailEnabled,
    securityEnabled,
    groupTypes: unified ? ["Unified"] : [],
    // §4.1: the documented create response prints null when visibility was not sent.
    visibility: typeof visibility === "string" ? visibility : null,
    mail: unified ? `${mailNickname}@${domain}` : null,
    proxyAddresses: unified ? [`SMTP:${mailNickname}@${domain}`] : [],
    isAssignableToRole:
      typeof body.isAssignableToRole === "boolean" ? body.isAssignableToRole : null,
    createdDateTime: created,
    renewedDateTime: created,
    securityIdentifier: securityIdentifierOf(id),
    deletedDateTime: null,
    visibleFrom: ctx.now + ctx.options.replicationDelayMs,
    members: new Map(),
    owners: new Map(),
    departing: new Map(),
    epoch: 0,
  };
  ctx.state.addGroup(g);
  link(
    ctx,
    g,
    "members",
    binds.members.map((r) => r.id),
  );
  link(
    ctx,
    g,
    "owners",
    binds.owners.map((r) => r.id),
  );
  coreDirectoryAudit(ctx, "Add group", "Add", [
    groupTarget(
      g,
      propertyChanges(
        [
          ["displayName", g.displayName],
          ["mailNickname", g.mailNickname],
          ["mailEnabled", g.mailEnabled],
          ["securityEnabled", g.securityEnabled],
          ["description", g.description],
        ]
          .filter(([, v]) => v !== null)
          .map(([name, value]) => ({ name: String(name), oldValue: null, newValue: value })),
      ),
    ),
  ]);
  for (const r of binds.owners) linkAudit(ctx, g, "owners", r.id, true);
  for (const r of binds.members) linkAudit(ctx, g, "members", r.id, true);
  const location = `${ctx.req.baseUrl}/v2/${ctx.state.seed.tenant.tenantId}/directoryObjects/${id}/Microsoft.DirectoryServices.Group`;
  return {
    status: 201,
    headers: { Location: location },
    body: {
      "@odata.context": contextUrl(ctx.req, "groups/$entity"),
      "@odata.id": location,
      ...renderGroup(g, undefined),
    },
  };
}

/** PATCH /groups/{id} → 204 (§4.3); `members@odata.bind` adds up to 20 members (§4.4). */
export function updateGroup(ctx: Context): GraphResponse {
  // Adding members alone needs only a member permission (§4.4); the permission comes first.
  const sent = ctx.req.body;
  const onlyBinds =
    typeof sent === "object" &&
    sent !== null &&
    Object.keys(sent).every((k) => (BINDS as readonly string[]).includes(k) || k.startsWith("@"));
  requirePermission(ctx, onlyBinds ? PERMISSIONS.memberWrite : PERMISSIONS.groupUpdate);
  const body = requireObject(sent);
  const current = readableGroup(ctx, ctx.params.id);
  checkGroupBodyNames(body, false);
  const changes: { name: string; oldValue: unknown; newValue: unknown }[] = [];
  const updates: Partial<
    Pick<
      GroupRecord,
      "displayName" | "description" | "mailNickname" | "visibility" | "securityEnabled"
    >
  > = {};
  for (const [key, value] of Object.entries(body)) {
    if ((BINDS as readonly string[]).includes(key) || key.startsWith("@")) continue;
    switch (key) {
      case "displayName":
        if (!validDisplayName(value)) throw invalidGroupValue(key); // §4.1: can't be cleared
        updates.displayName = value;
        break;
      case "description":
        if (value !== null && typeof value !== "string") throw invalidGroupValue(key);
        updates.description = value === "" ? null : (value as string | null);
        break;
      case "mailNickname":
        if (!validMailNickname(value)) throw invalidGroupValue(key);
        updates.mailNickname = value;
        break;
      case "visibility":
        if (value !== null && !VISIBILITIES.includes(String(value))) throw invalidGroupValue(key);
        updates.visibility = value as string | null;
        break;
      case "securityEnabled":
        if (typeof value !== "boolean") throw invalidGroupValue(key);
        updates.securityEnabled = value;
        break;
      case "mailEnabled":
        if (value !== current.mailEnabled)
          throw badRequest(
            "The service does not currently support writes of mail-enabled groups. Please ensure that the mail-enablement property is unset or is set to false.",
          );
        break;
      default:
        // Other schema properties are accepted and ignored: this emulator does not model them.
        break;
    }
  }
  const binds = resolveBinds(ctx, body);
  for (const relation of ["members", "owners"] as const) {
    const ids = binds[relation].map((r) => r.id);
    for (const r of binds[relation]) checkLinkable(current, r, relation);
    if (new Set(ids).size !== ids.length || ids.some((id) => current[relation].has(id)))
      throw alreadyLinked(relation); // §4.4: nothing is added
  }
  const g = ctx.state.writableGroup(current.id) as GroupRecord;
  for (const [name, value] of Object.entries(updates) as [keyof typeof updates, unknown][]) {
    const before = g[name];
    if (before === value) continue;
    changes.push({ name, oldValue: before, newValue: value });
    if (name === "mailNickname") ctx.state.renameNickname(g, value as string);
    else (g as unknown as Record<string, unknown>)[name] = value;
  }
  if (changes.length) {
    ctx.state.touch(ctx.now);
    coreDirectoryAudit(ctx, "Update group", "Update", [groupTarget(g, propertyChanges(changes))]);
  }
  for (const relation of ["members", "owners"] as const) {
    link(
      ctx,
      g,
      relation,
      binds[relation].map((r) => r.id),
    );
    for (const r of binds[relation]) linkAudit(ctx, g, relation, r.id, true);
  }
  return { status: 204 };
}

/** DELETE /groups/{id} → 204; restorable for 30 days unless configured otherwise (§4.3, §10 item 11). */
export function deleteGroup(ctx: Context): GraphResponse {
  requirePermission(ctx, PERMISSIONS.groupDelete);
  const g = writableGroup(ctx, ctx.params.id);
  coreDirectoryAudit(ctx, "Delete group", "Delete", [groupTarget(g)]);
  if (ctx.options.deletedGroupsRestorable) {
    g.deletedDateTime = secondsTimestamp(ctx.now);
    ctx.state.touch(ctx.now);
  } else {
    ctx.state.purgeGroup(g.id);
  }
  return { status: 204 };
}

// --- Links by reference -------------------------------------------------------------------------

/** POST /groups/{id}/members/$ref or /owners/$ref with `@odata.id` → 204 (§4.4). */
export function addLink(ctx: Context, relation: Relation): GraphResponse {
  requirePermission(ctx, PERMISSIONS.memberWrite);
  const current = readableGroup(ctx, ctx.params.id);
  const body = requireObject(ctx.req.body);
  const ref = resolveReference(ctx, body["@odata.id"], relation, "@odata.id");
  checkLinkable(current, ref, relation);
  if (current[relation].has(ref.id)) throw alreadyLinked(relation);
  const g = ctx.state.writableGroup(current.id) as GroupRecord;
  link(ctx, g, relation, [ref.id]);
  linkAudit(ctx, g, relation, ref.id, true);
  return { status: 204 };
}

/**
 * DELETE /groups/{id}/members/{memberId}/$ref (or /members/$ref?$id=URL) → 204 (§4.5). A
 * non-member answers 404 or 400 by configuration (§10 item 13); the last owner stays (§4.5).
 */
export function removeLink(ctx: Context, relation: Relation): GraphResponse {
  requirePermission(ctx, PERMISSIONS.memberWrite);
  const current = readableGroup(ctx, ctx.params.id);
  let memberId = ctx.params.memberId;
  if (memberId === undefined) {
    const url = ctx.req.query.get("$id");
    if (url === null) throw invalidReference(relation, "$id");
    memberId = resolveReference(ctx, url, relation, "$id").id;
  }
  if (!current[relation].has(memberId)) {
    if (ctx.options.nonMemberRemovalStatus === 400)
      throw badRequest(
        `One or more removed object references do not exist for the following modified properties: '${relation}'.`,
      );
    throw notFound(memberId);
  }
  if (relation === "owners" && current.owners.size === 1)
    throw badRequest("The group must have at least one owner, hence this owner cannot be removed.");
  const g = ctx.state.writableGroup(current.id) as GroupRecord;
  g[relation].delete(memberId);
  const delay = ctx.options.replicationDelayMs;
  if (delay > 0) g.departing.set(`${relation}:${memberId}`, ctx.now + delay);
  ctx.state.touch(ctx.now + delay);
  linkAudit(ctx, g, relation, memberId, false);
  return { status: 204 };
}

// --- Deleted items (§4.3) -----------------------------------------------------------------------

/** Deleted groups still restorable; older ones are purged as they are found. */
function deletedGroups(ctx: Context): GroupRecord[] {
  const out: GroupRecord[] = [];
  for (const g of [...ctx.state.groups.values()]) {
    if (g.deletedDateTime === null) continue;
    if (ctx.now - Date.parse(g.deletedDateTime) > DELETED_RETENTION_MS) ctx.state.purgeGroup(g.id);
    else out.push(g);
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : 1));
}

function deletedGroup(ctx: Context, id: string): GroupRecord {
  const g = deletedGroups(ctx).find((d) => d.id === id);
  if (!g) throw notFound(id);
  return g;
}

export function listDeletedItems(ctx: Context): GraphResponse {
  requirePermission(ctx, PERMISSIONS.deletedGroupRead);
  const kind = castKind(ctx.params.cast);
  const groups = kind === "group" ? deletedGroups(ctx) : [];
  const byId = new Map(groups.map((g) => [g.id, g]));
  return listDirectory(ctx, {
    context: `directory/deletedItems/microsoft.graph.${kind}`,
    typeName: kind,
    selectable: kind === "group" ? GROUP_PROPERTIES : USER_PROPERTIES,
    rules: kind === "group" ? GROUP_FILTER : MEMBER_FILTER,
    ids: groups.map((g) => g.id),
    item: (id) => {
      const g = byId.get(id);
      return (
        g && { id, read: (n) => groupItem(g).read(n), render: (select) => renderGroup(g, select) }
      );
    },
  });
}

export function getDeletedItem(ctx: Context): GraphResponse {
  requirePermission(ctx, PERMISSIONS.deletedGroupRead);
  const g = deletedGroup(ctx, ctx.params.id);
  const select = parseSelect(ctx.req, GROUP_PROPERTIES, "group");
  return {
    status: 200,
    body: {
      "@odata.context": contextUrl(ctx.req, "directory/deletedItems/$entity"),
      ...renderGroup(g, select, true),
    },
  };
}

/** POST /directory/deletedItems/{id}/restore → 200 with the restored object (§4.3). */
export function restoreDeletedItem(ctx: Context): GraphResponse {
  requirePermission(ctx, PERMISSIONS.groupDelete);
  const found = deletedGroup(ctx, ctx.params.id);
  const g = ctx.state.writableGroup(found.id) as GroupRecord;
  g.deletedDateTime = null;
  ctx.state.touch(ctx.now);
  coreDirectoryAudit(ctx, "Restore group", "Update", [groupTarget(g)]);
  return {
    status: 200,
    body: {
      "@odata.context": contextUrl(ctx.req, "directoryObjects/$entity"),
      ...renderGroup(g, undefined, true),
    },
  };
}

/** DELETE /directory/deletedItems/{id} → 204, gone for good (§4.3). */
export function purgeDeletedItem(ctx: Context): GraphResponse {
  requirePermission(ctx, PERMISSIONS.groupDelete);
  const g = deletedGroup(ctx, ctx.params.id);
  coreDirectoryAudit(ctx, "Hard Delete group", "Delete", [groupTarget(g)]);
  ctx.state.purgeGroup(g.id);
  return { status: 204 };
}

/**
 * GET /directoryObjects/{id}: the user, group or service principal, typed (the object @odata.id
 * references name).
 */
export function getDirectoryObject(ctx: Context): GraphResponse {
  const user = ctx.state.users.get(ctx.params.id);
  requirePermission(ctx, user ? PERMISSIONS.userRead : PERMISSIONS.groupRead);
  const item = memberItem(ctx, ctx.params.id) ?? servicePrincipalItem(ctx, ctx.params.id);
  if (!item) throw notFound(ctx.params.id);
  return {
    status: 200,
    body: {
      "@odata.context": contextUrl(ctx.req, "directoryObjects/$entity"),
      ...item.render(undefined),
    },
  };
}
