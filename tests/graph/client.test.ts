// The Graph access layer against the emulator over real HTTPS: sign-in with the real credential
// classes, paging, batching, retries and the error mapping a platform engineer reads.
import { expect } from "chai";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { resolveSettings } from "../../provider/config";
import {
  changeRelationship,
  createSecurityGroup,
  getAuthenticationMethodsPolicy,
  getGroup,
  getUsers,
  GraphClient,
  GraphRequestError,
  listRelationship,
  patchRegistrationEnforcement,
  type GraphClientOptions,
} from "../../provider/graph";

interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  clientId?: string;
}

describe("Graph access layer against the emulator", function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  after(async () => {
    await emulator?.close();
  });
  beforeEach(async () => {
    await emulator.reset();
  });

  function client(app = "writer", options: GraphClientOptions = {}): GraphClient {
    const env = emulator.env(app);
    return new GraphClient(
      resolveSettings(() => undefined, env),
      {
        retryDelaySeconds: 0.05,
        maxRetries: 3,
        ...options,
      },
    );
  }

  async function graphRequests(): Promise<LoggedRequest[]> {
    const all = (await emulator.requests()) as LoggedRequest[];
    return all.filter((r) => r.path.startsWith("/v1.0/") || r.path.startsWith("/beta/"));
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

  it("signs in with ClientSecretCredential and reads the policy", async () => {
    const policy = await getAuthenticationMethodsPolicy(client());
    expect(policy.id).to.equal("authenticationMethodsPolicy");
    const campaign = policy.registrationEnforcement?.authenticationMethodsRegistrationCampaign;
    expect(campaign?.state).to.equal("default");
  });

  it("reports a wrong client secret as a sign-in failure with the fix, never the secret", async () => {
    const env = { ...emulator.env("writer"), AZURE_CLIENT_SECRET: "wrong-secret-value" };
    const graph = new GraphClient(
      resolveSettings(() => undefined, env),
      { maxRetries: 0 },
    );
    const err = await failure(getAuthenticationMethodsPolicy(graph));
    expect(err.kind).to.equal("signIn");
    expect(err.message).to.match(/AADSTS7000215/);
    expect(err.message).to.match(/create a new secret/);
    expect(err.message).not.to.contain("wrong-secret-value");
  });

  it("names the missing permission when the reader app tries to write", async () => {
    const err = await failure(
      patchRegistrationEnforcement(client("reader"), {
        authenticationMethodsRegistrationCampaign: { state: "enabled" },
      }),
    );
    expect(err.kind).to.equal("forbidden");
    expect(err.status).to.equal(403);
    expect(err.message).to.contain("Policy.ReadWrite.AuthenticationMethod");
    expect(err.message).to.match(/grant admin consent/);
    expect(err.requestId).to.match(/^[0-9a-f-]{36}$/);
  });

  it("reports a missing group as not found, naming it", async () => {
    const id = "00000000-0000-4000-8000-00000000dead";
    const err = await failure(getGroup(client(), id));
    expect(err.kind).to.equal("notFound");
    expect(err.message).to.contain(`The group ${id} does not exist`);
  });

  it("follows @odata.nextLink through every page", async () => {
    const graph = client();
    const pages: number[] = [];
    for await (const page of graph.pages<{ id: string }>({
      operation: "list users",
      method: "GET",
      path: "/users",
      query: { $select: "id", $top: 3 },
      permission: "User.Read.All",
    })) {
      pages.push(page.length);
    }
    const total = pages.reduce((a, b) => a + b, 0);
    expect(pages.length).to.be.greaterThan(1);
    expect(pages.slice(0, -1).every((n) => n === 3)).to.equal(true);
    const listed = (await graphRequests()).filter(
      (r) => r.method === "GET" && r.path === "/v1.0/users",
    );
    expect(listed).to.have.length(pages.length);
    expect(total).to.be.greaterThan(3);
  });

  it("looks users up by UPN and id in batches of 20, special characters included", async () => {
    const graph = client();
    const users = await graph.all<{ id: string; userPrincipalName: string }>({
      operation: "list users",
      method: "GET",
      path: "/users",
      query: { $select: "id,userPrincipalName", $top: 999 },
      permission: "User.Read.All",
    });
    expect(users.length).to.be.at.least(20);
    const guest = users.find((u) => u.userPrincipalName.includes("#EXT#"));
    expect(guest, "the default tenant has a guest with #EXT# in its UPN").to.not.equal(undefined);
    const keys = [
      ...users.slice(0, 12).map((u) => u.userPrincipalName),
      ...users.slice(12, 22).map((u) => u.id),
      (guest as { userPrincipalName: string }).userPrincipalName,
      "nobody.here@example.invalid",
    ];
    await emulator.clearRequests();
    const found = await getUsers(graph, keys);
    expect(found.size).to.equal(new Set(keys).size - 1);
    expect(found.has("nobody.here@example.invalid")).to.equal(false);
    expect(found.get((guest as { userPrincipalName: string }).userPrincipalName)?.id).to.equal(
      (guest as { id: string }).id,
    );
    const batches = (await graphRequests()).filter((r) => r.path === "/v1.0/$batch");
    expect(batches).to.have.length(2);
  });

  it("retries a 503 burst on a read and succeeds", async () => {
    await emulator.injectFault({
      status: 503,
      count: 2,
      method: "GET",
      pathPrefix: "/v1.0/policies",
    });
    const policy = await getAuthenticationMethodsPolicy(client());
    expect(policy.id).to.equal("authenticationMethodsPolicy");
    const gets = (await graphRequests()).filter(
      (r) => r.path === "/v1.0/policies/authenticationMethodsPolicy",
    );
    expect(gets.map((r) => r.status)).to.deep.equal([503, 503, 200]);
  });

  it("a small retry delay (ENTRA_NUDGE_RETRY_DELAY_SECONDS=0.2) bounds the waits: the base doubled per retry", async () => {
    await emulator.injectFault({
      status: 503,
      count: 5,
      method: "GET",
      pathPrefix: "/v1.0/policies",
    });
    const waits: number[] = [];
    const started = Date.now();
    const graph = client("writer", {
      retryDelaySeconds: 0.2,
      maxRetries: 5,
      onRetry: (e) => waits.push(e.delaySeconds),
    });
    await getAuthenticationMethodsPolicy(graph);
    // The SDK's own backoff waited 0.2, 2.2, 4.2, 8.2, 16.2 s (+ jitter): about 33 s in all.
    expect(waits).to.deep.equal([0.2, 0.4, 0.8, 1.6, 3.2]);
    expect(Date.now() - started).to.be.below(20_000);
  });

  it("honours Retry-After on 429 and succeeds", async () => {
    await emulator.injectFault({
      status: 429,
      count: 1,
      retryAfter: 1,
      pathPrefix: "/v1.0/policies",
    });
    const retries: number[] = [];
    const graph = client("writer", { onRetry: (e) => retries.push(e.delaySeconds) });
    await getAuthenticationMethodsPolicy(graph);
    expect(retries).to.deep.equal([1]);
  });

  it("gives up after the retries with a sentence that says how often it tried", async () => {
    await emulator.injectFault({ status: 503, count: 10, pathPrefix: "/v1.0/policies" });
    const err = await failure(getAuthenticationMethodsPolicy(client("writer", { maxRetries: 2 })));
    expect(err.kind).to.equal("unavailable");
    expect(err.message).to.match(
      /^Could not read the authentication methods policy\. Microsoft Graph answered 503/,
    );
    expect(err.message).to.contain("3 attempts");
  });

  it("retries 500 and 502 too", async () => {
    await emulator.injectFault({ status: 500, count: 1, pathPrefix: "/v1.0/policies" });
    await emulator.injectFault({ status: 502, count: 1, pathPrefix: "/v1.0/policies" });
    const policy = await getAuthenticationMethodsPolicy(client());
    expect(policy.id).to.equal("authenticationMethodsPolicy");
  });

  it("never repeats a POST that creates a group", async () => {
    await emulator.injectFault({
      status: 503,
      count: 1,
      method: "POST",
      pathPrefix: "/v1.0/groups",
    });
    const err = await failure(
      createSecurityGroup(client(), { displayName: "Retry probe", mailNickname: "retry-probe" }),
    );
    expect(err.status).to.equal(503);
    const posts = (await graphRequests()).filter(
      (r) => r.method === "POST" && r.path === "/v1.0/groups",
    );
    expect(posts).to.have.length(1);
  });

  it("retries a reset connection on a read", async () => {
    await emulator.injectFault({ reset: true, count: 1, pathPrefix: "/v1.0/policies" });
    const policy = await getAuthenticationMethodsPolicy(client());
    expect(policy.id).to.equal("authenticationMethodsPolicy");
  });

  it("times out a stalled read, retries, and reports the timeout when it persists", async () => {
    await emulator.injectFault({ delayMs: 3_000, count: 5, pathPrefix: "/v1.0/policies" });
    const err = await failure(
      getAuthenticationMethodsPolicy(client("writer", { timeoutMs: 300, maxRetries: 1 })),
    );
    expect(err.kind).to.equal("transport");
    // A timeout under a second is told in milliseconds, never as "0 s".
    expect(err.message).to.contain(". No answer within 300 ms (2 attempts)");
    expect(err.message).to.contain("2 attempts");
  });

  it("adds and removes members idempotently through $batch", async () => {
    const graph = client();
    const group = await createSecurityGroup(graph, {
      displayName: "Batch members",
      mailNickname: "batch-members",
    });
    const users = await graph.all<{ id: string }>({
      operation: "list users",
      method: "GET",
      path: "/users",
      query: { $select: "id", $top: 25 },
      permission: "User.Read.All",
    });
    const ids = users.slice(0, 22).map((u) => u.id);
    await changeRelationship(graph, group.id as string, "members", "add", ids);
    await changeRelationship(graph, group.id as string, "members", "add", ids.slice(0, 3));
    const members = await listRelationship(graph, group.id as string, "members");
    expect(members.map((m) => m.id).sort()).to.deep.equal([...ids].sort());
    await changeRelationship(graph, group.id as string, "members", "remove", ids.slice(0, 2));
    await changeRelationship(graph, group.id as string, "members", "remove", ids.slice(0, 2));
    expect(await listRelationship(graph, group.id as string, "members")).to.have.length(20);
  });
});
