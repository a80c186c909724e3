// A pilot group an app owns (a service principal owner): Graph v1.0 does not list service
// principals among a group's owners (learn.microsoft.com/graph/api/group-list-owners, read
// 2026-12-07), so the PilotGroup provider reads owners on beta. Each test fails when owners are
// read on v1.0: a declared app owner shows as missing on every refresh, an app owner dropped from
// the declaration stays an owner, and one added by hand is never seen.
import { expect } from "chai";
import { useEmulator } from "../support/emulator";
import {
  ADELE_ID,
  ADELE_UPN,
  APP_OWNED_GROUP,
  appOwnedGroupTenant,
  WRITER_SP,
} from "../support/appOwnedGroup";
import { resolveSettings } from "../../provider/config";
import { GraphClient, listRelationship } from "../../provider/graph";
import { provider, setConfig, setWarningSink } from "../../provider/resources/providers";

type Props = Record<string, unknown>;

describe("PilotGroup with an app (service principal) among its owners", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ tenant: appOwnedGroupTenant(), resetEachTest: true });
  const group = () => provider("PilotGroup");
  let graph: GraphClient;
  let warnings: string[];

  beforeEach(() => {
    const env = { ...emulator.env("writer"), ENTRA_NUDGE_RETRY_DELAY_SECONDS: "0" };
    setConfig(() => undefined, env);
    graph = new GraphClient(
      resolveSettings(() => undefined, env),
      { retryDelaySeconds: 0 },
    );
    warnings = [];
    setWarningSink((message) => warnings.push(message));
  });
  after(() => setWarningSink(undefined));

  async function checked(args: Props): Promise<Props> {
    const result = await group().check!({}, args);
    expect(result.failures ?? [], JSON.stringify(result.failures)).to.deep.equal([]);
    return result.inputs as Props;
  }

  function ownerWrites(): string[] {
    return emulator
      .requests()
      .filter((r) => r.method !== "GET" && /\/owners/.test(r.path))
      .map((r) => `${r.method} ${r.path}`);
  }

  it("declares the app as an owner: created, read back, and no diff on refresh", async () => {
    const inputs = await checked({ displayName: "App-run pilot", owners: [ADELE_UPN, WRITER_SP] });
    const { id, outs } = await group().create(inputs);
    expect(outs.ownerIds).to.deep.equal([ADELE_ID, WRITER_SP].sort());
    const read = await group().read!(id, outs);
    expect((read.props as Props).owners).to.deep.equal([ADELE_UPN.toLowerCase(), WRITER_SP].sort());
    expect((read.props as Props).ownerIds).to.deep.equal([ADELE_ID, WRITER_SP].sort());
    const diff = await group().diff!(id, read.props as Props, inputs);
    expect(diff.changes, JSON.stringify(diff)).to.equal(false);
  });

  it("takes the app off the owners when the declaration drops it", async () => {
    const outs = (await group().read!(APP_OWNED_GROUP, { owners: [ADELE_ID, WRITER_SP] })).props;
    emulator.clearRequests();
    const inputs = await checked({
      displayName: "Automation pilot",
      mailNickname: "automation-pilot",
      owners: [ADELE_ID],
    });
    await group().update!(APP_OWNED_GROUP, outs as Props, inputs);
    expect(ownerWrites()).to.deep.equal([
      `DELETE /v1.0/groups/${APP_OWNED_GROUP}/owners/${WRITER_SP}/$ref`,
    ]);
    const owners = await listRelationship(graph, APP_OWNED_GROUP, "owners");
    expect(owners.map((o) => o.id)).to.deep.equal([ADELE_ID]);
  });

  it("shows an app owner nobody declared as drift", async () => {
    const declared = { displayName: "Automation pilot", owners: [ADELE_ID] };
    const read = await group().read!(APP_OWNED_GROUP, declared);
    expect((read.props as Props).owners).to.deep.equal([ADELE_ID, WRITER_SP].sort());
    const diff = await group().diff!(APP_OWNED_GROUP, read.props as Props, await checked(declared));
    expect(diff.changes).to.equal(true);
  });
});
