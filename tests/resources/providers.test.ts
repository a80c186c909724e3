// The three providers' methods, called directly against the emulator: adoption, read-back, diff,
// drift, the overwrite warning, restore on delete, partial creation and its rerun, and bad input
// that fails before any Graph call.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { MICROSOFT_MANAGED_AS_GRAPH, useEmulator } from "../support/emulator";
import { resolveSettings } from "../../provider/config";
import {
  getAuthenticationMethodsPolicy,
  getAuthenticatorConfiguration,
  getGroup,
  GraphClient,
  listRelationship,
  patchRegistrationEnforcement,
} from "../../provider/graph";
import { provider, setConfig, setWarningSink } from "../../provider/resources/providers";
import { UNKNOWN } from "../../provider/model";
import { shimProvider } from "../../provider/resources/shim";

type Props = Record<string, unknown>;
const PILOT_GROUP = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31";
const BREAK_GLASS = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c";

describe("resource providers against the emulator", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ resetEachTest: true });
  let warnings: string[];
  let graph: GraphClient;

  beforeEach(() => {
    const env = {
      ...emulator.env("writer"),
      ENTRA_NUDGE_RETRY_DELAY_SECONDS: "0",
      ENTRA_NUDGE_MAX_RETRIES: "2",
    };
    setConfig(() => undefined, env);
    graph = new GraphClient(
      resolveSettings(() => undefined, env),
      { retryDelaySeconds: 0 },
    );
    warnings = [];
    setWarningSink((message) => warnings.push(message));
  });
  after(() => setWarningSink(undefined));

  function graphWrites(): { method: string; path: string }[] {
    return emulator
      .requests()
      .filter((r) => /^\/(v1\.0|beta)\//.test(r.path))
      .filter((r) => r.method !== "GET" && !r.path.endsWith("/$batch"));
  }

  async function checked(kind: Parameters<typeof provider>[0], args: Props): Promise<Props> {
    const result = await provider(kind).check!({}, args);
    expect(result.failures ?? [], JSON.stringify(result.failures)).to.deep.equal([]);
    return result.inputs as Props;
  }

  async function tenantCampaign(version: "v1.0" | "beta" = "v1.0") {
    const policy = await getAuthenticationMethodsPolicy(graph, version);
    return policy.registrationEnforcement?.authenticationMethodsRegistrationCampaign;
  }

  describe("RegistrationCampaign", () => {
    const campaign = () => provider("RegistrationCampaign");
    const declared = {
      state: "enabled",
      snoozeDurationInDays: 0,
      includeTargets: [{ id: PILOT_GROUP.toUpperCase(), targetType: "group" }],
      excludeTargets: [{ id: BREAK_GLASS, targetType: "group" }],
    };

    /** What an admin configures under state "default": the state and the targets (HOWTO 2026). */
    const adminPart = (campaign: Awaited<ReturnType<typeof tenantCampaign>>) => ({
      state: campaign?.state,
      includeTargets: campaign?.includeTargets?.map((t) => ({
        id: t.id,
        targetType: t.targetType,
      })),
      excludeTargets: campaign?.excludeTargets,
    });

    it("adopts the tenant's campaign, applies the declaration, and on delete gives Microsoft managed back its state and targets", async () => {
      const before = await tenantCampaign();
      expect(before?.state).to.equal("default");
      const inputs = await checked("RegistrationCampaign", declared);
      expect(inputs.includeTargets).to.deep.equal([
        {
          id: PILOT_GROUP,
          targetType: "group",
          targetedAuthenticationMethod: "microsoftAuthenticator",
        },
      ]);
      const { id, outs } = await campaign().create(inputs);
      expect(id).to.equal(`${emulator.info.tenantId}/registrationCampaign`);
      expect(outs.originalSettings).to.include({ state: "default", snoozeDurationInDays: 1 });
      const live = await tenantCampaign();
      expect(live).to.deep.include({ state: "enabled", snoozeDurationInDays: 0 });
      expect(live?.includeTargets?.map((t) => t.id)).to.deep.equal([PILOT_GROUP]);
      expect(live?.excludeTargets?.map((t) => t.id)).to.deep.equal([BREAK_GLASS]);
      // Only registrationEnforcement is ever sent.
      const patches = emulator.requests().filter((r) => r.method === "PATCH");
      expect(patches).to.have.length(1);

      // The restore sends only what an admin may configure under "default": the snooze days and
      // the method "can't be configured" then (HOWTO), and Graph's update page says properties
      // not sent keep their values or are recalculated. An emulator refusing them whenever sent
      // under "default" accepts the restore; the old restore sent 1 day and Authenticator back
      // and got 400.
      emulator.configure({ managedCampaignEdits: "rejectSent" });
      await campaign().delete!(id, outs);
      const after = await tenantCampaign();
      expect(adminPart(after)).to.deep.equal(adminPart(before));
      // The snooze days are Microsoft's now: this emulator keeps the last stored value (0), as
      // the update page allows; a real tenant may recalculate it.
      expect(after?.snoozeDurationInDays).to.equal(0);
    });

    it("on delete, the Microsoft managed campaign reads back as found where Microsoft sets the snooze days and method", async () => {
      // What Microsoft applies under "default" (graph-contract-passkeys.md §2): 1 day, and
      // Authenticator while no include target is enabled for passkeys.
      emulator.configure(MICROSOFT_MANAGED_AS_GRAPH);
      const before = await tenantCampaign();
      const { id, outs } = await campaign().create(await checked("RegistrationCampaign", declared));
      expect(await tenantCampaign()).to.deep.include({ state: "enabled", snoozeDurationInDays: 0 });
      await campaign().delete!(id, outs);
      expect(await tenantCampaign()).to.deep.equal(before);
    });

    it("writes nothing when adopting settings identical to the declaration", async () => {
      const inputs = await checked("RegistrationCampaign", { state: "default" });
      await campaign().create(inputs);
      expect(graphWrites()).to.deep.equal([]);
    });

    it("does not diff on reordered targets, GUID case, spelled-out defaults or __provider", async () => {
      const inputs = await checked("RegistrationCampaign", declared);
      const { outs } = await campaign().create(inputs);
      const respelled = await checked("RegistrationCampaign", {
        ...declared,
        includeTargets: [
          {
            id: PILOT_GROUP.toLowerCase(),
            targetType: "group",
            targetedAuthenticationMethod: "microsoftAuthenticator",
          },
        ],
        onDelete: "restore",
        __provider: "something else",
      });
      const diff = await campaign().diff!("x", { ...outs, __provider: "a" }, respelled);
      expect(diff.changes).to.equal(false);
    });

    it("reads drift made in the portal, then overwrites it with a warning naming old → new", async () => {
      const inputs = await checked("RegistrationCampaign", declared);
      const { id, outs } = await campaign().create(inputs);
      // "Someone edited it in the portal": a Graph call with the writer's token.
      await patchRegistrationEnforcement(graph, {
        authenticationMethodsRegistrationCampaign: {
          ...(await tenantCampaign()),
          snoozeDurationInDays: 7,
        },
      });
      const read = await campaign().read!(id, outs);
      expect(read.inputs).to.include({ snoozeDurationInDays: 7 });
      expect(read.props).to.include({ snoozeDurationInDays: 7 });
      const drift = await campaign().diff!(id, read.props as Props, inputs);
      expect(drift.changes).to.equal(true);

      await campaign().update!(id, outs, inputs);
      expect(warnings.join("\n")).to.match(/Snooze: 7 days → every sign-in/);
      expect(await tenantCampaign()).to.include({ snoozeDurationInDays: 0 });
    });

    it("manages enforceRegistrationAfterAllowedSnoozes through beta only when declared", async () => {
      const untouched = await checked("RegistrationCampaign", declared);
      await campaign().create(untouched);
      expect(emulator.requests().some((r) => r.path.startsWith("/beta/"))).to.equal(false);

      emulator.reset();
      const managed = await checked("RegistrationCampaign", {
        ...declared,
        enforceRegistrationAfterAllowedSnoozes: false,
      });
      const { outs } = await campaign().create(managed);
      expect(outs.enforceRegistrationAfterAllowedSnoozes).to.equal(false);
      expect(
        emulator
          .requests()
          .filter((r) => r.method === "PATCH")
          .map((r) => r.path),
      ).to.deep.equal(["/beta/policies/authenticationMethodsPolicy"]);
      expect(await tenantCampaign("beta")).to.include({
        enforceRegistrationAfterAllowedSnoozes: false,
      });
    });

    it("warns of each retry as it happens: what Graph answered (or that it did not), and the real wait", async () => {
      emulator.injectFault({ reset: true, count: 1, method: "GET", pathPrefix: "/v1.0/policies" });
      emulator.injectFault({
        status: 503,
        count: 2,
        method: "PATCH",
        pathPrefix: "/v1.0/policies",
      });
      await campaign().create(await checked("RegistrationCampaign", declared));
      // The waits double the base delay, which is 0 here (ENTRA_NUDGE_RETRY_DELAY_SECONDS above):
      // the SDK's own backoff added whole seconds from the second retry on.
      const policy = "/v1.0/policies/authenticationMethodsPolicy";
      // (The adoption's own old → new warning is covered in failOnExternalChange.test.ts.)
      expect(warnings.filter((w) => !w.includes(": adopting "))).to.deep.equal([
        `Microsoft Graph did not answer GET ${policy} (the connection was reset); retrying in 0 s (attempt 2).`,
        `Microsoft Graph answered 503 to PATCH ${policy}; retrying in 0 s (attempt 2).`,
        `Microsoft Graph answered 503 to PATCH ${policy}; retrying in 0 s (attempt 3).`,
      ]);
    });

    it("leaves the tenant as it is on delete with onDelete: retain", async () => {
      const inputs = await checked("RegistrationCampaign", { ...declared, onDelete: "retain" });
      const { id, outs } = await campaign().create(inputs);
      emulator.clearRequests();
      await campaign().delete!(id, outs);
      expect(graphWrites()).to.deep.equal([]);
      expect(await tenantCampaign()).to.include({ state: "enabled" });
    });

    it("lets values unknown during preview through check and reports them as changes", async () => {
      const result = await campaign().check!(
        {},
        { ...declared, includeTargets: [{ id: UNKNOWN, targetType: "group" }] },
      );
      expect(result.failures ?? []).to.deep.equal([]);
      const { outs } = await campaign().create(await checked("RegistrationCampaign", declared));
      const diff = await campaign().diff!("x", outs, result.inputs as Props);
      expect(diff.changes).to.equal(true);
    });
  });

  describe("AuthenticatorPolicy", () => {
    const authenticator = () => provider("AuthenticatorPolicy");

    it("adopts, PATCHes with @odata.type and full targets, reads back, and restores exactly", async () => {
      const before = await getAuthenticatorConfiguration(graph);
      const inputs = await checked("AuthenticatorPolicy", {
        state: "enabled",
        includeTargets: [{ id: PILOT_GROUP, targetType: "group", authenticationMode: "push" }],
        allowMethodLoss: true,
        featureSettings: {
          displayLocationInformationRequiredState: { state: "enabled" },
        },
      });
      const { id, outs } = await authenticator().create(inputs);
      expect(id).to.equal(`${emulator.info.tenantId}/microsoftAuthenticator`);
      const live = await getAuthenticatorConfiguration(graph);
      expect(live.includeTargets).to.deep.equal([
        {
          targetType: "group",
          id: PILOT_GROUP,
          isRegistrationRequired: false,
          authenticationMode: "push",
        },
      ]);
      expect(live.featureSettings?.displayLocationInformationRequiredState?.state).to.equal(
        "enabled",
      );
      expect(Object.keys(outs.featureSettings as Props)).to.deep.equal([
        "displayLocationInformationRequiredState",
      ]);
      expect(outs).not.to.have.property("isSoftwareOathEnabled");

      await authenticator().delete!(id, outs);
      expect(await getAuthenticatorConfiguration(graph)).to.deep.equal(before);
    });
  });

  describe("PilotGroup", () => {
    const group = () => provider("PilotGroup");

    it("creates a security group with UPN and id members, then updates only the delta", async () => {
      const inputs = await checked("PilotGroup", {
        displayName: "Authenticator pilot – wave 2",
        members: ["pilot.user@contoso.onmicrosoft.com", "conor.o'brien@contoso.onmicrosoft.com"],
        owners: ["AdeleV@contoso.onmicrosoft.com"],
      });
      const { id, outs } = await group().create(inputs);
      const created = await getGroup(graph, id);
      expect(created).to.include({ mailEnabled: false, securityEnabled: true });
      expect(outs.mailNickname).to.be.a("string").and.not.equal("");
      expect(outs.memberIds as string[]).to.have.length(2);
      expect(outs.ownerIds as string[]).to.have.length(1);

      emulator.clearRequests();
      const renamed = await checked("PilotGroup", {
        displayName: "Authenticator pilot – wave 2",
        mailNickname: outs.mailNickname,
        members: ["pilot.user@contoso.onmicrosoft.com", "DiegoS@contoso.onmicrosoft.com"],
        owners: ["AdeleV@contoso.onmicrosoft.com"],
      });
      const diff = await group().diff!(id, outs, renamed);
      expect(diff.changes).to.equal(true);
      expect(diff.replaces ?? []).to.deep.equal([]);
      const updated = await group().update!(id, outs, renamed);
      const guid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
      const writes = graphWrites().map((w) => `${w.method} ${w.path.replace(guid, "{id}")}`);
      expect(writes.sort()).to.deep.equal([
        "DELETE /v1.0/groups/{id}/members/{id}/$ref",
        "PATCH /v1.0/groups/{id}",
      ]);
      expect((updated.outs as Props).members).to.deep.equal([
        "diegos@contoso.onmicrosoft.com",
        "pilot.user@contoso.onmicrosoft.com",
      ]);
      const members = await listRelationship(graph, id, "members");
      expect(members.map((m) => m.userPrincipalName?.toLowerCase()).sort()).to.deep.equal([
        "diegos@contoso.onmicrosoft.com",
        "pilot.user@contoso.onmicrosoft.com",
      ]);
      await group().delete!(id, updated.outs as Props);
    });

    it("refuses to adopt a group whose mailNickname already exists, before writing", async () => {
      const inputs = await checked("PilotGroup", {
        displayName: "Pilot copy",
        mailNickname: "pilot-authenticator-wave1",
      });
      let error: Error | undefined;
      try {
        await group().create(inputs);
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).to.match(/already exists.*not adopted silently/);
      expect(graphWrites()).to.deep.equal([]);
    });

    it("names members that do not exist, before writing", async () => {
      const inputs = await checked("PilotGroup", {
        displayName: "Ghosts",
        members: ["nobody@contoso.onmicrosoft.com"],
      });
      let error: Error | undefined;
      try {
        await group().create(inputs);
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).to.contain('members: no user "nobody@contoso.onmicrosoft.com" exists');
      expect(graphWrites()).to.deep.equal([]);
    });

    it("reports a partially created group with its id, and the rerun converges", async () => {
      const users = await graph.all<{ id: string }>({
        operation: "list users",
        method: "GET",
        path: "/users",
        query: { $select: "id", $top: 25 },
        permission: "User.Read.All",
      });
      const ids = users.map((u) => u.id).slice(0, 25);
      const inputs = await checked("PilotGroup", { displayName: "Big pilot", members: ids });
      // Members beyond the 20 bound at creation are added by PATCH (members@odata.bind); fail it.
      emulator.injectFault({
        status: 500,
        count: 50,
        method: "PATCH",
        pathPrefix: "/v1.0/groups/",
      });
      let error: (Error & { id?: string; properties?: Props }) | undefined;
      try {
        await group().create({ ...inputs, __provider: "shim" });
      } catch (e) {
        error = e as Error & { id?: string; properties?: Props };
      }
      expect(error?.id, error?.message).to.be.a("string");
      expect(error?.properties?.__provider).to.equal("shim");
      expect(error?.properties?.memberIds as string[]).to.have.length(20);
      emulator.clearFaults();

      const rerun = await group().update!(error?.id as string, error?.properties as Props, inputs);
      expect((rerun.outs as Props).memberIds as string[]).to.have.length(25);
      const groups = await graph.all<{ id: string }>({
        operation: "list groups",
        method: "GET",
        path: "/groups",
        query: { $filter: "displayName eq 'Big pilot'" },
        permission: "Group.Read.All",
      });
      expect(groups, "exactly one group: no orphan").to.have.length(1);
    });

    it("takes over the group Graph created when the answer to the creation was lost", async () => {
      // Graph processes the POST, but the answer comes after the client's timeout.
      setConfig(() => undefined, { ...emulator.env("writer"), ENTRA_NUDGE_TIMEOUT_MS: "1000" });
      emulator.injectFault({ delayMs: 2500, count: 1, method: "POST", pathPrefix: "/v1.0/groups" });
      const inputs = await checked("PilotGroup", {
        displayName: "Lost answer pilot",
        members: ["pilot.user@contoso.onmicrosoft.com"],
      });
      const { id, outs } = await group().create(inputs);
      const groups = await graph.all<{ id: string }>({
        operation: "list groups",
        method: "GET",
        path: "/groups",
        query: { $filter: "displayName eq 'Lost answer pilot'" },
        permission: "Group.Read.All",
      });
      expect(
        groups.map((g) => g.id),
        "the one group, recorded: no orphan",
      ).to.deep.equal([id]);
      expect(outs.memberIds).to.deep.equal(["bb1d6c17-7043-5689-a17d-aa610e2a4115"]);
    });

    it("still fails, with the transport error, when a lost creation created nothing", async () => {
      emulator.injectFault({ reset: true, count: 1, method: "POST", pathPrefix: "/v1.0/groups" });
      const inputs = await checked("PilotGroup", { displayName: "Never created" });
      let error: Error | undefined;
      try {
        await group().create(inputs);
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).to.match(/Could not create the security group "Never created"/);
      const groups = await graph.all<{ id: string }>({
        operation: "list groups",
        method: "GET",
        path: "/groups",
        query: { $filter: "displayName eq 'Never created'" },
        permission: "Group.Read.All",
      });
      expect(groups).to.deep.equal([]);
    });
  });

  describe("bad input", () => {
    const cases: [Parameters<typeof provider>[0], Props, RegExp][] = [
      ["RegistrationCampaign", { state: "on" }, /state/],
      [
        "RegistrationCampaign",
        { state: "enabled", snoozeDurationInDays: 15 },
        /snoozeDurationInDays: 15/,
      ],
      ["RegistrationCampaign", { state: "enabled", includeTargets: [] }, /includeTargets/],
      ["RegistrationCampaign", { state: "enabled", snoozeDays: 3 }, /snoozeDurationInDays/],
      [
        "AuthenticatorPolicy",
        {
          state: "enabled",
          featureSettings: { numberMatchingRequiredState: { state: "enabled" } },
        },
        /number matching/i,
      ],
      ["PilotGroup", { displayName: "" }, /displayName/],
      ["PilotGroup", { displayName: "x", members: ["not an id"] }, /members/],
    ];
    for (const [kind, args, message] of cases) {
      it(`${kind} ${JSON.stringify(args)} fails check with no Graph call`, async () => {
        emulator.clearRequests();
        const result = await provider(kind).check!({}, args);
        expect(result.failures?.map((f) => f.reason).join("\n")).to.match(message);
        expect(emulator.requests()).to.deep.equal([]);
      });
    }

    it("refuses the China cloud at check, before any call", async () => {
      setConfig((key) => (key === "entra-nudge:cloud" ? "china" : undefined), {});
      let error: Error | undefined;
      try {
        await provider("RegistrationCampaign").check!({}, { state: "enabled" });
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).to.match(/21Vianet/);
    });
  });

  describe("the serialized provider", () => {
    it("is small, stable, captures only the resource kind and holds no secret", async () => {
      const serialize = async () => {
        const shim = shimProvider("RegistrationCampaign");
        return (await pulumi.runtime.serializeFunction(() => shim)).text;
      };
      const text = await serialize();
      expect(text.length).to.be.lessThan(3_000);
      expect(text).to.contain('kind: "RegistrationCampaign"');
      expect(text).not.to.match(/secret|password|token/i);
      expect(await serialize()).to.equal(text);
    });
  });
});
