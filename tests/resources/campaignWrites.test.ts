// The campaign's writes in the forms Microsoft documents, against an emulator that refuses the
// others: the beta opt-out (optOutSettings) in a PATCH of its own, as the only example sends it
// (the emulator refuses it beside other properties by default), and under state "default"
// (Microsoft managed) only what the admin may configure: the state and the targets, never the
// snooze days, the limited snoozes or a method ("set automatically and can't be configured",
// HOWTO 2026; the emulator's managedCampaignEdits "rejectSent"). Before, the provider PATCHed the
// opt-out with the campaign and sent the snooze days and method back under "default": both
// refused here. And what Microsoft sets under "default" is never a change to refresh or drift.
import { expect } from "chai";
import { useEmulator } from "../support/emulator";
import { resolveSettings } from "../../provider/config";
import {
  getAuthenticationMethodsPolicy,
  GraphClient,
  patchRegistrationEnforcement,
} from "../../provider/graph";
import { readLive } from "../../provider/live";
import { describeChanges, type InputsByKind } from "../../provider/model";
import { provider, setConfig, setWarningSink } from "../../provider/resources/providers";

type Props = Record<string, unknown>;
const PILOT_GROUP = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31";
const BREAK_GLASS = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c";

describe("campaign writes in Microsoft's documented forms", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ resetEachTest: true });
  let graph: GraphClient;
  let warnings: string[];

  beforeEach(() => {
    const env = {
      ...emulator.env("writer"),
      ENTRA_NUDGE_RETRY_DELAY_SECONDS: "0",
      ENTRA_NUDGE_MAX_RETRIES: "1",
    };
    setConfig(() => undefined, env);
    warnings = [];
    setWarningSink((message) => warnings.push(message));
    graph = new GraphClient(
      resolveSettings(() => undefined, env),
      { retryDelaySeconds: 0 },
    );
  });
  after(() => setWarningSink(undefined));

  async function created(args: Props): Promise<{ id: string; outs: Props }> {
    const campaign = provider("RegistrationCampaign");
    const checked = await campaign.check!({}, args);
    expect(checked.failures ?? []).to.deep.equal([]);
    return campaign.create(checked.inputs as Props) as Promise<{ id: string; outs: Props }>;
  }

  function policyPatches(): { version: string; status: number }[] {
    return emulator
      .requests()
      .filter(
        (r) =>
          r.method === "PATCH" &&
          /^\/(v1\.0|beta)\/policies\/authenticationMethodsPolicy$/i.test(r.path),
      )
      .map((r) => ({ version: r.path.split("/")[1], status: r.status }));
  }

  it('a "default" declaration: the snooze days and method Microsoft sets afterwards are no change to refresh, drift, preview or update', async () => {
    const campaign = provider("RegistrationCampaign");
    const { id, outs } = await created({
      state: "default",
      includeTargets: [{ id: PILOT_GROUP, targetType: "group" }],
      excludeTargets: [{ id: BREAK_GLASS, targetType: "group" }],
    });
    // Microsoft sets them (its move to passkeys, its own snooze days): not the program's to manage.
    const policy = await getAuthenticationMethodsPolicy(graph);
    const live = policy.registrationEnforcement!.authenticationMethodsRegistrationCampaign!;
    await patchRegistrationEnforcement(graph, {
      authenticationMethodsRegistrationCampaign: {
        ...live,
        snoozeDurationInDays: 5,
        includeTargets: live.includeTargets!.map((t) => ({
          ...t,
          targetedAuthenticationMethod: "fido2",
        })),
      },
    });
    emulator.clearRequests();
    warnings = [];
    const refreshed = await campaign.read!(id, outs);
    expect(refreshed.inputs).to.not.have.any.keys(
      "snoozeDurationInDays",
      "targetedAuthenticationMethod",
    );
    expect(refreshed.props).to.deep.equal(outs);
    const declared = (await campaign.check!({}, refreshed.inputs!)).inputs as Props;
    expect((await campaign.diff!(id, refreshed.props!, declared)).changes).to.equal(false);
    const drift = await readLive(
      graph,
      "RegistrationCampaign",
      id,
      declared as unknown as InputsByKind["RegistrationCampaign"],
    );
    expect(
      drift.exists &&
        describeChanges("RegistrationCampaign", declared as never, drift.actual as never),
    ).to.deep.equal([]);
    await campaign.update!(id, refreshed.props!, declared);
    expect(policyPatches()).to.deep.equal([]);
    expect(warnings).to.deep.equal([]);
  });

  it("the passkey migration opt-out goes in a beta PATCH of its own, after the campaign's", async () => {
    const { outs } = await created({
      state: "enabled",
      snoozeDurationInDays: 2,
      includeTargets: [{ id: PILOT_GROUP, targetType: "group" }],
      passkeyMigrationOptOut: true,
    });
    expect(outs.passkeyMigrationOptOut).to.equal(true);
    expect(policyPatches()).to.deep.equal([
      { version: "beta", status: 200 },
      { version: "beta", status: 200 },
    ]);
    const policy = (await getAuthenticationMethodsPolicy(graph, "beta")) as Props;
    expect(policy.optOutSettings).to.deep.equal({ passkeyDynamicMigration: true });
    expect(
      (policy.registrationEnforcement as Props).authenticationMethodsRegistrationCampaign,
    ).to.deep.include({ state: "enabled", snoozeDurationInDays: 2 });
  });

  it('under state "default" only the state and the targets are sent: the method Microsoft set stays', async () => {
    emulator.configure({ managedCampaignEdits: "rejectSent" });
    // Microsoft's 2026-09-01 move: Microsoft managed, targeting passkeys.
    emulator.microsoftMigration({});
    const { outs } = await created({
      state: "default",
      includeTargets: [{ id: "all_users", targetType: "group" }],
      excludeTargets: [{ id: BREAK_GLASS, targetType: "group" }],
    });
    expect(outs.state).to.equal("default");
    expect(policyPatches()).to.deep.equal([{ version: "v1.0", status: 200 }]);
    const campaign = (
      (await getAuthenticationMethodsPolicy(graph)).registrationEnforcement as Props
    ).authenticationMethodsRegistrationCampaign as Props;
    expect(campaign.excludeTargets).to.deep.equal([{ id: BREAK_GLASS, targetType: "group" }]);
    expect(
      (campaign.includeTargets as Props[]).map((t) =>
        String(t.targetedAuthenticationMethod).toLowerCase(),
      ),
    ).to.deep.equal(["fido2"]);
  });
});
