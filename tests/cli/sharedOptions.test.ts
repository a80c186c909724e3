// The options the commands share mean the same in each, because one runner applies them
// (provider/cli/command.ts): --help (-h) prints the usage and exits 0 whatever else is given,
// --json with --markdown is refused, --cwd without --stack is refused (it names the project
// directory of --stack), and an unknown option is refused; each refusal is the message, then the
// usage, exit 1, before anything is read.
import { expect } from "chai";
import { main } from "../../provider/cli";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: (text: string) => void out.push(text),
    stderr: (text: string) => void err.push(text),
    // No Graph settings: a command that got past its options would fail differently.
    env: {},
    cwd: process.cwd(),
  };
  return { io, stdout: () => out.join(""), stderr: () => err.join("") };
}

/** Each command with the arguments it needs besides the shared options. */
const COMMANDS: { name: string; needs: string[]; formats: boolean; cwd: boolean }[] = [
  { name: "drift", needs: ["--file", "state.json"], formats: true, cwd: true },
  { name: "impact", needs: ["--declaration", "declared.json"], formats: true, cwd: true },
  { name: "report", needs: [], formats: true, cwd: true },
  { name: "readiness", needs: [], formats: true, cwd: true },
  { name: "preview-summary", needs: ["--input", "preview.json"], formats: false, cwd: true },
  { name: "export", needs: ["--out", "out"], formats: false, cwd: false },
];

describe("cli: the options every command shares", () => {
  for (const command of COMMANDS) {
    const refused = async (args: string[], message: string) => {
      const run = capture();
      expect(await main([command.name, ...args], run.io), args.join(" ")).to.equal(1);
      expect(run.stderr()).to.include(`entra-nudge ${command.name}: ${message}`);
      expect(run.stderr()).to.include(`Usage: entra-nudge ${command.name}`);
      expect(run.stdout()).to.equal("");
    };

    it(`${command.name}: --help and -h print the usage, exit 0, whatever else is given`, async () => {
      for (const help of ["--help", "-h"]) {
        const run = capture();
        const extra = command.formats ? ["--json", "--markdown"] : [];
        expect(await main([command.name, help, ...extra], run.io)).to.equal(0);
        expect(run.stdout()).to.match(new RegExp(`^Usage: entra-nudge ${command.name}`));
        expect(run.stderr()).to.equal("");
      }
    });

    it(`${command.name}: an unknown option is refused with the usage`, async () => {
      await refused([...command.needs, "--bogus"], "Unknown option '--bogus'");
    });

    if (command.formats) {
      it(`${command.name}: --json with --markdown is refused with the usage`, async () => {
        await refused(
          [...command.needs, "--json", "--markdown"],
          "--json and --markdown cannot be combined: choose one format.",
        );
      });
    }

    if (command.cwd) {
      it(`${command.name}: --cwd without --stack is refused with the usage`, async () => {
        await refused([...command.needs, "--cwd", "."], "--cwd applies to --stack only.");
      });
    }
  }
});
