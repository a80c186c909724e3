// Resource safety found by trying the package as a user (issue 17), the providers' methods called
// directly against the emulator: a write whose outcome is unknown is looked up before anything is
// said, a rename is checked like a create, a failed update that changed nothing leaves the state
// as it was, a pilot group is bound to its tenant, members compare by the object they name, and
// targets must exist and be what they are declared as, at preview and before the first write.
import { expect } from "chai";
import { useEmulator } from "../support/emulator";
import { checked, failure, useProviders } from "../support/providers";
import { findGroupsByMailNickname, GraphClient } from "../../provider/graph";
import { provider } from "../../provider/resources/providers";

describe("resource safety (providers against the emulator)", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ resetEachTest: true });
  const providers = useProviders(emulator);
  let graph: GraphClient;
  beforeEach(() => (graph = providers.graph));

  function graphWrites(): string[] {
    return emulator
      .requests()
      .filter((r) => /^\/(v1\.0|beta)\//.test(r.path) && r.method !== "GET")
      .filter((r) => !r.path.endsWith("/$batch"))
      .map((r) => `${r.method} ${r.path}`);
  }

  describe("PilotGroup: the answer to the creation is lost, cut off or unreadable", () => {
    const group = () => provider("PilotGroup");
    const cases = [
      { title: "cut off after a few bytes", fault: { truncateBytes: 12 } },
      { title: "relabelled as HTML (unreadable)", fault: { contentType: "text/html" } },
    ];
    for (const { title, fault } of cases) {
      it(`an answer ${title} after Graph created the group: the group is found by mailNickname and recorded, never orphaned`, async () => {
        const inputs = await checked("PilotGroup", { displayName: "Lost answer pilot" });
        emulator.injectFault({ ...fault, count: 1, method: "POST", pathPrefix: "/v1.0/groups" });
        const { id, outs } = await group().create(inputs);
        emulator.clearFaults();
        const found = await findGroupsByMailNickname(graph, "lost-answer-pilot");
        expect(found.map((g) => String(g.id).toLowerCase())).to.deep.equal([id]);
        expect(outs).to.include({
          displayName: "Lost answer pilot",
          mailNickname: "lost-answer-pilot",
        });
      });
    }

    it("a 503 to the creation (not carried out): the error says what was checked, never an unchecked 'nothing was changed'", async () => {
      const inputs = await checked("PilotGroup", { displayName: "Refused pilot" });
      emulator.injectFault({ status: 503, count: 1, method: "POST", pathPrefix: "/v1.0/groups" });
      const error = await failure(group().create(inputs));
      expect(error.message).to.match(
        /Checked afterwards: no group with mailNickname "refused-pilot" exists \d+ s later, so Graph did not create it/,
      );
      expect(error.message).not.to.match(/a rerun converges/);
      expect(await findGroupsByMailNickname(graph, "refused-pilot")).to.deep.equal([]);
    });
  });

  describe("PilotGroup: rename", () => {
    const group = () => provider("PilotGroup");

    it("a rename whose derived mailNickname another group has is refused before any write", async () => {
      const other = await group().create(await checked("PilotGroup", { displayName: "Wave two" }));
      const created = await group().create(
        await checked("PilotGroup", { displayName: "Wave one" }),
      );
      const writesBefore = graphWrites().length;
      const renamed = await checked("PilotGroup", { displayName: "Wave two" });
      const error = await failure(group().update!(created.id, created.outs, renamed));
      expect(error.message).to.match(
        /a group with mailNickname "wave-two" already exists: Wave two \(.+\)\. .*Renaming this group would give it the same mailNickname/,
      );
      expect(error.message).to.include(other.id);
      expect(error.properties, "a refusal records nothing").to.equal(undefined);
      expect(graphWrites().slice(writesBefore)).to.deep.equal([]);
    });

    it("a rename to a free mailNickname goes through", async () => {
      const created = await group().create(
        await checked("PilotGroup", { displayName: "Wave one" }),
      );
      const { outs } = await group().update!(
        created.id,
        created.outs,
        await checked("PilotGroup", { displayName: "Wave three" }),
      );
      expect(outs).to.include({ displayName: "Wave three", mailNickname: "wave-three" });
    });
  });

  describe("a failed update that changed nothing leaves the state as it was", () => {
    const PILOT = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31";
    const POLICY = "/v1.0/policies/authenticationMethodsPolicy";
    const declared = {
      state: "enabled",
      snoozeDurationInDays: 0,
      includeTargets: [{ id: PILOT, targetType: "group" }],
    };

    for (const { title, fault, says } of [
      {
        title: "a 403 (refused: no read-back needed)",
        fault: { status: 403, count: 1 },
        says: /Policy\.ReadWrite\.AuthenticationMethod/,
      },
      {
        title: "503s beyond the retries (read back: as it was)",
        fault: { status: 503, count: 3 },
        says: /Read back afterwards: the registration campaign holds the settings from before; nothing was changed\./,
      },
    ]) {
      it(`RegistrationCampaign: ${title} is a plain error, not a partial result the engine would record`, async () => {
        const campaign = provider("RegistrationCampaign");
        const created = await campaign.create(await checked("RegistrationCampaign", declared));
        const news = await checked("RegistrationCampaign", {
          ...declared,
          snoozeDurationInDays: 5,
        });
        emulator.injectFault({ ...fault, method: "PATCH", pathPrefix: POLICY });
        const error = await failure(campaign.update!(created.id, created.outs, news));
        expect(error.message).to.match(says);
        expect(error.properties, "no partial result: the engine keeps the old state").to.equal(
          undefined,
        );
        expect(error.id).to.equal(undefined);
      });
    }

    it("PilotGroup: a 403 to the rename is a plain error saying the group is as it was", async () => {
      const group = provider("PilotGroup");
      const created = await group.create(await checked("PilotGroup", { displayName: "Wave one" }));
      emulator.injectFault({
        status: 403,
        count: 1,
        method: "PATCH",
        pathPrefix: `/v1.0/groups/${created.id}`,
      });
      const error = await failure(
        group.update!(
          created.id,
          created.outs,
          await checked("PilotGroup", { displayName: "Wave four" }),
        ),
      );
      expect(error.message).to.match(
        /Read back afterwards: the group "Wave four" \(.+\) is as it was; nothing was changed\./,
      );
      expect(error.properties).to.equal(undefined);
    });
  });

  describe("PilotGroup is bound to its tenant like the singletons", () => {
    const group = () => provider("PilotGroup");
    const OTHER_TENANT = "c0ffee00-86f1-41af-91ab-2d7cd011db47";

    it("a tenant change is refused at diff (preview), with no Graph call; a state without tenantId is not refused", async () => {
      const created = await group().create(await checked("PilotGroup", { displayName: "Moved" }));
      const news = await checked("PilotGroup", { displayName: "Moved" });
      expect(created.outs.tenantId).to.equal(emulator.info.tenantId);
      const requestsBefore = emulator.requests().length;
      const error = await failure(
        group().diff!(created.id, { ...created.outs, tenantId: OTHER_TENANT }, news),
      );
      expect(error.message).to.include(
        `PilotGroup: the stack now signs in to tenant ${emulator.info.tenantId}, but this resource belongs to tenant ${OTHER_TENANT}, so nothing was written to either tenant.`,
      );
      expect(emulator.requests().length, "no Graph call").to.equal(requestsBefore);
      const same = await group().diff!(created.id, created.outs, news);
      expect(same).to.include({ changes: false });
      const { tenantId: _t, ...old } = created.outs;
      void _t;
      const legacy = await group().diff!(created.id, old, news);
      expect(legacy, "a state from before tenants were recorded").to.include({ changes: false });
      expect(legacy.replaces).to.deep.equal([]);
    });

    it("a read under another tenant is not made and says so, like the singletons", async () => {
      const created = await group().create(await checked("PilotGroup", { displayName: "Moved" }));
      const recorded = { ...created.outs, tenantId: OTHER_TENANT };
      const requestsBefore = emulator.requests().length;
      const read = await group().read!(created.id, recorded);
      expect(read).to.deep.equal({ id: created.id, props: recorded });
      expect(emulator.requests().length, "no Graph call").to.equal(requestsBefore);
      expect(providers.warnings.join("\n")).to.include(
        `PilotGroup ${created.id}: the provider now signs in to tenant ${emulator.info.tenantId}, not ${OTHER_TENANT} where the group "Moved" was created; it was not read.`,
      );
    });

    it("a delete under another tenant deletes nothing here and names the tenant the group stays in", async () => {
      const created = await group().create(await checked("PilotGroup", { displayName: "Moved" }));
      await group().delete!(created.id, { ...created.outs, tenantId: OTHER_TENANT });
      expect(
        (await findGroupsByMailNickname(graph, "moved")).map((g) => String(g.id).toLowerCase()),
      ).to.deep.equal([created.id]);
      expect(providers.warnings.join("\n")).to.include(
        `PilotGroup ${created.id}: the group "Moved" of tenant ${OTHER_TENANT} was NOT deleted, because the provider now signs in to tenant ${emulator.info.tenantId}.`,
      );
    });
  });

  describe("PilotGroup members and owners compare by the object they name", () => {
    const group = () => provider("PilotGroup");
    const UPN = "pilot.user@contoso.onmicrosoft.com";
    const ID = "bb1d6c17-7043-5689-a17d-aa610e2a4115";
    const ALL_STAFF = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c"; // a group (Emergency Access Accounts)

    it("the same user by UPN and by object id is an error naming both entries, before any write", async () => {
      const inputs = await checked("PilotGroup", { displayName: "Twice", members: [UPN, ID] });
      const error = await failure(group().create(inputs));
      expect(error.message).to.include(`members: "${ID}" and "${UPN}" name the same object (${ID}`);
      expect(graphWrites()).to.deep.equal([]);
    });

    it("switching a member from its UPN to its object id is no diff, and diff makes no Graph call", async () => {
      const created = await group().create(
        await checked("PilotGroup", { displayName: "Respelled", members: [UPN] }),
      );
      const requestsBefore = emulator.requests().length;
      const byId = await checked("PilotGroup", { displayName: "Respelled", members: [ID] });
      const diff = await group().diff!(created.id, created.outs, byId);
      expect(diff.changes).to.equal(false);
      // And back, from a state that recorded the id.
      const back = await group().diff!(
        created.id,
        { ...created.outs, members: [ID] },
        created.outs,
      );
      expect(back.changes).to.equal(false);
      expect(emulator.requests().length, "no Graph call").to.equal(requestsBefore);
      // Another user is still a change.
      const other = await checked("PilotGroup", {
        displayName: "Respelled",
        members: ["2a5c4b8e-0000-4000-8000-000000000000"],
      });
      expect((await group().diff!(created.id, created.outs, other)).changes).to.equal(true);
    });

    it("an object id that names nothing is refused before any write, like an unknown UPN", async () => {
      const missing = "0b0b0b0b-0000-4000-8000-000000000000";
      const inputs = await checked("PilotGroup", { displayName: "Missing", members: [missing] });
      const error = await failure(group().create(inputs));
      expect(error.message).to.include(
        `members: no object with id "${missing}" exists in the tenant`,
      );
      expect(graphWrites()).to.deep.equal([]);
    });

    it("a group id as a member is refused with an explanation (nesting widens the campaign)", async () => {
      const inputs = await checked("PilotGroup", { displayName: "Nested", members: [ALL_STAFF] });
      const error = await failure(group().create(inputs));
      expect(error.message).to.match(
        new RegExp(
          `members: "${ALL_STAFF}" is the group "[^"]+", not a user\\. Nesting a group in the pilot group puts everyone in it in the campaign's scope`,
        ),
      );
      expect(graphWrites()).to.deep.equal([]);
    });

    it("member ids are looked up as users 15 per in-filter; only the rest one by one, and a group among them is still refused", async () => {
      const users = await graph.all<{ id: string }>({
        operation: "list users",
        method: "GET",
        path: "/users",
        query: { $select: "id", $top: 50 },
        permission: "User.Read.All",
      });
      const ids = users.map((u) => u.id.toLowerCase()).slice(0, 20);
      expect(ids).to.have.length(20);
      const before = emulator.requests().length;
      const created = await group().create(
        await checked("PilotGroup", { displayName: "Twenty by id", members: ids }),
      );
      expect(created.outs.memberIds).to.deep.equal([...ids].sort());
      const lookups = emulator
        .requests()
        .slice(before)
        .filter((r) => r.method === "GET" && /\/(users|directoryObjects)\b/.test(r.path));
      expect(lookups.map((r) => r.path.split("?")[0])).to.deep.equal([
        "/v1.0/users",
        "/v1.0/users",
      ]);
      const mixed = await checked("PilotGroup", {
        displayName: "Mixed",
        members: [...ids.slice(0, 3), ALL_STAFF],
      });
      const error = await failure(group().create(mixed));
      expect(error.message).to.match(new RegExp(`members: "${ALL_STAFF}" is the group`));
      expect(graphWrites().filter((w) => w.startsWith("POST /v1.0/groups"))).to.have.length(1);
    });

    it("an update adding a group id as a member is refused before any write", async () => {
      const created = await group().create(
        await checked("PilotGroup", { displayName: "Grows", members: [UPN] }),
      );
      const writesBefore = graphWrites().length;
      const error = await failure(
        group().update!(
          created.id,
          created.outs,
          await checked("PilotGroup", { displayName: "Grows", members: [UPN, ALL_STAFF] }),
        ),
      );
      expect(error.message).to.include(`is the group`);
      expect(graphWrites().slice(writesBefore)).to.deep.equal([]);
    });
  });

  describe("targets must exist and be what they are declared as: at preview (check) and before the first write", () => {
    const BREAK_GLASS = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c"; // a group
    const PILOT_USER = "bb1d6c17-7043-5689-a17d-aa610e2a4115"; // a user
    const NO_SUCH_GROUP = "0b5c8f0e-7d7a-4b44-9a5e-3c1f7a2b9d11"; // no object of the tenant
    const TENANT = () => emulator.info.tenantId.toLowerCase();

    /** check()'s failures for `args` (olds: what the stack declared before). */
    async function checkFailures(
      kind: Parameters<typeof provider>[0],
      args: Record<string, unknown>,
      olds: Record<string, unknown> = {},
    ): Promise<string[]> {
      const result = await provider(kind).check!(olds, args);
      return (result.failures ?? []).map((f) => f.reason);
    }

    it("RegistrationCampaign: a break-glass group declared as a user in excludeTargets fails at preview, naming it and the fix; nothing is written", async () => {
      const reasons = await checkFailures("RegistrationCampaign", {
        state: "enabled",
        excludeTargets: [{ id: BREAK_GLASS, targetType: "user" }],
      });
      expect(reasons).to.have.length(1);
      expect(reasons[0]).to.include(
        `excludeTargets: "${BREAK_GLASS}" is declared with targetType "user", but it is the group`,
      );
      expect(reasons[0]).to.include("would be nudged");
      expect(reasons[0]).to.include(`Write { id: "${BREAK_GLASS}", targetType: "group" }.`);
      expect(graphWrites()).to.deep.equal([]);
    });

    it("AuthenticatorPolicy: an update naming a user as a group fails at preview, and is refused before the PATCH when the id was unknown at preview", async () => {
      const policy = provider("AuthenticatorPolicy");
      const created = await policy.create(
        await checked("AuthenticatorPolicy", { state: "enabled" }),
      );
      const writesBefore = graphWrites().length;
      const args = {
        state: "enabled",
        includeTargets: [{ id: PILOT_USER, targetType: "group" }],
        allowMethodLoss: true,
      };
      const reasons = await checkFailures("AuthenticatorPolicy", args, created.outs);
      expect(reasons.join("\n")).to.include(
        `includeTargets: "${PILOT_USER}" is declared with targetType "group", but it is the user`,
      );
      // The inputs as check() answers them once the id is known (at preview it was not).
      const news = (await policy.check!({ includeTargets: args.includeTargets }, args)).inputs;
      const error = await failure(policy.update!(created.id, created.outs, news));
      expect(error.message).to.include(`Write { id: "${PILOT_USER}", targetType: "user" }.`);
      expect(graphWrites().slice(writesBefore)).to.deep.equal([]);
    });

    for (const { kind, args, path } of [
      {
        kind: "RegistrationCampaign" as const,
        args: { state: "enabled", includeTargets: [{ id: NO_SUCH_GROUP, targetType: "group" }] },
        path: "includeTargets[0]",
      },
      {
        kind: "AuthenticatorPolicy" as const,
        args: { state: "enabled", excludeTargets: [{ id: NO_SUCH_GROUP, targetType: "group" }] },
        path: "excludeTargets[0]",
      },
      {
        kind: "PasskeyPolicy" as const,
        args: { state: "enabled", includeTargets: [{ id: NO_SUCH_GROUP, targetType: "user" }] },
        path: "includeTargets[0]",
      },
      {
        kind: "AuthenticatorPolicy" as const,
        args: {
          state: "enabled",
          featureSettings: {
            displayAppInformationRequiredState: {
              state: "enabled",
              includeTarget: { id: NO_SUCH_GROUP, targetType: "group" },
            },
          },
        },
        path: "featureSettings.displayAppInformationRequiredState.includeTarget",
      },
    ]) {
      it(`${kind}: ${path} naming no object of the tenant fails at preview; nothing is read beyond one batched lookup, nothing written`, async () => {
        const reasons = await checkFailures(kind, args);
        expect(reasons).to.have.length(1);
        const what = path === "includeTargets[0]" && kind === "PasskeyPolicy" ? "user" : "group";
        expect(reasons[0]).to.include(
          `${path}: "${NO_SUCH_GROUP}" is not a ${what} of tenant ${TENANT()} (no user, group or other directory object has this id)`,
        );
        expect(reasons[0]).to.match(
          /Use the object id of an existing (user|group) .*, or remove the target\./,
        );
        expect(emulator.requests().filter((r) => r.path.endsWith("/$batch"))).to.have.length(1);
        expect(graphWrites()).to.deep.equal([]);
      });
    }

    it("a target unknown at preview that names nothing is refused before the first write, after waiting for replication", async () => {
      const args = {
        state: "enabled",
        includeTargets: [{ id: NO_SUCH_GROUP, targetType: "group" }],
      };
      // At preview the id was unknown (a group created in the same program): check let it pass.
      const inputs = (
        await provider("RegistrationCampaign").check!({ includeTargets: args.includeTargets }, args)
      ).inputs;
      const started = Date.now();
      const error = await failure(provider("RegistrationCampaign").create(inputs));
      expect(error.message).to.include(`includeTargets[0]: "${NO_SUCH_GROUP}" is not a group`);
      expect(Date.now() - started, "looked up again while replication may bring it").to.be.above(
        6_000,
      );
      expect(graphWrites()).to.deep.equal([]);
    });

    it("targets declared as what they are pass: one batched lookup at preview, one before the write; a preview with no new target sends nothing", async () => {
      const args = {
        state: "enabled",
        includeTargets: [{ id: PILOT_USER, targetType: "user" }],
        excludeTargets: [{ id: BREAK_GLASS, targetType: "group" }],
      };
      const batches = () => emulator.requests().filter((r) => r.path.endsWith("/$batch")).length;
      const inputs = await checked("RegistrationCampaign", args);
      expect(batches()).to.equal(1);
      const created = await provider("RegistrationCampaign").create(inputs);
      expect(batches()).to.equal(2);
      const before = emulator.requests().length;
      const again = await provider("RegistrationCampaign").check!(created.outs, args);
      expect(again.failures ?? []).to.deep.equal([]);
      expect(emulator.requests().length).to.equal(before);
    });
  });
});
