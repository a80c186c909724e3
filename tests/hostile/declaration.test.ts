// Bad files given to the commands (beyond tests/drift/inputs.test.ts): a directory, a huge file,
// binary garbage, and impact's --declaration truncated, empty, not JSON or of the wrong types;
// export's --out naming a file. Each is exit 1 with a sentence naming the file and the problem, no
// stack trace, and no request to Graph or the sign-in authority (the settings point at an emulator
// that logs every request).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { useEmulator } from "../support/emulator";
import { entraNudge } from "../support/cli";

const NO_STACK_TRACE = /\n\s+at .+:\d+:\d+/;

describe("hostile input: files given to the commands", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ resetEachTest: true });
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-hostile-files-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function file(name: string, text: string | Buffer): string {
    fs.writeFileSync(path.join(dir, name), text);
    return name;
  }

  async function run(args: string[]) {
    const result = await entraNudge(args, { ...emulator.env("reader") }, dir);
    expect(result.code, result.stderr).to.equal(1);
    expect(result.stderr).not.to.match(NO_STACK_TRACE);
    expect(emulator.requests(), "requests sent").to.deep.equal([]);
    return result;
  }

  describe("drift --file", () => {
    it("a directory: says it is a directory, not a file", async () => {
      fs.mkdirSync(path.join(dir, "exports"), { recursive: true });
      const { stderr } = await run(["drift", "--file", "exports"]);
      expect(stderr).to.contain(
        "exports is a directory, not a file. Write it with `pulumi stack export",
      );
    });

    it("a huge file: refused by its size before it is read", async () => {
      // Sparse: 300 MB on paper, no disk or memory used.
      const huge = path.join(dir, "huge.json");
      fs.writeFileSync(huge, "");
      fs.truncateSync(huge, 300 * 1024 * 1024);
      const { stderr } = await run(["drift", "--file", "huge.json"]);
      expect(stderr).to.contain(
        "huge.json is 300 MB, more than the 256 MB a stack export is read up to: check that it is the right file.",
      );
      const json = await entraNudge(
        ["drift", "--file", "huge.json", "--json"],
        emulator.env("reader"),
        dir,
      );
      const report = JSON.parse(json.stdout) as { error: { kind: string; message: string } };
      expect(report.error.kind).to.equal("input");
      expect(report.error.message).to.contain("huge.json is 300 MB");
    });

    it("binary garbage: not JSON, naming the file", async () => {
      const { stderr } = await run([
        "drift",
        "--file",
        file("garbage.json", Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe])),
      ]);
      expect(stderr).to.match(/garbage\.json is not JSON/);
    });

    it("JSON nested a hundred thousand levels deep: an error, not a stack overflow", async () => {
      const { stderr } = await run([
        "drift",
        "--file",
        file("deep.json", `{"deployment":${"[".repeat(100_000)}${"]".repeat(100_000)}}`),
      ]);
      expect(stderr).to.contain("deep.json: `deployment` must be an object, but it is a list.");
    });

    it("a resource whose id is a number", async () => {
      const text = JSON.stringify({
        deployment: {
          resources: [
            {
              urn: "u::campaign",
              type: "pulumi-nodejs:dynamic/entra-nudge:RegistrationCampaign",
              id: 7,
              inputs: {},
            },
          ],
        },
      });
      const { stderr } = await run(["drift", "--file", file("ids.json", text)]);
      expect(stderr).to.match(
        /ids\.json.*`deployment\.resources\[0\]\.id` must be a string, but it is a number/,
      );
    });
  });

  describe("impact --declaration", () => {
    const cases: { what: string; text?: string; name?: string; says: RegExp }[] = [
      {
        what: "a file that does not exist",
        name: "missing.json",
        says: /--declaration missing\.json does not exist\. Give a JSON file such as/,
      },
      {
        what: "a directory",
        name: "exports",
        says: /--declaration exports is a directory, not a file\. Give a JSON file such as/,
      },
      {
        what: "an empty file",
        text: "",
        says: /--declaration decl\.json cannot be read as JSON: Unexpected end of JSON input/,
      },
      {
        what: "a truncated file",
        text: '{"campaign": {"state": "enab',
        says: /--declaration decl\.json cannot be read as JSON: Unterminated string/,
      },
      {
        what: "not JSON",
        text: "campaign:\n  state: enabled\n",
        says: /--declaration decl\.json cannot be read as JSON/,
      },
      {
        what: "a list",
        text: "[]",
        says: /--declaration decl\.json must be a JSON object such as/,
      },
      {
        what: "a campaign that is a string",
        text: '{"campaign": "enabled"}',
        says: /--declaration decl\.json: Invalid RegistrationCampaign arguments .*must be an object such as \{ state: "enabled" \}, got "enabled"/s,
      },
      {
        what: "a state of the wrong type",
        text: '{"campaign": {"state": 5}}',
        says: /--declaration decl\.json: Invalid RegistrationCampaign arguments .*state: 5 is not a string/s,
      },
      {
        what: "break-glass groups named by display name",
        text: '{"breakGlassGroups": ["Emergency access"]}',
        says: /"Emergency access" is not a group object id/,
      },
      {
        what: "an unknown key",
        text: '{"campaing": {"state": "enabled"}}',
        says: /--declaration decl\.json: unknown key\(s\) campaing/,
      },
    ];
    for (const c of cases) {
      it(`${c.what}: exit 1, the sentence, no Graph call`, async () => {
        fs.mkdirSync(path.join(dir, "exports"), { recursive: true });
        const name = c.name ?? file("decl.json", c.text ?? "");
        const { stderr } = await run(["impact", "--declaration", name]);
        expect(stderr).to.match(c.says);
        expect(stderr).not.to.match(/ENOENT|EISDIR/);
      });
    }
  });

  it("export --out naming a file: exit 1 before any Graph call", async () => {
    // Absolute: export resolves --out against the process's directory.
    const target = path.join(dir, file("not-a-dir", "x"));
    const { stderr } = await run(["export", "--out", target]);
    expect(stderr).to.contain(`${target} exists and is not a directory. Choose another --out.`);
  });
});
