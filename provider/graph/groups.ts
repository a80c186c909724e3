// Typed calls for security groups and their members and owners (graph-contract.md §4).
import type { DirectoryObject, Group } from "@microsoft/microsoft-graph-types";
import { checkDirectoryObjectAnswer, unreadable } from "./answers";
import type { BatchOutcome, GraphCall, GraphClient } from "./client";
import { GraphRequestError } from "./errors";
import { keySegment, stringLiteral } from "./odata";

// §4.1–§4.6: least-privileged application permissions.
// GET and list of groups accept GroupMember.Read.All, the least-privileged read (§4.2).
export const GROUP_READ = "GroupMember.Read.All";
export const GROUP_WRITE = "Group.ReadWrite.All";
export const MEMBER_READ = "GroupMember.Read.All";
export const MEMBER_WRITE = "GroupMember.ReadWrite.All";

/**
 * Relationships one request may bind at most: a POST /groups (members and owners together, §4.1)
 * and a PATCH /groups/{id} with `members@odata.bind` ("up to 20 members", §4.4, group-post-members).
 */
export const CREATE_BIND_LIMIT = 20;

export type Relationship = "members" | "owners";

export const GROUP_FIELDS =
  "id,displayName,description,mailNickname,mailEnabled,securityEnabled,groupTypes";

export function directoryObjectUrl(graphEndpoint: string, id: string): string {
  return `${graphEndpoint}/v1.0/directoryObjects/${keySegment(id)}`;
}

export interface NewSecurityGroup {
  displayName: string;
  mailNickname: string;
  description?: string;
  /** Object ids bound at creation; members and owners together at most CREATE_BIND_LIMIT. */
  memberIds?: string[];
  ownerIds?: string[];
}

/** POST /groups for an assigned security group. Not idempotent: never retried blindly. */
export function createSecurityGroup(graph: GraphClient, group: NewSecurityGroup): Promise<Group> {
  const endpoint = graph.settings.graphEndpoint;
  const body: Record<string, unknown> = {
    displayName: group.displayName,
    mailNickname: group.mailNickname,
    mailEnabled: false,
    securityEnabled: true,
    groupTypes: [],
  };
  if (group.description) body.description = group.description;
  if (group.memberIds?.length)
    body["members@odata.bind"] = group.memberIds.map((id) => directoryObjectUrl(endpoint, id));
  if (group.ownerIds?.length)
    body["owners@odata.bind"] = group.ownerIds.map((id) => directoryObjectUrl(endpoint, id));
  return graph.request<Group>({
    operation: `create the security group "${group.displayName}"`,
    method: "POST",
    path: "/groups",
    body,
    permission: GROUP_WRITE,
  });
}

export async function getGroup(graph: GraphClient, id: string): Promise<Group> {
  const group = await graph.request<Group>({
    operation: `read the group ${id}`,
    method: "GET",
    path: `/groups/${keySegment(id)}`,
    query: { $select: GROUP_FIELDS },
    permission: GROUP_READ,
    target: `the group ${id}`,
  });
  checkDirectoryObjectAnswer(group, `read the group ${id}`, `GET /v1.0/groups/${id}`);
  return group;
}

/**
 * Owners a group read expands inline: `$expand` on a directory object's relationships "returns a
 * maximum of 20 objects" (known issue 13635, developer.microsoft.com/graph/known-issues/?search=13635),
 * so a full expansion proves the list complete only below this count.
 */
export const EXPANDED_OWNERS_LIMIT = 20;

/**
 * Where a group's owners are read: beta. v1.0 leaves service principals out ("Currently, service
 * principals are not listed as group owners due to the staged rollout of service principals to the
 * Microsoft Graph v1.0 endpoint", learn.microsoft.com/graph/api/group-list-owners, read
 * 2026-12-07), so an app owning a pilot group, declared or added by hand, would be invisible there:
 * declared, it would show as missing on every refresh; undeclared, it would never show as drift;
 * removed from the declaration, it would stay an owner. The beta page lists directory objects.
 */
export const OWNERS_VERSION = "beta";

/**
 * The group with its owners in one read: a refresh then needs no owners listing. The expansion is
 * plain `$expand=owners`, each owner with its default properties (a user's include
 * userPrincipalName): the same known issue 13635 says there is "no support for nesting other query
 * parameters such as $filter and $select inside an $expand query", and `owners($select=...)` was
 * seen answering 400 "Invalid $select properties." (graph-contract.md Errata 1). `owners` is
 * undefined when the expansion may have been cut (EXPANDED_OWNERS_LIMIT or more): list them with
 * listRelationship.
 */
export async function getGroupWithOwners(
  graph: GraphClient,
  id: string,
): Promise<{ group: Group; owners?: RelationshipMember[] }> {
  const operation = `read the group ${id}`;
  const group = await graph.request<Group & { owners?: unknown }>({
    operation,
    method: "GET",
    path: `/groups/${keySegment(id)}`,
    version: OWNERS_VERSION,
    query: { $select: GROUP_FIELDS, $expand: "owners" },
    permission: MEMBER_READ,
    target: `the group ${id}`,
  });
  checkDirectoryObjectAnswer(group, operation, `GET /${OWNERS_VERSION}/groups/${id}`);
  const expanded = group.owners;
  delete group.owners;
  if (!Array.isArray(expanded) || expanded.length >= EXPANDED_OWNERS_LIMIT) return { group };
  for (const item of expanded) {
    checkDirectoryObjectAnswer(
      item,
      operation,
      `GET /${OWNERS_VERSION}/groups/${id}?$expand=owners`,
      ["userPrincipalName"],
    );
  }
  const owners = (expanded as (DirectoryObject & { userPrincipalName?: string | null })[]).map(
    (o) => ({
      id: (o.id as string).toLowerCase(),
      ...(o.userPrincipalName ? { userPrincipalName: o.userPrincipalName } : {}),
    }),
  );
  return { group, owners };
}

/** Groups whose mailNickname equals the given one (not unique for security groups, §4.1). */
export function findGroupsByMailNickname(
  graph: GraphClient,
  mailNickname: string,
): Promise<Group[]> {
  return graph.all<Group>({
    operation: `look up groups with mailNickname "${mailNickname}"`,
    method: "GET",
    path: "/groups",
    query: { $filter: `mailNickname eq ${stringLiteral(mailNickname)}`, $select: GROUP_FIELDS },
    permission: GROUP_READ,
  });
}

export async function updateGroup(
  graph: GraphClient,
  id: string,
  changes: Pick<Group, "displayName" | "description" | "mailNickname">,
): Promise<void> {
  await graph.request<void>({
    operation: `update the group ${id}`,
    method: "PATCH",
    path: `/groups/${keySegment(id)}`,
    body: changes,
    permission: GROUP_WRITE,
    target: `the group ${id}`,
  });
}

/** DELETE /groups/{id}: the group goes to deleted items, restorable for 30 days (§4.3). */
export async function deleteGroup(graph: GraphClient, id: string): Promise<void> {
  await graph.request<void>({
    operation: `delete the group ${id}`,
    method: "DELETE",
    path: `/groups/${keySegment(id)}`,
    permission: GROUP_WRITE,
    target: `the group ${id}`,
  });
}

/** A member or owner: its object id, and its UPN when it is a user. */
export interface RelationshipMember {
  id: string;
  userPrincipalName?: string;
}

/**
 * A group's direct members or owners, every page at the maximum page size (§4.6). Owners are
 * listed on beta (OWNERS_VERSION), where service principals are listed too.
 */
export async function listRelationship(
  graph: GraphClient,
  groupId: string,
  relationship: Relationship,
): Promise<RelationshipMember[]> {
  const operation = `list the ${relationship} of the group ${groupId}`;
  const version = relationship === "owners" ? OWNERS_VERSION : "v1.0";
  const items = await graph.all<DirectoryObject & { userPrincipalName?: string | null }>({
    operation,
    method: "GET",
    version,
    path: `/groups/${keySegment(groupId)}/${relationship}`,
    query: { $select: "id,userPrincipalName", $top: 999 },
    permission: MEMBER_READ,
    target: `the group ${groupId}`,
  });
  for (const item of items) {
    checkDirectoryObjectAnswer(
      item,
      operation,
      `GET /${version}/groups/${groupId}/${relationship}`,
      ["userPrincipalName"],
    );
  }
  return items.map((o) => ({
    id: (o.id as string).toLowerCase(),
    ...(o.userPrincipalName ? { userPrincipalName: o.userPrincipalName } : {}),
  }));
}

// §4.4 and §4.5: adding an existing member and removing an absent one are answered with these
// errors; the wanted end state holds, so they count as success.
const ALREADY_THERE = /added object references already exist/i;
const ALREADY_GONE = /removed object references do not exist/i;
// group-post-members (beta page, 2026): right after a group's creation, an addition may answer 400
// "The source resource object or one of the objects being referenced do not exist." (replication).
const NOT_REPLICATED = /referenced do not exist/i;
// §4.4: "Resource '{id}' does not exist or one of its queried reference-property objects are not
// present." names the missing object (the group's own id when the group is the one missing).
const MISSING_OBJECT = /Resource '([^']+)' does not exist/i;

type Failure = Extract<BatchOutcome, { ok: false }>;

function settled(outcome: BatchOutcome, change: "add" | "remove"): boolean {
  if (outcome.ok) return true;
  const e = outcome.error;
  if (change === "add") return e.status === 400 && ALREADY_THERE.test(e.graphMessage ?? "");
  return e.status === 404 || (e.status === 400 && ALREADY_GONE.test(e.graphMessage ?? ""));
}

function refCall(
  endpoint: string,
  groupId: string,
  relationship: Relationship,
  change: "add" | "remove",
  id: string,
): GraphCall {
  return change === "add"
    ? {
        operation: `add ${id} to the ${relationship} of the group ${groupId}`,
        method: "POST",
        path: `/groups/${keySegment(groupId)}/${relationship}/$ref`,
        body: { "@odata.id": directoryObjectUrl(endpoint, id) },
        permission: MEMBER_WRITE,
        target: `the group ${groupId} or the object ${id}`,
        idempotent: true,
      }
    : {
        operation: `remove ${id} from the ${relationship} of the group ${groupId}`,
        method: "DELETE",
        path: `/groups/${keySegment(groupId)}/${relationship}/${keySegment(id)}/$ref`,
        permission: MEMBER_WRITE,
        target: `the group ${groupId}`,
      };
}

/**
 * Adds members 20 per `PATCH /groups/{id}` with `members@odata.bind` (§4.4: up to 20 per request;
 * Graph counts and throttles each PATCH as one write, §7.3), one PATCH after the other: Microsoft
 * documents the bulk bind as one request (group-post-members, example 2) and says nothing of
 * several concurrent writes to one group's members, so they are never sent in parallel (as
 * several steps of one `$batch` would be). A PATCH is all-or-nothing: one member already there or missing fails it and adds no one (§4.4). Such a
 * failure is resolved without a second write of any member that was added:
 * - a 404 that names one of the PATCH's objects: that member's outcome is this 404, the others go
 *   out again in a smaller PATCH (one write per missing object);
 * - a 404 that names the group: the group is missing (or not yet replicated, §4.8), for all;
 * - otherwise ("already exist" names no one, or a replication 400): the PATCH's members are added
 *   one `$ref` each (one $batch), whose per-member answers are exact.
 * Returns each id's outcome (ids in the order given).
 */
async function addMembersInBulk(
  graph: GraphClient,
  groupId: string,
  objectIds: string[],
): Promise<Map<string, BatchOutcome>> {
  const endpoint = graph.settings.graphEndpoint;
  const outcomes = new Map<string, BatchOutcome>();
  const oneByOne: string[] = [];
  const pending: string[][] = [];
  for (let i = 0; i < objectIds.length; i += CREATE_BIND_LIMIT)
    pending.push(objectIds.slice(i, i + CREATE_BIND_LIMIT));
  while (pending.length > 0) {
    const chunk = pending.shift() as string[];
    const [answer] = await graph.batch([
      {
        operation: `add ${chunk.length} members to the group ${groupId}`,
        method: "PATCH",
        path: `/groups/${keySegment(groupId)}`,
        body: { "members@odata.bind": chunk.map((id) => directoryObjectUrl(endpoint, id)) },
        permission: MEMBER_WRITE,
        target: `the group ${groupId} or one of the objects ${chunk.join(", ")}`,
      },
    ]);
    if (answer.ok) {
      for (const id of chunk) outcomes.set(id, answer);
      continue;
    }
    const e = answer.error;
    const named = e.status === 404 ? MISSING_OBJECT.exec(e.graphMessage ?? "")?.[1] : undefined;
    const missing = named && chunk.find((id) => id.toLowerCase() === named.toLowerCase());
    if (missing) {
      outcomes.set(missing, answer);
      const rest = chunk.filter((id) => id !== missing);
      if (rest.length > 0) pending.push(rest);
    } else if (
      (e.status === 404 && named?.toLowerCase() !== groupId.toLowerCase()) ||
      (e.status === 400 &&
        (ALREADY_THERE.test(e.graphMessage ?? "") || NOT_REPLICATED.test(e.graphMessage ?? "")))
    ) {
      oneByOne.push(...chunk);
    } else {
      // The group is missing, or the PATCH was refused as a whole (403, throttled to the end):
      // no member was added, and each one's outcome, like that of every PATCH still to send for
      // this group, is this answer.
      for (const id of [...chunk, ...pending.flat()]) outcomes.set(id, answer);
      pending.length = 0;
    }
  }
  if (oneByOne.length > 0) {
    const answers = await graph.batch(
      oneByOne.map((id) => refCall(endpoint, groupId, "members", "add", id)),
    );
    answers.forEach((answer, i) => outcomes.set(oneByOne[i], answer));
  }
  return outcomes;
}

/**
 * Adds or removes members or owners: members are added 20 per request (addMembersInBulk); owners
 * are added, and members and owners removed, one `$ref` each through $batch (Graph has no bulk
 * removal, §4.5, and documents the bulk bind for members only, §4.4). Throws one GraphRequestError
 * naming the objects whose change failed, after all others were applied.
 */
export async function changeRelationship(
  graph: GraphClient,
  groupId: string,
  relationship: Relationship,
  change: "add" | "remove",
  objectIds: string[],
): Promise<void> {
  const ids = [...new Set(objectIds)];
  if (ids.length === 0) return;
  const endpoint = graph.settings.graphEndpoint;
  let outcomes: BatchOutcome[];
  if (change === "add" && relationship === "members") {
    const byId = await addMembersInBulk(graph, groupId, ids);
    outcomes = ids.map((id) => byId.get(id) as BatchOutcome);
  } else {
    outcomes = await graph.batch(
      ids.map((id) => refCall(endpoint, groupId, relationship, change, id)),
    );
  }
  const failures = outcomes
    .map((o, i) => ({ o, id: ids[i] }))
    .filter(({ o }) => !settled(o, change));
  if (failures.length === 0) return;
  const first = failures[0].o as Failure;
  if (failures.length === 1) throw first.error;
  throw new GraphRequestError({
    kind: first.error.kind,
    operation: `${change} ${failures.length} of ${ids.length} ${relationship} of the group ${groupId} (${failures.map((f) => f.id).join(", ")})`,
    status: first.error.status,
    code: first.error.code,
    graphMessage: first.error.graphMessage,
    requestId: first.error.requestId,
    hint: first.error.hint,
  });
}

/** The header that, with `$count=true`, makes a directory query an advanced query (§4.6). */
const ADVANCED_QUERY = { ConsistencyLevel: "eventual" };

/** A group the configuration names: its display name and its users, nested groups expanded. */
export interface GroupUsers {
  id: string;
  displayName?: string;
  /** Lower-case object ids of the users in the group, transitively. */
  userIds: Set<string>;
}

/**
 * The users of each group, nested groups expanded (GET /groups/{id}/transitiveMembers cast to
 * users, §4.6, as an advanced query), in the fewest calls: every group's name and first page go out together in JSON
 * batches (20 requests each), then only the groups with more than 999 users page on. A group that
 * does not exist (deleted, or a stale id in a policy) maps to undefined. `onPage` counts pages.
 */
export async function transitiveUsersOfGroups(
  graph: GraphClient,
  groupIds: readonly string[],
  onPage: (users: number) => void = () => undefined,
): Promise<Map<string, GroupUsers | undefined>> {
  const ids = [...new Set(groupIds.map((id) => id.toLowerCase()))];
  const calls: GraphCall[] = ids.flatMap((id): GraphCall[] => [
    {
      operation: `read the group ${id}`,
      method: "GET",
      path: `/groups/${keySegment(id)}`,
      query: { $select: "id,displayName" },
      permission: GROUP_READ,
      target: `the group ${id}`,
    },
    {
      operation: `list the users in the group ${id}, nested groups included`,
      method: "GET",
      path: `/groups/${keySegment(id)}/transitiveMembers/microsoft.graph.user`,
      // The OData cast on transitive members is an advanced query (group-list-transitivemembers.md,
      // aad-advanced-queries.md; graph-contract.md Errata 2): the header on each batch step.
      query: { $select: "id", $top: 999, $count: "true" },
      headers: ADVANCED_QUERY,
      permission: MEMBER_READ,
      target: `the group ${id}`,
    },
  ]);
  const outcomes = await graph.batch<{
    displayName?: string | null;
    value?: { id?: string | null }[];
    "@odata.nextLink"?: string;
  }>(calls);
  const result = new Map<string, GroupUsers | undefined>();
  const more: { group: GroupUsers; next: string; call: GraphCall }[] = [];
  ids.forEach((id, i) => {
    const [group, members] = [outcomes[2 * i], outcomes[2 * i + 1]];
    if (!group.ok || !members.ok) {
      const failed = (group.ok ? members : group) as Extract<BatchOutcome, { ok: false }>;
      if (failed.error.kind === "notFound") {
        result.set(id, undefined);
        return;
      }
      throw failed.error;
    }
    checkDirectoryObjectAnswer(group.body, calls[2 * i].operation, `GET /v1.0/groups/${id}`, [
      "displayName",
    ]);
    const page = members.body?.value;
    if (!Array.isArray(page)) {
      throw unreadable(calls[2 * i + 1].operation, `GET /v1.0/groups/${id}/transitiveMembers`, [
        "value is not a list",
      ]);
    }
    const found: GroupUsers = {
      id,
      ...(group.body.displayName ? { displayName: group.body.displayName } : {}),
      userIds: new Set(),
    };
    for (const user of page) {
      if (typeof user?.id === "string") found.userIds.add(user.id.toLowerCase());
    }
    onPage(page.length);
    result.set(id, found);
    const next = members.body["@odata.nextLink"];
    if (typeof next === "string") more.push({ group: found, next, call: calls[2 * i + 1] });
  });
  for (const { group, next, call } of more) {
    for await (const page of graph.pages<{ id?: string | null }>({ ...call, path: next })) {
      for (const user of page) {
        if (typeof user?.id === "string") group.userIds.add(user.id.toLowerCase());
      }
      onPage(page.length);
    }
  }
  return result;
}

/**
 * Looks up groups by object id in JSON batches (20 requests each, §7.1), as getUsers does for
 * users. Returns a map from each id as given to the group; ids that do not exist (a deleted group a
 * policy still names) are absent from the map. Other failures throw.
 */
export async function getGroups(graph: GraphClient, ids: string[]): Promise<Map<string, Group>> {
  const found = await graph.lookUp<Group>(ids, (id) => ({
    operation: `read the group ${id}`,
    method: "GET",
    path: `/groups/${keySegment(id)}`,
    query: { $select: GROUP_FIELDS },
    permission: GROUP_READ,
    target: `the group ${id}`,
  }));
  for (const [id, group] of found) {
    checkDirectoryObjectAnswer(group, `read the group ${id}`, `GET /v1.0/groups/${id}`);
  }
  return found;
}
