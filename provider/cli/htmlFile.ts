// The --html FILE option of `report` and `readiness`: checked before anything is read, written
// with a sentence on failure.
import * as fs from "node:fs";
import * as path from "node:path";

/** The HTML file's path, checked before anything is read: its directory must exist. */
export function htmlTarget(html: string | undefined, cwd: string): string | undefined {
  if (html === undefined) return undefined;
  const file = path.resolve(cwd, html);
  const dir = path.dirname(file);
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(
      `--html ${html}: the directory ${dir} does not exist. Create it first, or give a file in an existing directory.`,
    );
  }
  return file;
}

export function writeHtml(file: string, html: string): void {
  try {
    fs.writeFileSync(file, html);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      `--html: could not write ${file}${code === "EACCES" || code === "EPERM" ? " (permission denied)" : code === "EISDIR" ? " (it is a directory)" : code ? ` (${code})` : ""}. Choose a file you can write.`,
    );
  }
}
