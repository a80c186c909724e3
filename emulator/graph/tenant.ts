// Loads and validates a tenant file (tenants/format.ts, tenants/README.md) against the same schema
// and rules a PATCH must pass. Every problem is reported with its JSON path and what would fix it,
// all at once, so a hand-edited file is fixed in one pass.
import { readFileSync } from "node:fs";
import type { JsonObject, TenantFile } from "../tenants/format";
import { graphTimestamp, resolveTenantTime, secondsTimestamp } from "./time";
import { configurationProblem, policyProblem } from "./policy";
import { BUILT_IN_ROLES } from "./roles";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The report's methodsRegistered vocabulary (§5.5: observed values and the usageAuthMethod names). */
export const REGISTERED_METHODS = new Set([
  "email",
  "mobilePhone",
  "alternateMobilePhone",
  "officePhone",
  "securityQuestion",
  "microsoftAuthenticatorPush",
  "microsoftAuthenticatorPasswordless",
  "softwareOneTimePasscode",
  "hardwareOneTimePasscode",
  "fido2SecurityKey",
  "windowsHelloForBusiness",
  "temporaryAccessPass",
  "passKeyDeviceBound",
  "passKeyDeviceBoundAuthenticator",
  "passKeyDeviceBoundWindowsHello",
  "passKeySynced",
  "macOsSecureEnclaveKey",
]);

/** userDefaultAuthenticationMethod members (v1.0-subset.csdl.xml), plus "" for none (§9.6). */
const PREFERRED_METHODS = new Set([
  "push",
  "oath",
  "voiceMobile",
  "voiceAlternateMobile",
  "voiceOffice",
  "sms",
  "none",
  "",
]);
const MAX_REPORTED = 25;

export class TenantFileError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    const shown = problems.slice(0, MAX_REPORTED).map((p) => `  - ${p}`);
    if (problems.length > MAX_REPORTED)
      shown.push(`  - ... and ${problems.length - MAX_REPORTED} more`);
    super(
      `The tenant file ${source} is invalid (${problems.length} problem(s)):\n${shown.join("\n")}`,
    );
    this.name = "TenantFileError";
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

class Checker {
  readonly problems: string[] = [];

  fail(path: string, message: string): void {
    this.problems.push(`${path}: ${message}`);
  }

  string(
    obj: Record<string, unknown>,
    key: string,
    path: string,
    optional = false,
  ): string | undefined {
    const value = obj[key];
    if (value === undefined && optional) return undefined;
    if (typeof value !== "string" || value === "") {
      this.fail(`${path}.${key}`, `expected a non-empty string, found ${JSON.stringify(value)}`);
      return undefined;
    }
    return value;
  }

  guid(obj: Record<string, unknown>, key: string, path: string): string | undefined {
    const value = this.string(obj, key, path);
    if (value !== undefined && !GUID.test(value))
      this.fail(`${path}.${key}`, `'${value}' is not a GUID`);
    return value;
  }

  boolean(obj: Record<string, unknown>, key: string, path: string, optional = false): void {
    const value = obj[key];
    if (value === undefined && optional) return;
    if (typeof value !== "boolean")
      this.fail(`${path}.${key}`, `expected true or false, found ${JSON.stringify(value)}`);
  }

  strings(obj: Record<string, unknown>, key: string, path: string): string[] {
    const value = obj[key];
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
      this.fail(`${path}.${key}`, "expected an array of strings");
      return [];
    }
    return value as string[];
  }

  /** Resolves a tenant time in place; relative times become timestamps before `loadMs`. */
  time(
    obj: Record<string, unknown>,
    key: string,
    path: string,
    loadMs: number,
    render = graphTimestamp,
    optional = false,
  ): void {
    const value = obj[key];
    if (value === undefined && optional) return;
    const resolved =
      typeof value === "string" ? resolveTenantTime(value, loadMs, render) : undefined;
    if (resolved === undefined) {
      this.fail(
        `${path}.${key}`,
        `expected an ISO 8601 timestamp or a negative duration such as "-P3DT4H", found ${JSON.stringify(value)}`,
      );
      return;
    }
    if (Date.parse(resolved) > loadMs + 60_000)
      this.fail(`${path}.${key}`, `'${value}' is in the future`);
    obj[key] = resolved;
  }
}

function checkApps(c: Checker, apps: unknown): void {
  if (!Array.isArray(apps) || apps.length === 0) {
    c.fail("apps", "expected at least one application");
    return;
  }
  const names = new Set<string>();
  apps.forEach((a, i) => {
    const path = `apps[${i}]`;
    if (!isObject(a)) return c.fail(path, "expected an object");
    const name = c.string(a, "name", path);
    if (name && names.has(name)) c.fail(`${path}.name`, `duplicate app name '${name}'`);
    if (name) names.add(name);
    c.guid(a, "clientId", path);
    c.string(a, "displayName", path, true);
    if (a.clientSecret !== undefined)
      c.fail(`${path}.clientSecret`, "remove it: the emulator generates secrets at start");
    c.strings(a, "roles", path);
    c.strings(a, "scopes", path);
    c.boolean(a, "publicClient", path, true);
    if (a.servicePrincipalId !== undefined) c.guid(a, "servicePrincipalId", path);
  });
}

function checkUsers(c: Checker, users: unknown, loadMs: number): Set<string> {
  const ids = new Set<string>();
  if (!Array.isArray(users)) {
    c.fail("users", "expected an array");
    return ids;
  }
  const upns = new Set<string>();
  users.forEach((u, i) => {
    const path = `users[${i}]`;
    if (!isObject(u)) return c.fail(path, "expected an object");
    const id = c.guid(u, "id", path);
    if (id && ids.has(id)) c.fail(`${path}.id`, `duplicate object id ${id}`);
    if (id) ids.add(id);
    const upn = c.string(u, "userPrincipalName", path);
    if (upn && !/^[^@]+@[^@]+$/.test(upn))
      c.fail(`${path}.userPrincipalName`, `'${upn}' must contain exactly one '@'`);
    if (upn && upns.has(upn.toLowerCase()))
      c.fail(`${path}.userPrincipalName`, `duplicate UPN '${upn}'`);
    if (upn) upns.add(upn.toLowerCase());
    c.string(u, "displayName", path);
    if (u.userType !== "Member" && u.userType !== "Guest")
      c.fail(
        `${path}.userType`,
        `expected "Member" or "Guest" (capitalised, §4.7), found ${JSON.stringify(u.userType)}`,
      );
    c.boolean(u, "accountEnabled", path);
    c.string(u, "password", path, true);
    c.time(u, "createdDateTime", path, loadMs, secondsTimestamp);
    c.time(u, "registrationUpdatedDateTime", path, loadMs, graphTimestamp, true);
    for (const m of c.strings(u, "methods", path)) {
      if (!REGISTERED_METHODS.has(m))
        c.fail(
          `${path}.methods`,
          `unknown method '${m}'; use one of ${[...REGISTERED_METHODS].join(", ")}`,
        );
    }
    if (u.preferredMethod !== undefined && !PREFERRED_METHODS.has(String(u.preferredMethod)))
      c.fail(
        `${path}.preferredMethod`,
        `expected one of ${[...PREFERRED_METHODS].filter(Boolean).join(", ")}`,
      );
    checkRoleNames(c, c.strings(u, "adminRoles", path), `${path}.adminRoles`);
    if (u.identities !== undefined) {
      if (!Array.isArray(u.identities)) c.fail(`${path}.identities`, "expected an array");
      else
        u.identities.forEach((identity, j) => {
          const at = `${path}.identities[${j}]`;
          if (!isObject(identity)) return c.fail(at, "expected an object");
          c.string(identity, "signInType", at);
          c.string(identity, "issuer", at);
        });
    }
  });
  return ids;
}

/** Role names must be built-in roles the emulator knows (their template ids, graph/roles.ts). */
function checkRoleNames(c: Checker, names: string[], path: string): void {
  for (const name of names)
    if (!(name in BUILT_IN_ROLES))
      c.fail(path, `unknown role '${name}'; use one of ${Object.keys(BUILT_IN_ROLES).join(", ")}`);
}

function checkGroups(
  c: Checker,
  groups: unknown,
  userIds: Set<string>,
  servicePrincipalIds: Set<string>,
  loadMs: number,
): void {
  if (!Array.isArray(groups)) return c.fail("groups", "expected an array");
  const ids = new Set<string>();
  for (const [i, g] of groups.entries()) {
    const id = isObject(g) ? g.id : undefined;
    if (typeof id !== "string") continue;
    if (ids.has(id) || userIds.has(id)) c.fail(`groups[${i}].id`, `object id ${id} is used twice`);
    ids.add(id);
  }
  groups.forEach((g, i) => {
    const path = `groups[${i}]`;
    if (!isObject(g)) return c.fail(path, "expected an object");
    c.guid(g, "id", path);
    c.string(g, "displayName", path);
    c.string(g, "mailNickname", path);
    c.boolean(g, "mailEnabled", path);
    c.boolean(g, "securityEnabled", path);
    c.time(g, "createdDateTime", path, loadMs, secondsTimestamp);
    for (const m of c.strings(g, "members", path)) {
      if (!userIds.has(m) && !ids.has(m))
        c.fail(`${path}.members`, `${m} is neither a user nor a group of this file`);
      if (m === g.id) c.fail(`${path}.members`, "a group cannot be a member of itself");
    }
    for (const o of c.strings(g, "owners", path)) {
      if (!userIds.has(o) && !servicePrincipalIds.has(o.toLowerCase()))
        c.fail(
          `${path}.owners`,
          `${o} is neither a user nor an app's servicePrincipalId of this file (owners are users or service principals)`,
        );
    }
    const roles = c.strings(g, "adminRoles", path);
    checkRoleNames(c, roles, `${path}.adminRoles`);
    if (roles.length > 0 && g.isAssignableToRole !== true)
      c.fail(`${path}.adminRoles`, "only a group with isAssignableToRole: true can hold a role");
    const types = c.strings(g, "groupTypes", path);
    if (types.some((t) => t !== "Unified"))
      c.fail(`${path}.groupTypes`, 'expected [] or ["Unified"]');
  });
}

function checkPolicy(c: Checker, tenant: Record<string, unknown>, loadMs: number): void {
  const policy = tenant.authenticationMethodsPolicy;
  if (!isObject(policy))
    return c.fail("authenticationMethodsPolicy", "expected the policy object (Graph's JSON, §1.4)");
  c.time(policy, "lastModifiedDateTime", "authenticationMethodsPolicy", loadMs);
  const problem = policyProblem(policy as unknown as TenantFile["authenticationMethodsPolicy"]);
  if (problem) c.fail("authenticationMethodsPolicy", problem);
  const configs = tenant.authenticationMethodConfigurations;
  if (!Array.isArray(configs))
    return c.fail("authenticationMethodConfigurations", "expected an array");
  const ids = new Set<string>();
  configs.forEach((config, i) => {
    const path = `authenticationMethodConfigurations[${i}]`;
    if (!isObject(config)) return c.fail(path, "expected an object");
    const id = c.string(config, "id", path);
    if (id && ids.has(id.toLowerCase())) c.fail(`${path}.id`, `duplicate configuration '${id}'`);
    if (id) ids.add(id.toLowerCase());
    const configProblem = configurationProblem(config as JsonObject);
    if (configProblem) c.fail(path, configProblem);
  });
  if (!ids.has("microsoftauthenticator"))
    c.fail(
      "authenticationMethodConfigurations",
      "the MicrosoftAuthenticator configuration is required (§3)",
    );
}

function checkAudits(c: Checker, audits: unknown, loadMs: number): void {
  if (!Array.isArray(audits)) return c.fail("directoryAudits", "expected an array");
  const ids = new Set<string>();
  audits.forEach((a, i) => {
    const path = `directoryAudits[${i}]`;
    if (!isObject(a)) return c.fail(path, "expected an object (Graph's directoryAudit JSON, §6.2)");
    const id = c.string(a, "id", path);
    if (id && ids.has(id)) c.fail(`${path}.id`, `duplicate id '${id}'`);
    if (id) ids.add(id);
    c.time(a, "activityDateTime", path, loadMs);
    c.string(a, "activityDisplayName", path);
    c.string(a, "category", path);
    if (!isObject(a.initiatedBy)) c.fail(`${path}.initiatedBy`, "expected { user, app }");
    if (!Array.isArray(a.targetResources)) c.fail(`${path}.targetResources`, "expected an array");
  });
}

/**
 * Reads (when given a path) and validates a tenant, resolving relative times against `loadMs`.
 * The object passed in is not modified. Throws TenantFileError listing every problem.
 */
export function loadTenant(source: string | object, loadMs: number = Date.now()): TenantFile {
  const name = typeof source === "string" ? source : "(inline tenant)";
  let raw: unknown;
  if (typeof source === "string") {
    let text: string;
    try {
      text = readFileSync(source, "utf8");
    } catch (e) {
      throw new TenantFileError(name, [`cannot be read: ${(e as Error).message}`]);
    }
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new TenantFileError(name, [`is not JSON: ${(e as Error).message}`]);
    }
  } else {
    raw = structuredClone(source);
  }
  if (!isObject(raw)) throw new TenantFileError(name, ["expected a JSON object at the top level"]);
  const c = new Checker();
  c.guid(raw, "tenantId", "tenant");
  c.string(raw, "displayName", "tenant");
  c.string(raw, "domain", "tenant");
  c.boolean(raw, "premiumLicense", "tenant");
  c.boolean(raw, "ssprEnabled", "tenant", true);
  c.time(raw, "reportRefreshedDateTime", "tenant", loadMs, graphTimestamp, true);
  checkApps(c, raw.apps);
  const userIds = checkUsers(c, raw.users, loadMs);
  const servicePrincipalIds = new Set(
    (Array.isArray(raw.apps) ? raw.apps : []).flatMap((a) =>
      isObject(a) && typeof a.servicePrincipalId === "string"
        ? [a.servicePrincipalId.toLowerCase()]
        : [],
    ),
  );
  checkGroups(c, raw.groups, userIds, servicePrincipalIds, loadMs);
  checkPolicy(c, raw, loadMs);
  checkAudits(c, raw.directoryAudits, loadMs);
  if (c.problems.length) throw new TenantFileError(name, c.problems);
  return raw as unknown as TenantFile;
}
