// The command and output blocks of the README and the docs/ pages, each with the marker that says
// how a test runs or checks it, so the documentation cannot drift from the product. A marker is an
// HTML comment on the line before the block (a blank line between is allowed):
//   <!-- block ID: run by tests/<dir>/<file>.test.ts (what the test does) -->
//   <!-- block ID: checked by tests/<dir>/<file>.test.ts (what is compared) -->
//   <!-- block ID: not run (why) -->            ("not run as written (why)" and the like too)
// The named test file fetches the block with docBlock("<page>", "<ID>") (tests/docs/blocks.test.ts
// checks that it does).
import * as fs from "node:fs";
import * as path from "node:path";
import { projectRoot } from "./engine";

export interface DocBlock {
  /** The page, relative to the repository root: "README.md", "docs/commands.md". */
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The fence's language ("bash", "json", "ts", ""). */
  language: string;
  text: string;
  /** The marker; undefined when the block has none (which the structural test refuses). */
  marker?: BlockMarker;
}

export type BlockMarker =
  | { id: string; how: "run" | "checked"; by: string; what: string }
  | { id: string; how: "not run"; why: string };

const MARKER =
  /^<!-- block ([a-z0-9-]+): (?:(run|checked) by (tests\/[\w./-]+\.test\.ts) \((.+)\)|not run[^(]*\((.+)\)) -->$/;

/** README.md and every page under docs/, relative to the repository root. */
export function documentationPages(): string[] {
  const docs = fs
    .readdirSync(path.join(projectRoot, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`);
  return ["README.md", ...docs];
}

export function readPage(page: string): string {
  return fs.readFileSync(path.join(projectRoot, page), "utf8");
}

/** Every fenced block of a page, with its marker. */
export function blocksOf(page: string): DocBlock[] {
  const lines = readPage(page).split("\n");
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)(`{3,})(\S*)\s*$/.exec(lines[i]);
    if (!fence) continue;
    const [, indent, ticks, language] = fence;
    let end = i + 1;
    while (end < lines.length && lines[end].trim() !== ticks) end++;
    let before = i - 1;
    while (before >= 0 && lines[before].trim() === "") before--;
    const match = before >= 0 ? MARKER.exec(lines[before].trim()) : null;
    blocks.push({
      page,
      line: i + 1,
      language,
      text: lines
        .slice(i + 1, end)
        .map((l) => l.slice(indent.length))
        .join("\n"),
      marker: match ? markerOf(match) : undefined,
    });
    i = end;
  }
  return blocks;
}

function markerOf(match: RegExpExecArray): BlockMarker {
  const [, id, how, by, what, why] = match;
  return how === "run" || how === "checked" ? { id, how, by, what } : { id, how: "not run", why };
}

/** The block of `page` whose marker has this id; throws when there is none. */
export function docBlock(page: string, id: string): DocBlock {
  const block = blocksOf(page).find((b) => b.marker?.id === id);
  if (!block) throw new Error(`${page} has no block marked "${id}".`);
  return block;
}

/** The shell lines of a bash block: comments and continuation backslashes resolved. */
export function commandLines(block: DocBlock): string[] {
  return block.text
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .map((line) => line.replace(/(^|\s)#.*$/, "").trim())
    .filter((line) => line !== "");
}

/**
 * Where a documented JSON example and a real answer differ in shape: key sets (recursively; an
 * array's first items), types. "…" and null in the example stand for any value, and a key "…"
 * in an object means "more keys, as elsewhere"; an example keyed by object ids is a map.
 */
export function shapeDifferences(example: unknown, actual: unknown, at = "$"): string[] {
  if (example === "…" || example === null) return [];
  if (Array.isArray(example)) {
    if (!Array.isArray(actual)) return [`${at}: an array in the example, ${typeName(actual)} here`];
    if (example.length === 0 || actual.length === 0) return [];
    return shapeDifferences(example[0], actual[0], `${at}[0]`);
  }
  if (typeof example === "object") {
    if (typeof actual !== "object" || actual === null || Array.isArray(actual))
      return [`${at}: an object in the example, ${typeName(actual)} here`];
    const exampleKeys = Object.keys(example).filter((k) => k !== "…");
    const actualKeys = Object.keys(actual);
    // A map by object id ("names"): its entries are compared with the example's first one.
    if (exampleKeys.length > 0 && exampleKeys.every((k) => GUID.test(k))) {
      const entry = (example as Record<string, unknown>)[exampleKeys[0]];
      return actualKeys.flatMap((k) =>
        GUID.test(k)
          ? shapeDifferences(entry, (actual as Record<string, unknown>)[k], `${at}[${k}]`)
          : [`${at}.${k}: not an object id, as the example's keys are`],
      );
    }
    const open = Object.keys(example).includes("…");
    const differences = [
      ...exampleKeys.filter((k) => !actualKeys.includes(k)).map((k) => `${at}.${k}: not output`),
      ...(open
        ? []
        : actualKeys
            .filter((k) => !exampleKeys.includes(k))
            .map((k) => `${at}.${k}: undocumented`)),
    ];
    for (const key of exampleKeys.filter((k) => actualKeys.includes(k))) {
      differences.push(
        ...shapeDifferences(
          (example as Record<string, unknown>)[key],
          (actual as Record<string, unknown>)[key],
          `${at}.${key}`,
        ),
      );
    }
    return differences;
  }
  return typeof example === typeof actual || actual === null
    ? []
    : [`${at}: ${typeName(example)} in the example, ${typeName(actual)} here`];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function typeName(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}
