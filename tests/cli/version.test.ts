// `entra-nudge --version` prints the package's version, as every command-line tool does (a bug
// report starts with it); before it existed the command answered "unknown command".
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { main } from "../../provider/cli";
import { projectRoot } from "../support/engine";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: (text: string) => void out.push(text),
    stderr: (text: string) => void err.push(text),
    env: process.env,
    cwd: process.cwd(),
  };
  return { io, stdout: () => out.join(""), stderr: () => err.join("") };
}

describe("entra-nudge --version", () => {
  const { version } = JSON.parse(
    fs.readFileSync(path.join(projectRoot, "package.json"), "utf8"),
  ) as { version: string };

  for (const flag of ["--version", "-v", "version"]) {
    it(`${flag} prints the package.json version alone and exits 0`, async () => {
      const run = capture();
      expect(await main([flag], run.io)).to.equal(0);
      expect(run.stdout()).to.equal(`${version}\n`);
      expect(run.stderr()).to.equal("");
    });
  }

  it("--help says how to get the version", async () => {
    const run = capture();
    expect(await main(["--help"], run.io)).to.equal(0);
    expect(run.stdout()).to.include("entra-nudge --version");
  });
});
