// The providers' implementation (provider/resources/providers/) is the dynamic-provider process's
// room: its one process-wide Graph session, configured by the engine. Commands and features open
// sessions of their own (provider/session.ts) and read the tenant through provider/live, so none
// of them may reach into that room: one import would bring its process-wide state back onto a
// command's path. Tests drive the providers through their entry only (what the engine loads as
// "pulumi-entra-nudge/internal/providers"), never through their internals.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { sourceFiles, specifiersOf } from "../../scripts/structure";
import { projectRoot } from "../support/engine";

const SOURCE_DIRS = ["provider", "emulator", "policy", "bench", "scripts", "examples", "tests"];
const PROVIDERS_DIR = path.join(projectRoot, "provider", "resources", "providers");
const RESOURCES_DIR = path.join(projectRoot, "provider", "resources");
const PACKAGE_ENTRY = "pulumi-entra-nudge/internal/providers";
/** Loads the entry by name in a child process, exactly as the engine's shim does, to time it. */
const LOADS_ENTRY_AS_THE_ENGINE = [
  path.join(projectRoot, "bench", "overhead.ts"),
  path.join(projectRoot, "bench", "methodLoss.ts"),
];

/** Where a specifier leads, as a path without extension; undefined for another package. */
function target(file: string, specifier: string): string | undefined {
  if (specifier === PACKAGE_ENTRY) return PROVIDERS_DIR;
  if (!specifier.startsWith(".")) return undefined;
  return path.resolve(path.dirname(file), specifier).replace(/(\/index)?\.(js|ts)$/, "");
}

const inside = (dir: string, file: string) => file === dir || file.startsWith(`${dir}${path.sep}`);

describe("layers: nothing outside provider/resources/ reaches into the providers' implementation", () => {
  const files = SOURCE_DIRS.flatMap((dir) => sourceFiles(path.join(projectRoot, dir)));

  it("finds the imports it checks (the scan sees the project's sources and their specifiers)", () => {
    expect(files.length).to.be.greaterThan(100);
    expect(files).to.include(path.join(projectRoot, "provider", "drift", "detect.ts"));
    expect(specifiersOf(`import * as a from "./a";\nimport type { B } from '../b';`)).to.deep.equal(
      ["./a", "../b"],
    );
    expect(
      specifiersOf(`export { c } from "./c";\nconst d = require("./d");\nawait import("./e");`),
    ).to.have.members(["./c", "./d", "./e"]);
  });

  it("no command, feature, script, bench or emulator module imports provider/resources/providers/", () => {
    const offenders = files
      .filter(
        (file) => !inside(RESOURCES_DIR, file) && !inside(path.join(projectRoot, "tests"), file),
      )
      .flatMap((file) =>
        specifiersOf(fs.readFileSync(file, "utf8"))
          .filter((specifier) => {
            if (specifier === PACKAGE_ENTRY && LOADS_ENTRY_AS_THE_ENGINE.includes(file))
              return false;
            const to = target(file, specifier);
            return to !== undefined && inside(PROVIDERS_DIR, to);
          })
          .map((specifier) => `${path.relative(projectRoot, file)}: ${specifier}`),
      );
    expect(offenders, "use provider/session.ts and provider/live instead").to.deep.equal([]);
  });

  it("tests reach the providers through their entry only, never their internals", () => {
    const offenders = files
      .filter((file) => inside(path.join(projectRoot, "tests"), file))
      .flatMap((file) =>
        specifiersOf(fs.readFileSync(file, "utf8"))
          .filter((specifier) => {
            const to = target(file, specifier);
            return to !== undefined && inside(PROVIDERS_DIR, to) && to !== PROVIDERS_DIR;
          })
          .map((specifier) => `${path.relative(projectRoot, file)}: ${specifier}`),
      );
    expect(offenders, "import provider/resources/providers (its index) instead").to.deep.equal([]);
  });

  it("no module of the package outside provider/resources/ keeps process-wide variables", () => {
    // A command or feature that could set module-level state would make one job's settings
    // another's; each job's state lives in the session it is given.
    const offenders = files
      .filter((file) => inside(path.join(projectRoot, "provider"), file))
      .filter((file) => !inside(RESOURCES_DIR, file))
      .flatMap((file) =>
        fs
          .readFileSync(file, "utf8")
          .split("\n")
          .flatMap((line, i) =>
            /^(export\s+)?(let|var)\s/.test(line)
              ? [`${path.relative(projectRoot, file)}:${i + 1}: ${line}`]
              : [],
          ),
      );
    expect(offenders).to.deep.equal([]);
  });
});
