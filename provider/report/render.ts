// The progress report for people: a terminal table, Markdown (a job summary, a ticket), a
// self-contained HTML page with a chart that a manager can open offline, and the short summary
// the seed scenario's demo ends with. JSON is the ProgressReport itself.
import { formatCount } from "../render/text";
import type { NudgeMethod } from "../model";
import { SERIES_COLOURS, escapeXml, progressChartSvg, type ChartSeries } from "../render/chart";
import type { ProgressReport, TargetProgress } from "./progress";

/** What "registered" means for the users targeted for each method (passkeys §5, contract §5.5). */
const COUNTED_AS: Record<NudgeMethod, string> = {
  microsoftAuthenticator:
    "Microsoft Authenticator for push (microsoftAuthenticatorPush in the registration report)",
  fido2:
    "a passkey (passKeyDeviceBound*, passKeySynced, fido2SecurityKey in the registration report)",
};
const TARGETED_FOR: Record<NudgeMethod, string> = {
  microsoftAuthenticator: "Microsoft Authenticator",
  fido2: "passkeys",
};
const METHOD_LABEL: Record<NudgeMethod, string> = {
  microsoftAuthenticator: "Microsoft Authenticator",
  fido2: "Passkey",
};

/** The thing the headline says users registered. */
function registeredWhat(report: ProgressReport): string {
  const methods = report.countedMethods;
  if (methods.length > 1)
    return "the method they are nudged to set up (a passkey or Microsoft Authenticator for push)";
  return methods[0] === "fido2" ? "a passkey" : "Microsoft Authenticator for push";
}

/** One line per counted method: what counts as registered for whom. */
function countedLines(report: ProgressReport): string[] {
  const methods = report.countedMethods;
  return methods.map((method) =>
    methods.length === 1
      ? `Counted as registered: ${COUNTED_AS[method]}.`
      : `Users targeted for ${TARGETED_FOR[method]} count as registered with ${COUNTED_AS[method]}.`,
  );
}

/** The per-method rows, when the campaign targets more than one method. */
function methodRows(report: ProgressReport): string[][] {
  if (report.countedMethods.length < 2) return [];
  return report.countedMethods.map((method) => {
    const m = report.byMethod[method];
    return [
      METHOD_LABEL[method],
      formatCount(m.targeted),
      formatCount(m.registered),
      formatCount(m.registeredSinceStart),
      formatCount(m.notYet),
      pct(m.registered, m.targeted),
    ];
  });
}

function targetLabel(target: TargetProgress): string {
  if (target.id === "all_users") return "All users";
  const kind = target.targetType === "user" ? "user" : "group";
  return target.displayName ? `${target.displayName}` : `${kind} ${target.id}`;
}

function pct(part: number, whole: number): string {
  return whole === 0 ? "0%" : `${Math.round((part / whole) * 1000) / 10}%`;
}

function startLine(report: ProgressReport): string {
  const days = report.timeline.length;
  switch (report.startSource) {
    case "audit":
      return `Campaign ${report.campaign.state} since ${report.enabledSince?.slice(0, 16).replace("T", " ")} UTC (${days} day${days === 1 ? "" : "s"}, per the audit log).`;
    case "beforeRetention":
      return `Campaign enabled since before the audit log's retention window; the timeline shows the last ${days} days.`;
    default:
      return `Campaign state "${report.campaign.state}"${report.campaign.state === "default" ? " (Microsoft managed)" : ""}; the timeline shows the last ${days} days.`;
  }
}

function headline(report: ProgressReport): string {
  const period =
    report.startSource === "audit"
      ? "since the campaign was enabled"
      : `in the last ${report.timeline.length} days`;
  return `${formatCount(report.registered)} of ${formatCount(report.targeted)} targeted users (${report.percentRegistered}%) have registered ${registeredWhat(report)}: ${formatCount(report.registeredSinceStart)} ${period}, ${formatCount(report.registeredBeforeStart)} before. ${formatCount(report.notYet)} not yet.`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows.map((row) =>
    row
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join("  ")
      .trimEnd(),
  );
}

export function progressTable(report: ProgressReport): string {
  const lines = [
    "Registration campaign progress",
    startLine(report),
    headline(report),
    ...countedLines(report),
    "",
    ...(methodRows(report).length === 0
      ? []
      : [
          ...table([
            ["Method", "targeted", "registered", "since start", "not yet", "%"],
            ...methodRows(report),
          ]),
          "",
        ]),
    ...table([
      ["Target", "targeted", "registered", "since start", "not yet", "%"],
      ...report.byTarget.map((t) => [
        targetLabel(t),
        formatCount(t.targeted),
        formatCount(t.registered),
        formatCount(t.registeredSinceStart),
        formatCount(t.notYet),
        pct(t.registered, t.targeted),
      ]),
    ]),
    "",
    // Nobody left: no heading over nothing.
    ...(report.notYetReasons.length === 0
      ? []
      : [
          "Not yet registered:",
          ...report.notYetReasons.map(
            (r) => `  ${formatCount(r.users).padStart(8)}  ${r.description}`,
          ),
          "",
        ]),
    "Day by day (cumulative registered):",
    ...report.timeline.map(
      (point) =>
        `  ${point.date}  ${formatCount(point.registered).padStart(8)}  (+${formatCount(point.newRegistrations)})`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}

export function escapeMarkdown(text: string): string {
  return text.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`);
}

/** A "why" table under a heading (nothing when there is nobody to explain). */
export function reasonsMarkdown(
  heading: string,
  reasons: readonly { users: number; description: string }[],
): string[] {
  if (reasons.length === 0) return [];
  return [
    `### ${heading}`,
    "",
    "| Users | Why |",
    "|---:|---|",
    ...reasons.map((r) => `| ${formatCount(r.users)} | ${escapeMarkdown(r.description)} |`),
    "",
  ];
}

export function progressMarkdown(report: ProgressReport): string {
  const lines = [
    "## Registration campaign progress",
    "",
    `**${escapeMarkdown(headline(report))}**`,
    "",
    escapeMarkdown(startLine(report)),
    "",
    ...countedLines(report).map((line) => `${escapeMarkdown(line)}  `),
    "",
    ...(methodRows(report).length === 0
      ? []
      : [
          "| Method | Targeted | Registered | Since start | Not yet | % |",
          "|---|---:|---:|---:|---:|---:|",
          ...methodRows(report).map((row) => `| ${row.join(" | ")} |`),
          "",
        ]),
    "| Target | Targeted | Registered | Since start | Not yet | % |",
    "|---|---:|---:|---:|---:|---:|",
    ...report.byTarget.map(
      (t) =>
        `| ${escapeMarkdown(targetLabel(t))} | ${formatCount(t.targeted)} | ${formatCount(t.registered)} | ${formatCount(t.registeredSinceStart)} | ${formatCount(t.notYet)} | ${pct(t.registered, t.targeted)} |`,
    ),
    "",
    ...reasonsMarkdown("Not yet registered", report.notYetReasons),
    "### Day by day",
    "",
    "| Day | Registered (cumulative) | New |",
    "|---|---:|---:|",
    ...report.timeline.map(
      (p) => `| ${p.date} | ${formatCount(p.registered)} | ${formatCount(p.newRegistrations)} |`,
    ),
    "",
  ];
  return `${lines.join("\n")}\n`;
}

/** The chart's series: the total, then each target, as percent of its targeted users. */
function chartSeries(report: ProgressReport): ChartSeries[] {
  const asPercent = (values: number[], whole: number) =>
    values.map((value) => (whole === 0 ? 0 : (value / whole) * 100));
  return [
    {
      label: "All targeted users",
      values: asPercent(
        report.timeline.map((p) => p.registered),
        report.targeted,
      ),
      emphasis: true,
    },
    // A campaign for two methods: a line for each method's users, unless a target has exactly
    // that line (a method targeted through one group): drawn once, as the target's.
    ...(report.countedMethods.length < 2
      ? []
      : report.countedMethods
          .filter((method) => {
            const m = report.byMethod[method];
            return !report.byTarget.some(
              (t) => t.targeted === m.targeted && t.timeline.every((v, i) => v === m.timeline[i]),
            );
          })
          .map((method) => ({
            label: `${METHOD_LABEL[method]} (targeted for it)`,
            values: asPercent(report.byMethod[method].timeline, report.byMethod[method].targeted),
          }))),
    // A target holding every targeted user (all users) has the total's line: drawn once.
    ...report.byTarget
      .filter((t) => t.targeted !== report.targeted)
      .map((t) => ({ label: targetLabel(t), values: asPercent(t.timeline, t.targeted) })),
  ];
}

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 820px; color: #1f2328; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
.muted { color: #57606a; }
.figures { display: flex; gap: 1rem; margin: 1.5rem 0; flex-wrap: wrap; }
.figure { border: 1px solid #d0d7de; border-radius: 8px; padding: 0.8rem 1.2rem; min-width: 9rem; }
.figure .value { font-size: 1.8rem; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; }
th, td { border-bottom: 1px solid #d0d7de; padding: 0.35rem 0.5rem; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; }
.swatch { display: inline-block; width: 0.9rem; height: 0.9rem; border-radius: 2px; vertical-align: -0.1rem; margin-right: 0.3rem; }
`;

/**
 * A self-contained page (inline CSS, no script, nothing loaded from the network) titled `title`,
 * with `body` (HTML) below its heading: the shell of `report`'s and `readiness`'s pages.
 */
export function htmlPage(title: string, body: string): string {
  const e = escapeXml;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${e(title)}</h1>
${body}
</body>
</html>
`;
}

/** One headline figure of a page: a value over its label. */
export function htmlFigure(id: string, value: string, label: string): string {
  const e = escapeXml;
  return `<div class="figure" id="${id}"><div class="value">${e(value)}</div><div class="muted">${e(label)}</div></div>`;
}

/** A reasons table's rows: how many users, and why. */
export function reasonRowsHtml(reasons: readonly { users: number; description: string }[]): string {
  return reasons
    .map(
      (r) =>
        `<tr><td class="n">${formatCount(r.users)}</td><td>${escapeXml(r.description)}</td></tr>`,
    )
    .join("\n");
}

/** A self-contained page: inline CSS and SVG, no script, nothing loaded from the network. */
export function progressHtml(report: ProgressReport, title = defaultTitle(report)): string {
  const e = escapeXml;
  const methods = methodRows(report)
    .map(
      (row) =>
        `<tr><td>${e(row[0])}</td>${row
          .slice(1)
          .map((cell) => `<td class="n">${e(cell)}</td>`)
          .join("")}</tr>`,
    )
    .join("\n");
  const series = chartSeries(report);
  const rows = report.byTarget
    .map(
      (t) =>
        `<tr><td>${e(targetLabel(t))}</td><td class="n">${formatCount(t.targeted)}</td><td class="n">${formatCount(t.registered)}</td><td class="n">${formatCount(t.registeredSinceStart)}</td><td class="n">${formatCount(t.notYet)}</td><td class="n">${pct(t.registered, t.targeted)}</td></tr>`,
    )
    .join("\n");
  const reasons = reasonRowsHtml(report.notYetReasons);
  const days = report.timeline
    .map(
      (p) =>
        `<tr><td>${p.date}</td><td class="n">${formatCount(p.registered)}</td><td class="n">${formatCount(p.newRegistrations)}</td></tr>`,
    )
    .join("\n");
  const legend = series
    .map(
      (s, i) =>
        `<li><span class="swatch" style="background:${SERIES_COLOURS[i % SERIES_COLOURS.length]}"></span>${e(s.label)}</li>`,
    )
    .join("");
  return htmlPage(
    title,
    `<p class="muted">${e(startLine(report))} Report as of ${e(report.asOf.slice(0, 16).replace("T", " "))} UTC.</p>
<p id="headline">${e(headline(report))}</p>
<div class="figures">
${htmlFigure("targeted", formatCount(report.targeted), "targeted users")}
${htmlFigure("registered", formatCount(report.registered), `registered ${shortWhat(report)}`)}
${htmlFigure("percent", `${report.percentRegistered}%`, "of targeted users")}
${htmlFigure("not-yet", formatCount(report.notYet), "not yet")}
</div>
${countedLines(report)
  .map((line) => `<p class="counted">${e(line)}</p>`)
  .join("\n")}
${
  methods === ""
    ? ""
    : `<h2>By method</h2>
<table id="methods">
<thead><tr><th>Method</th><th class="n">Targeted</th><th class="n">Registered</th><th class="n">Since start</th><th class="n">Not yet</th><th class="n">%</th></tr></thead>
<tbody>
${methods}
</tbody>
</table>
`
}<h2>Registered over time</h2>
<p class="muted">Share of each target's users registered for ${e(shortWhat(report))}, by day.</p>
${progressChartSvg(
  series,
  report.timeline.map((p) => p.date),
  "Share of targeted users registered over time",
)}
<ul class="legend">${legend}</ul>
<h2>By target</h2>
<table id="targets">
<thead><tr><th>Target</th><th class="n">Targeted</th><th class="n">Registered</th><th class="n">Since start</th><th class="n">Not yet</th><th class="n">%</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${
  report.notYetReasons.length === 0
    ? ""
    : `<h2>Not yet registered</h2>
<table id="reasons">
<thead><tr><th class="n">Users</th><th>Why</th></tr></thead>
<tbody>
${reasons}
</tbody>
</table>
`
}<h2>Day by day</h2>
<table id="days">
<thead><tr><th>Day</th><th class="n">Registered (cumulative)</th><th class="n">New</th></tr></thead>
<tbody>
${days}
</tbody>
</table>
<p class="muted">From the registration report (userRegistrationDetails) and the directory audit log ("User registered security info", "Authentication Methods Policy Update"). Generated by entra-nudge report.</p>`,
  );
}

/** The registered figure's words: "Authenticator for push", "a passkey", "the method nudged". */
function shortWhat(report: ProgressReport): string {
  if (report.countedMethods.length > 1) return "the method nudged";
  return report.countedMethods[0] === "fido2" ? "a passkey" : "Authenticator for push";
}

function defaultTitle(report: ProgressReport): string {
  if (report.countedMethods.length > 1) return "Registration campaign";
  return report.countedMethods[0] === "fido2"
    ? "Passkey registration campaign"
    : "Microsoft Authenticator registration campaign";
}

/** A few lines for the end of a demo or a log. */
export function progressSummary(report: ProgressReport): string {
  const targets = report.byTarget
    .map(
      (t) =>
        `${targetLabel(t)}: ${formatCount(t.registered)}/${formatCount(t.targeted)} (${pct(t.registered, t.targeted)})`,
    )
    .join(", ");
  const last = report.timeline.slice(-7);
  return [
    `Progress: ${headline(report)}`,
    `  ${startLine(report)}`,
    ...(report.countedMethods.length > 1
      ? [
          `  by method: ${report.countedMethods
            .map(
              (method) =>
                `${METHOD_LABEL[method]} ${formatCount(report.byMethod[method].registered)}/${formatCount(report.byMethod[method].targeted)}`,
            )
            .join(", ")}`,
        ]
      : []),
    ...(targets ? [`  by target: ${targets}`] : []),
    ...(report.notYetReasons.length
      ? [
          `  not yet: ${report.notYetReasons
            .slice(0, 3)
            .map((r) => `${formatCount(r.users)} ${r.description}`)
            .join("; ")}`,
        ]
      : []),
    ...(last.length > 1
      ? [`  last ${last.length} days: ${last.map((p) => `+${p.newRegistrations}`).join(" ")}`]
      : []),
  ].join("\n");
}
