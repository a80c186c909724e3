// The optional impact numbers of a preview summary: the output of `entra-nudge impact --json`
// (DESIGN.md: `{"declared": {"nudged": n, ...}, "current": {"nudged": n, ...}, ...}`), read from a
// file so that the summary depends on that command's documented output, not on its code.
import * as fs from "node:fs";
import * as path from "node:path";
import { ReportError } from "../errors";

export interface ImpactNumbers {
  /** Numbers for the declaration (after this change), by metric. */
  declared: Record<string, number>;
  /** Numbers for the tenant as it is, by metric. */
  current: Record<string, number>;
  /** Who loses a method they have registered (DESIGN.md `methodLoss`), when the file has it. */
  methodLoss?: MethodLossNumbers[];
}

export interface MethodLossNumbers {
  method: string;
  users: number;
  defaultMethod: number;
  onlyMfaMethod: number;
}

const LABELS: Record<string, string> = {
  nudged: "Users nudged",
};

/** A metric key as a row label: `nudged` → "Users nudged", `notEligible` → "Not eligible". */
export function impactLabel(key: string): string {
  if (LABELS[key]) return LABELS[key];
  const words = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function numbers(value: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(value).filter(
      (entry): entry is [string, number] => typeof entry[1] === "number",
    ),
  );
}

/** Reads and checks an impact file; throws ReportError("input") saying what is wrong. */
export function readImpact(file: string, cwd: string): ImpactNumbers {
  const absolute = path.resolve(cwd, file);
  const hint = "Give the output of `entra-nudge impact --stack NAME --json`.";
  let text: string;
  try {
    text = fs.readFileSync(absolute, "utf8");
  } catch (err) {
    throw new ReportError("input", `--impact ${file} cannot be read: ${(err as Error).message}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    throw new ReportError(
      "input",
      `--impact ${file} is not JSON (${(err as Error).message}). ${hint}`,
    );
  }
  const record = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && !Array.isArray(value);
  if (!record(document)) {
    throw new ReportError("input", `--impact ${file} is not a JSON object. ${hint}`);
  }
  for (const side of ["declared", "current"] as const) {
    const value = document[side];
    if (!record(value) || typeof value.nudged !== "number") {
      throw new ReportError(
        "input",
        `--impact ${file}: \`${side}.nudged\` must be a number (the users nudged ${side === "declared" ? "under the declaration" : "today"}). ${hint}`,
      );
    }
  }
  const losses = Array.isArray(document.methodLoss)
    ? document.methodLoss.filter(
        (entry): entry is MethodLossNumbers =>
          record(entry) &&
          typeof entry.method === "string" &&
          ["users", "defaultMethod", "onlyMfaMethod"].every(
            (key) => typeof entry[key] === "number",
          ),
      )
    : undefined;
  return {
    declared: numbers(document.declared as Record<string, unknown>),
    current: numbers(document.current as Record<string, unknown>),
    ...(losses ? { methodLoss: losses } : {}),
  };
}
