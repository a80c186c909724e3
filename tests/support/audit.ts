// What `npm audit --json` said, as a decision: audited (with the high and critical advisories it
// found), or not audited because the registry refused (an HTTP 4xx from the registry itself, e.g.
// a mirror without the advisory endpoint). Anything else (no JSON, a network failure) throws:
// a check that could not run is neither a pass nor a skip.
export type AuditVerdict =
  { audited: true; serious: string[] } | { audited: false; reason: string };

export function auditVerdict(audit: Record<string, unknown>): AuditVerdict {
  const counts = (audit.metadata as { vulnerabilities?: Record<string, number> } | undefined)
    ?.vulnerabilities;
  if (counts) {
    const serious = Object.entries(
      (audit.vulnerabilities ?? {}) as Record<string, { severity: string }>,
    )
      .filter(([, v]) => v.severity === "high" || v.severity === "critical")
      .map(([name, v]) => `${name} (${v.severity})`);
    return { audited: true, serious };
  }
  const statusCode = (audit as { statusCode?: unknown }).statusCode;
  const message = String((audit as { message?: unknown }).message ?? JSON.stringify(audit));
  if (typeof statusCode === "number" && statusCode >= 400 && statusCode < 500) {
    return { audited: false, reason: `registry refused: ${message}` };
  }
  throw new Error(`npm audit could not run: ${message}`);
}
