// The three request shapes of graph-contract.md's Errata, each proven twice against the emulator
// (made as strict as Microsoft's documentation): the old form is refused, and the product's calls
// send the documented form and work.
import { expect } from "chai";
import type { RequestLogEntry } from "../../emulator";
import { scanTenant } from "../../provider/eligibility/scan";
import { getGroupWithOwners, transitiveUsersOfGroups } from "../../provider/graph";
import { useEmulator } from "../support/emulator";
import { graphClient } from "../eligibility/support";

const PILOT_GROUP = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31"; // default tenant, owned by users
const ALL_STAFF_NICKNAME = "all-staff";

describe("request shapes Graph documents (graph-contract.md Errata)", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ resetEachTest: true });

  function graphLog(): RequestLogEntry[] {
    return emulator.requests().filter((r) => /^\/(v1\.0|beta)\//.test(r.path));
  }

  async function raw(
    path: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: { error?: { code?: string; message?: string } } }> {
    const client = graphClient(emulator, "writer");
    const token = await client.accessToken();
    const response = await fetch(`${emulator.info.graphEndpoint}${path}`, {
      headers: { Authorization: `Bearer ${token}`, ...headers },
    });
    return { status: response.status, body: (await response.json()) as never };
  }

  async function allStaffId(): Promise<string> {
    const answer = await raw(
      `/v1.0/groups?$filter=mailNickname eq '${ALL_STAFF_NICKNAME}'&$select=id`,
    );
    return (answer.body as unknown as { value: { id: string }[] }).value[0].id;
  }

  it("shape 1: the emulator refuses $expand=owners($select=…); a PilotGroup read expands owners plainly", async () => {
    const old = await raw(
      `/v1.0/groups/${PILOT_GROUP}?$select=id&$expand=owners($select=id,userPrincipalName)`,
    );
    expect(old.status).to.equal(400);
    expect(old.body.error).to.deep.include({
      code: "Request_BadRequest",
      message: "Invalid $select properties.",
    });

    emulator.clearRequests();
    const read = await getGroupWithOwners(graphClient(emulator, "writer"), PILOT_GROUP);
    expect(read.owners, "owners come with the group").to.not.equal(undefined);
    expect(read.owners?.length).to.be.greaterThan(0);
    for (const owner of read.owners ?? []) expect(owner.userPrincipalName).to.be.a("string");
    const sent = graphLog();
    expect(sent, "one read").to.have.length(1);
    const query = new URLSearchParams(sent[0].query ?? "");
    expect(query.get("$expand")).to.equal("owners");
  });

  it("shape 2: the emulator refuses the transitive cast without ConsistencyLevel and $count; the scan's batch steps send both", async () => {
    const id = await allStaffId();
    const old = await raw(
      `/v1.0/groups/${id}/transitiveMembers/microsoft.graph.user?$select=id&$top=999`,
    );
    expect(old.status).to.equal(400);
    expect(old.body.error?.code).to.equal("Request_UnsupportedQuery");

    emulator.clearRequests();
    const groups = await transitiveUsersOfGroups(graphClient(emulator, "reader"), [id]);
    expect(groups.get(id)?.userIds.size).to.equal(22);
    const step = graphLog().find((r) => r.path.endsWith("/transitiveMembers/microsoft.graph.user"));
    expect(step, "the cast went out as a $batch step").to.have.property("batchId");
    expect(new URLSearchParams(step?.query ?? "").get("$count")).to.equal("true");
  });

  it("shape 3: the report refuses $top; the scan sends none and reads every page of the service's size", async () => {
    emulator.configure({ reportPageSize: 7 });
    const old = await raw("/v1.0/reports/authenticationMethods/userRegistrationDetails?$top=999");
    expect(old.status).to.equal(400);

    emulator.clearRequests();
    const totals: number[] = [];
    const scan = await scanTenant(graphClient(emulator, "reader", { reportRateLimit: null }), {
      // A terminal's bar would like the total once the scan proves long (more than one page).
      progress: {
        wantsTotal: true,
        update: (_done, total) => totals.push(total),
        finish: () => undefined,
      },
    });
    expect(scan.users).to.have.length(28);
    const reportCalls = graphLog().filter((r) => r.path.includes("/userRegistrationDetails"));
    expect(reportCalls).to.have.length(4);
    for (const call of reportCalls) expect(call.query ?? "").to.not.match(/\$top/);
    // The summary that holds the total is "Not supported" for application permissions
    // (authenticationmethodsroot-usersregisteredbymethod): an app's client secret never asks.
    expect(graphLog().filter((r) => r.path.includes("usersRegisteredByMethod"))).to.deep.equal([]);
    expect(Math.max(...totals)).to.equal(0);
  });
});
