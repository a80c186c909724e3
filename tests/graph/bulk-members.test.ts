// Member additions 20 per PATCH /groups/{id} with members@odata.bind (graph-contract.md §4.4),
// one PATCH after the other (Microsoft documents the bulk bind as one request and says nothing of
// concurrent writes to one group: never several of them in one $batch, whose steps run in
// parallel), against the emulator over real HTTPS: the number of write requests, and the
// all-or-nothing failure (a member already there, a missing object, a missing group) resolved to
// an exact outcome per member without adding any member twice.
import { expect } from "chai";
import { generateTenant } from "../../emulator/generate";
import { useEmulator } from "../support/emulator";
import { resolveSettings } from "../../provider/config";
import {
  changeRelationship,
  createSecurityGroup,
  GraphClient,
  GraphRequestError,
  listRelationship,
} from "../../provider/graph";

describe("Graph client: member additions in bulk", function () {
  this.timeout(30_000);
  // More users than the default tenant's 30, for several PATCHes of 20.
  const emulator = useEmulator({
    tenant: generateTenant({ users: 60, seed: 16 }),
    resetEachTest: true,
  });

  function client(): GraphClient {
    return new GraphClient(
      resolveSettings(() => undefined, emulator.env("writer")),
      {
        retryDelaySeconds: 0,
        maxRetries: 2,
        reportRateLimit: null,
      },
    );
  }

  /** Member-related writes as Graph counts them ($batch steps; the envelope is not a write), statuses sorted. */
  function memberWrites(groupId: string): { patches: number[]; refs: number[]; batches: number } {
    const log = emulator.requests();
    return {
      patches: log
        .filter((r) => r.method === "PATCH" && r.path === `/v1.0/groups/${groupId}`)
        .map((r) => r.status)
        .sort(),
      refs: log
        .filter((r) => r.method === "POST" && r.path === `/v1.0/groups/${groupId}/members/$ref`)
        .map((r) => r.status)
        .sort(),
      batches: log.filter((r) => r.method === "POST" && r.path === "/v1.0/$batch").length,
    };
  }

  /** The most member PATCHes of the group that one $batch carried (its steps run in parallel). */
  function patchesInOneBatch(groupId: string): number {
    const perBatch = new Map<string, number>();
    for (const r of emulator.requests()) {
      if (r.method !== "PATCH" || r.path !== `/v1.0/groups/${groupId}` || !r.batchId) continue;
      perBatch.set(r.batchId, (perBatch.get(r.batchId) ?? 0) + 1);
    }
    return Math.max(0, ...perBatch.values());
  }

  async function userIds(count: number): Promise<string[]> {
    const users = await client().all<{ id: string }>({
      operation: "list users",
      method: "GET",
      path: "/users",
      query: { $select: "id", $top: count },
      permission: "User.Read.All",
    });
    return users.map((u) => u.id.toLowerCase()).slice(0, count);
  }

  async function newGroup(mailNickname: string): Promise<string> {
    const group = await createSecurityGroup(client(), { displayName: mailNickname, mailNickname });
    return String(group.id).toLowerCase();
  }

  async function memberIds(groupId: string): Promise<string[]> {
    return (await listRelationship(client(), groupId, "members")).map((m) => m.id).sort();
  }

  /** How many times the directory recorded each object being added to the group (audit log). */
  async function additionsPerMember(groupId: string): Promise<Map<string, number>> {
    const audits = await client().all<{
      activityDisplayName: string;
      targetResources: { id: string; type: string }[];
    }>({
      operation: "list audits",
      method: "GET",
      path: "/auditLogs/directoryAudits",
      permission: "AuditLog.Read.All",
    });
    const counts = new Map<string, number>();
    for (const a of audits) {
      if (a.activityDisplayName !== "Add member to group") continue;
      if (!a.targetResources.some((t) => t.id.toLowerCase() === groupId)) continue;
      const member = a.targetResources[0].id.toLowerCase();
      counts.set(member, (counts.get(member) ?? 0) + 1);
    }
    return counts;
  }

  it("adds 45 members with 3 PATCHes, one after the other", async () => {
    const groupId = await newGroup("bulk-45");
    const ids = await userIds(45);
    emulator.clearRequests();
    await changeRelationship(client(), groupId, "members", "add", ids);
    expect(memberWrites(groupId)).to.deep.equal({ patches: [204, 204, 204], refs: [], batches: 3 });
    expect(patchesInOneBatch(groupId), "member PATCHes of one group sent together").to.equal(1);
    expect(await memberIds(groupId)).to.deep.equal([...ids].sort());
  });

  it("a PATCH refused for one member already there: only its 20 go one by one, each added once", async () => {
    const groupId = await newGroup("bulk-duplicate");
    const ids = await userIds(45);
    // Someone else added the 25th user meanwhile: the second PATCH (users 21–40) fails whole.
    await changeRelationship(client(), groupId, "members", "add", [ids[24]]);
    emulator.clearRequests();
    await changeRelationship(client(), groupId, "members", "add", ids);
    const writes = memberWrites(groupId);
    expect(writes.patches).to.deep.equal([204, 204, 400]);
    // The refused PATCH added no one; its 20 members went as $ref: 19 added, 1 "already exists".
    expect(writes.refs.filter((s) => s === 204)).to.have.length(19);
    expect(writes.refs.filter((s) => s === 400)).to.have.length(1);
    expect(writes.batches).to.equal(4);
    expect(patchesInOneBatch(groupId)).to.equal(1);
    expect(await memberIds(groupId)).to.deep.equal([...ids].sort());
    const added = await additionsPerMember(groupId);
    expect([...added.values()].every((n) => n === 1)).to.equal(true, "no member added twice");
    expect(added.size).to.equal(45);
  });

  it("a missing object fails only its own addition: the others of its PATCH go again in a smaller PATCH", async () => {
    const groupId = await newGroup("bulk-missing");
    const ids = await userIds(30);
    const ghost = "00000000-0000-0000-0000-00000000dead";
    const wanted = [...ids.slice(0, 10), ghost, ...ids.slice(10)];
    emulator.clearRequests();
    let err: unknown;
    try {
      await changeRelationship(client(), groupId, "members", "add", wanted);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(GraphRequestError);
    expect((err as GraphRequestError).kind).to.equal("notFound");
    expect((err as GraphRequestError).message).to.contain(ghost);
    // 2 PATCHes (20 + 11), the one holding the ghost refused (404 naming it), its 19 others again.
    expect(memberWrites(groupId)).to.deep.equal({
      patches: [204, 204, 404],
      refs: [],
      batches: 3,
    });
    expect(await memberIds(groupId)).to.deep.equal([...ids].sort());
  });

  it("a missing group: the first PATCH fails as not found and nothing more is sent", async () => {
    const ids = await userIds(25);
    const absent = "11111111-2222-3333-4444-555555555555";
    emulator.clearRequests();
    let err: unknown;
    try {
      await changeRelationship(client(), absent, "members", "add", ids);
    } catch (e) {
      err = e;
    }
    expect((err as GraphRequestError).kind).to.equal("notFound");
    expect(memberWrites(absent)).to.deep.equal({ patches: [404], refs: [], batches: 1 });
  });
});
