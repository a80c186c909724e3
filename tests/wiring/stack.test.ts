// `--stack NAME` means the same in every command (DESIGN.md): the settings, and where the command
// reads a declaration the declaration, from that stack, read by one reader (provider/declaration).
// Checked two ways: no module but the reader reaches the stack (provider/stack.ts, the pulumi CLI),
// and every command given `--stack` asks the pulumi CLI the same questions and fails the same way.
// The pulumi CLI here is a stand-in that records its arguments: no engine needed.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { main } from "../../provider/cli";
import { captureIo } from "../eligibility/support";
import { projectRoot } from "../support/engine";
import { sourceFiles, specifiersOf } from "../../scripts/structure";

const TYPE = "pulumi-nodejs:dynamic/entra-nudge:";
const BREAK_GLASS = "2fbb5b75-4b8e-581b-9aaa-28ef3cb88c74";
const TENANT = "178cc2f5-b89d-5285-a693-886d7454bd7a";
const STACK_MODULE = path.join(projectRoot, "provider", "stack");
const READER_ROOM = path.join(projectRoot, "provider", "declaration");

/** A `pulumi` that answers `stack export` and `config` from files, and logs each call. */
const FAKE_PULUMI = `#!/usr/bin/env node
const fs = require("node:fs");
const path = require("node:path");
const args = process.argv.slice(2);
const dir = process.env.FAKE_PULUMI_DIR;
fs.appendFileSync(process.env.FAKE_PULUMI_LOG, JSON.stringify({ args, cwd: process.cwd() }) + "\\n");
const stack = args[args.indexOf("--stack") + 1];
const file = path.join(dir, stack + (args[0] === "stack" ? ".state.json" : ".config.json"));
if (!fs.existsSync(file)) {
  process.stderr.write("error: no stack named '" + stack + "' found\\n");
  process.exit(255);
}
process.stdout.write(fs.readFileSync(file, "utf8"));
`;

describe("wiring: one reader for --stack in every command", function () {
  this.timeout(60_000);
  let dir: string;
  let project: string;
  let env: NodeJS.ProcessEnv;
  let log = 0;
  const calls = (file: string) =>
    fs
      .readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { args: string[]; cwd: string });

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-stack-wiring-"));
    project = path.join(dir, "project");
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(dir, "pulumi"), FAKE_PULUMI, { mode: 0o755 });
    const campaign = {
      state: "enabled",
      snoozeDurationInDays: 1,
      includeTargets: [
        {
          id: "all_users",
          targetType: "group",
          targetedAuthenticationMethod: "microsoftAuthenticator",
        },
      ],
      excludeTargets: [{ id: BREAK_GLASS, targetType: "group" }],
      onDelete: "restore",
    };
    const urn = `urn:pulumi:dev::nudge::${TYPE}RegistrationCampaign::campaign`;
    fs.writeFileSync(
      path.join(dir, "dev.state.json"),
      JSON.stringify({
        version: 3,
        deployment: {
          resources: [
            {
              urn,
              type: `${TYPE}RegistrationCampaign`,
              id: `${TENANT}/registrationCampaign`,
              custom: true,
              inputs: campaign,
              outputs: { ...campaign, tenantId: TENANT },
            },
          ],
        },
      }),
    );
    // The stack's break-glass group, in its config only (no --break-glass on the command line).
    fs.writeFileSync(
      path.join(dir, "dev.config.json"),
      JSON.stringify({ "entra-nudge:breakGlassGroups": { value: JSON.stringify([BREAK_GLASS]) } }),
    );
    // A preview that removes the break-glass exclusion.
    fs.writeFileSync(
      path.join(dir, "preview.json"),
      JSON.stringify({
        config: {},
        steps: [
          {
            op: "update",
            urn,
            oldState: {
              type: `${TYPE}RegistrationCampaign`,
              urn,
              id: `${TENANT}/registrationCampaign`,
              inputs: campaign,
              outputs: { ...campaign, tenantId: TENANT },
            },
            newState: {
              type: `${TYPE}RegistrationCampaign`,
              urn,
              inputs: { ...campaign, excludeTargets: [] },
            },
            replaceReasons: [],
            diffReasons: ["excludeTargets"],
          },
        ],
        diagnostics: [],
        changeSummary: { update: 1 },
      }),
    );
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ENTRA_NUDGE_PULUMI: path.join(dir, "pulumi"),
      FAKE_PULUMI_DIR: dir,
    };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  /** The environment of one run, with its own log of the pulumi CLI's calls. */
  const run = () => {
    const file = path.join(dir, `calls-${++log}.log`);
    return { file, env: { ...env, FAKE_PULUMI_LOG: file } };
  };

  it("no module but provider/declaration/ reads a stack (provider/stack.ts, the pulumi CLI)", () => {
    const offenders = sourceFiles(path.join(projectRoot, "provider"))
      .filter((file) => !file.startsWith(`${READER_ROOM}${path.sep}`))
      .flatMap((file) =>
        specifiersOf(fs.readFileSync(file, "utf8"))
          .filter(
            (specifier) =>
              specifier.startsWith(".") &&
              path.resolve(path.dirname(file), specifier).replace(/\.(js|ts)$/, "") ===
                STACK_MODULE,
          )
          .map((specifier) => `${path.relative(projectRoot, file)}: ${specifier}`),
      );
    expect(offenders, "read a stack with provider/declaration").to.deep.equal([]);
  });

  const COMMANDS: [string, string[]][] = [
    ["drift", []],
    ["impact", []],
    ["readiness", []],
    ["report", []],
    ["preview-summary", ["--input", "preview.json", "--offline"]],
  ];
  for (const [command, extra] of COMMANDS) {
    it(`${command} --stack: asks the pulumi CLI for the stack's state and config, and names a stack it cannot read`, async () => {
      const { file, env } = run();
      const out = captureIo(env, dir);
      const code = await main([command, ...extra, "--stack", "nope", "--cwd", project], out.io);
      expect(code).to.equal(1);
      expect(out.stderr()).to.match(
        /: Could not read the stack "nope": `pulumi (stack export|config --json|preview --json)` failed: error: no stack named 'nope' found\n$/,
      );
      // The questions are asked at once: wait for the slowest one's line. impact and readiness
      // also ask for the program's preview (their default, --from preview).
      const expected = [
        ["stack export --stack nope", project],
        ["config --json --show-secrets --stack nope", project],
        ...(command === "impact" || command === "readiness"
          ? [["preview --json --show-sames --stack nope", project]]
          : []),
      ];
      for (let waited = 0; waited < 10_000 && calls(file).length < expected.length; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(calls(file).map((call) => [call.args.join(" "), call.cwd])).to.have.deep.members(
        expected,
      );
    });
  }

  it("preview-summary --stack takes the stack's break-glass groups, as impact and readiness do", async () => {
    const out = captureIo(run().env, dir);
    const code = await main(
      [
        "preview-summary",
        "--input",
        "preview.json",
        "--offline",
        "--stack",
        "dev",
        "--cwd",
        project,
      ],
      out.io,
    );
    expect(code, out.stderr()).to.equal(0);
    expect(out.stdout()).to.match(/break-glass group .* is no longer excluded/);
  });
});
