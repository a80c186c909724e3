// The HTML progress report in a real headless browser (Debian's chromium, installed by
// scripts/ensure-chromium.js before the suites run): the page renders offline, with the chart,
// and shows the report's numbers. Never skipped: without a browser the suite fails.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { main } from "../../provider/cli";
import {
  analyzeProgress,
  progressHtml,
  progressSummary,
  type ProgressReport,
} from "../../provider/report";
import { applyConfiguration, captureIo, graphClient } from "../eligibility/support";
import { chromium, textOf } from "../support/chromium";
import { useEmulator } from "../support/emulator";

const BREAK_GLASS = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c";
const PILOT_GROUP = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31";
describe("report: the HTML page in a headless browser", function () {
  this.timeout(120_000);
  const emulator = useEmulator();
  let report: ProgressReport;
  let dir: string;
  let page: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-html-"));
    await applyConfiguration(emulator, {
      authenticator: {
        state: "enabled",
        includeTargets: [{ id: PILOT_GROUP, targetType: "group", authenticationMode: "any" }],
      },
      campaign: {
        state: "enabled",
        snoozeDurationInDays: 0,
        includeTargets: [
          { id: PILOT_GROUP, targetType: "group" },
          { id: "all_users", targetType: "group" },
        ],
        excludeTargets: [{ id: BREAK_GLASS, targetType: "group" }],
      },
    });
    emulator.simulate({ days: 14, seed: 4 });
    report = await analyzeProgress(graphClient(emulator, "reader", { reportRateLimit: null }));
    page = path.join(dir, "progress.html");
    fs.writeFileSync(page, progressHtml(report));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is self-contained: nothing is loaded from anywhere", () => {
    const html = fs.readFileSync(page, "utf8");
    expect(html).to.not.match(/<script|<link|<img|@import|\b(src|href)=/i);
    expect(html.match(/https?:\/\/[^\s"'<>]*/g)).to.deep.equal(["http://www.w3.org/2000/svg"]);
  });

  it("renders with the chart and shows the report's numbers", async () => {
    const dom = await chromium(["--dump-dom", `file://${page}`], dir);
    expect(textOf(dom, "targeted")).to.equal(`${report.targeted} targeted users`);
    expect(textOf(dom, "registered")).to.equal(
      `${report.registered} registered Authenticator for push`,
    );
    expect(textOf(dom, "percent")).to.equal(`${report.percentRegistered}% of targeted users`);
    expect(textOf(dom, "not-yet")).to.equal(`${report.notYet} not yet`);
    expect(textOf(dom, "headline")).to.include(
      `${report.registeredSinceStart} since the campaign was enabled`,
    );
    // One line for all targeted users and one for the pilot (all users is the total's line).
    expect(dom.match(/<polyline class="series"/g)).to.have.length(2);
    const pilot = report.byTarget.find((t) => t.id === PILOT_GROUP);
    expect(textOf(dom, "targets")).to.include(
      `Pilot - Authenticator wave 1 ${pilot?.targeted} ${pilot?.registered} ${pilot?.registeredSinceStart} ${pilot?.notYet}`,
    );
    expect(textOf(dom, "days")).to.include(
      `${report.timeline[report.timeline.length - 1].date} ${report.registered}`,
    );
  });

  it("paints a page a manager can look at (a screenshot with content)", async () => {
    const shot = path.join(dir, "progress.png");
    await chromium([`--screenshot=${shot}`, "--window-size=900,1200", `file://${page}`], dir);
    const png = fs.readFileSync(shot);
    expect(png.subarray(1, 4).toString("latin1")).to.equal("PNG");
    expect(png.readUInt32BE(16)).to.equal(900); // IHDR width
    // A blank page compresses to a few hundred bytes; text, tables and the chart do not.
    expect(png.length).to.be.greaterThan(20_000);
  });

  it("`entra-nudge report --html FILE` writes the same page, and a summary reads well", async () => {
    const out = captureIo(
      { ...process.env, ...emulator.env("reader"), ENTRA_NUDGE_REPORT_RATE_LIMIT: "off" },
      dir,
    );
    expect(await main(["report", "--html", "cli.html"], out.io)).to.equal(0);
    const html = fs.readFileSync(path.join(dir, "cli.html"), "utf8");
    expect(html).to.include(`<div class="value">${report.registered}</div>`);
    expect(out.stderr()).to.include("cli.html");
    expect(progressSummary(report)).to.match(/^Progress: \d+ of \d+ targeted users/);
  });
});
