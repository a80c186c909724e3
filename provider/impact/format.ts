// The impact report as a terminal table, as Markdown (a CI job summary or PR comment), as JSON (the
// ImpactReport itself), and as the short summary the seed scenario's demo ends with.
import { describeTarget } from "../model";
import type { ImpactReport, ImpactSide, TargetImpact } from "./impact";
import { formatCount } from "../render/text";

function plural(count: number, one: string): string {
  return `${formatCount(count)} ${count === 1 ? one : `${one}s`}`;
}

const TOP_REASONS = 5;

function targetLabel(target: TargetImpact): string {
  if (target.id === "all_users") return "All users";
  const kind = target.targetType === "user" ? "user" : "group";
  return target.displayName
    ? `${kind} "${target.displayName}" (${target.id})`
    : `${kind} ${target.id}`;
}

function share(part: number, whole: number): string {
  return whole === 0 ? "0%" : `${Math.round((part / whole) * 1000) / 10}%`;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function table(rows: string[][], rightAligned: number[]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) =>
    row
      .map((cell, column) => pad(cell, widths[column], rightAligned.includes(column)))
      .join("  ")
      .trimEnd(),
  );
}

function targetRows(sideName: string, side: ImpactSide): string[][] {
  return side.byTarget.map((target) => [
    `  ${sideName}: ${targetLabel(target)}`,
    formatCount(target.users),
    formatCount(target.nudged),
    formatCount(target.nudgedMembers),
    formatCount(target.nudgedGuests),
  ]);
}

function breakGlassLines(report: ImpactReport): string[] {
  return report.declared.breakGlass
    .filter((group) => group.nudged > 0)
    .map(
      (group) =>
        `Warning: break-glass group ${group.displayName ? `"${group.displayName}" ` : ""}(${group.id}) would be nudged under the declaration: ${group.nudgedUsers.join(", ")}. Exclude it from the campaign.`,
    );
}

/**
 * The nudged users by the method they are nudged to set up, when either side nudges anyone to a
 * passkey (passkeys §2–§3): an Authenticator-only comparison keeps its rows as they were.
 */
function methodRows(report: ImpactReport): [string, string, string][] {
  const { declared, current } = report;
  if (declared.nudgedByMethod.fido2 === 0 && current.nudgedByMethod.fido2 === 0) return [];
  return [
    [
      "to set up a passkey",
      formatCount(declared.nudgedByMethod.fido2),
      formatCount(current.nudgedByMethod.fido2),
    ],
    [
      "to set up Authenticator",
      formatCount(declared.nudgedByMethod.microsoftAuthenticator),
      formatCount(current.nudgedByMethod.microsoftAuthenticator),
    ],
  ];
}

const LOST_METHOD: Record<string, string> = {
  microsoftAuthenticator: "Microsoft Authenticator",
  passkey: "their passkey (FIDO2)",
};

/**
 * "Warning: 8 users who have Microsoft Authenticator registered would lose it (8 use it as their
 * default MFA method; 1 has no other MFA method): JoniS@…, …" per method that someone loses.
 */
export function methodLossLines(report: Pick<ImpactReport, "methodLoss">): string[] {
  return (report.methodLoss ?? [])
    .filter((loss) => loss.users > 0)
    .map((loss) => {
      const counts = [
        ...(loss.method === "microsoftAuthenticator"
          ? [
              `${formatCount(loss.defaultMethod)} ${loss.defaultMethod === 1 ? "uses" : "use"} it as their default MFA method`,
            ]
          : []),
        `${formatCount(loss.onlyMfaMethod)} ${loss.onlyMfaMethod === 1 ? "has" : "have"} no other MFA method`,
        ...(loss.breakGlass > 0 ? [`${plural(loss.breakGlass, "break-glass account")}`] : []),
      ];
      const more = loss.users - loss.names.length;
      return (
        `Warning: ${plural(loss.users, "user")} who ${loss.users === 1 ? "has" : "have"} ${LOST_METHOD[loss.method]} registered would no longer be allowed to use it (${counts.join("; ")}): ` +
        `${loss.names.join(", ")}${more > 0 ? ` and ${formatCount(more)} more` : ""}.`
      );
    });
}

export function impactTable(report: ImpactReport): string {
  const { declared, current } = report;
  const lines = [
    `Who gets nudged: ${declared.source} compared with the tenant now (${formatCount(report.tenant.users)} users in the registration report)`,
    "",
    ...table(
      [
        ["", "declared", "current"],
        ["Nudged", formatCount(declared.nudged), formatCount(current.nudged)],
        ["  members", formatCount(declared.nudgedMembers), formatCount(current.nudgedMembers)],
        ["  guests", formatCount(declared.nudgedGuests), formatCount(current.nudgedGuests)],
        ...methodRows(report).map(([label, d, c]) => [`  ${label}`, d, c]),
        ["Not nudged", formatCount(declared.notNudged), formatCount(current.notNudged)],
      ],
      [1, 2],
    ),
    "",
    "By campaign target (a user may be in several):",
    ...table(
      [
        ["", "users", "nudged", "members", "guests"],
        ...targetRows("declared", declared),
        ...targetRows("current", current),
      ],
      [1, 2, 3, 4],
    ),
    "",
    "Top reasons the others are not nudged (declared):",
    ...declared.reasons
      .slice(0, TOP_REASONS)
      .map(
        (reason) =>
          `  ${pad(formatCount(reason.users), 8, true)}  ${reason.description} (${reason.reason})`,
      ),
    "",
    report.delta.summary,
    ...methodLossLines(report),
    ...breakGlassLines(report),
    ...(report.missingGroups.length > 0
      ? [
          `Note: these groups do not exist in the tenant and count as empty: ${report.missingGroups.join(", ")}.`,
        ]
      : []),
  ];
  return `${lines.join("\n")}\n`;
}

function escape(text: string): string {
  return text.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`);
}

export function impactMarkdown(report: ImpactReport): string {
  const { declared, current } = report;
  const targetLine = (sideName: string, target: TargetImpact) =>
    `| ${sideName} | ${escape(targetLabel(target))} | ${formatCount(target.users)} | ${formatCount(target.nudged)} | ${formatCount(target.nudgedMembers)} | ${formatCount(target.nudgedGuests)} |`;
  const lines = [
    "## Who gets nudged",
    "",
    `**${escape(report.delta.summary)}**`,
    "",
    ...methodLossLines(report).flatMap((line) => [`> **${escape(line)}**`, ""]),
    `Declared: ${escape(declared.source)}. Current: the tenant now. ${formatCount(report.tenant.users)} users in the registration report (${formatCount(report.tenant.members)} members, ${formatCount(report.tenant.guests)} guests).`,
    "",
    "| | Declared | Current |",
    "|---|---:|---:|",
    `| Nudged | ${formatCount(declared.nudged)} | ${formatCount(current.nudged)} |`,
    `| Members nudged | ${formatCount(declared.nudgedMembers)} | ${formatCount(current.nudgedMembers)} |`,
    `| Guests nudged | ${formatCount(declared.nudgedGuests)} | ${formatCount(current.nudgedGuests)} |`,
    ...methodRows(report).map(([label, d, c]) => `| Nudged ${label} | ${d} | ${c} |`),
    `| Not nudged | ${formatCount(declared.notNudged)} | ${formatCount(current.notNudged)} |`,
    "",
    "### By campaign target",
    "",
    "| | Target | Users | Nudged | Members | Guests |",
    "|---|---|---:|---:|---:|---:|",
    ...declared.byTarget.map((target) => targetLine("declared", target)),
    ...current.byTarget.map((target) => targetLine("current", target)),
    "",
    "### Why the others are not nudged (declared)",
    "",
    "| Users | Reason |",
    "|---:|---|",
    ...declared.reasons.map(
      (reason) => `| ${formatCount(reason.users)} | ${escape(reason.description)} |`,
    ),
    ...breakGlassLines(report).flatMap((line) => ["", `> ${escape(line)}`]),
    ...(report.missingGroups.length > 0
      ? ["", `> Groups that do not exist (counted as empty): ${report.missingGroups.join(", ")}`]
      : []),
    "",
  ];
  return `${lines.join("\n")}\n`;
}

/** A few lines for the end of a demo or a log: the counts, the change, the main reasons. */
export function impactSummary(report: ImpactReport): string {
  const { declared, current } = report;
  const reasons = declared.reasons
    .slice(0, 3)
    .map((reason) => `${formatCount(reason.users)} ${reason.description}`)
    .join("; ");
  const targets = declared.byTarget
    .map(
      (target) =>
        `${target.id === "all_users" ? "all users" : describeTarget(target).replace(target.id, target.displayName ? `"${target.displayName}"` : target.id)}: ${formatCount(target.nudged)} of ${formatCount(target.users)}`,
    )
    .join(", ");
  return [
    `Impact: ${formatCount(declared.nudged)} of ${formatCount(report.tenant.users)} users will be nudged (${share(declared.nudged, report.tenant.users)}; ${plural(declared.nudgedMembers, "member")}, ${plural(declared.nudgedGuests, "guest")}), ${formatCount(current.nudged)} ${current.nudged === 1 ? "is" : "are"} today. ${report.delta.summary}`,
    ...(targets ? [`  by target: ${targets}`] : []),
    ...(reasons ? [`  not nudged: ${reasons}`] : []),
    ...methodLossLines(report).map((line) => `  ${line}`),
    ...breakGlassLines(report).map((line) => `  ${line}`),
  ].join("\n");
}
