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

function users(count: number): string {
  return `${formatCount(count)} ${count === 1 ? "user" : "users"}`;
}

function campaignName(report: ReadinessReport): string {
  return `the ${report.source === "tenant" ? "live" : "declared"} campaign`;
}

/** A range wider than ±20 % of its point: the forecast says so rather than promise the point. */
function isWide(d: { expectedPhoneOnly: number; low: number; high: number }): boolean {
  return (d.high - d.low) / 2 > 0.2 * Math.max(d.expectedPhoneOnly, 1);
}

/** Per deadline: phone-only now, expected left (range), not reached, the date to act by. */
function forecastRows(report: ReadinessReport): string[][] {
  return report.forecast.atDeadline
    .filter((d) => d.phoneOnly > 0)
    .map((d) => {
      const plan = report.plan.byDeadline.find((p) => p.deadline === d.deadline);
      return [
        d.deadline,
        formatCount(d.phoneOnly),
        `${formatCount(Math.round(d.expectedPhoneOnly))} (${formatCount(Math.round(d.low))}–${formatCount(Math.round(d.high))})`,
        formatCount(d.notReached),
        plan?.latestStart ??
          (plan?.status === "nothingToReach"
            ? "nobody to reach"
            : plan?.status === "tooLate"
              ? "too late: reach them now"
              : "not at this rate"),
      ];
    });
}

const FORECAST_HEADERS = [
  "Deadline",
  "Phone-only now",
  "Expected left (range)",
  "Not reached",
  "Reach them by",
];

/**
 * The sentence a manager needs, per deadline with phone-only users: how many are expected to be
 * left on it, and how many of those the campaign does not reach (they never move by it).
 */
export function deadlineSentences(report: ReadinessReport): string[] {
  return report.forecast.atDeadline
    .filter((d) => d.phoneOnly > 0)
    .map((d) => {
      const expected = Math.round(d.expectedPhoneOnly);
      const outside =
        d.notReached === 0
          ? `${campaignName(report)} reaches all ${formatCount(d.phoneOnly)}`
          : d.notReached === d.phoneOnly
            ? `${campaignName(report)} reaches none of them`
            : `${formatCount(d.notReached)} of them ${d.notReached === 1 ? "is" : "are"} outside ${campaignName(report)}'s reach`;
      if (expected === 0 && d.notReached === 0)
        return `On ${d.deadline}, fewer than one of the ${users(d.phoneOnly)} who have only SMS or voice today is expected to still have it: ${outside}.`;
      const range = isWide(d)
        ? ` (between ${formatCount(Math.round(d.low))} and ${formatCount(Math.round(d.high))}: the record cannot tell yet)`
        : "";
      return `On ${d.deadline}, about ${users(Math.max(expected, d.notReached))}${range} will still have only SMS or voice: ${outside}.`;
    });
}

function percent(share: number): string {
  const p = share * 100;
  const digits = p >= 10 ? 0 : p >= 1 ? 1 : 2;
  return `${Number(p.toFixed(digits))} %`;
}

/** How the forecast was made: measured (the campaign's record) or assumed, and the figure. */
export function forecastBasisLine(report: ReadinessReport): string {
  const { forecast } = report;
  const { record } = forecast;
  const figure = `about ${percent(forecast.dailyConversion)} a day at first`;
  const basis =
    forecast.basis === "measured" && record
      ? `measured on the live campaign since ${record.since.slice(0, 10)}: ${formatCount(record.registered)} of the ${users(record.reached)} it reached registered in ${formatCount(record.days)} days; they sign in with MFA on ${percent(forecast.behaviour.signInPerDay)} of days and complete ${percent(forecast.behaviour.registerPerPrompt)} of the prompts they may skip`
      : `assumed, ${record ? `the live campaign's record (${users(record.reached)} reached, ${formatCount(record.days)} days) is too short to measure` : "no campaign runs to measure"}: one MFA sign-in a week, one skippable prompt in ten completed`;
  const reached = report.phoneOnlyNudged;
  const who =
    reached === 0
      ? "Nobody phone-only is reached now; a reached user would move at"
      : `The ${users(reached)} ${campaignName(report)} reaches move at`;
  return `${who} ${figure} (${basis}).`;
}

/** The date to act by, for the users the campaign does not reach. */
export function planLine(report: ReadinessReport): string {
  const { plan } = report;
  const goal = `at most ${percent(plan.shareLeft)}`;
  const lines: string[] = [];
  for (const d of plan.byDeadline) {
    if (d.status === "nothingToReach") continue;
    const them = `the ${users(d.notReached)} ${campaignName(report)} does not reach`;
    if (d.status === "onTime")
      lines.push(
        `To leave ${goal} of ${them} on ${d.deadline}, a campaign must reach them by ${d.latestStart} (it needs ${formatCount(plan.daysNeeded ?? 0)} days at this rate).`,
      );
    else if (d.status === "tooLate")
      lines.push(
        `Even a campaign reaching ${them} today leaves about ${users(Math.round(d.leftIfReachedToday))} of them on ${d.deadline}: it needs ${formatCount(plan.daysNeeded ?? 0)} days at this rate to leave ${goal}.`,
      );
    else
      lines.push(
        `At this rate no campaign leaves ${goal} of ${them} by ${d.deadline}; a campaign reaching them today leaves about ${users(Math.round(d.leftIfReachedToday))}.`,
      );
  }
  if (plan.live) {
    if (plan.shiftDays !== undefined && plan.shiftDays !== null && plan.shiftDays !== 0)
      lines.push(
        `The declared change moves that date ${formatCount(Math.abs(plan.shiftDays))} days ${plan.shiftDays > 0 ? "later" : "earlier"} (live campaign: ${plan.live.latestStart}).`,
      );
    else if (plan.live.status !== plan.status || plan.live.latestStart !== plan.latestStart)
      lines.push(
        `With the live campaign: ${plan.live.latestStart ? `reach them by ${plan.live.latestStart}` : `${formatCount(plan.live.notReached)} not reached, ${plan.live.status === "nothingToReach" ? "nothing to do" : plan.live.status === "tooLate" ? "already too late to leave only 5 %" : "too slow to leave only 5 %"}`}.`,
      );
  }
  return lines.join("\n");
}

/** The summary: the expected phone-only users on each deadline, then the counts, the basis and the plan. */
export function readinessSummary(report: ReadinessReport): string {
  const lines = [
    ...deadlineSentences(report),
    `${formatCount(report.daysLeft)} days left until ${report.deadline}, when Microsoft stops delivering SMS and voice codes.`,
    `${formatCount(report.phoneOnly)} of ${formatCount(report.users)} users have only SMS or voice for MFA: ${campaignName(report)} nudges ${formatCount(report.phoneOnlyNudged)}${methodLabel(report)}; ${formatCount(report.phoneOnlyNotNudged)} are not reached.`,
    forecastBasisLine(report),
    planLine(report),
  ].filter((line) => line !== "");
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
    `Forecast (${report.forecast.basis}; ${FORECAST_HEADERS.join(" / ").toLowerCase()}):`,
    ...forecastRows(report).map((row) => `  ${row.join(" / ")}`),
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
    `| ${FORECAST_HEADERS.join(" | ")} |`,
    "|---|---:|---:|---:|---|",
    ...forecastRows(report).map((row) => `| ${row.map(md).join(" | ")} |`),
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
${report.forecast.atDeadline
  .filter((d) => d.phoneOnly > 0)
  .map((d) =>
    htmlFigure(
      `expected-${d.deadline}`,
      formatCount(Math.round(d.expectedPhoneOnly)),
      `expected left on ${d.deadline}`,
    ),
  )
  .join("\n")}
</div>
<ul id="cohorts">${cohortLines(report)
      .map((line) => `<li>${e(line)}</li>`)
      .join("")}</ul>
<h2>Forecast</h2>
<p class="muted">${e(forecastBasisLine(report))}</p>
<table id="forecast">
<thead><tr>${FORECAST_HEADERS.map((h, i) => `<th${i > 0 && i < 4 ? ' class="n"' : ""}>${e(h)}</th>`).join("")}</tr></thead>
<tbody>
${forecastRows(report)
  .map(
    (row) =>
      `<tr>${row.map((c, i) => `<td${i > 0 && i < 4 ? ' class="n"' : ""}>${e(c)}</td>`).join("")}</tr>`,
  )
  .join("\n")}
</tbody>
</table>
<table id="forecast-weekly"><thead><tr><th>Week of</th><th class="n">Expected phone-only</th><th class="n">Range</th></tr></thead><tbody>
${report.forecast.daily
  .filter((_, k) => k % 7 === 0)
  .map(
    (d) =>
      `<tr><td>${d.date}</td><td class="n">${formatCount(Math.round(d.expectedPhoneOnly))}</td><td class="n">${formatCount(Math.round(d.low))}–${formatCount(Math.round(d.high))}</td></tr>`,
  )
  .join("\n")}
</tbody></table>
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
