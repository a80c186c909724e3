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
import type { PhoneMethodSettings } from "../model";
import type { ReadinessReport, ReadinessTarget } from "./readiness";

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
        : `${trend.movedPerDay} users a day move off SMS and voice; at this pace the last one moves on ${trend.projectedLastMove}, ${trend.beforeDeadline ? "before" : "after"} the deadline.`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function policyLine(name: string, policy: PhoneMethodSettings): string {
  const scope = policy.includeTargets.map((t) =>
    t.id === "all_users" ? "all users" : `${t.targetType} ${t.id}`,
  );
  const excluded = policy.excludeTargets.map((t) => `${t.targetType} ${t.id}`);
  return `${name}: ${policy.state}${scope.length ? `, for ${scope.join(", ")}` : ""}${excluded.length ? `, except ${excluded.join(", ")}` : ""}`;
}

/** The passkey method counted: the tenant's, or the stack's declared PasskeyPolicy. */
function passkeyLine(report: ReadinessReport): string {
  const passkey = report.passkeyMethod;
  return `${policyLine(`Passkey method (${report.source})`, passkey)}${passkey.state === "enabled" ? `; self-service setup ${passkey.isSelfServiceRegistrationAllowed ? "on" : "off"}` : ""}`;
}

export function readinessTable(report: ReadinessReport): string {
  const lines = [
    "Ready for the end of SMS and voice MFA",
    readinessSummary(report).trimEnd(),
    "",
    `Campaign (${report.source}): ${report.campaign.state}${report.campaign.state === "default" ? " (Microsoft managed)" : ""}${report.campaign.targetedAuthenticationMethod ? `, ${report.campaign.targetedAuthenticationMethod}` : ""}`,
    passkeyLine(report),
    policyLine("SMS method", report.methodPolicies.sms),
    policyLine("Voice method", report.methodPolicies.voice),
    "",
    `Phone-only members: ${formatCount(report.byUserType.member.phoneOnly)} (${formatCount(report.byUserType.member.nudged)} nudged); guests: ${formatCount(report.byUserType.guest.phoneOnly)} (${formatCount(report.byUserType.guest.nudged)} nudged)`,
    "",
    "By target (phone-only users: nudged to a passkey / to Authenticator / not):",
    ...report.byTarget.map(
      (t) =>
        `  ${targetLabel(t)}: ${formatCount(t.phoneOnly)}: ${formatCount(t.nudgedToPasskey)} / ${formatCount(t.nudgedToAuthenticator)} / ${formatCount(t.phoneOnly - t.nudged)}`,
    ),
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
    `- ${md(passkeyLine(report))}`,
    `- ${md(policyLine("SMS method", report.methodPolicies.sms))}`,
    `- ${md(policyLine("Voice method", report.methodPolicies.voice))}`,
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
<h2>Method policies</h2>
<ul><li>${e(passkeyLine(report))}</li><li>${e(policyLine("SMS method", report.methodPolicies.sms))}</li><li>${e(policyLine("Voice method", report.methodPolicies.voice))}</li></ul>
<h2>Approximations</h2>
<ul>${report.approximations.map((a) => `<li>${e(a)}</li>`).join("")}</ul>`,
  );
}
