// Collecting every problem in a set of arguments (never stopping at the first), the one error type
// that reports them, and the small checks the per-resource validators share. Each problem names
// the property path, the bad value and the fix, in a sentence a platform engineer can act on.
import { isUnknown } from "./ids";

export interface ValidationProblem {
  /** Path into the arguments, e.g. "includeTargets[1].id"; "" for the arguments as a whole. */
  property: string;
  /** A self-contained sentence that starts with the path. */
  message: string;
}

export class ProblemCollector {
  private readonly found: ValidationProblem[] = [];

  add(property: string, text: string): void {
    this.found.push({ property, message: property === "" ? text : `${property}: ${text}` });
  }

  get problems(): ValidationProblem[] {
    return [...this.found];
  }
}

/** Thrown when arguments are invalid; lists every problem, one per line. */
export class InputValidationError extends Error {
  readonly subject: string;
  readonly problems: readonly ValidationProblem[];

  constructor(subject: string, problems: readonly ValidationProblem[]) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super(
      `Invalid ${subject} arguments (${count}):\n` +
        problems.map((problem) => `  - ${problem.message}`).join("\n"),
    );
    this.name = "InputValidationError";
    this.subject = subject;
    this.problems = problems;
  }
}

export function throwIfProblems(subject: string, problems: readonly ValidationProblem[]): void {
  if (problems.length > 0) throw new InputValidationError(subject, problems);
}

/**
 * Problems as a dynamic provider's check() failures. The engine prints a failure as
 * "property P value V has a problem: reason" and looks V up by P among the top-level inputs, so P is
 * the top-level argument and the reason keeps the full path.
 */
export function toCheckFailures(
  problems: readonly ValidationProblem[],
): { property: string; reason: string }[] {
  // No property: given one, the engine prints "property 'x' value {[{map[id:{…}]}]} has a
  // problem: …", its own dump of the whole input before the reason; without one it prints
  // "<type> resource '<name>' has a problem: <reason>" (pkg/resource/deploy, issueCheckErrors).
  // Each reason starts with the full path of the value it is about.
  return problems.map((problem) => ({ property: "", reason: problem.message }));
}

export function propertyPath(base: string, segment: string | number): string {
  if (typeof segment === "number") return `${base}[${segment}]`;
  return base === "" ? segment : `${base}.${segment}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A value as it should appear in a message: strings quoted, NaN as NaN, long objects cut. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  if (value === undefined) return "undefined";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** "a", "b" or "c" */
export function listValues(values: readonly string[], conjunction = "or"): string {
  const quoted = values.map((value) => JSON.stringify(value));
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} ${conjunction} ${quoted[quoted.length - 1]}`;
}

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/**
 * The argument a misspelled name most likely meant: a near spelling (includeTarget →
 * includeTargets) or most of its words (snoozeDays → snoozeDurationInDays).
 */
export function suggestName(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: { candidate: string; score: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    const nameWords = words(name);
    const candidateWords = words(candidate);
    const shared = nameWords.filter((word) =>
      candidateWords.some(
        (other) =>
          other === word || (word.length >= 4 && other.length >= 4 && other.startsWith(word)),
      ),
    ).length;
    // A near spelling beats shared words; among shared words, more is better.
    const score =
      distance <= Math.max(2, Math.floor(candidate.length / 4))
        ? 100 - distance
        : nameWords.length > 0 && shared / nameWords.length >= 0.5
          ? shared / nameWords.length
          : 0;
    if (score > 0 && (best === undefined || score > best.score)) best = { candidate, score };
  }
  return best?.candidate;
}

/**
 * Reports properties that are not among `allowed` (a typo would otherwise be ignored silently).
 * `explained` gives a dedicated message for names that deserve one (e.g. number matching).
 */
export function checkKnownKeys(
  collector: ProblemCollector,
  base: string,
  value: Record<string, unknown>,
  allowed: readonly string[],
  what: string,
  explained: Readonly<Record<string, string>> = {},
  ignored: readonly string[] = [],
): void {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key) || ignored.includes(key)) continue;
    const path = propertyPath(base, key);
    const explanation = explained[key];
    if (explanation !== undefined) {
      collector.add(path, explanation);
      continue;
    }
    const suggestion = suggestName(key, allowed);
    const hint = suggestion === undefined ? "" : ` Did you mean ${JSON.stringify(suggestion)}?`;
    collector.add(path, `is not ${what}.${hint} Valid names: ${allowed.join(", ")}.`);
  }
}

export type CheckStatus = "ok" | "absent" | "unknown" | "invalid";

export interface EnumRule {
  /** What the value is, for "is not a valid <what>". */
  what: string;
  allowed: readonly string[];
  /** How to list the choices in the fix, e.g. `"enabled", "disabled" or "default" (Microsoft managed)`. */
  choices?: string;
  /** Dedicated messages for bad values that deserve one (keys compared case-insensitively). */
  explained?: Readonly<Record<string, string>>;
  /** The fix when the value is missing; omit for optional values. */
  requiredFix?: string;
}

/** Graph enums are case-sensitive camelCase: near misses in case are rejected with the exact spelling. */
export function checkEnum(
  collector: ProblemCollector,
  path: string,
  value: unknown,
  rule: EnumRule,
): CheckStatus {
  if (isUnknown(value)) return "unknown";
  if (value === undefined || value === null) {
    if (rule.requiredFix === undefined) return "absent";
    collector.add(path, `is required. ${rule.requiredFix}`);
    return "invalid";
  }
  const choices = rule.choices ?? listValues(rule.allowed);
  if (typeof value !== "string") {
    collector.add(path, `${describeValue(value)} is not a string. Use ${choices}.`);
    return "invalid";
  }
  if (rule.allowed.includes(value)) return "ok";
  const explanation = Object.entries(rule.explained ?? {}).find(
    ([bad]) => bad.toLowerCase() === value.toLowerCase(),
  );
  if (explanation !== undefined) {
    collector.add(path, `${describeValue(value)} ${explanation[1]}`);
    return "invalid";
  }
  const sameLetters = rule.allowed.find((allowed) => allowed.toLowerCase() === value.toLowerCase());
  if (sameLetters !== undefined) {
    collector.add(
      path,
      `${describeValue(value)} is not valid: values are case-sensitive. Use ${JSON.stringify(sameLetters)}.`,
    );
    return "invalid";
  }
  collector.add(path, `${describeValue(value)} is not a valid ${rule.what}. Use ${choices}.`);
  return "invalid";
}

/** An optional boolean; `fix` says what true and false mean. */
export function checkBoolean(
  collector: ProblemCollector,
  path: string,
  value: unknown,
  fix: string,
): CheckStatus {
  if (isUnknown(value)) return "unknown";
  if (value === undefined || value === null) return "absent";
  if (typeof value === "boolean") return "ok";
  if (value === "true" || value === "false") {
    collector.add(
      path,
      `${describeValue(value)} is a string. Use the boolean ${value} (no quotes).`,
    );
  } else {
    collector.add(path, `${describeValue(value)} is not a boolean. ${fix}`);
  }
  return "invalid";
}

/** An optional string; `fix` says what to put there. */
export function checkString(
  collector: ProblemCollector,
  path: string,
  value: unknown,
  fix: string,
): CheckStatus {
  if (isUnknown(value)) return "unknown";
  if (value === undefined || value === null) return "absent";
  if (typeof value === "string") return "ok";
  collector.add(path, `${describeValue(value)} is not a string. ${fix}`);
  return "invalid";
}
