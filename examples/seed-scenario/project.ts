// The project the root Pulumi.yaml declares, for the runs that drive the seed program inline through
// the Automation API (the end-to-end tests) and for `npm start`'s project: they use the same name,
// so their stacks, config keys and URNs are the ones a user of the CLI sees.
import * as fs from "node:fs";
import * as path from "node:path";

/** The repository root (this file is compiled to dist/examples/seed-scenario/). */
export const repositoryRoot = path.resolve(__dirname, "..", "..", "..");

/** A top-level scalar of the root Pulumi.yaml (no YAML library needed for those). */
function topLevelScalar(key: "name" | "main", root: string): string {
  const file = path.join(root, "Pulumi.yaml");
  const pattern = new RegExp(`^${key}:\\s*["']?([^"'\\s#]+)["']?\\s*(#.*)?$`, "m");
  const match = pattern.exec(fs.readFileSync(file, "utf8"));
  if (!match) throw new Error(`${file} has no top-level "${key}:".`);
  return match[1];
}

/** The project name: the inline runs use it too, so stacks, config keys and URNs match the CLI's. */
export function seedProjectName(root: string = repositoryRoot): string {
  return topLevelScalar("name", root);
}

/** The absolute path of the program the root Pulumi.yaml runs (`main`). */
export function seedProjectMain(root: string = repositoryRoot): string {
  return path.resolve(root, topLevelScalar("main", root));
}
