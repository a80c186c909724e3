// `entra-nudge report` as a user runs it: a campaign whose targets have all registered shows no
// empty "Not yet registered" heading, and an --html file in a missing directory fails with a
// sentence before anything is read (issue 17).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { main } from "../../provider/cli";
import { applyConfiguration, captureIo } from "../eligibility/support";
import { useEmulator } from "../support/emulator";

const ADELE = "898af1d0-ce0e-56a1-82a6-99c4ac76b981"; // registered Authenticator push
const MEGAN = "fd910649-87ef-50dd-aa01-0fe6b8e354a0"; // registered Authenticator push

describe("entra-nudge report: what it prints", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ resetEachTest: true });
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-report-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function io() {
    return captureIo(
      { ...process.env, ...emulator.env("reader"), ENTRA_NUDGE_REPORT_RATE_LIMIT: "off" },
      dir,
    );
  }

  it("no 'Not yet registered' heading when every targeted user has registered (table, Markdown, HTML)", async () => {
    await applyConfiguration(emulator, {
      campaign: {
        state: "enabled",
        includeTargets: [
          { id: ADELE, targetType: "user" },
          { id: MEGAN, targetType: "user" },
        ],
      },
    });
    const table = io();
    expect(await main(["report"], table.io), table.stderr()).to.equal(0);
    expect(table.stdout()).to.include("2 of 2 targeted users");
    expect(table.stdout()).to.not.include("Not yet registered");
    const markdown = io();
    expect(await main(["report", "--markdown"], markdown.io)).to.equal(0);
    expect(markdown.stdout()).to.not.include("Not yet registered");
    const html = io();
    expect(await main(["report", "--html", "all.html"], html.io)).to.equal(0);
    expect(fs.readFileSync(path.join(dir, "all.html"), "utf8")).to.not.include(
      "Not yet registered",
    );
  });

  it("--html in a missing directory: a sentence naming the directory, exit 1, nothing read", async () => {
    const missing = path.join(dir, "missing", "x.html");
    emulator.clearRequests();
    const out = io();
    expect(await main(["report", "--html", missing], out.io)).to.equal(1);
    expect(out.stderr()).to.include(`the directory ${path.dirname(missing)} does not exist`);
    expect(out.stderr()).to.not.match(/ENOENT|\n\s+at /);
    expect(emulator.requests().filter((r) => r.path.startsWith("/v1.0/"))).to.deep.equal([]);
  });
});
