// tests/pending-allowed.json: the pending tests a run may have, each with the reason it may not run
// (read by the reporter, tests/support/reporter.ts). Short on purpose: every entry is a test that
// can stay silent, so each one says when and why.
import * as fs from "node:fs";
import * as path from "node:path";

/** One allowed pending test: its full title (or the start of it) and why it may not run. */
export interface AllowedPending {
  /** The full title (describe titles and the test's, joined by spaces), as the reporter sees it. */
  title: string;
  /** "prefix": any full title that starts with `title` (a title that carries a changing reason). */
  match?: "exact" | "prefix";
  reason: string;
}

/** tests/pending-allowed.json, from the compiled module (dist/tests/support). */
export const ALLOW_LIST = path.resolve(
  __dirname,
  "..",
  "..",
  "..",
  "tests",
  "pending-allowed.json",
);

export function readAllowList(file: string = ALLOW_LIST): AllowedPending[] {
  const entries = (JSON.parse(fs.readFileSync(file, "utf8")) as { allowed: AllowedPending[] })
    .allowed;
  for (const entry of entries) {
    if (typeof entry.title !== "string" || entry.title.trim() === "")
      throw new Error(`${file}: an entry has no title.`);
    if (typeof entry.reason !== "string" || entry.reason.trim().length < 20)
      throw new Error(`${file}: "${entry.title}" needs a reason (a sentence saying why).`);
  }
  return entries;
}

/** Whether a pending test with this full title is on the allow-list. */
export function pendingAllowed(fullTitle: string, allowed: readonly AllowedPending[]): boolean {
  return allowed.some((entry) =>
    entry.match === "prefix" ? fullTitle.startsWith(entry.title) : fullTitle === entry.title,
  );
}
