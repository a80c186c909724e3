// Service principals as group owners, as Microsoft's pages describe them: an app may own a group
// (learn.microsoft.com/graph/api/group-post-owners: "Add a user or service principal"), v1.0 does
// not list it ("Currently, service principals are not listed as group owners due to the staged
// rollout of service principals to the Microsoft Graph v1.0 endpoint",
// learn.microsoft.com/graph/api/group-list-owners, read 2026-12-07) and beta does.
import { expect } from "chai";
import { getToken, rawRequest, useEmulator } from "../support/emulator";
import {
  ADELE_ID,
  APP_OWNED_GROUP,
  appOwnedGroupTenant,
  WRITER_SP,
} from "../support/appOwnedGroup";

type Listing = { value: Record<string, unknown>[] };

describe("emulator: service principals as group owners (v1.0 hides them, beta lists them)", function () {
  this.timeout(30_000);
  const emulator = useEmulator({ tenant: appOwnedGroupTenant(), resetEachTest: true });

  async function call(method: string, path: string, body?: unknown) {
    return rawRequest(emulator, { method, path, body, token: await getToken(emulator, "writer") });
  }
  const idsOf = (json: unknown) => (json as Listing).value.map((o) => o.id);

  it("lists the app owner on beta only, in the owners listing and in $expand=owners", async () => {
    const v1 = await call("GET", `/v1.0/groups/${APP_OWNED_GROUP}/owners`);
    expect(v1.status).to.equal(200);
    expect(idsOf(v1.json)).to.deep.equal([ADELE_ID]);
    const beta = await call(
      "GET",
      `/beta/groups/${APP_OWNED_GROUP}/owners?$select=id,userPrincipalName`,
    );
    expect(beta.status).to.equal(200);
    const owners = (beta.json as Listing).value;
    expect(owners.map((o) => o.id).sort()).to.deep.equal([ADELE_ID, WRITER_SP].sort());
    const app = owners.find((o) => o.id === WRITER_SP);
    expect(app).to.include({ "@odata.type": "#microsoft.graph.servicePrincipal", id: WRITER_SP });
    expect(app?.userPrincipalName ?? null, "a service principal has no UPN").to.equal(null);
    const expandedV1 = await call(
      "GET",
      `/v1.0/groups/${APP_OWNED_GROUP}?$select=id&$expand=owners`,
    );
    expect((expandedV1.json as { owners: { id: string }[] }).owners.map((o) => o.id)).to.deep.equal(
      [ADELE_ID],
    );
    const expandedBeta = await call(
      "GET",
      `/beta/groups/${APP_OWNED_GROUP}?$select=id&$expand=owners`,
    );
    const betaOwners = (expandedBeta.json as { owners: Record<string, unknown>[] }).owners;
    expect(betaOwners.map((o) => o.id).sort()).to.deep.equal([ADELE_ID, WRITER_SP].sort());
    expect(betaOwners.find((o) => o.id === WRITER_SP)).to.include({
      "@odata.type": "#microsoft.graph.servicePrincipal",
      appId: emulator.info.apps.writer.clientId,
    });
  });

  it("answers the service principal on GET /directoryObjects/{id}", async () => {
    const answer = await call("GET", `/v1.0/directoryObjects/${WRITER_SP}`);
    expect(answer.status).to.equal(200);
    expect(answer.json).to.include({
      "@odata.type": "#microsoft.graph.servicePrincipal",
      id: WRITER_SP,
      appId: emulator.info.apps.writer.clientId,
    });
  });

  it("adds and removes a service principal owner by reference; a group cannot own one", async () => {
    const group = "2fbb5b75-4b8e-581b-9aaa-28ef3cb88c74"; // Sales, owned by AdeleV
    const add = await call("POST", `/v1.0/groups/${group}/owners/$ref`, {
      "@odata.id": `https://graph.microsoft.com/v1.0/servicePrincipals/${WRITER_SP}`,
    });
    expect(add.status).to.equal(204);
    const again = await call("POST", `/v1.0/groups/${group}/owners/$ref`, {
      "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${WRITER_SP}`,
    });
    expect(again.status).to.equal(400);
    expect(again.json)
      .to.have.nested.property("error.message")
      .that.matches(/already exist/);
    const nested = await call("POST", `/v1.0/groups/${group}/owners/$ref`, {
      "@odata.id": `https://graph.microsoft.com/v1.0/groups/${APP_OWNED_GROUP}`,
    });
    expect(nested.status).to.equal(400);
    // The app is an owner too: the user is not the last one, and can go.
    expect((await call("DELETE", `/v1.0/groups/${group}/owners/${ADELE_ID}/$ref`)).status).to.equal(
      204,
    );
    // Now the app is the last owner, though v1.0 lists no owner at all.
    const v1 = await call("GET", `/v1.0/groups/${group}/owners`);
    expect(idsOf(v1.json)).to.deep.equal([]);
    const last = await call("DELETE", `/v1.0/groups/${group}/owners/${WRITER_SP}/$ref`);
    expect(last.status).to.equal(400);
    expect(last.json)
      .to.have.nested.property("error.message")
      .that.matches(/at least one owner/);
  });
});
