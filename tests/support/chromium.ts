// Headless Chromium for the HTML pages' tests (Debian's chromium, installed by
// scripts/ensure-chromium.js before the suites run): never skipped, without a browser they fail.
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

// dist/tests/support → the repository's scripts/ (plain CommonJS, not compiled).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureChromium } = require(
  path.resolve(__dirname, "../../../scripts/ensure-chromium.js"),
) as {
  ensureChromium(): string;
};

/** Headless chromium with no profile, network side-channels or first-run work. */
export async function chromium(args: string[], workDir: string): Promise<string> {
  const binary = ensureChromium();
  const { stdout } = await run(
    binary,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
      `--user-data-dir=${path.join(workDir, "profile")}`,
      ...args,
    ],
    { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
  );
  return stdout;
}

/** The text of the element with this id in the rendered DOM (nested elements of its kind balanced). */
export function textOf(dom: string, id: string): string {
  const open = new RegExp(`<(\\w+)[^>]*\\sid="${id}"[^>]*>`).exec(dom);
  if (!open) return "";
  const name = open[1];
  const tags = new RegExp(`<(/?)${name}\\b[^>]*>`, "g");
  tags.lastIndex = open.index + open[0].length;
  let depth = 1;
  let end = dom.length;
  for (let tag = tags.exec(dom); tag; tag = tags.exec(dom)) {
    depth += tag[1] === "/" ? -1 : 1;
    if (depth === 0) {
      end = tag.index;
      break;
    }
  }
  return dom
    .slice(open.index + open[0].length, end)
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}
