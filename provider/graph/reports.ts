// Typed calls for the registration report and the directory audit log (graph-contract.md §5, §6).
import type { DirectoryAudit, UserRegistrationDetails } from "@microsoft/microsoft-graph-types";
import type { GraphClient } from "./client";

export const REPORT_READ = "AuditLog.Read.All";

export interface ReportQuery {
  filter?: string;
  select?: string[];
  top?: number;
}

/** Pages of userRegistrationDetails (needs Entra ID P1/P2; 403 otherwise, §5.2). */
export function userRegistrationDetailsPages(
  graph: GraphClient,
  query: ReportQuery = {},
): AsyncGenerator<UserRegistrationDetails[], void, undefined> {
  return graph.pages<UserRegistrationDetails>({
    operation: "read the user registration details report",
    method: "GET",
    path: "/reports/authenticationMethods/userRegistrationDetails",
    query: { $filter: query.filter, $select: query.select?.join(","), $top: query.top },
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
