// Directory objects (users and groups) as Graph serves them: property sets, default properties,
// the $filter rules of each type, and the one listing routine every directory collection shares
// ($select, $filter, $search, $orderby, $top, $count, keyset $skiptoken paging).
import type { GraphResponse } from "../types";
import type { TenantUser } from "../tenants/format";
import type { Context } from "./context";
import { countNotSupported, unknownQueryProperty } from "./failures";
import {
  checkFilter,
  compileFilter,
  parseFilter,
  pinnedValues,
  type FilterNode,
  type FilterRules,
} from "./odata/filter";
import {
  advancedQuery,
  applySelect,
  collectionBody,
  countRequested,
  decodeSkipToken,
  eventualConsistency,
  indexAfter,
  parseSearch,
  parseSelect,
  parseTop,
  searchMatches,
  selectFragment,
  takePage,
  type PageToken,
} from "./odata/query";
import type { GroupRecord } from "./state";

// --- Users (§4.7) -------------------------------------------------------------------------------

/** The v1.0 user's structural properties (microsoft-graph-types' User), valid in $select. */
export const USER_PROPERTIES = [
  "id",
  "deletedDateTime",
  "aboutMe",
  "accountEnabled",
  "ageGroup",
  "assignedLicenses",
  "assignedPlans",
  "authorizationInfo",
  "birthday",
  "businessPhones",
  "city",
  "companyName",
  "consentProvidedForMinor",
  "country",
  "createdDateTime",
  "creationType",
  "customSecurityAttributes",
  "department",
  "deviceEnrollmentLimit",
  "displayName",
  "employeeHireDate",
  "employeeId",
  "employeeLeaveDateTime",
  "employeeOrgData",
  "employeeType",
  "externalUserState",
  "externalUserStateChangeDateTime",
  "faxNumber",
  "givenName",
  "hireDate",
  "identities",
  "imAddresses",
  "interests",
  "isManagementRestricted",
  "isResourceAccount",
  "jobTitle",
  "lastPasswordChangeDateTime",
  "legalAgeGroupClassification",
  "licenseAssignmentStates",
  "mail",
  "mailboxSettings",
  "mailNickname",
  "mobilePhone",
  "mySite",
  "officeLocation",
  "onPremisesDistinguishedName",
  "onPremisesDomainName",
  "onPremisesExtensionAttributes",
  "onPremisesImmutableId",
  "onPremisesLastSyncDateTime",
  "onPremisesProvisioningErrors",
  "onPremisesSamAccountName",
  "onPremisesSecurityIdentifier",
  "onPremisesSyncEnabled",
  "onPremisesUserPrincipalName",
  "otherMails",
  "passwordPolicies",
  "passwordProfile",
  "pastProjects",
  "postalCode",
  "preferredDataLocation",
  "preferredLanguage",
  "preferredName",
  "print",
  "provisionedPlans",
  "proxyAddresses",
  "responsibilities",
  "schools",
  "securityIdentifier",
  "serviceProvisioningErrors",
  "showInAddressList",
  "signInActivity",
  "signInSessionsValidFromDateTime",
  "skills",
  "state",
  "streetAddress",
  "surname",
  "usageLocation",
  "userPrincipalName",
  "userType",
] as const;

/** Returned without $select, in Graph's order (§4.7). */
const USER_DEFAULT = [
  "businessPhones",
  "displayName",
  "givenName",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
  "id",
];

const USER_COLLECTIONS = new Set([
  "assignedLicenses",
  "assignedPlans",
  "businessPhones",
  "identities",
  "imAddresses",
  "interests",
  "licenseAssignmentStates",
  "onPremisesProvisioningErrors",
  "otherMails",
  "pastProjects",
  "provisionedPlans",
  "proxyAddresses",
  "responsibilities",
  "schools",
  "serviceProvisioningErrors",
  "skills",
]);

/** Every property of a user as Graph would print it when selected. */
export function userProperty(u: TenantUser, name: string, domain: string): unknown {
  switch (name) {
    case "deletedDateTime":
      return null;
    case "identities":
      return (
        u.identities?.map((i) => ({ ...i, issuerAssignedId: i.issuerAssignedId ?? null })) ?? [
          {
            signInType: "userPrincipalName",
            issuer: domain,
            issuerAssignedId: u.userPrincipalName,
          },
        ]
      );
    case "proxyAddresses":
      return u.mail && u.userType === "Member" ? [`SMTP:${u.mail}`] : [];
    case "mailNickname":
      return u.mailNickname ?? u.userPrincipalName.split("@")[0];
    case "creationType":
      // An invited (B2B) guest; an internal guest (an account of this tenant) has none.
      return (
        u.creationType ??
        (u.userType === "Guest" && u.userPrincipalName.includes("#EXT#") ? "Invitation" : null)
      );
    case "externalUserState":
      return u.externalUserState ?? null;
    case "showInAddressList":
      return null;
  }
  const value = (u as unknown as Record<string, unknown>)[name];
  if (value !== undefined) return value;
  return USER_COLLECTIONS.has(name) ? [] : null;
}

export function renderUser(
  u: TenantUser,
  select: readonly string[] | undefined,
  domain: string,
  typed = false,
): Record<string, unknown> {
  const out: Record<string, unknown> = typed ? { "@odata.type": "#microsoft.graph.user" } : {};
  for (const name of select ?? USER_DEFAULT) out[name] = userProperty(u, name, domain);
  return out;
}

/**
 * A user as a member listing shows it to an app that cannot read users: type and id only, the
 * other properties null (§4.6).
 */
export function renderHiddenUser(
  u: TenantUser,
  select: readonly string[] | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = { "@odata.type": "#microsoft.graph.user" };
  for (const name of select ?? USER_DEFAULT) out[name] = name === "id" ? u.id : null;
  return out;
}

/**
 * Values one `in` (or `or` chain) may hold on directory objects outside advanced queries: "the in
 * operator is limited to 15 values" (learn.microsoft.com/graph/filter-query-parameter, and the
 * query-parameter known issues); an advanced query lifts it (microsoftgraph/microsoft-graph-docs#21098).
 */
const IN_LIMIT = 15;

const text = ["eq", "in", "startsWith"];
const advancedText = ["ne", "not", "endsWith"];

export const USER_FILTER: FilterRules = {
  typeName: "user",
  resourceName: "User",
  maxDisjuncts: IN_LIMIT,
  properties: {
    id: { type: "string", ops: ["eq", "in"], advancedOps: ["ne", "not"] },
    userPrincipalName: { type: "string", ops: text, advancedOps: advancedText },
    displayName: { type: "string", ops: text, advancedOps: advancedText },
    givenName: { type: "string", ops: text, advancedOps: advancedText },
    surname: { type: "string", ops: text, advancedOps: advancedText },
    mail: { type: "string", ops: text, advancedOps: advancedText },
    mailNickname: { type: "string", ops: text, advancedOps: advancedText },
    jobTitle: { type: "string", ops: text, advancedOps: advancedText },
    department: { type: "string", ops: [], advancedOps: [...text, ...advancedText] },
    companyName: { type: "string", ops: [], advancedOps: [...text, ...advancedText] },
    officeLocation: { type: "string", ops: [], advancedOps: [...text, ...advancedText] },
    userType: { type: "string", ops: ["eq", "in"], advancedOps: ["ne", "not"] },
    accountEnabled: { type: "boolean", ops: ["eq"], advancedOps: ["ne", "not"] },
    externalUserState: { type: "string", ops: ["eq", "in"], advancedOps: ["ne", "not"] },
    createdDateTime: {
      type: "datetime",
      ops: [],
      advancedOps: ["eq", "ge", "le", "gt", "lt", "ne", "not"],
    },
    proxyAddresses: { type: "strings", ops: ["any"], advancedOps: ["not"] },
  },
};

// --- Groups (§4.1–§4.6) -------------------------------------------------------------------------

/** The v1.0 group's structural properties (v1.0-subset.csdl.xml), valid in $select. */
export const GROUP_PROPERTIES = [
  "id",
  "deletedDateTime",
  "accessType",
  "allowExternalSenders",
  "assignedLabels",
  "assignedLicenses",
  "autoSubscribeNewMembers",
  "classification",
  "createdDateTime",
  "description",
  "displayName",
  "expirationDateTime",
  "groupTypes",
  "hasMembersWithLicenseErrors",
  "hideFromAddressLists",
  "hideFromOutlookClients",
  "infoCatalogs",
  "isArchived",
  "isAssignableToRole",
  "isFavorite",
  "isManagementRestricted",
  "isSubscribedByMail",
  "licenseProcessingState",
  "mail",
  "mailEnabled",
  "mailNickname",
  "membershipRule",
  "membershipRuleProcessingState",
  "onPremisesDomainName",
  "onPremisesExtensionAttributes",
  "onPremisesLastSyncDateTime",
  "onPremisesNetBiosName",
  "onPremisesProvisioningErrors",
  "onPremisesSamAccountName",
  "onPremisesSecurityIdentifier",
  "onPremisesSyncEnabled",
  "organizationId",
  "preferredDataLocation",
  "preferredLanguage",
  "proxyAddresses",
  "renewedDateTime",
  "resourceBehaviorOptions",
  "resourceProvisioningOptions",
  "securityEnabled",
  "securityIdentifier",
  "serviceProvisioningErrors",
  "theme",
  "uniqueName",
  "unseenConversationsCount",
  "unseenCount",
  "unseenMessagesCount",
  "visibility",
  "welcomeMessageEnabled",
] as const;

/** Returned without $select, in the order of the documented create response (§4.1). */
const GROUP_DEFAULT = [
  "id",
  "deletedDateTime",
  "classification",
  "createdDateTime",
  "description",
  "displayName",
  "expirationDateTime",
  "groupTypes",
  "isAssignableToRole",
  "mail",
  "mailEnabled",
  "mailNickname",
  "membershipRule",
  "membershipRuleProcessingState",
  "onPremisesDomainName",
  "onPremisesLastSyncDateTime",
  "onPremisesNetBiosName",
  "onPremisesSamAccountName",
  "onPremisesSecurityIdentifier",
  "onPremisesSyncEnabled",
  "preferredDataLocation",
  "preferredLanguage",
  "proxyAddresses",
  "renewedDateTime",
  "resourceBehaviorOptions",
  "resourceProvisioningOptions",
  "securityEnabled",
  "securityIdentifier",
  "theme",
  "visibility",
  "onPremisesProvisioningErrors",
];

const GROUP_COLLECTIONS = new Set([
  "assignedLabels",
  "assignedLicenses",
  "groupTypes",
  "infoCatalogs",
  "onPremisesProvisioningErrors",
  "proxyAddresses",
  "resourceBehaviorOptions",
  "resourceProvisioningOptions",
  "serviceProvisioningErrors",
]);

export function groupProperty(g: GroupRecord, name: string): unknown {
  const value = (g as unknown as Record<string, unknown>)[name];
  if (value !== undefined && !(value instanceof Map)) return value;
  return GROUP_COLLECTIONS.has(name) ? [] : null;
}

export function renderGroup(
  g: GroupRecord,
  select: readonly string[] | undefined,
  typed = false,
): Record<string, unknown> {
  const out: Record<string, unknown> = typed ? { "@odata.type": "#microsoft.graph.group" } : {};
  for (const name of select ?? GROUP_DEFAULT) out[name] = groupProperty(g, name);
  return out;
}

export const GROUP_FILTER: FilterRules = {
  typeName: "group",
  resourceName: "Group",
  maxDisjuncts: IN_LIMIT,
  properties: {
    id: { type: "string", ops: ["eq", "in"], advancedOps: ["ne", "not"] },
    displayName: { type: "string", ops: text, advancedOps: advancedText },
    mailNickname: { type: "string", ops: text, advancedOps: advancedText },
    mail: { type: "string", ops: text, advancedOps: advancedText },
    description: { type: "string", ops: ["eq", "startsWith"], advancedOps: ["ne", "not", "in"] },
    securityEnabled: { type: "boolean", ops: ["eq"], advancedOps: ["ne", "not"] },
    mailEnabled: { type: "boolean", ops: ["eq"], advancedOps: ["ne", "not"] },
    isAssignableToRole: { type: "boolean", ops: ["eq"], advancedOps: ["ne", "not"] },
    visibility: { type: "string", ops: ["eq"], advancedOps: ["ne", "not", "in"] },
    groupTypes: { type: "strings", ops: ["any"], advancedOps: ["not"] },
    proxyAddresses: { type: "strings", ops: ["any"], advancedOps: ["not"] },
    // §4.6: createdDateTime is only filterable as an advanced query.
    createdDateTime: {
      type: "datetime",
      ops: [],
      advancedOps: ["eq", "ge", "le", "gt", "lt", "in", "ne", "not"],
    },
  },
};

/** Members are users or groups: a listing filters on either's properties. */
export const MEMBER_FILTER: FilterRules = {
  typeName: "directoryObject",
  resourceName: "DirectoryObject",
  maxDisjuncts: IN_LIMIT,
  properties: { ...GROUP_FILTER.properties, ...USER_FILTER.properties },
};

// --- The shared listing routine -----------------------------------------------------------------

export interface DirectoryItem {
  id: string;
  /** Property values for $filter, $search and $orderby. */
  read(name: string): unknown;
  render(select: readonly string[] | undefined): Record<string, unknown>;
}

export interface DirectoryListing {
  /** Context fragment without $select, e.g. "groups" or "directoryObjects". */
  context: string;
  typeName: string;
  selectable: readonly string[];
  rules: FilterRules;
  /** Ids in ascending order: the keyset. */
  ids: readonly string[];
  /** The item reads see, or undefined (deleted, not replicated, filtered out by a cast). */
  item(id: string): DirectoryItem | undefined;
  /** Candidate ids for a filter that pins an indexed property (faster than scanning `ids`). */
  lookup?(filter: FilterNode): string[] | undefined;
}

/** Directory collections: 100 per page by default, $top 1–999 (§0.4, §4.2). */
const DIRECTORY_PAGE = { defaultSize: 100, max: 999 };
const ORDERABLE = ["displayName", "userPrincipalName", "mailNickname", "createdDateTime"];

export function listDirectory(ctx: Context, listing: DirectoryListing): GraphResponse {
  const { req } = ctx;
  const select = parseSelect(req, listing.selectable, listing.typeName);
  const top = parseTop(req, DIRECTORY_PAGE);
  const filterText = req.query.get("$filter");
  let filterNode: FilterNode | undefined;
  let matches: (item: DirectoryItem) => boolean = () => true;
  if (filterText !== null) {
    filterNode = parseFilter(filterText);
    checkFilter(filterNode, listing.rules, advancedQuery(req));
    const predicate = compileFilter(filterNode, (entity, path) => {
      if (path.length === 1) return (entity as DirectoryItem).read(path[0]);
      return undefined;
    });
    matches = predicate as (item: DirectoryItem) => boolean;
  }
  const search = parseSearch(req);
  if (search) {
    const byFilter = matches;
    matches = (item) =>
      byFilter(item) && search.every((s) => searchMatches(item.read(s.property), s.text));
  }
  const pinned = filterNode && listing.lookup?.(filterNode);
  const ids = pinned ? [...new Set(pinned)].sort() : listing.ids;
  const resource = req.path.toLowerCase();

  const orderby = req.query.get("$orderby");
  let page: DirectoryItem[];
  let next: PageToken | undefined;
  let all: DirectoryItem[] | undefined;
  if (orderby !== null) {
    const [property, direction = "asc"] = orderby.trim().split(/\s+/);
    const name = ORDERABLE.find((p) => p.toLowerCase() === property.toLowerCase());
    if (!name || !listing.selectable.includes(name))
      throw unknownQueryProperty(property, listing.typeName);
    const sign = direction.toLowerCase() === "desc" ? -1 : 1;
    all = collect(ids, listing, matches);
    all.sort((a, b) => sign * String(a.read(name) ?? "").localeCompare(String(b.read(name) ?? "")));
    const token = decodeSkipToken(req, `${resource}|${orderby}`);
    const offset = token?.o ?? 0;
    page = all.slice(offset, offset + top);
    if (offset + top < all.length) next = { r: `${resource}|${orderby}`, o: offset + top };
  } else {
    const token = decodeSkipToken(req, resource);
    const start = token?.k !== undefined ? indexAfter(ids, token.k) : 0;
    const items = new Map<string, DirectoryItem>();
    const result = takePage(ids, start, top, (id) => {
      const item = listing.item(id);
      if (!item || !matches(item)) return false;
      items.set(id, item);
      return true;
    });
    page = result.page.map((id) => items.get(id) as DirectoryItem);
    if (result.more) next = { r: resource, k: result.page[result.page.length - 1] };
  }
  // §0.4: @odata.count only with $count=true and ConsistencyLevel: eventual.
  const count =
    countRequested(req) && eventualConsistency(req)
      ? (all ?? collect(ids, listing, matches)).length
      : undefined;
  return {
    status: 200,
    body: collectionBody(
      req,
      selectFragment(listing.context, select),
      page.map((item) => applySelect(item.render(select), select)),
      { next, count },
    ),
  };
}

function collect(
  ids: readonly string[],
  listing: DirectoryListing,
  matches: (item: DirectoryItem) => boolean,
): DirectoryItem[] {
  const out: DirectoryItem[] = [];
  for (const id of ids) {
    const item = listing.item(id);
    if (item && matches(item)) out.push(item);
  }
  return out;
}

/** `/$count` segments: a plain-text integer, only with ConsistencyLevel: eventual (§4.6). */
export function countDirectory(ctx: Context, listing: DirectoryListing): GraphResponse {
  if (!eventualConsistency(ctx.req)) throw countNotSupported();
  let matches: (item: DirectoryItem) => boolean = () => true;
  const filterText = ctx.req.query.get("$filter");
  let ids = listing.ids;
  if (filterText !== null) {
    const node = parseFilter(filterText);
    checkFilter(node, listing.rules, true);
    matches = compileFilter(node, (entity, path) =>
      path.length === 1 ? (entity as DirectoryItem).read(path[0]) : undefined,
    ) as (item: DirectoryItem) => boolean;
    const pinned = listing.lookup?.(node);
    if (pinned) ids = [...new Set(pinned)].sort();
  }
  return {
    status: 200,
    body: collect(ids, listing, matches).length,
    // Header names as the HTTP layer spells them, so this one replaces its JSON default.
    headers: { "Content-Type": "text/plain;charset=utf-8" },
  };
}

export function userItem(u: TenantUser, domain: string): DirectoryItem {
  return {
    id: u.id,
    read: (name) => userProperty(u, name, domain),
    render: (select) => renderUser(u, select, domain),
  };
}

export function groupItem(g: GroupRecord): DirectoryItem {
  return {
    id: g.id,
    read: (name) => groupProperty(g, name),
    render: (select) => renderGroup(g, select),
  };
}

/** Index lookups for `id` filters (and another indexed property, when given). */
export function pinnedIds(
  filter: FilterNode,
  byOther?: { property: string; lookup: (value: string) => Iterable<string> },
): string[] | undefined {
  const ids = pinnedValues(filter, "id");
  if (ids) return ids;
  if (!byOther) return undefined;
  const values = pinnedValues(filter, byOther.property);
  if (!values) return undefined;
  const out: string[] = [];
  for (const v of values) for (const id of byOther.lookup(v)) out.push(id);
  return out;
}
