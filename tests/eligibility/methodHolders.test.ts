// Reading what the method-loss check needs (eligibility/methodHolders.ts) against the emulator:
// the report's documented filter answers exactly the holders a full scan finds, with the
// memberships of the groups asked for; a fresh cached scan that resolved those groups answers
// instead, with no report request; one that did not resolve them is not used.
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { resolveSettings } from "../../provider/config";
import { scanTenantCached } from "../../provider/eligibility/cachedScan";
import { holderFilter, readMethodHolders } from "../../provider/eligibility/methodHolders";
import { GraphClient } from "../../provider/graph";
import { holdsMethod } from "../../provider/model";
import { useEmulator } from "../support/emulator";

const FINANCE_GROUP = "cfb1e018-a781-5ff9-82c8-4ba8abe91a97";
const ENGINEERING_GROUP = "0b2aab64-4927-523f-872d-07057afedf1e";

describe("method holders: the filtered report read and the scan cache", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ resetEachTest: true });
  let graph: GraphClient;
  let root: string;

  beforeEach(() => {
    graph = new GraphClient(
      resolveSettings(() => undefined, emulator.env("reader")),
      {
        retryDelaySeconds: 0,
      },
    );
    root = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-holders-"));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const reportReads = () =>
    emulator.requests().filter((r) => r.path.endsWith("/userRegistrationDetails"));

  it("the filter answers exactly the holders a full scan finds, with the groups' memberships", async () => {
    const scan = await scanTenantCached(graph, { groups: [ENGINEERING_GROUP] }, undefined);
    const expected = scan.users
      .filter((u) => holdsMethod("microsoftAuthenticator", u.methodsRegistered))
      .map((u) => [u.id, [...u.groupIds].sort()]);
    emulator.clearRequests();
    const holders = await readMethodHolders(graph, "microsoftAuthenticator", [ENGINEERING_GROUP]);
    expect(holders.users.map((u) => [u.id, [...u.groupIds].sort()])).to.have.deep.members(expected);
    expect(expected).to.have.length(8);
    expect(
      reportReads().map((r) => new URLSearchParams(r.query ?? "").get("$filter")),
    ).to.have.members([
      holderFilter("microsoftAuthenticatorPush"),
      holderFilter("microsoftAuthenticatorPasswordless"),
    ]);
    expect(holders.source).to.deep.equal({ reportRequests: 2 });
  });

  it("a fresh cached scan that resolved the groups answers with no report request; one that did not is not used", async () => {
    const tenantId = emulator.info.tenantId;
    const cache = { settings: { ttlSeconds: 3600, root }, tenantId };
    await scanTenantCached(graph, { groups: [FINANCE_GROUP] }, cache);
    emulator.clearRequests();
    const cached = await readMethodHolders(graph, "microsoftAuthenticator", [FINANCE_GROUP], cache);
    expect(cached.source).to.have.property("cachedAt");
    expect(cached.users).to.have.length(8);
    expect(reportReads()).to.deep.equal([]);

    const other = await readMethodHolders(
      graph,
      "microsoftAuthenticator",
      [ENGINEERING_GROUP],
      cache,
    );
    expect(other.source).to.deep.equal({ reportRequests: 2 });
    expect(other.users.filter((u) => u.groupIds.has(ENGINEERING_GROUP))).to.have.length(4);

    const expired = await readMethodHolders(graph, "microsoftAuthenticator", [FINANCE_GROUP], {
      ...cache,
      settings: { ttlSeconds: 0, root },
    });
    expect(expired.source).to.deep.equal({ reportRequests: 2 });
  });
});
