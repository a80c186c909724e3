// The Graph emulator's resource handlers: routes each parsed request (method, version, segments)
// to the endpoint the contract describes, after which the handler checks the caller's permission
// and answers in Graph's shapes. The HTTP layer (server.ts) authenticates, renders and logs.
import * as path from "node:path";
import type { AppRegistration, GraphApi, GraphRequest, GraphResponse } from "../types";
import { loadTenant } from "./tenant";
import { getDirectoryAudit, listDirectoryAudits } from "./audits";
import type { Context, EffectiveOptions, GraphApiOptions } from "./context";
import { accessDenied, methodNotAllowed, segmentNotFound } from "./failures";
import { PERMISSION_TABLE, rowName, type PermissionTableRow } from "./permissionTable";
import { tablePermits } from "./permissions";
import {
  addLink,
  countGroups,
  countLinks,
  createGroup,
  deleteGroup,
  getDeletedItem,
  getDirectoryObject,
  getGroup,
  listDeletedItems,
  listGroups,
  listLinks,
  purgeDeletedItem,
  removeLink,
  restoreDeletedItem,
  updateGroup,
} from "./groups";
import {
  deleteConfiguration,
  deletePolicy,
  getConfiguration,
  getPolicy,
  listConfigurations,
  patchConfiguration,
  patchPolicy,
} from "./policy";
import {
  getRegistrationDetails,
  listRegistrationDetails,
  usersRegisteredByFeature,
  usersRegisteredByMethod,
} from "./reports";
import {
  DAY_MS,
  forecastPrompts,
  simulateCampaign,
  simulationParameters,
  type PromptForecast,
  type SimulationResult,
} from "./simulate";
import { listRoleAssignments } from "./roles";
import { DirectoryState, Seed } from "./state";
import { runMicrosoftMigration, type MigrationResult } from "./migration";
import { countUsers, getUser, listUsers } from "./users";

export type { GraphApiOptions } from "./context";
export type { MigrationParameters, MigrationResult } from "./migration";
export type {
  PromptForecast,
  SimulationParameters,
  SimulationResult,
  SimulatedRegistration,
} from "./simulate";
export type { NoNudge, NudgeMethod } from "./signin";

/** The seed scenario's tenant (emulator/tenants/default.json), resolved from dist/emulator/graph. */
export const DEFAULT_TENANT_FILE: string = path.resolve(
  __dirname,
  "../../../emulator/tenants/default.json",
);

type Handler = (ctx: Context) => GraphResponse;

interface Route {
  /** Literal segments (matched case-insensitively) and `:name` parameters. */
  pattern: string[];
  handlers: Partial<Record<string, Handler>>;
}

const CAST = /^microsoft\.graph\./i;

function route(pattern: string, handlers: Route["handlers"]): Route {
  return { pattern: pattern.split("/"), handlers };
}

function linkRoutes(view: "members" | "owners" | "transitiveMembers"): Route[] {
  const relation = view === "transitiveMembers" ? undefined : view;
  const routes = [
    route(`groups/:id/${view}`, { GET: (c) => listLinks(c, view) }),
    route(`groups/:id/${view}/$count`, { GET: (c) => countLinks(c, view) }),
    route(`groups/:id/${view}/:cast`, { GET: (c) => listLinks(c, view) }),
    route(`groups/:id/${view}/:cast/$count`, { GET: (c) => countLinks(c, view) }),
  ];
  if (relation) {
    routes.unshift(
      route(`groups/:id/${view}/$ref`, {
        POST: (c) => addLink(c, relation),
        DELETE: (c) => removeLink(c, relation),
      }),
      route(`groups/:id/${view}/:memberId/$ref`, { DELETE: (c) => removeLink(c, relation) }),
    );
  }
  return routes;
}

const CONFIGURATIONS = "policies/authenticationMethodsPolicy/authenticationMethodConfigurations";

/** Most specific first: literal segments win over parameters. */
const ROUTES: Route[] = [
  route("policies/authenticationMethodsPolicy", {
    GET: getPolicy,
    PATCH: patchPolicy,
    DELETE: deletePolicy,
  }),
  route(CONFIGURATIONS, { GET: listConfigurations }),
  route(`${CONFIGURATIONS}/:id`, {
    GET: getConfiguration,
    PATCH: patchConfiguration,
    DELETE: deleteConfiguration,
  }),
  route("groups", { GET: listGroups, POST: createGroup }),
  route("groups/$count", { GET: countGroups }),
  ...linkRoutes("members"),
  ...linkRoutes("owners"),
  ...linkRoutes("transitiveMembers"),
  route("groups/:id", { GET: getGroup, PATCH: updateGroup, DELETE: deleteGroup }),
  route("users", { GET: listUsers }),
  route("users/$count", { GET: countUsers }),
  route("users/:id", { GET: getUser }),
  route("directoryObjects/:id", { GET: getDirectoryObject }),
  route("directory/deletedItems/:cast", { GET: listDeletedItems }),
  route("directory/deletedItems/:id/restore", { POST: restoreDeletedItem }),
  route("directory/deletedItems/:id", { GET: getDeletedItem, DELETE: purgeDeletedItem }),
  route("reports/authenticationMethods/userRegistrationDetails", { GET: listRegistrationDetails }),
  route("reports/authenticationMethods/userRegistrationDetails/:id", {
    GET: getRegistrationDetails,
  }),
  route("reports/authenticationMethods/usersRegisteredByMethod", { GET: usersRegisteredByMethod }),
  route("reports/authenticationMethods/usersRegisteredByFeature", {
    GET: usersRegisteredByFeature,
  }),
  route("roleManagement/directory/roleAssignments", { GET: listRoleAssignments }),
  route("auditLogs/directoryAudits", { GET: listDirectoryAudits }),
  route("auditLogs/directoryAudits/:id", { GET: getDirectoryAudit }),
];

/** A path segment, and whether it came from OData key syntax (`users('$x@contoso.com')`). */
interface Segment {
  text: string;
  key: boolean;
}

/**
 * OData key and function syntax inside one segment: `configurations('MicrosoftAuthenticator')`
 * becomes two segments, `usersRegisteredByMethod(includedUserTypes='all')` a name with parameters.
 */
function normalizeSegments(segments: string[]): {
  segments: Segment[];
  functionParams: Record<string, string>;
} {
  const out: Segment[] = [];
  const functionParams: Record<string, string> = {};
  for (const segment of segments) {
    const m = /^([^()]+)\((.*)\)$/s.exec(segment);
    if (!m) {
      out.push({ text: segment, key: false });
      continue;
    }
    out.push({ text: m[1], key: false });
    const inner = m[2];
    if (inner === "") continue;
    const unquote = (v: string) => (/^'.*'$/s.test(v) ? v.slice(1, -1).replace(/''/g, "'") : v);
    if (/^\s*\w+\s*=/.test(inner)) {
      for (const pair of inner.split(/,(?=\s*\w+\s*=)/)) {
        const at = pair.indexOf("=");
        functionParams[pair.slice(0, at).trim()] = unquote(pair.slice(at + 1).trim());
      }
    } else {
      out.push({ text: unquote(inner.trim()), key: true });
    }
  }
  return { segments: out, functionParams };
}

function matchRoute(route: Route, segments: Segment[]): Record<string, string> | undefined {
  if (route.pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const part = route.pattern[i];
    const { text, key } = segments[i];
    if (part.startsWith(":")) {
      const name = part.slice(1);
      // A cast segment names a type; an id never does.
      if ((name === "cast") !== CAST.test(text)) return undefined;
      // $ref, $count, ... are not ids; a UPN starting with "$" must use key syntax (§4.7).
      if (text.startsWith("$") && !key) return undefined;
      params[name] = text;
    } else if (part.toLowerCase() !== text.toLowerCase() || key) {
      return undefined;
    }
  }
  return params;
}

/** The first segment no route knows, for OData's "Resource not found for the segment" (§7.2). */
function unknownSegment(segments: Segment[]): string {
  for (let i = 0; i < segments.length; i++) {
    const prefix = segments.slice(0, i + 1);
    const known = ROUTES.some(
      (r) =>
        r.pattern.length > i && matchRoute({ ...r, pattern: r.pattern.slice(0, i + 1) }, prefix),
    );
    if (!known) return segments[i].text;
  }
  return segments[segments.length - 1]?.text ?? "";
}

/** The request's body properties, when it has a JSON object body. */
function bodyKeys(req: GraphRequest): string[] | undefined {
  const body = req.body;
  if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
  return Object.keys(body);
}

/** The permission table's row for a request that matched `route`, if the table lists it. */
function tableRow(req: GraphRequest, route: Route): PermissionTableRow | undefined {
  const pattern = route.pattern.join("/");
  const keys = bodyKeys(req);
  return PERMISSION_TABLE.find(
    (row) =>
      row.method === req.method.toUpperCase() &&
      row.versions.includes(req.version) &&
      row.route.toLowerCase() === pattern.toLowerCase() &&
      (row.bodyOnly === undefined ||
        (keys !== undefined &&
          keys.length === row.bodyOnly.length &&
          row.bodyOnly.every((k) => keys.includes(k)))),
  );
}

/** The route a request takes, with its parameters. */
function routeOf(
  req: GraphRequest,
): { route: Route; params: Record<string, string>; segments: Segment[] } | { segments: Segment[] } {
  const { segments, functionParams } = normalizeSegments(req.segments);
  for (const r of ROUTES) {
    const params = matchRoute(r, segments);
    if (params) return { route: r, params: { ...functionParams, ...params }, segments };
  }
  return { segments };
}

/**
 * The permission table's row that decides a request (its name), or null when the table does not
 * list the request: the request log records it, so a test can show every request the product
 * sends is one Microsoft's tables were read for.
 */
export function permissionRowOf(req: GraphRequest): string | null {
  const found = routeOf(req);
  if (!("route" in found)) return null;
  const row = tableRow(req, found.route);
  return row ? rowName(row) : null;
}

function effectiveOptions(options: GraphApiOptions, premiumLicense: boolean): EffectiveOptions {
  return {
    replicationDelayMs: options.replicationDelayMs ?? 0,
    policyReplicationDelayMs: options.policyReplicationDelayMs ?? 0,
    auditDelayMs: options.auditDelayMs ?? 0,
    deletedGroupsRestorable: options.deletedGroupsRestorable ?? true,
    nonMemberRemovalStatus: options.nonMemberRemovalStatus ?? 404,
    v1EchoEnforceRegistration: options.v1EchoEnforceRegistration ?? false,
    policyAuditCategory: options.policyAuditCategory ?? "ApplicationManagement",
    premiumLicense: options.premiumLicense ?? premiumLicense,
    validationErrorCode: options.validationErrorCode ?? "BadRequest",
    managedCampaignEdits: options.managedCampaignEdits ?? "store",
    optOutSettingsWithOthers: options.optOutSettingsWithOthers ?? "reject",
    campaignMethodCasing: options.campaignMethodCasing ?? "asSent",
    mixedCampaignMethods: options.mixedCampaignMethods ?? "reject",
    managedCampaignReadback: options.managedCampaignReadback ?? "stored",
    passkeyProfileRemoval: options.passkeyProfileRemoval ?? "afterUnassigned",
    passkeyPolicySizeLimitBytes: options.passkeyPolicySizeLimitBytes ?? 20480,
    authenticatorNudgeAfter: options.authenticatorNudgeAfter ?? "anyMfa",
    syncedPasskeyMethod: options.syncedPasskeyMethod ?? "passKeySynced",
    policyDeniedCode: options.policyDeniedCode ?? "Authorization_RequestDenied",
    reportPageSize: options.reportPageSize ?? 1000,
    now: options.now ?? Date.now,
  };
}

/**
 * Loads a tenant (a tenant file path or its parsed object) and answers Graph calls against it.
 * `configure` changes the switches at run time (the control endpoint, tests); `reset` returns the
 * data to the loaded state.
 */
export function createGraphApi(
  tenant: string | object,
  options: GraphApiOptions = {},
): GraphApi & {
  configure(options: Partial<GraphApiOptions>): void;
  simulate(parameters: Record<string, unknown>): SimulationResult;
  microsoftMigration(parameters: Record<string, unknown>): MigrationResult;
  forecastPrompts(parameters?: { honourSnoozes?: boolean }): PromptForecast;
} {
  const clock = options.now ?? Date.now;
  const seed = new Seed(loadTenant(tenant, clock()));
  let settings: GraphApiOptions = { ...options };
  let effective = effectiveOptions(settings, seed.tenant.premiumLicense);
  let state = new DirectoryState(seed);
  const apps: AppRegistration[] = seed.apps;
  // Simulated days move the Graph clock on (tokens keep the real one, so they stay valid).
  let clockOffsetMs = 0;

  return {
    tenantId: seed.tenant.tenantId,
    // The initial domain is verified from the tenant's creation (the tenant file names no others).
    verifiedDomains: [seed.tenant.domain],
    apps,
    signInUser(userPrincipalName: string) {
      const seeded = state.seed.usersByUpn.get(userPrincipalName.toLowerCase());
      const user = seeded && state.users.get(seeded.id);
      return (
        user && {
          id: user.id,
          userPrincipalName: user.userPrincipalName,
          displayName: user.displayName,
          accountEnabled: user.accountEnabled,
          ...(user.password !== undefined ? { password: user.password } : {}),
        }
      );
    },
    permissionRowOf,
    async handle(req: GraphRequest): Promise<GraphResponse> {
      const found = routeOf(req);
      if (!("route" in found)) throw segmentNotFound(unknownSegment(found.segments));
      const handler = found.route.handlers[req.method.toUpperCase()];
      if (!handler) throw methodNotAllowed();
      const row = tableRow(req, found.route);
      if (row && !tablePermits(req.caller, row)) {
        const policy = row.route.startsWith("policies/");
        throw accessDenied(policy ? effective.policyDeniedCode : "Authorization_RequestDenied");
      }
      return handler({
        req,
        state,
        options: effective,
        now: effective.now() + clockOffsetMs,
        params: found.params,
        permissionChecked: row !== undefined,
      });
    },
    reset(): void {
      state = new DirectoryState(seed);
      clockOffsetMs = 0;
    },
    simulate(parameters: Record<string, unknown>): SimulationResult {
      const checked = simulationParameters(parameters);
      const start = effective.now() + clockOffsetMs;
      const result = simulateCampaign(state, start, effective, checked);
      clockOffsetMs += checked.days * DAY_MS;
      return result;
    },
    forecastPrompts(parameters: { honourSnoozes?: boolean } = {}): PromptForecast {
      const unknown = Object.keys(parameters).filter((k) => k !== "honourSnoozes");
      if (unknown.length > 0)
        throw new Error(
          `Unknown parameter(s) ${unknown.join(", ")}; the only one is honourSnoozes.`,
        );
      if (parameters.honourSnoozes !== undefined && typeof parameters.honourSnoozes !== "boolean")
        throw new Error('"honourSnoozes" must be true or false.');
      const now = effective.now() + clockOffsetMs;
      return forecastPrompts(state, now, effective, parameters.honourSnoozes ?? false);
    },
    microsoftMigration(parameters: Record<string, unknown>): MigrationResult {
      return runMicrosoftMigration(state, effective, effective.now() + clockOffsetMs, parameters);
    },
    configure(next: Partial<GraphApiOptions>): void {
      settings = { ...settings, ...next };
      effective = effectiveOptions(settings, seed.tenant.premiumLicense);
    },
  };
}
