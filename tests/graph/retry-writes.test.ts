// Which writes the Graph client repeats, against the emulator over real HTTPS: a throttled group
// creation (429: not carried out, https://learn.microsoft.com/graph/throttling) is repeated and
// creates one group; a 5xx, a reset or a lost answer to it is never repeated blindly; a $batch of
// member changes (each harmless to repeat) is repeated whole when its answer is lost, and a $batch
// holding a call that is not is not.
import { expect } from "chai";
import { useEmulator } from "../support/emulator";
import { resolveSettings } from "../../provider/config";
import {
  changeRelationship,
  createSecurityGroup,
  findGroupsByMailNickname,
  GraphClient,
  GraphRequestError,
  listRelationship,
  type GraphCall,
  type GraphClientOptions,
  type RetryEvent,
} from "../../provider/graph";

describe("Graph client: which writes are repeated", function () {
  this.timeout(30_000);
  const emulator = useEmulator({ resetEachTest: true });

  function client(options: GraphClientOptions = {}): GraphClient {
    return new GraphClient(
      resolveSettings(() => undefined, emulator.env("writer")),
      { retryDelaySeconds: 0, maxRetries: 3, ...options },
    );
  }

  /** Graph calls as the emulator logged them, "METHOD /path status", $batch steps included. */
  function logged(method: string, path: string): number[] {
    return emulator
      .requests()
      .filter((r) => r.method === method && r.path === path)
      .map((r) => r.status);
  }

  async function failure(p: Promise<unknown>): Promise<GraphRequestError> {
    try {
      await p;
    } catch (e) {
      expect(e).to.be.instanceOf(GraphRequestError);
      return e as GraphRequestError;
    }
    throw new Error("expected the call to fail");
  }

  async function groupsNamed(mailNickname: string): Promise<string[]> {
    const groups = await findGroupsByMailNickname(client(), mailNickname);
    return groups.map((g) => String(g.id));
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

  describe("POST /groups", () => {
    it("is repeated after a 429 without Retry-After, and creates exactly one group", async () => {
      emulator.injectFault({ status: 429, count: 1, method: "POST", pathPrefix: "/v1.0/groups" });
      const group = await createSecurityGroup(client(), {
        displayName: "Throttled pilot",
        mailNickname: "throttled-pilot",
      });
      expect(logged("POST", "/v1.0/groups")).to.deep.equal([429, 201]);
      expect(await groupsNamed("throttled-pilot")).to.deep.equal([group.id]);
    });

    it("is repeated after a 429 once its Retry-After has passed, and creates exactly one group", async () => {
      emulator.injectFault({
        status: 429,
        count: 1,
        retryAfter: 1,
        method: "POST",
        pathPrefix: "/v1.0/groups",
      });
      const retries: RetryEvent[] = [];
      const group = await createSecurityGroup(client({ onRetry: (e) => retries.push(e) }), {
        displayName: "Throttled pilot 2",
        mailNickname: "throttled-pilot-2",
      });
      expect(retries.map((r) => [r.method, r.status, r.delaySeconds])).to.deep.equal([
        ["POST", 429, 1],
      ]);
      expect(logged("POST", "/v1.0/groups")).to.deep.equal([429, 201]);
      expect(await groupsNamed("throttled-pilot-2")).to.deep.equal([group.id]);
    });

    it("is not repeated after a 500", async () => {
      emulator.injectFault({ status: 500, count: 1, method: "POST", pathPrefix: "/v1.0/groups" });
      const err = await failure(
        createSecurityGroup(client(), {
          displayName: "Failed pilot",
          mailNickname: "failed-pilot",
        }),
      );
      expect(err.status).to.equal(500);
      expect(logged("POST", "/v1.0/groups")).to.deep.equal([500]);
      expect(await groupsNamed("failed-pilot")).to.deep.equal([]);
    });

    it("is not repeated after a reset connection", async () => {
      emulator.injectFault({ reset: true, count: 1, method: "POST", pathPrefix: "/v1.0/groups" });
      const err = await failure(
        createSecurityGroup(client(), { displayName: "Reset pilot", mailNickname: "reset-pilot" }),
      );
      expect(err.kind).to.equal("transport");
      expect(err.message).to.match(/reset/);
      expect(logged("POST", "/v1.0/groups")).to.deep.equal([0]);
    });

    it("is not repeated when its answer is lost: Graph carried it out once, so one group exists", async () => {
      // Carried out 1 s after it was sent, past the client's 300 ms timeout.
      emulator.injectFault({
        delayMs: 1000,
        count: 1,
        method: "POST",
        pathPrefix: "/v1.0/groups",
      });
      const err = await failure(
        createSecurityGroup(client({ timeoutMs: 300 }), {
          displayName: "Lost pilot",
          mailNickname: "lost-pilot",
        }),
      );
      expect(err.kind).to.equal("transport");
      // Wait until the stalled creation has been carried out, then count.
      let found: string[] = [];
      for (let i = 0; i < 50 && found.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        found = await groupsNamed("lost-pilot");
      }
      expect(found).to.have.length(1);
      expect(logged("POST", "/v1.0/groups")).to.deep.equal([201]);
    });
  });

  describe("$batch", () => {
    async function newGroup(mailNickname: string): Promise<string> {
      const group = await createSecurityGroup(client(), {
        displayName: mailNickname,
        mailNickname,
      });
      return String(group.id);
    }

    it("of member adds is repeated after its answer was lost, and every member is added once", async () => {
      const groupId = await newGroup("batch-lost-adds");
      const ids = await userIds(25);
      emulator.clearRequests();
      // The first PATCH (20 members, §4.4; the 5 others follow in their own) is carried out after
      // the client gave up on its $batch. If the repetition finds its members there already, the
      // PATCH fails whole ("already exist"), so its members go one $ref each, and each answers
      // "already exists" (counted as added) instead of being added a second time.
      emulator.injectFault({
        delayMs: 1000,
        count: 1,
        method: "POST",
        pathPrefix: "/v1.0/$batch",
      });
      await changeRelationship(client({ timeoutMs: 300 }), groupId, "members", "add", ids);
      // The late $batch ends 1 s after it was sent: wait for it, so it is counted here.
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const refs = logged("POST", `/v1.0/groups/${groupId}/members/$ref`);
      expect(refs.length).to.be.oneOf([0, 20]);
      expect(refs.every((s) => s === 400)).to.equal(true, "no member is added a second time");
      const members = await listRelationship(client(), groupId, "members");
      expect(members.map((m) => String(m.id).toLowerCase()).sort()).to.deep.equal(ids.sort());
    });

    it("of member removals is repeated whole after its answer was lost (carried out late)", async () => {
      const groupId = await newGroup("batch-lost-removals");
      const ids = await userIds(3);
      await changeRelationship(client(), groupId, "members", "add", ids);
      emulator.clearRequests();
      // The first batch is carried out after the client gave up on it; the repetition then finds
      // the members gone (404), which counts as removed.
      emulator.injectFault({
        delayMs: 1000,
        count: 1,
        method: "POST",
        pathPrefix: "/v1.0/$batch",
      });
      const retries: RetryEvent[] = [];
      const graph = client({ timeoutMs: 300, onRetry: (e) => retries.push(e) });
      await changeRelationship(graph, groupId, "members", "remove", ids);
      expect(retries.map((r) => [r.method, r.url.replace(/^.*\/v1\.0/, "")])).to.deep.equal([
        ["POST", "/$batch"],
      ]);
      expect(retries[0].transportFailure).to.match(/no answer within/);
      // The late first batch is carried out after the repetition: wait for it, so that it lands in
      // this test (its removals then find nothing to remove) and not in the next one.
      for (let i = 0; i < 50 && logged("POST", "/v1.0/$batch").length < 2; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(logged("POST", "/v1.0/$batch")).to.deep.equal([200, 200]);
      expect(await listRelationship(client(), groupId, "members")).to.deep.equal([]);
    });

    it("holding a call that is not repeatable is not repeated after a reset", async () => {
      const groupId = await newGroup("batch-mixed");
      const [userId] = await userIds(1);
      emulator.clearRequests();
      // The member add drops the connection after the creation beside it was carried out: a
      // repetition would create a second group.
      emulator.injectFault({
        reset: true,
        delayMs: 200,
        count: 1,
        method: "POST",
        pathPrefix: `/v1.0/groups/${groupId}/members/$ref`,
      });
      const endpoint = emulator.info.graphEndpoint;
      const calls: GraphCall[] = [
        {
          operation: `add ${userId} to the members of the group ${groupId}`,
          method: "POST",
          path: `/groups/${groupId}/members/$ref`,
          body: { "@odata.id": `${endpoint}/v1.0/directoryObjects/${userId}` },
          permission: "GroupMember.ReadWrite.All",
          idempotent: true,
        },
        {
          operation: `create the security group "Batch created"`,
          method: "POST",
          path: "/groups",
          body: {
            displayName: "Batch created",
            mailNickname: "batch-created",
            mailEnabled: false,
            securityEnabled: true,
          },
          permission: "Group.ReadWrite.All",
        },
      ];
      const err = await failure(client().batch(calls));
      expect(err.kind).to.equal("transport");
      expect(logged("POST", "/v1.0/$batch")).to.deep.equal([0]);
      expect(await groupsNamed("batch-created")).to.have.length(1);
    });
  });
});
