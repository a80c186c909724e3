// The three forms of a drift report: a terminal table (default), JSON with a stable, documented
// schema (docs/commands.md, "entra-nudge drift"), and Markdown for a job summary or a comment.
import type { DeclarationSource } from "../declaration/read";
import { EXISTS_PROPERTY, type DriftDifference, type DriftReport } from "./detect";
import { errorKind } from "../errors";
import { escapeMarkdown, table } from "../render/text";
import {
  KIND_WORDS,
  objectWords,
  passkeyTypeAt,
  pathSegments,
  propertyWords,
  valueWords,
  type Names,
} from "../render/words";

/** Bumped only for changes that break consumers; added fields keep the version. */
export const DRIFT_SCHEMA_VERSION = 1;

export interface DriftJson {
  schemaVersion: number;
  inSync: boolean;
  source: DeclarationSource;
  tenantId: string | null;
  summary: { resources: number; drifted: number; missing: number; differences: number };
  resources: {
    resource: string;
    kind: string;
    urn: string;
    id: string;
    status: "inSync" | "drifted" | "missing";
  }[];
  differences: DriftDifference[];
  names: Record<string, string>;
}

export function driftJson(report: DriftReport): DriftJson {
  const count = (status: string) => report.resources.filter((r) => r.status === status).length;
  return {
    schemaVersion: DRIFT_SCHEMA_VERSION,
    inSync: report.inSync,
    source: report.source,
    tenantId: report.tenantId ?? null,
    summary: {
      resources: report.resources.length,
      drifted: count("drifted"),
      missing: count("missing"),
      differences: report.differences.length,
    },
    resources: report.resources,
    differences: report.differences,
    names: Object.fromEntries([...report.names].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

/** What `--json` prints when the check failed: no `inSync`, so it cannot be read as a verdict. */
export function errorJson(err: unknown): {
  schemaVersion: number;
  error: { kind: string; message: string };
} {
  return {
    schemaVersion: DRIFT_SCHEMA_VERSION,
    error: { kind: errorKind(err), message: (err as Error).message ?? String(err) },
  };
}

function describeSource(source: DeclarationSource): string {
  return "stack" in source ? `stack "${source.stack}"` : `the state file ${source.file}`;
}

function counts(report: DriftReport): string {
  const drifted = report.resources.filter((r) => r.status !== "inSync").length;
  const n = report.differences.length;
  return `${n} ${n === 1 ? "difference" : "differences"} in ${drifted} of ${report.resources.length} ${report.resources.length === 1 ? "resource" : "resources"}`;
}

const STATUS_WORDS = { inSync: "in sync", drifted: "drifted", missing: "missing" };

/**
 * The property in words with the object it names ("Excluded: Sales"), as preview-summary says it;
 * the path stays beside it (and alone in `--json`) for whoever looks for it in the program.
 */
function propertyNamed(difference: DriftDifference, names: Names): string {
  if (difference.property === EXISTS_PROPERTY) return "The resource itself";
  const label = propertyWords(difference.kind, difference.property, names);
  const segments = pathSegments(difference.property);
  const id = segments.length === 2 ? segments[1].key : undefined;
  return id === undefined ? label : `${label}: ${objectWords(id, names)}`;
}

/** The property in words and its path: "Excluded: Sales (excludeTargets[…])". */
function propertyText(difference: DriftDifference, names: Names): string {
  const named = propertyNamed(difference, names);
  return difference.property === EXISTS_PROPERTY ? named : `${named} (${difference.property})`;
}

function markdownProperty(difference: DriftDifference, names: Names): string {
  const named = escapeMarkdown(propertyNamed(difference, names));
  return difference.property === EXISTS_PROPERTY ? named : `${named} (\`${difference.property}\`)`;
}

function declaredWords(difference: DriftDifference, names: Names): [string, string] {
  if (difference.property === EXISTS_PROPERTY) return ["exists", "deleted"];
  const show = (value: DriftDifference["declared"]) =>
    value === null && !passkeyTypeAt(difference.property)
      ? "(absent)"
      : valueWords(difference.kind, difference.property, value, names);
  return [show(difference.declared), show(difference.actual)];
}

/** The significant differences as lines ("Significant: Nudged to set up: A → B (campaign)"). */
function significantLines(report: DriftReport, markdown: boolean): string[] {
  return report.differences.flatMap((d) =>
    d.significant === undefined
      ? []
      : [
          markdown
            ? `> **Significant change:** ${escapeMarkdown(d.significant)} (\`${d.resource}\`)`
            : `Significant change: ${d.significant} (${d.resource})`,
        ],
  );
}

export function driftTable(report: DriftReport): string {
  const significant = significantLines(report, false);
  const lines = [
    `entra-nudge drift: ${describeSource(report.source)}${report.tenantId ? `, tenant ${report.tenantId}` : ""}`,
    "",
    ...(significant.length > 0 ? [...significant, ""] : []),
    ...table([
      ["RESOURCE", "KIND", "STATUS"],
      ...report.resources.map((r) => [r.resource, r.kind, STATUS_WORDS[r.status]]),
    ]),
  ];
  if (report.differences.length > 0) {
    lines.push(
      "",
      ...table([
        ["RESOURCE", "PROPERTY", "DECLARED", "ACTUAL"],
        ...report.differences.map((d) => [
          d.resource,
          propertyText(d, report.names),
          ...declaredWords(d, report.names),
        ]),
      ]),
    );
  }
  lines.push(
    "",
    report.inSync
      ? `In sync: every resource matches the tenant.`
      : `Drift: ${counts(report)}. The tenant differs from the stack's declaration.`,
  );
  return `${lines.join("\n")}\n`;
}

export function driftMarkdown(report: DriftReport): string {
  const where = `${describeSource(report.source).replace(/"([^"]*)"/, "`$1`")}${report.tenantId ? `, tenant \`${report.tenantId}\`` : ""}`;
  const lines = ["<!-- entra-nudge:drift -->"];
  if (report.inSync) {
    lines.push(
      "## entra-nudge drift: in sync",
      "",
      `The tenant matches the declaration (${where}): ${report.resources.length} ${report.resources.length === 1 ? "resource" : "resources"}, no difference.`,
    );
    return `${lines.join("\n")}\n`;
  }
  const significant = significantLines(report, true);
  lines.push(
    "## entra-nudge drift: drift detected",
    "",
    ...(significant.length > 0 ? [...significant, ""] : []),
    `The tenant differs from the declaration (${where}): **${counts(report)}**.`,
    "",
    "| Resource | Property | Declared | Actual |",
    "| --- | --- | --- | --- |",
    ...report.differences.map((d) => {
      const [declared, actual] = declaredWords(d, report.names);
      return `| \`${d.resource}\` (${KIND_WORDS[d.kind]}) | ${markdownProperty(d, report.names)} | ${escapeMarkdown(declared)} | ${escapeMarkdown(actual)} |`;
    }),
    "",
    "Run `pulumi up --refresh` to restore the declaration, or change the program to adopt the tenant's values.",
  );
  return `${lines.join("\n")}\n`;
}

export function errorMarkdown(err: unknown): string {
  return [
    "<!-- entra-nudge:drift -->",
    "## entra-nudge drift: the check failed",
    "",
    `Drift could not be checked (${errorKind(err)}): ${escapeMarkdown((err as Error).message ?? String(err))}`,
    "",
  ].join("\n");
}

/** One stack's outcome in a check of several stacks: a report, or the error that stopped it. */
export interface StackOutcome {
  stack: string;
  exitCode: number;
  report?: DriftReport;
  error?: unknown;
}

function differenceList(report: DriftReport): string {
  const n = report.differences.length;
  const properties = [...new Set(report.differences.map((d) => d.property))];
  return `${n} ${n === 1 ? "difference" : "differences"}: ${properties.join(", ")}`;
}

function errorMessage(err: unknown): string {
  return ((err as Error)?.message ?? String(err)).replace(/\r?\n/g, " ");
}

/** One line per stack, in the order given. */
export function fleetTable(outcomes: StackOutcome[]): string {
  return outcomes
    .map(({ stack, report, error }) =>
      report === undefined
        ? `${stack}: error — ${errorMessage(error)}\n`
        : report.inSync
          ? `${stack}: in sync\n`
          : `${stack}: drift (${differenceList(report)})\n`,
    )
    .join("");
}

export interface FleetJson {
  schemaVersion: number;
  stacks: {
    stack: string;
    exitCode: number;
    inSync?: boolean;
    differences?: DriftDifference[];
    error?: { kind: string; message: string };
  }[];
  /** True exactly when every stack was checked and is in sync. */
  inSync: boolean;
}

export function fleetJson(outcomes: StackOutcome[]): FleetJson {
  return {
    schemaVersion: DRIFT_SCHEMA_VERSION,
    stacks: outcomes.map(({ stack, exitCode, report, error }) =>
      report === undefined
        ? { stack, exitCode, error: errorJson(error).error }
        : { stack, exitCode, inSync: report.inSync, differences: driftJson(report).differences },
    ),
    inSync: outcomes.every((o) => o.report?.inSync === true),
  };
}

export function fleetMarkdown(outcomes: StackOutcome[]): string {
  const lines = [
    "<!-- entra-nudge:drift -->",
    "## entra-nudge drift: " +
      (outcomes.some((o) => o.report === undefined)
        ? "a check failed"
        : outcomes.every((o) => o.report?.inSync)
          ? "in sync"
          : "drift detected"),
    "",
    "| Stack | Verdict | Details |",
    "| --- | --- | --- |",
    ...outcomes.map(({ stack, report, error }) =>
      report === undefined
        ? `| ${escapeMarkdown(stack)} | error | ${escapeMarkdown(`${errorKind(error)}: ${errorMessage(error)}`)} |`
        : report.inSync
          ? `| ${escapeMarkdown(stack)} | in sync | |`
          : `| ${escapeMarkdown(stack)} | drift | ${escapeMarkdown(differenceList(report))} |`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}
