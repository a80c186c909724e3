// Typed calls for the registration report and the directory audit log (graph-contract.md §5, §6).
import type { DirectoryAudit, UserRegistrationDetails } from "@microsoft/microsoft-graph-types";
import type { GraphClient } from "./client";
import { GraphRequestError } from "./errors";

export const REPORT_READ = "AuditLog.Read.All";
/**
 * The audit log needs both (directoryaudit-list: "AuditLog.Read.All and Directory.Read.All", for
 * delegated and application permissions, nothing higher).
 */
export const AUDIT_LOG_READ = "AuditLog.Read.All and Directory.Read.All";

export interface ReportQuery {
  filter?: string;
  select?: string[];
  top?: number;
}

/**
 * Pages of userRegistrationDetails (needs Entra ID P1/P2; 403 otherwise, §5.2). The v1.0 page
 * documents only `$filter` and `$orderby` (graph-contract.md Errata 3): no `$top`, no `$select`,
 * and the page size is the service's, so nothing may depend on how many rows a page holds.
 */
export function userRegistrationDetailsPages(
  graph: GraphClient,
  query: Pick<ReportQuery, "filter"> = {},
): AsyncGenerator<UserRegistrationDetails[], void, undefined> {
  return graph.pages<UserRegistrationDetails>({
    operation: "read the user registration details report",
    method: "GET",
    path: "/reports/authenticationMethods/userRegistrationDetails",
    query: { $filter: query.filter },
    permission: REPORT_READ,
  });
}

/** Pages of directory audit records, newest first (§6.1). */
export function directoryAuditPages(
  graph: GraphClient,
  query: ReportQuery = {},
): AsyncGenerator<DirectoryAudit[], void, undefined> {
  return graph.pages<DirectoryAudit>({
    operation: "read the directory audit log",
    method: "GET",
    path: "/auditLogs/directoryAudits",
    query: { $filter: query.filter, $select: query.select?.join(","), $top: query.top },
    permission: AUDIT_LOG_READ,
  });
}

/** The audit log's largest page as real clients ask for it (`$top` is documented there, §6.1). */
export const AUDIT_PAGE_SIZE = 999;

/**
 * How many users the registration report covers (enabled users, §5.3), from the
 * usersRegisteredByMethod summary: one request, so a long scan can show its progress. Only a
 * signed-in user may ask: the page lists AuditLog.Read.All for delegated access and "Not
 * supported" for application permissions
 * (learn.microsoft.com/graph/api/authenticationmethodsroot-usersregisteredbymethod). So it is not
 * asked with an app's own credentials (secret, certificate, workload identity), and undefined is
 * returned when Graph refuses it (DefaultAzureCredential may sign in as an app): the bar then
 * shows a count without a total.
 */
export async function registrationReportUserCount(graph: GraphClient): Promise<number | undefined> {
  if (graph.settings.credentialKind !== "defaultAzureCredential") return undefined;
  let summary: { totalUserCount?: number | null };
  try {
    summary = await graph.request<{ totalUserCount?: number | null }>({
      operation: "read the count of users in the registration report",
      method: "GET",
      path: "/reports/authenticationMethods/usersRegisteredByMethod(includedUserTypes='all',includedUserRoles='all')",
      permission: REPORT_READ,
    });
  } catch (err) {
    if (err instanceof GraphRequestError && err.kind === "forbidden") return undefined;
    throw err;
  }
  const total = Number(summary?.totalUserCount);
  return Number.isFinite(total) && total > 0 ? total : undefined;
}

/** True for Graph's answer to a report call in a tenant without Entra ID P1/P2 (§5.2). */
export function isMissingPremiumLicence(err: unknown): boolean {
  return (
    err instanceof GraphRequestError &&
    err.status === 403 &&
    err.code === "Authentication_RequestFromNonPremiumTenantOrB2CTenant"
  );
}
