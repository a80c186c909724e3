// Directory audit records (§6): written for every policy, method-configuration and group change,
// read through GET /auditLogs/directoryAudits with the documented $filter subset, newest first.
import { randomUUID } from "node:crypto";
import type { GraphResponse } from "../types";
import type { JsonObject, JsonValue } from "../tenants/format";
import type { Context } from "./context";
import { requirePermission } from "./context";
import { notFound, badRequest, unknownQueryProperty } from "./failures";
import { PERMISSIONS } from "./permissions";
import { graphTimestamp } from "./time";
import {
  checkFilter,
  compileFilter,
  jsonAccessor,
  parseFilter,
  type FilterRules,
} from "./odata/filter";
import {
  advancedQuery,
  collectionBody,
  contextUrl,
  decodeSkipToken,
  parseTop,
  takePage,
} from "./odata/query";
import type { AuditRecord } from "./state";

export interface ModifiedProperty {
  displayName: string;
  oldValue: string | null;
  newValue: string | null;
}

export interface AuditTarget {
  id: string;
  displayName: string | null;
  type: string;
  userPrincipalName?: string | null;
  groupType?: string | null;
  modifiedProperties?: ModifiedProperty[];
}

export interface AuditEntry {
  service: "Core Directory" | "Authentication Methods";
  category: string;
  activity: string;
  operationType: string;
  resultReason?: string;
  targets: AuditTarget[];
}

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** Opaque ids in the observed forms `Directory_<guid>_<5>_<8 digits>` / `AuthMethods_<guid>_...` (§6.2). */
function auditId(service: AuditEntry["service"], correlationId: string): string {
  let tag = "";
  for (let i = 0; i < 5; i++) tag += ID_ALPHABET[Math.floor(Math.random() * ID_ALPHABET.length)];
  const serial = String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
  const prefix = service === "Core Directory" ? "Directory" : "AuthMethods";
  return `${prefix}_${correlationId}_${tag}_${serial}`;
}

/** Writes one audit record for a change the caller just made (an application: app-only tokens). */
export function writeAudit(ctx: Context, entry: AuditEntry): void {
  const { caller } = ctx.req;
  const app = ctx.state.seed.tenant.apps.find((a) => a.clientId === caller.clientId);
  const correlationId = ctx.req.headers["client-request-id"] ?? randomUUID();
  const userAgent = ctx.req.headers["user-agent"];
  const body: JsonObject = {
    id: auditId(entry.service, correlationId),
    category: entry.category,
    correlationId,
    result: "success",
    resultReason: entry.resultReason ?? "",
    activityDisplayName: entry.activity,
    activityDateTime: graphTimestamp(ctx.now),
    loggedByService: entry.service,
    operationType: entry.operationType,
    initiatedBy: {
      app: {
        appId: caller.clientId,
        displayName: app?.displayName ?? caller.appName,
        servicePrincipalId: app?.servicePrincipalId ?? null,
        servicePrincipalName: null,
      },
      user: null,
    },
    targetResources: entry.targets.map((t) => ({
      id: t.id,
      displayName: t.displayName,
      type: t.type,
      userPrincipalName: t.userPrincipalName ?? null,
      groupType: t.groupType ?? null,
      modifiedProperties: (t.modifiedProperties ?? []) as unknown as JsonValue[],
    })),
    additionalDetails: userAgent ? [{ key: "User-Agent", value: userAgent }] : [],
  };
  ctx.state.appendAudit(body, ctx.now, ctx.now + ctx.options.auditDelayMs);
}

/** Core Directory prints property values as JSON arrays of strings: `["value"]` (§6.2). */
export function directoryValue(value: unknown): string {
  if (value === null || value === undefined) return "[]";
  return JSON.stringify(Array.isArray(value) ? value : [value]);
}

// --- GET /auditLogs/directoryAudits --------------------------------------------------------------

const AUDIT_FILTER: FilterRules = {
  typeName: "directoryAudit",
  resourceName: "DirectoryAudit",
  // Exactly what the directoryAudit resource page lists as filterable, with its operators
  // (learn.microsoft.com/graph/api/resources/directoryaudit, read 2026-12-07; the list page allows
  // eq, ge, le and startswith). category, operationType and result are not filterable there
  // (graph-contract.md §10 item 17 had accepted category eq: the page wins).
  properties: {
    activityDateTime: { type: "datetime", ops: ["eq", "ge", "le"] },
    activityDisplayName: { type: "string", ops: ["eq", "startsWith"] },
    correlationId: { type: "string", ops: ["eq"] },
    id: { type: "string", ops: ["eq"] },
    loggedByService: { type: "string", ops: ["eq"] },
    targetResources: { type: "objects", ops: ["any"] },
    "targetResources/id": { type: "string", ops: ["eq"] },
    "targetResources/displayName": { type: "string", ops: ["eq", "startsWith"] },
    "initiatedBy/user/id": { type: "string", ops: ["eq"] },
    "initiatedBy/user/displayName": { type: "string", ops: ["eq"] },
    "initiatedBy/user/userPrincipalName": { type: "string", ops: ["eq", "startsWith"] },
    "initiatedBy/app/appId": { type: "string", ops: ["eq"] },
    "initiatedBy/app/displayName": { type: "string", ops: ["eq"] },
  },
};

/** Audit listing pages: 1000 by default and at most (inferred; the reports family's size, §10 item 14). */
const AUDIT_PAGE = { defaultSize: 1000, max: 1000 };

/** Retention: 30 days with P1/P2, 7 without (§6.1). */
function retentionStart(ctx: Context): number {
  const days = ctx.options.premiumLicense ? 30 : 7;
  return ctx.now - days * 24 * 60 * 60 * 1000;
}

function readable(ctx: Context, record: AuditRecord): boolean {
  return record.visibleFrom <= ctx.now && record.activityMs >= retentionStart(ctx);
}

/** directoryAudit properties only beta has (beta-properties.json). */
const BETA_ONLY_AUDIT = new Set(["performedBy", "userAgent"]);

function renderAudit(ctx: Context, record: AuditRecord): JsonObject {
  if (ctx.req.version === "beta") return record.body;
  return Object.fromEntries(
    Object.entries(record.body).filter(([key]) => !BETA_ONLY_AUDIT.has(key)),
  );
}

export function listDirectoryAudits(ctx: Context): GraphResponse {
  requirePermission(ctx, PERMISSIONS.auditRead);
  const top = parseTop(ctx.req, AUDIT_PAGE);
  const filterText = ctx.req.query.get("$filter");
  let accept: (r: AuditRecord) => boolean = (r) => readable(ctx, r);
  if (filterText !== null) {
    const node = parseFilter(filterText);
    checkFilter(node, AUDIT_FILTER, advancedQuery(ctx.req));
    const predicate = compileFilter(node, jsonAccessor);
    accept = (r) => readable(ctx, r) && predicate(r.body);
  }
  // Newest first unless $orderby asks otherwise (§6.1: $orderby on activityDateTime).
  let ascending = false;
  const orderby = ctx.req.query.get("$orderby");
  if (orderby !== null) {
    const [property, direction = "asc"] = orderby.trim().split(/\s+/);
    if (property.toLowerCase() !== "activitydatetime")
      throw unknownQueryProperty(property, "directoryAudit");
    ascending = direction.toLowerCase() !== "desc";
  }
  const resource = `directoryAudits:${ascending ? "asc" : "desc"}`;
  const token = decodeSkipToken(ctx.req, resource);
  const audits = ctx.state.audits;
  // Records are kept in append order; seq is their position's stable key.
  const ordered = ascending ? audits : audits.slice().reverse();
  let start = 0;
  if (token?.k !== undefined) {
    const seq = Number(token.k);
    const at = ordered.findIndex((r) => (ascending ? r.seq > seq : r.seq < seq));
    start = at < 0 ? ordered.length : at;
  }
  const { page, more } = takePage(ordered, start, top, accept);
  const last = page[page.length - 1];
  return {
    status: 200,
    body: collectionBody(
      ctx.req,
      "auditLogs/directoryAudits",
      page.map((r) => renderAudit(ctx, r)),
      more && last ? { next: { r: resource, k: String(last.seq) } } : {},
    ),
  };
}

export function getDirectoryAudit(ctx: Context): GraphResponse {
  requirePermission(ctx, PERMISSIONS.auditRead);
  if (ctx.req.query.get("$filter") !== null)
    throw badRequest("Query option '$filter' is not allowed on a single entity.", "BadRequest");
  const record = ctx.state.audits.find((r) => r.body.id === ctx.params.id && readable(ctx, r));
  if (!record) throw notFound(ctx.params.id);
  return {
    status: 200,
    body: {
      "@odata.context": contextUrl(ctx.req, "auditLogs/directoryAudits/$entity"),
      ...renderAudit(ctx, record),
    },
  };
}
