// Typed calls for the registration report and the directory audit log (graph-contract.md §5, §6).
import type { DirectoryAudit, UserRegistrationDetails } from "@microsoft/microsoft-graph-types";
import type { GraphClient } from "./client";
import { GraphRequestError } from "./errors";

export const REPORT_READ = "AuditLog.Read.All";

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
    permission: REPORT_READ,
  });
}

/** The audit log's largest page as real clients ask for it (`$top` is documented there, §6.1). */
export const AUDIT_PAGE_SIZE = 999;

/**
 * How many users the registration report covers (enabled users, §5.3), from the
 * usersRegisteredByMethod summary: one request, so a long scan can show its progress.
 */
export async function registrationReportUserCount(graph: GraphClient): Promise<number> {
  const summary = await graph.request<{ totalUserCount?: number | null }>({
    operation: "read the count of users in the registration report",
    method: "GET",
    path: "/reports/authenticationMethods/usersRegisteredByMethod(includedUserTypes='all',includedUserRoles='all')",
    permission: REPORT_READ,
  });
  return Number(summary?.totalUserCount ?? 0);
}

/** True for Graph's answer to a report call in a tenant without Entra ID P1/P2 (§5.2). */
export function isMissingPremiumLicence(err: unknown): boolean {
  return (
    err instanceof GraphRequestError &&
    err.status === 403 &&
    err.code === "Authentication_RequestFromNonPremiumTenantOrB2CTenant"
  );
}
