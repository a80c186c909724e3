// Reading what eligibility depends on from the tenant, once, for `impact` and `report`: the
// campaign and Authenticator configuration in force, every user's row of the registration report
// (§5: paged at the largest page size, paced within the reports limit by the Graph client), and
// the users of each group a configuration names (transitive members, first pages batched). The
// result is evaluated locally against any number of configurations.
import type { UserRegistrationDetails } from "@microsoft/microsoft-graph-types";
import {
  getAuthenticationMethodsPolicy,
  getAuthenticatorConfiguration,
  isMissingPremiumLicence,
  registrationReportUserCount,
  transitiveUsersOfGroups,
  userRegistrationDetailsPages,
  type GraphClient,
  type GroupUsers,
} from "../graph";
import {
  authenticatorFromGraph,
  campaignFromGraph,
  groupsNamedBy,
  passkeyEligibility,
  passkeyGraphVersion,
  phoneMethodFromGraph,
  type AuthenticatorSettings,
  type CampaignSettings,
  type GraphAuthenticationMethodsPolicy,
  type GraphAuthenticatorConfiguration,
  type NudgeConfiguration,
  type PasskeyEligibilitySettings,
  type PhoneMethodSettings,
  type UserFacts,
} from "../model";
import { readPasskey } from "../live";
import { silentProgress, type ProgressSink } from "./progressBar";

/** The full configuration of the two singletons and the passkey method (what `current` means). */
export interface FullConfiguration extends NudgeConfiguration {
  campaign: CampaignSettings;
  authenticator: AuthenticatorSettings;
  passkey: PasskeyEligibilitySettings;
}

export interface ScannedUser extends UserFacts {
  userPrincipalName: string;
  displayName?: string;
}

export interface ScanStats {
  users: number;
  groups: number;
  /** Graph requests sent (a batch counts once, retries not at all). */
  requests: number;
  /** Of which to the reports family (/reports, /auditLogs), which Graph limits to 5 per 10 s. */
  reportRequests: number;
  /** Time spent waiting to stay within that limit. */
  reportWaitMs: number;
  durationMs: number;
  /** The scan came from the disk cache (eligibility/cache.ts): nothing was read from Graph. */
  fromCache?: boolean;
}

/** The SMS and Voice method configurations (read only: what `readiness` shows of them). */
export interface PhoneMethodPolicies {
  sms: PhoneMethodSettings;
  voice: PhoneMethodSettings;
}

export interface TenantScan {
  current: FullConfiguration;
  /** The SMS and Voice configurations, from the same policy GET as the campaign (§1.1). */
  phoneMethods: PhoneMethodPolicies;
  users: ScannedUser[];
  /** Each named group's users; undefined for a group that does not exist. */
  groups: Map<string, GroupUsers | undefined>;
  /** When the scan finished (ISO 8601). */
  scannedAt: string;
  stats: ScanStats;
}

/** The registration report cannot be read: the tenant has no Entra ID P1/P2 (§5.2). */
/** user id → the ids of the named groups the user is in (transitively): each user's groupIds. */
export function groupsByUser(
  groups: ReadonlyMap<string, GroupUsers | undefined>,
): Map<string, Set<string>> {
  const groupsOf = new Map<string, Set<string>>();
  for (const [id, group] of groups) {
    for (const userId of group?.userIds ?? []) {
      let set = groupsOf.get(userId);
      if (!set) groupsOf.set(userId, (set = new Set()));
      set.add(id);
    }
  }
  return groupsOf;
}

export class PremiumLicenceRequiredError extends Error {
  constructor(cause: unknown) {
    super(
      "This tenant has no Microsoft Entra ID P1 or P2 licence, and the registration report " +
        "(/reports/authenticationMethods/userRegistrationDetails) that tells who has registered which " +
        "method needs one (Graph answered 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant). " +
        "Without it no tool can count who the campaign nudges; the campaign itself needs no licence. " +
        "The preview check of a program (both resources declared) still compares targets.",
      { cause },
    );
    this.name = "PremiumLicenceRequiredError";
  }
}

/** The campaign, Authenticator and passkey configuration the tenant holds now. */
export async function readCurrentConfiguration(graph: GraphClient): Promise<FullConfiguration> {
  return (await readTenantPolicies(graph)).current;
}

/**
 * The configuration in force and the SMS and Voice configurations. The policy's GET expands every
 * method configuration (graph-contract.md §1.1: authenticationMethodConfigurations is
 * "automatically expanded", each with its state and targets; §9.2 lists `Sms` and `Voice` among
 * them), so SMS and Voice cost no request of their own; the same permission reads them
 * (Policy.Read.AuthenticationMethod, §1.2; passkeys §7).
 */
export async function readTenantPolicies(
  graph: GraphClient,
): Promise<{ current: FullConfiguration; phoneMethods: PhoneMethodPolicies }> {
  const [policy, authenticator, passkey] = await Promise.all([
    // Beta: enforceRegistrationAfterAllowedSnoozes (limited or unlimited snoozes) is only there
    // (graph-contract-passkeys.md §1); v1.0 leaves it out, so the snooze limit read as the default.
    getAuthenticationMethodsPolicy(graph, "beta"),
    getAuthenticatorConfiguration(graph),
    // Read as the PasskeyPolicy resource reads it (live/passkey.ts): one normalizer.
    readPasskey(graph, passkeyGraphVersion()),
  ]);
  const configurations = (policy.authenticationMethodConfigurations ?? []) as Record<
    string,
    unknown
  >[];
  const expanded = (id: string) =>
    configurations.find((c) => typeof c.id === "string" && c.id.toLowerCase() === id.toLowerCase());
  return {
    current: {
      campaign: campaignFromGraph(policy as GraphAuthenticationMethodsPolicy),
      authenticator: authenticatorFromGraph(authenticator as GraphAuthenticatorConfiguration),
      passkey: passkeyEligibility(passkey),
    },
    phoneMethods: {
      sms: phoneMethodFromGraph(expanded("Sms")),
      voice: phoneMethodFromGraph(expanded("Voice")),
    },
  };
}

export interface ScanOptions {
  /** Further configurations whose groups must be resolved (the declared one; parts may be absent). */
  configurations?: Partial<NudgeConfiguration>[];
  /** Further groups to resolve (break-glass groups). */
  groups?: string[];
  progress?: ProgressSink;
}

/** Reads the tenant; throws PremiumLicenceRequiredError without P1/P2, GraphRequestError otherwise. */
export async function scanTenant(
  graph: GraphClient,
  options: ScanOptions = {},
): Promise<TenantScan> {
  const started = Date.now();
  const before = { ...graph.counters };
  const progress = options.progress ?? silentProgress;
  const { current, phoneMethods } = await readTenantPolicies(graph);
  const groupIds = [
    ...new Set([
      ...groupsNamedBy(current, ...(options.configurations ?? [])),
      ...(options.groups ?? []).map((id) => id.toLowerCase()),
    ]),
  ].sort();
  let groups: Map<string, GroupUsers | undefined>;
  let rows: ScannedUser[];
  try {
    [groups, rows] = await Promise.all([
      transitiveUsersOfGroups(graph, groupIds),
      readRegistrationRows(graph, progress),
    ]);
  } catch (err) {
    if (isMissingPremiumLicence(err)) throw new PremiumLicenceRequiredError(err);
    throw err;
  } finally {
    progress.finish();
  }
  const groupsOf = groupsByUser(groups);
  const users = rows.map((row) => ({
    ...row,
    groupIds: groupsOf.get(row.id) ?? new Set<string>(),
  }));
  return {
    current,
    phoneMethods,
    users,
    groups,
    scannedAt: new Date().toISOString(),
    stats: {
      users: users.length,
      groups: groupIds.length,
      requests: graph.counters.requests - before.requests,
      reportRequests: graph.counters.reportRequests - before.reportRequests,
      reportWaitMs: graph.counters.reportWaitMs - before.reportWaitMs,
      durationMs: Date.now() - started,
    },
  };
}

/** One registration report row as a scanned user (no group memberships yet); undefined without an id. */
export function scannedUserOf(row: UserRegistrationDetails): ScannedUser | undefined {
  if (!row.id) return undefined;
  return {
    id: row.id.toLowerCase(),
    userPrincipalName: row.userPrincipalName ?? row.id,
    ...(row.userDisplayName ? { displayName: row.userDisplayName } : {}),
    userType: row.userType === "guest" ? "guest" : "member",
    groupIds: new Set(),
    methodsRegistered: row.methodsRegistered ?? [],
    isMfaRegistered: row.isMfaRegistered === true,
    ...(row.userPreferredMethodForSecondaryAuthentication
      ? { preferredMfaMethod: row.userPreferredMethodForSecondaryAuthentication }
      : {}),
  };
}

async function readRegistrationRows(
  graph: GraphClient,
  progress: ProgressSink,
): Promise<ScannedUser[]> {
  // A second page means a long scan: only then is the count worth a report request (the bar's
  // length). The page size is the service's (graph-contract.md Errata 3), so a page's length
  // decides nothing.
  let total = 0;
  let counted = false;
  let pages = 0;
  const rows: ScannedUser[] = [];
  // No $select, no $top: the report documents only $filter and $orderby (§5.3), and rows are small.
  for await (const page of userRegistrationDetailsPages(graph)) {
    pages++;
    for (const row of page) {
      const user = scannedUserOf(row);
      if (user) rows.push(user);
    }
    // Only a terminal's bar pays a report request for the total (see ProgressSink.wantsTotal),
    // and only where Graph allows it (a signed-in user: registrationReportUserCount).
    if (!counted && progress.wantsTotal && pages >= 2) {
      counted = true;
      total = (await registrationReportUserCount(graph)) ?? 0;
    }
    progress.update(rows.length, total > 0 ? Math.max(total, rows.length) : 0, pages);
  }
  return rows;
}
