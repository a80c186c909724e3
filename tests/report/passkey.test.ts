// `report` and `impact` for passkey campaigns on the seed tenant, against the emulator's own
// witness (its sign-in rules and simulation, written independently of provider/):
// - Microsoft managed after "passkeys by default" (POST /_emulator/microsoft-migration): each user
//   is counted by the method Microsoft targets for them, so the registrations since the start per
//   method are the simulation's per method, and `impact` counts the nudged by method as the
//   emulator prompts them;
// - an enabled passkey campaign: the outputs say progress counts passkeys, per the report values
//   of passkeys §5, and a user who registered Authenticator instead is not counted.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { main } from "../../provider/cli";
import type { ImpactReport } from "../../provider/impact";
import type { ProgressReport } from "../../provider/report";
import { applyConfiguration, captureIo, enablePasskeysForAllUsers } from "../eligibility/support";
import { chromium, textOf } from "../support/chromium";
import { useEmulator } from "../support/emulator";

describe("report and impact for passkey campaigns", function () {
  this.timeout(120_000);
  const emulator = useEmulator({ resetEachTest: true });
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-report-passkey-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function run(args: string[]): Promise<string> {
    const out = captureIo(
      { ...process.env, ...emulator.env("reader"), ENTRA_NUDGE_REPORT_RATE_LIMIT: "off" },
      dir,
    );
    expect(await main(args, out.io), out.stderr()).to.equal(0);
    return out.stdout();
  }

  it("Microsoft managed after passkeys by default: counted per user by the method Microsoft targets", async () => {
    emulator.microsoftMigration();
    // Who the emulator prompts, and to what, if everyone signed in with MFA now.
    const forecast = emulator.forecastPrompts();
    const prompted = (method: string) =>
      forecast.prompted.filter((p) => p.method === method).length;
    expect(prompted("fido2")).to.be.greaterThan(0);

    fs.writeFileSync(
      path.join(dir, "managed.json"),
      JSON.stringify({ campaign: { state: "default" } }),
    );
    const impact = JSON.parse(
      await run(["impact", "--declaration", "managed.json", "--json"]),
    ) as ImpactReport;
    expect(impact.current.nudgedByMethod).to.deep.equal({
      microsoftAuthenticator: prompted("microsoftAuthenticator"),
      fido2: prompted("fido2"),
    });
    const table = await run(["impact", "--declaration", "managed.json"]);
    expect(table).to.match(new RegExp(`to set up a passkey\\s+\\d+\\s+${prompted("fido2")}\\n`));

    const before = JSON.parse(await run(["report", "--json"])) as ProgressReport;
    const simulation = emulator.simulate({ days: 10, seed: 5, signInRate: 0.8, completeRate: 0.5 });
    const byMethod = (method: string) =>
      simulation.registrations.filter((r) => r.method === method).length;
    expect(byMethod("fido2")).to.be.greaterThan(0);
    const after = JSON.parse(await run(["report", "--json"])) as ProgressReport;
    expect(after.startSource).to.equal("notEnabled");
    expect(after.countedMethods).to.include("fido2");
    // The registrations the audit log dates in the window, per method: the simulation's.
    expect(
      after.byMethod.fido2.registeredSinceStart - before.byMethod.fido2.registeredSinceStart,
    ).to.equal(byMethod("fido2"));
    expect(
      after.byMethod.microsoftAuthenticator.registeredSinceStart -
        before.byMethod.microsoftAuthenticator.registeredSinceStart,
    ).to.equal(byMethod("microsoftAuthenticator"));
    expect(after.registered - before.registered).to.equal(simulation.registrations.length);
    expect(after.byMethod.fido2.targeted + after.byMethod.microsoftAuthenticator.targeted).to.equal(
      after.targeted,
    );
  });

  it("an enabled passkey campaign: the outputs say a passkey is counted, and Authenticator is not", async () => {
    await enablePasskeysForAllUsers(emulator);
    await applyConfiguration(emulator, {
      campaign: { state: "enabled", targetedAuthenticationMethod: "fido2" },
    });
    const simulation = emulator.simulate({ days: 5, seed: 9, signInRate: 0.9, completeRate: 0.5 });
    expect(simulation.registrations.length).to.be.greaterThan(0);
    const report = JSON.parse(await run(["report", "--json"])) as ProgressReport;
    expect(report.countedMethods).to.deep.equal(["fido2"]);
    expect(report.byMethod.microsoftAuthenticator.targeted).to.equal(0);
    expect(report.registeredSinceStart).to.equal(simulation.registrations.length);
    // Users with Authenticator for push and no passkey have not registered what they are nudged to.
    expect(report.notYetReasons.find((r) => r.reason === "beingNudged")?.users).to.be.greaterThan(
      0,
    );

    const table = await run(["report"]);
    expect(table).to.include(
      `${report.registered} of ${report.targeted} targeted users (${report.percentRegistered}%) have registered a passkey:`,
    );
    expect(table).to.include(
      "Counted as registered: a passkey (passKeyDeviceBound*, passKeySynced, fido2SecurityKey in the registration report).",
    );
    expect(await run(["report", "--markdown"])).to.include("have registered a passkey");
    await run(["report", "--html", "passkey.html"]);
    const dom = await chromium(["--dump-dom", `file://${path.join(dir, "passkey.html")}`], dir);
    expect(textOf(dom, "registered")).to.equal(`${report.registered} registered a passkey`);
    expect(dom).to.include("<title>Passkey registration campaign</title>");
  });
});
