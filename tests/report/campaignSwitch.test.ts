// A switch of an enabled campaign's method (Microsoft Authenticator to passkeys) starts a new
// campaign for progress: `report` and `readiness` count from the switch, as the audit log's policy
// update shows it (graph-contract.md §6.3: the whole policy before and after), not from the day the
// Authenticator campaign was first enabled (which reported "0 since the campaign was enabled" for a
// passkey campaign that had just started).
import { expect } from "chai";
import { enabledSince, readCampaignStateChanges, type ProgressReport } from "../../provider/report";
import { main } from "../../provider/cli";
import {
  applyConfiguration,
  captureIo,
  enablePasskeysForAllUsers,
  graphClient,
} from "../eligibility/support";
import { useEmulator } from "../support/emulator";

describe("report: a campaign switched to another method is a new campaign", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ resetEachTest: true });

  it("counts from the switch to passkeys, not from the first enable", async () => {
    await applyConfiguration(emulator, { campaign: { state: "enabled" } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const afterFirst = Date.now();
    await enablePasskeysForAllUsers(emulator);
    await applyConfiguration(emulator, {
      campaign: { state: "enabled", targetedAuthenticationMethod: "fido2" },
    });

    const changes = await readCampaignStateChanges(
      graphClient(emulator, "reader", { reportRateLimit: null }),
    );
    expect(changes.map((c) => [c.from, c.to, c.methodSwitchedTo])).to.deep.equal([
      ["default", "enabled", undefined],
      ["enabled", "enabled", "fido2"],
    ]);
    expect(Date.parse(enabledSince(changes) as string)).to.be.at.least(afterFirst);

    const out = captureIo({
      ...process.env,
      ...emulator.env("reader"),
      ENTRA_NUDGE_REPORT_RATE_LIMIT: "off",
    });
    expect(await main(["report", "--json"], out.io), out.stderr()).to.equal(0);
    const report = JSON.parse(out.stdout()) as ProgressReport;
    expect(report.startSource).to.equal("audit");
    expect(Date.parse(report.enabledSince as string)).to.be.at.least(afterFirst);
  });

  it("a disable and a later enable still start at the enable; a state change alone is no switch", () => {
    expect(
      enabledSince([
        { at: "2026-11-01T00:00:00Z", from: "default", to: "enabled" },
        { at: "2026-11-05T00:00:00Z", from: "enabled", to: "enabled", methodSwitchedTo: "fido2" },
        { at: "2026-11-09T00:00:00Z", from: "enabled", to: "disabled" },
        { at: "2026-11-10T00:00:00Z", from: "disabled", to: "enabled" },
      ]),
    ).to.equal("2026-11-10T00:00:00Z");
    expect(
      enabledSince([
        { at: "2026-11-01T00:00:00Z", from: "default", to: "enabled" },
        { at: "2026-11-05T00:00:00Z", from: "enabled", to: "enabled", methodSwitchedTo: "fido2" },
      ]),
    ).to.equal("2026-11-05T00:00:00Z");
  });
});
