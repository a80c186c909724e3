// The readiness answer for people: a terminal table, Markdown, a self-contained HTML page with a
// chart of phone-only users over time, and the one-paragraph summary `npm start` ends with. JSON is
// the ReadinessReport itself.
import { formatCount } from "../render/text";
import { progressChartSvg, escapeXml } from "../render/chart";
import {
  escapeMarkdown,
  htmlFigure,
  htmlPage,
  reasonRowsHtml,
  reasonsMarkdown,
} from "../report/render";
import { POPULATION_TEXT, REASON_TEXT, type PhoneMethodSettings } from "../model";
import type { PhoneOnlyUser, ReadinessReport, ReadinessTarget } from "./readiness";

function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** The report as --json prints it: the per-user list stays in --users FILE. */
export function readinessJson(report: ReadinessReport): Omit<ReadinessReport, "people"> {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { people, ...summary } = report;
  return summary;
}

/** Phone-only users per retirement date, exempt users, and the opt-out: one line each. */
export function cohortLines(report: ReadinessReport): string[] {
  const lines = report.cohorts.map((cohort) => {
    const who =
      cohort.deadline === report.deadline
        ? "members and internal guests"
        : "Global Administrators and external users";
    return `On ${cohort.deadline} (${who}): ${plural(cohort.phoneOnly, "phone-only user")}, ${formatCount(cohort.phoneOnlyNudged)} nudged, ${formatCount(cohort.phoneOnlyNotNudged)} not reached.`;
  });
  const unknown = [
    ...(report.populationsKnown.globalAdministrators
      ? []
      : ["Global Administrators (RoleManagement.Read.Directory)"]),
    ...(report.populationsKnown.externalUsers ? [] : ["external users (User.Read.All)"]),
  ];
  if (unknown.length > 0)
    lines.push(
      `Not told apart, so counted on ${report.deadline}: ${unknown.join(" and ")}; grant the permission to see who has until the later date.`,
    );
  if (report.exemptGroups.length > 0)
    lines.push(
      `${plural(report.exempt, "phone-only user")} moved to a telephony provider (${report.exemptGroups.map((g) => g.displayName ?? g.id).join(", ")}): counted apart, not at risk.`,
    );
  const optOut = report.optOut.passkeyDynamicMigration;
  lines.push(
    optOut === null
      ? `Passkeys-by-default opt-out: not read; it ends on ${report.optOut.until} in any case.`
      : optOut
        ? `Passkeys-by-default opt-out: on, until ${report.optOut.until}; it never delays the retirement.`
        : `Passkeys-by-default opt-out: off (Microsoft's 2026-09-01 changes apply).`,
  );
  return lines;
}

/** A group's name where the scan read it, else its id. */
function targetName(report: ReadinessReport, t: { id: string; targetType: string }): string {
  if (t.id === "all_users") return "all users";
  const name = t.targetType === "group" ? report.groupNames?.[t.id.toLowerCase()] : undefined;
  return name !== undefined ? `group ${name}` : `${t.targetType} ${t.id}`;
}

function targetLabel(target: ReadinessTarget): string {
  if (target.id === "all_users") return "All users";
  return target.displayName ?? `${target.targetType === "user" ? "user" : "group"} ${target.id}`;
}

function methodLabel(report: ReadinessReport): string {
  const { fido2, microsoftAuthenticator } = report.phoneOnlyNudgedByMethod;
  const parts = [];
  if (fido2) parts.push(`${formatCount(fido2)} to a passkey`);
  if (microsoftAuthenticator)
    parts.push(`${formatCount(microsoftAuthenticator)} to Microsoft Authenticator`);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

/** The summary: how many are phone-only, how many the campaign reaches, days left. */
export function readinessSummary(report: ReadinessReport): string {
  const lines = [
    `${formatCount(report.daysLeft)} days left until ${report.deadline}, when Microsoft stops delivering SMS and voice codes.`,
    `${formatCount(report.phoneOnly)} of ${formatCount(report.users)} users have only SMS or voice for MFA: the ${report.source === "tenant" ? "live" : "declared"} campaign nudges ${formatCount(report.phoneOnlyNudged)}${methodLabel(report)}; ${formatCount(report.phoneOnlyNotNudged)} are not reached.`,
  ];
  const trend = report.trend;
  if (trend) {
    lines.push(
      trend.projectedLastMove === null
        ? `Nobody has moved off SMS and voice since ${trend.periodStart.slice(0, 10)}: at this pace the last one never moves.`
        : `${trend.movedPerDay} ${trend.movedPerDay === 1 ? "user a day moves" : "users a day move"} off SMS and voice; at this pace the last one moves on ${trend.projectedLastMove}, ${trend.beforeDeadline ? "before" : "after"} the deadline.`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function policyLine(
  report: ReadinessReport,
  name: string,
  policy: Pick<PhoneMethodSettings, "state" | "includeTargets" | "excludeTargets">,
): string {
  const scope = policy.includeTargets.map((t) => targetName(report, t));
  const excluded = policy.excludeTargets.map((t) => targetName(report, t));
  return `${name}: ${policy.state}${scope.length ? `, for ${scope.join(", ")}` : ""}${excluded.length ? `, except ${excluded.join(", ")}` : ""}`;
}

/** The passkey method counted: the tenant's, or the stack's declared PasskeyPolicy. */
function passkeyLine(report: ReadinessReport): string {
  const passkey = report.passkeyMethod;
  return `${policyLine(report, `Passkey method (${report.source})`, passkey)}${passkey.state === "enabled" ? `; self-service setup ${passkey.isSelfServiceRegistrationAllowed ? "on" : "off"}` : ""}`;
}

function campaignLine(report: ReadinessReport): string {
  return `Campaign (${report.source}): ${report.campaign.state}${report.campaign.state === "default" ? " (Microsoft managed)" : ""}${report.campaign.targetedAuthenticationMethod ? `, ${report.campaign.targetedAuthenticationMethod}` : ""}`;
}

/** A target's phone-only users, in words: "12 phone-only users: 3 nudged to a passkey, ...". */
function targetFigures(t: ReadinessTarget): string {
  return `${plural(t.phoneOnly, "phone-only user")}: ${formatCount(t.nudgedToPasskey)} nudged to a passkey, ${formatCount(t.nudgedToAuthenticator)} to Authenticator, ${formatCount(t.phoneOnly - t.nudged)} not nudged`;
}

export function readinessTable(report: ReadinessReport): string {
  const lines = [
    "Ready for the end of SMS and voice MFA",
    readinessSummary(report).trimEnd(),
    ...cohortLines(report),
    "",
    campaignLine(report),
    passkeyLine(report),
    policyLine(report, "SMS method", report.methodPolicies.sms),
    policyLine(report, "Voice method", report.methodPolicies.voice),
    "",
    `Phone-only members: ${formatCount(report.byUserType.member.phoneOnly)} (${formatCount(report.byUserType.member.nudged)} nudged); guests: ${formatCount(report.byUserType.guest.phoneOnly)} (${formatCount(report.byUserType.guest.nudged)} nudged)`,
    "",
    "By campaign target:",
    ...report.byTarget.map((t) => `  ${targetLabel(t)}: ${targetFigures(t)}`),
    ...(report.notNudgedReasons.length
      ? [
          "",
          "Not reached:",
          ...report.notNudgedReasons.map(
            (r) => `  ${formatCount(r.users).padStart(8)}  ${r.description}`,
          ),
        ]
      : []),
    "",
    "Approximations:",
    ...report.approximations.map((a) => `  - ${a}`),
  ];
  return `${lines.join("\n")}\n`;
}

const md = escapeMarkdown;

export function readinessMarkdown(report: ReadinessReport): string {
  const lines = [
    "## Ready for the end of SMS and voice MFA",
    "",
    ...readinessSummary(report)
      .trimEnd()
      .split("\n")
      .map((line) => `${md(line)}  `),
    "",
    ...cohortLines(report).map((line) => `- ${md(line)}`),
    "",
    `- ${md(campaignLine(report))}`,
    `- ${md(passkeyLine(report))}`,
    `- ${md(policyLine(report, "SMS method", report.methodPolicies.sms))}`,
    `- ${md(policyLine(report, "Voice method", report.methodPolicies.voice))}`,
    "",
    "| Target | Phone-only | Nudged to a passkey | Nudged to Authenticator | Not nudged |",
    "|---|---:|---:|---:|---:|",
    ...report.byTarget.map(
      (t) =>
        `| ${md(targetLabel(t))} | ${formatCount(t.phoneOnly)} | ${formatCount(t.nudgedToPasskey)} | ${formatCount(t.nudgedToAuthenticator)} | ${formatCount(t.phoneOnly - t.nudged)} |`,
    ),
    "",
    ...reasonsMarkdown("Not reached", report.notNudgedReasons),
    "### Approximations",
    "",
    ...report.approximations.map((a) => `- ${md(a)}`),
    "",
  ];
  return `${lines.join("\n")}\n`;
}

export function readinessHtml(report: ReadinessReport): string {
  const e = escapeXml;
  const title = "Ready for the end of SMS and voice MFA";
  const trend = report.trend;
  const chart = trend
    ? `<h2>Phone-only users over time</h2>
<p class="muted">Phone-only users left, as a share of those at ${e(trend.periodStart.slice(0, 10))} (${formatCount(trend.atStart)}).</p>
${progressChartSvg(
  [
    {
      label: "Phone-only users left",
      values: trend.points.map((p) =>
        trend.atStart === 0 ? 0 : (p.phoneOnly / trend.atStart) * 100,
      ),
      emphasis: true,
    },
  ],
  trend.points.map((p) => p.date),
  "Phone-only users left over time",
)}
<table id="trend"><thead><tr><th>Day</th><th class="n">Phone-only</th></tr></thead><tbody>
${trend.points.map((p) => `<tr><td>${p.date}</td><td class="n">${formatCount(p.phoneOnly)}</td></tr>`).join("\n")}
</tbody></table>`
    : `<p class="muted" id="no-trend">No campaign runs: no trend yet.</p>`;
  return htmlPage(
    title,
    `<p id="headline">${e(readinessSummary(report)).replace(/\n/g, "<br>")}</p>
<div class="figures">
${htmlFigure("days-left", formatCount(report.daysLeft), `days left until ${report.deadline}`)}
${htmlFigure("phone-only", formatCount(report.phoneOnly), "users with only SMS or voice")}
${htmlFigure("nudged", formatCount(report.phoneOnlyNudged), "of them nudged")}
${htmlFigure("not-nudged", formatCount(report.phoneOnlyNotNudged), "not reached")}
</div>
<ul id="cohorts">${cohortLines(report)
      .map((line) => `<li>${e(line)}</li>`)
      .join("")}</ul>
${chart}
<h2>By target</h2>
<table id="targets">
<thead><tr><th>Target</th><th class="n">Phone-only</th><th class="n">To a passkey</th><th class="n">To Authenticator</th><th class="n">Not nudged</th></tr></thead>
<tbody>
${report.byTarget.map((t) => `<tr><td>${e(targetLabel(t))}</td><td class="n">${formatCount(t.phoneOnly)}</td><td class="n">${formatCount(t.nudgedToPasskey)}</td><td class="n">${formatCount(t.nudgedToAuthenticator)}</td><td class="n">${formatCount(t.phoneOnly - t.nudged)}</td></tr>`).join("\n")}
</tbody>
</table>
<h2>Not reached</h2>
<table id="reasons"><tbody>
${reasonRowsHtml(report.notNudgedReasons)}
</tbody></table>
${notReachedHtml(report)}
<h2>Method policies</h2>
<ul><li>${e(campaignLine(report))}</li><li>${e(passkeyLine(report))}</li><li>${e(policyLine(report, "SMS method", report.methodPolicies.sms))}</li><li>${e(policyLine(report, "Voice method", report.methodPolicies.voice))}</li></ul>
<h2>Approximations</h2>
<ul>${report.approximations.map((a) => `<li>${e(a)}</li>`).join("")}</ul>`,
  );
}

/** Rows listed per reason on the HTML page; the rest are in the --users CSV. */
export const HTML_PEOPLE_PER_REASON = 500;

/** The users the campaign does not reach, grouped by why (the page for the people asking). */
function notReachedHtml(report: ReadinessReport): string {
  const e = escapeXml;
  const groups = new Map<string, PhoneOnlyUser[]>();
  for (const person of report.people) {
    if (person.exempt || person.nudgedTo || !person.reason) continue;
    const list = groups.get(person.reason) ?? [];
    list.push(person);
    groups.set(person.reason, list);
  }
  if (groups.size === 0) return "";
  const sections = [...groups.entries()]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([reason, people]) => {
      const shown = [...people]
        .sort(
          (a, b) =>
            a.deadline.localeCompare(b.deadline) ||
            a.userPrincipalName.localeCompare(b.userPrincipalName),
        )
        .slice(0, HTML_PEOPLE_PER_REASON);
      const more = people.length - shown.length;
      return `<h3>${e(REASON_TEXT[reason as keyof typeof REASON_TEXT])} (${formatCount(people.length)})</h3>
<table class="people" data-reason="${e(reason)}"><thead><tr><th>Name</th><th>User principal name</th><th>Population</th><th>Deadline</th></tr></thead><tbody>
${shown.map((p) => `<tr><td>${e(p.displayName ?? "")}</td><td>${e(p.userPrincipalName)}</td><td>${e(POPULATION_TEXT[p.population])}</td><td>${p.deadline}</td></tr>`).join("\n")}
</tbody></table>${more > 0 ? `\n<p class="muted">${plural(more, "more user")}: see <code>--users FILE</code>.</p>` : ""}`;
    });
  return `<h2 id="not-reached-users">Who is not reached</h2>
${sections.join("\n")}`;
}

/** One stack's outcome in a fleet run: its report, or the error that stopped it. */
export interface FleetRow {
  stack: string;
  report?: ReadinessReport;
  error?: Error;
}

function fleetCells(row: FleetRow): string[] {
  const r = row.report;
  if (!r) return [row.stack, "error", "", "", "", "", ""];
  const [early, late] = r.cohorts;
  return [
    row.stack,
    formatCount(r.phoneOnly),
    formatCount(r.phoneOnlyNudged),
    formatCount(r.phoneOnlyNotNudged),
    `${formatCount(early.phoneOnly)} (${formatCount(early.phoneOnlyNotNudged)} not reached)`,
    `${formatCount(late.phoneOnly)} (${formatCount(late.phoneOnlyNotNudged)} not reached)`,
    formatCount(r.exempt),
  ];
}

const FLEET_HEADER = [
  "Stack",
  "Phone-only",
  "Nudged",
  "Not reached",
  "On 2027-02-01",
  "On 2027-07-01",
  "Exempt",
];

/** Several stacks (one per tenant): one row each. */
export function readinessFleetTable(rows: readonly FleetRow[]): string {
  const table = [FLEET_HEADER, ...rows.map(fleetCells)];
  const widths = FLEET_HEADER.map((_, i) => Math.max(...table.map((cells) => cells[i].length)));
  const lines = table.map((cells) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join("  ")
      .trimEnd(),
  );
  for (const row of rows) if (row.error) lines.push(`${row.stack}: error: ${row.error.message}`);
  return `${lines.join("\n")}\n`;
}

export function readinessFleetMarkdown(rows: readonly FleetRow[]): string {
  const lines = [
    "## Ready for the end of SMS and voice MFA",
    "",
    `| ${FLEET_HEADER.join(" | ")} |`,
    `|---|${FLEET_HEADER.slice(1)
      .map(() => "---:")
      .join("|")}|`,
    ...rows.map(
      (row) =>
        `| ${fleetCells(row)
          .map((c) => md(c))
          .join(" | ")} |`,
    ),
    ...rows
      .filter((r) => r.error)
      .flatMap((r) => ["", `${md(r.stack)}: error: ${md((r.error as Error).message)}`]),
    "",
  ];
  return `${lines.join("\n")}\n`;
}

export function readinessFleetJson(rows: readonly FleetRow[]): { stacks: unknown[] } {
  return {
    stacks: rows.map((row) =>
      row.report
        ? { stack: row.stack, ...readinessJson(row.report) }
        : {
            stack: row.stack,
            error: { kind: row.error?.name ?? "Error", message: row.error?.message ?? "" },
          },
    ),
  };
}
