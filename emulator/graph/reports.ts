// Registration reports (§5): userRegistrationDetails rows derived from each user's registered
// methods and the policy in force, plus the usersRegisteredByMethod/ByFeature summaries. Premium
// only (§5.2); disabled users are not reported (§5.3).
import type { GraphResponse } from "../types";
import type { JsonObject, TenantUser } from "../tenants/format";
import type { Context } from "./context";
import { requirePermission } from "./context";
import {
  badRequest,
  nonPremiumTenant,
  notFound,
  queryOptionNotAllowed,
  unknownQueryProperty,
} from "./failures";
import {
  checkFilter,
  compileFilter,
  parseFilter,
  pinnedValues,
  type FilterRules,
} from "./odata/filter";
import {
  advancedQuery,
  collectionBody,
  contextUrl,
  decodeSkipToken,
  indexAfter,
  takePage,
  type PageToken,
} from "./odata/query";
import { reportPermissions } from "./permissions";
import type { GroupRecord, PolicySnapshot } from "./state";

/** Methods that count as a second factor ("strong" methods, §5.4 isMfaRegistered). */
const MFA_METHODS = new Set([
  "microsoftAuthenticatorPush",
  "microsoftAuthenticatorPasswordless",
  "softwareOneTimePasscode",
  "hardwareOneTimePasscode",
  "mobilePhone",
  "alternateMobilePhone",
  "officePhone",
  "fido2SecurityKey",
  "windowsHelloForBusiness",
  "passKeyDeviceBound",
  "passKeyDeviceBoundAuthenticator",
  "passKeyDeviceBoundWindowsHello",
  "passKeySynced",
  "macOsSecureEnclaveKey",
]);

/** §5.4 isPasswordlessCapable: FIDO2/passkeys, Windows Hello, Authenticator passwordless. */
const PASSWORDLESS_METHODS = new Set([
  "microsoftAuthenticatorPasswordless",
  "fido2SecurityKey",
  "windowsHelloForBusiness",
  "passKeyDeviceBound",
  "passKeyDeviceBoundAuthenticator",
  "passKeyDeviceBoundWindowsHello",
  "passKeySynced",
  "macOsSecureEnclaveKey",
]);

/** Methods self-service password reset can use. */
const SSPR_METHODS = new Set([
  "mobilePhone",
  "alternateMobilePhone",
  "officePhone",
  "email",
  "securityQuestion",
  "microsoftAuthenticatorPush",
  "softwareOneTimePasscode",
]);

/** The method configurations whose enablement allows each registered method. */
const CONFIGURATIONS_OF: Record<string, string[]> = {
  microsoftAuthenticatorPush: ["microsoftauthenticator"],
  microsoftAuthenticatorPasswordless: ["microsoftauthenticator"],
  softwareOneTimePasscode: ["softwareoath"],
  hardwareOneTimePasscode: ["hardwareoath"],
  mobilePhone: ["sms", "voice"],
  alternateMobilePhone: ["voice"],
  officePhone: ["voice"],
  fido2SecurityKey: ["fido2"],
  passKeyDeviceBound: ["fido2"],
  passKeyDeviceBoundAuthenticator: ["fido2"],
  passKeyDeviceBoundWindowsHello: ["fido2"],
  passKeySynced: ["fido2"],
  email: ["email"],
  temporaryAccessPass: ["temporaryaccesspass"],
};

/** Methods the legacy MFA settings still allow before migration completes (§8). */
const LEGACY_MFA_METHODS = new Set([
  "microsoftAuthenticatorPush",
  "softwareOneTimePasscode",
  "mobilePhone",
  "alternateMobilePhone",
  "officePhone",
]);

/** userDefaultAuthenticationMethod of each phone/app method, strongest first. */
const DEFAULT_METHOD_ORDER: [string, string][] = [
  ["microsoftAuthenticatorPush", "push"],
  ["softwareOneTimePasscode", "oath"],
  ["hardwareOneTimePasscode", "oath"],
  ["mobilePhone", "sms"],
  ["alternateMobilePhone", "voiceAlternateMobile"],
  ["officePhone", "voiceOffice"],
];

/** Beta's defaultMfaMethod for each userDefaultAuthenticationMethod (§5.4). */
const DEFAULT_MFA_METHOD: Record<string, string> = {
  push: "microsoftAuthenticatorPush",
  oath: "softwareOneTimePasscode",
  sms: "mobilePhone",
  voiceMobile: "mobilePhone",
  voiceAlternateMobile: "alternateMobilePhone",
  voiceOffice: "officePhone",
};

const PRIVILEGED_ROLES = new Set([
  "Global Administrator",
  "Security Administrator",
  "Conditional Access Administrator",
  "Exchange Administrator",
  "SharePoint Administrator",
  "Helpdesk Administrator",
  "Billing Administrator",
  "User Administrator",
  "Authentication Administrator",
]); // §5.6

interface Targets {
  all: boolean;
  users: Set<string>;
  groups: string[];
}

/** Who a set of policy targets covers, with group membership resolved transitively (§10 item 7). */
class Scope {
  private readonly members = new Map<string, Set<string>>();
  constructor(private readonly ctx: Context) {}

  private groupMembers(groupId: string): Set<string> {
    let set = this.members.get(groupId);
    if (!set) {
      const g: GroupRecord | undefined = this.ctx.state.readableGroup(groupId, this.ctx.now);
      set = new Set(g ? this.ctx.state.transitiveMemberIds(g, this.ctx.now) : []);
      this.members.set(groupId, set);
    }
    return set;
  }

  covers(targets: Targets, userId: string): boolean {
    if (targets.all || targets.users.has(userId)) return true;
    return targets.groups.some((g) => this.groupMembers(g).has(userId));
  }
}

function targetsOf(list: unknown): Targets {
  const targets: Targets = { all: false, users: new Set(), groups: [] };
  for (const t of Array.isArray(list) ? (list as JsonObject[]) : []) {
    if (t.id === "all_users") targets.all = true;
    else if (t.targetType === "user") targets.users.add(String(t.id));
    else targets.groups.push(String(t.id));
  }
  return targets;
}

/** The policy's answer to "may this user use this method?", evaluated once per request. */
class MethodPolicy {
  private readonly scope: Scope;
  private readonly configs = new Map<
    string,
    { include: Targets; exclude: Targets; config: JsonObject }
  >();
  private readonly legacy: boolean;
  private readonly systemPreferred:
    { state: string; include: Targets; exclude: Targets } | undefined;

  constructor(ctx: Context, snapshot: PolicySnapshot) {
    this.scope = new Scope(ctx);
    for (const [id, config] of snapshot.configurations) {
      if (config.state !== "enabled") continue;
      this.configs.set(id, {
        include: targetsOf(config.includeTargets),
        exclude: targetsOf(config.excludeTargets),
        config,
      });
    }
    const migration = snapshot.policy.policyMigrationState ?? "preMigration";
    this.legacy = migration !== "migrationComplete";
    const preferences = snapshot.policy.systemCredentialPreferences;
    this.systemPreferred = preferences
      ? {
          state: String(preferences.state ?? "default"),
          include: targetsOf(preferences.includeTargets),
          exclude: targetsOf(preferences.excludeTargets),
        }
      : undefined;
  }

  private configurationAllows(id: string, userId: string): boolean {
    const entry = this.configs.get(id);
    return (
      !!entry &&
      this.scope.covers(entry.include, userId) &&
      !this.scope.covers(entry.exclude, userId)
    );
  }

  allows(method: string, userId: string): boolean {
    if (this.legacy && LEGACY_MFA_METHODS.has(method)) return true;
    if (
      method === "windowsHelloForBusiness" ||
      method === "macOsSecureEnclaveKey" ||
      method === "securityQuestion"
    )
      return true; // not governed by the authentication methods policy
    if (method === "softwareOneTimePasscode") {
      const authenticator = this.configs.get("microsoftauthenticator");
      if (
        authenticator?.config.isSoftwareOathEnabled === true &&
        this.configurationAllows("microsoftauthenticator", userId)
      )
        return true;
    }
    return (CONFIGURATIONS_OF[method] ?? []).some((id) => this.configurationAllows(id, userId));
  }

  /** §1.4: system-preferred MFA is enabled when Microsoft managed (default) or enabled for the user. */
  systemPreferredEnabled(userId: string): boolean {
    const p = this.systemPreferred;
    if (!p) return true;
    if (p.state === "disabled") return false;
    return this.scope.covers(p.include, userId) && !this.scope.covers(p.exclude, userId);
  }
}

/** The report's isMfaRegistered (§5.4): a second-factor method is registered. */
export function mfaRegistered(methods: readonly string[]): boolean {
  return methods.some((m) => MFA_METHODS.has(m));
}

function strongestDefault(methods: readonly string[]): string | undefined {
  return DEFAULT_METHOD_ORDER.find(([m]) => methods.includes(m))?.[1];
}

/** The user's default MFA method (userPreferredMethodForSecondaryAuthentication, §5.4), "" for none. */
export function preferredMethodOf(u: Pick<TenantUser, "methods" | "preferredMethod">): string {
  return u.preferredMethod ?? strongestDefault(u.methods ?? []) ?? "";
}

/** One userRegistrationDetails row, properties in the documented order (§9.6). */
function registrationRow(ctx: Context, policy: MethodPolicy, u: TenantUser): JsonObject {
  const methods = u.methods ?? [];
  const allowed = methods.filter((m) => policy.allows(m, u.id));
  const ssprEnabled = ctx.state.seed.tenant.ssprEnabled ?? false;
  const preferred = preferredMethodOf(u);
  const systemPreferred = strongestDefault(allowed);
  const row: JsonObject = {
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    userDisplayName: u.displayName,
    isAdmin: (u.adminRoles ?? []).length > 0,
    isSsprRegistered: methods.some((m) => SSPR_METHODS.has(m)),
    isSsprEnabled: ssprEnabled,
    isSsprCapable: ssprEnabled && allowed.some((m) => SSPR_METHODS.has(m)),
    isMfaRegistered: mfaRegistered(methods),
    isMfaCapable: allowed.some((m) => MFA_METHODS.has(m)),
    isPasswordlessCapable: allowed.some((m) => PASSWORDLESS_METHODS.has(m)),
    lastUpdatedDateTime:
      u.registrationUpdatedDateTime ??
      ctx.state.seed.tenant.reportRefreshedDateTime ??
      u.createdDateTime,
    methodsRegistered: [...methods],
    isSystemPreferredAuthenticationMethodEnabled: policy.systemPreferredEnabled(u.id),
    systemPreferredAuthenticationMethods: systemPreferred ? [systemPreferred] : [],
    // §5.4, §9.6: the documented example prints "" for a user without methods.
    userPreferredMethodForSecondaryAuthentication: preferred,
  };
  if (ctx.req.version === "beta") row.defaultMfaMethod = DEFAULT_MFA_METHOD[preferred] ?? "none"; // §5.4
  row.userType = u.userType === "Guest" ? "guest" : "member"; // §4.7 vs §5.4 casing
  return row;
}

const REPORT_FILTER: FilterRules = {
  typeName: "userRegistrationDetails",
  resourceName: "UserRegistrationDetails",
  // §5.4 and §10 item 14: eq on booleans and enums, startsWith on names, any(eq) on collections.
  properties: {
    id: { type: "string", ops: ["eq", "in"] },
    userPrincipalName: { type: "string", ops: ["eq", "startsWith", "in"] },
    userDisplayName: { type: "string", ops: ["eq", "startsWith"] },
    userType: { type: "enum", ops: ["eq"] },
    isAdmin: { type: "boolean", ops: ["eq"] },
    isMfaCapable: { type: "boolean", ops: ["eq"] },
    isMfaRegistered: { type: "boolean", ops: ["eq"] },
    isPasswordlessCapable: { type: "boolean", ops: ["eq"] },
    isSsprCapable: { type: "boolean", ops: ["eq"] },
    isSsprEnabled: { type: "boolean", ops: ["eq"] },
    isSsprRegistered: { type: "boolean", ops: ["eq"] },
    isSystemPreferredAuthenticationMethodEnabled: { type: "boolean", ops: ["eq"] },
    methodsRegistered: { type: "strings", ops: ["any"] },
    systemPreferredAuthenticationMethods: { type: "strings", ops: ["any"] },
    userPreferredMethodForSecondaryAuthentication: { type: "enum", ops: ["eq"] },
    defaultMfaMethod: { type: "enum", ops: ["eq"] },
  },
};

/** v1.0 has no defaultMfaMethod (§5.4). */
const REPORT_FILTER_V1: FilterRules = {
  ...REPORT_FILTER,
  properties: Object.fromEntries(
    Object.entries(REPORT_FILTER.properties).filter(([name]) => name !== "defaultMfaMethod"),
  ),
};

function requireReportAccess(ctx: Context): void {
  requirePermission(ctx, reportPermissions(ctx.req.version));
  if (!ctx.options.premiumLicense) throw nonPremiumTenant(); // §5.2
}

/** Users the report covers: enabled ones (§5.3). */
function reportedUser(ctx: Context, id: string): TenantUser | undefined {
  const u = ctx.state.users.get(id);
  return u && u.accountEnabled ? u : undefined;
}

/**
 * The list "supports only the $filter and $orderBy OData query parameters"
 * (learn.microsoft.com/graph/api/authenticationmethodsroot-list-userregistrationdetails, v1.0,
 * read 2026-12-07; graph-contract.md Errata 3): any other option is refused, `$top` and `$select`
 * included (much third-party code sends `$top=999`; the page rules it out). `$skiptoken` is the
 * service's own paging, inside the nextLink it hands out.
 */
const REPORT_QUERY_OPTIONS = new Set(["$filter", "$orderby", "$skiptoken"]);

export function listRegistrationDetails(ctx: Context): GraphResponse {
  requireReportAccess(ctx);
  const { req } = ctx;
  for (const key of req.query.keys()) {
    if (key.startsWith("$") && !REPORT_QUERY_OPTIONS.has(key.toLowerCase()))
      throw queryOptionNotAllowed(key);
  }
  // The page size is the service's (Errata 3).
  const top = ctx.options.reportPageSize;
  const policy = new MethodPolicy(ctx, ctx.state.readablePolicy(ctx.now));
  const rows = new Map<string, JsonObject>();
  const row = (u: TenantUser) => {
    let r = rows.get(u.id);
    if (!r) rows.set(u.id, (r = registrationRow(ctx, policy, u)));
    return r;
  };
  let matches: (r: JsonObject) => boolean = () => true;
  const filterText = req.query.get("$filter");
  let ids: readonly string[] = ctx.state.seed.userIdsSorted;
  if (filterText !== null) {
    const node = parseFilter(filterText);
    const rules = req.version === "beta" ? REPORT_FILTER : REPORT_FILTER_V1;
    checkFilter(node, rules, advancedQuery(req));
    const predicate = compileFilter(node, (entity, path) => (entity as JsonObject)[path[0]]);
    matches = predicate as (r: JsonObject) => boolean;
    const pinnedId = pinnedValues(node, "id");
    const pinnedUpn = pinnedValues(node, "userPrincipalName");
    if (pinnedId) ids = [...new Set(pinnedId)].sort();
    else if (pinnedUpn)
      ids = [
        ...new Set(
          pinnedUpn.map((upn) => ctx.state.userByKey(upn)?.id).filter((id): id is string => !!id),
        ),
      ].sort();
  }
  const orderby = req.query.get("$orderby");
  let page: JsonObject[];
  let next: PageToken | undefined;
  const resource = `userRegistrationDetails${orderby ? `|${orderby}` : ""}`;
  const token = decodeSkipToken(req, resource);
  if (orderby !== null) {
    const [property, direction = "asc"] = orderby.trim().split(/\s+/);
    const name = ["userPrincipalName", "userDisplayName"].find(
      (p) => p.toLowerCase() === property.toLowerCase(),
    );
    if (!name) throw unknownQueryProperty(property, "userRegistrationDetails");
    const sign = direction.toLowerCase() === "desc" ? -1 : 1;
    const all: JsonObject[] = [];
    for (const id of ids) {
      const u = reportedUser(ctx, id);
      if (u && matches(row(u))) all.push(row(u));
    }
    all.sort((a, b) => sign * String(a[name]).localeCompare(String(b[name])));
    const offset = token?.o ?? 0;
    page = all.slice(offset, offset + top);
    if (offset + top < all.length) next = { r: resource, o: offset + top };
  } else {
    const start = token?.k !== undefined ? indexAfter(ids, token.k) : 0;
    const result = takePage(ids, start, top, (id) => {
      const u = reportedUser(ctx, id);
      return !!u && matches(row(u));
    });
    page = result.page.map((id) => row(reportedUser(ctx, id) as TenantUser));
    if (result.more) next = { r: resource, k: result.page[result.page.length - 1] };
  }
  return {
    status: 200,
    body: collectionBody(req, "reports/authenticationMethods/userRegistrationDetails", page, {
      next,
    }),
  };
}

export function getRegistrationDetails(ctx: Context): GraphResponse {
  requireReportAccess(ctx);
  // §5.3: GET by id takes no OData options.
  for (const option of ["$filter", "$select", "$top", "$orderby"]) {
    if (ctx.req.query.get(option) !== null)
      throw badRequest(`Query option '${option}' is not supported by this resource.`, "BadRequest");
  }
  const u = reportedUser(ctx, ctx.params.id);
  if (!u) throw notFound(ctx.params.id);
  const policy = new MethodPolicy(ctx, ctx.state.readablePolicy(ctx.now));
  return {
    status: 200,
    body: {
      "@odata.context": contextUrl(
        ctx.req,
        "reports/authenticationMethods/userRegistrationDetails/$entity",
      ),
      ...registrationRow(ctx, policy, u),
    },
  };
}

// --- usersRegisteredByMethod / usersRegisteredByFeature (§5.1, §5.6) ----------------------------

const USER_TYPES = ["all", "member", "guest"];
const USER_ROLES = ["all", "privilegedAdmin", "admin", "user"];

/** Methods the summary lists, each with its count (zero included). */
const SUMMARY_METHODS = [
  "password",
  "email",
  "mobilePhone",
  "alternateMobilePhone",
  "officePhone",
  "microsoftAuthenticatorPush",
  "softwareOneTimePasscode",
  "hardwareOneTimePasscode",
  "microsoftAuthenticatorPasswordless",
  "windowsHelloForBusiness",
  "fido2SecurityKey",
  "temporaryAccessPass",
  "securityQuestion",
  "macOsSecureEnclaveKey",
  "passKeyDeviceBound",
  "passKeyDeviceBoundAuthenticator",
  "passKeyDeviceBoundWindowsHello",
];

function summaryParameters(ctx: Context): { userTypes: string; userRoles: string } {
  const userTypes = ctx.params.includedUserTypes ?? "all";
  const userRoles = ctx.params.includedUserRoles ?? "all";
  if (!USER_TYPES.includes(userTypes))
    throw badRequest(
      `Invalid value '${userTypes}' for parameter 'includedUserTypes'.`,
      "BadRequest",
    );
  if (!USER_ROLES.includes(userRoles))
    throw badRequest(
      `Invalid value '${userRoles}' for parameter 'includedUserRoles'.`,
      "BadRequest",
    );
  return { userTypes, userRoles };
}

function summaryUsers(ctx: Context, userTypes: string, userRoles: string): TenantUser[] {
  const out: TenantUser[] = [];
  for (const u of ctx.state.users.values()) {
    if (!u.accountEnabled) continue;
    if (userTypes !== "all" && u.userType.toLowerCase() !== userTypes) continue;
    const roles = u.adminRoles ?? [];
    if (userRoles === "admin" && roles.length === 0) continue;
    if (userRoles === "user" && roles.length > 0) continue;
    if (userRoles === "privilegedAdmin" && !roles.some((r) => PRIVILEGED_ROLES.has(r))) continue;
    out.push(u);
  }
  return out;
}

export function usersRegisteredByMethod(ctx: Context): GraphResponse {
  requireReportAccess(ctx);
  const { userTypes, userRoles } = summaryParameters(ctx);
  const users = summaryUsers(ctx, userTypes, userRoles);
  const counts = new Map(SUMMARY_METHODS.map((m) => [m, 0]));
  for (const u of users) {
    counts.set("password", (counts.get("password") ?? 0) + 1);
    for (const m of u.methods ?? []) if (counts.has(m)) counts.set(m, (counts.get(m) ?? 0) + 1);
  }
  return {
    status: 200,
    body: {
      "@odata.context": contextUrl(ctx.req, "microsoft.graph.userRegistrationMethodSummary"),
      totalUserCount: users.length,
      userRegistrationMethodCounts: [...counts].map(([authenticationMethod, userCount]) => ({
        authenticationMethod,
        userCount,
      })),
      userTypes,
      userRoles,
    },
  };
}

export function usersRegisteredByFeature(ctx: Context): GraphResponse {
  requireReportAccess(ctx);
  const { userTypes, userRoles } = summaryParameters(ctx);
  const users = summaryUsers(ctx, userTypes, userRoles);
  const policy = new MethodPolicy(ctx, ctx.state.readablePolicy(ctx.now));
  const features = {
    ssprRegistered: 0,
    ssprEnabled: 0,
    ssprCapable: 0,
    passwordlessCapable: 0,
    mfaCapable: 0,
  };
  for (const u of users) {
    const r = registrationRow(ctx, policy, u);
    if (r.isSsprRegistered) features.ssprRegistered++;
    if (r.isSsprEnabled) features.ssprEnabled++;
    if (r.isSsprCapable) features.ssprCapable++;
    if (r.isPasswordlessCapable) features.passwordlessCapable++;
    if (r.isMfaCapable) features.mfaCapable++;
  }
  return {
    status: 200,
    body: {
      "@odata.context": contextUrl(ctx.req, "microsoft.graph.userRegistrationFeatureSummary"),
      totalUserCount: users.length,
      userRegistrationFeatureCounts: Object.entries(features).map(([feature, userCount]) => ({
        feature,
        userCount,
      })),
      userTypes,
      userRoles,
    },
  };
}
