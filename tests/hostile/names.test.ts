// Names and UPNs with quotes, unicode and characters that mean something in OData or a URL
// (' # % / + & ? spaces $): PilotGroup members given by UPN, groups looked up by mailNickname, users
// looked up by key. Each resolves to exactly its object (single quotes doubled in OData literals,
// path segments percent-encoded), and a crafted name never widens a filter or reaches another path.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { useEmulator } from "../support/emulator";
import { projectRoot } from "../support/engine";
import { resolveSettings } from "../../provider/config";
import {
  findGroupsByMailNickname,
  getUsers,
  GraphClient,
  keySegment,
  listRelationship,
  stringLiteral,
} from "../../provider/graph";
import { provider, setConfig, setWarningSink } from "../../provider/resources/providers";

type Json = Record<string, unknown>;

/** UPNs that each stress one part of the escaping, with fixed object ids. */
const NAMED_USERS: { upn: string; id: string; guest?: boolean }[] = [
  { upn: "o'brien@contoso.onmicrosoft.com", id: "0a000001-0000-4000-8000-000000000001" },
  { upn: "o''hara@contoso.onmicrosoft.com", id: "0a000001-0000-4000-8000-000000000002" },
  {
    upn: "jane_fabrikam.com#EXT#@contoso.onmicrosoft.com",
    id: "0a000001-0000-4000-8000-000000000003",
    guest: true,
  },
  { upn: "100%sure@contoso.onmicrosoft.com", id: "0a000001-0000-4000-8000-000000000004" },
  { upn: "%41dele@contoso.onmicrosoft.com", id: "0a000001-0000-4000-8000-000000000005" },
  { upn: "first+tag@contoso.onmicrosoft.com", id: "0a000001-0000-4000-8000-000000000006" },
  { upn: "r&d?x=1@contoso.onmicrosoft.com", id: "0a000001-0000-4000-8000-000000000007" },
  { upn: "a/b@contoso.onmicrosoft.com", id: "0a000001-0000-4000-8000-000000000008" },
  { upn: "with space@contoso.onmicrosoft.com", id: "0a000001-0000-4000-8000-000000000009" },
  { upn: "zoë.müller-渡辺@contoso.onmicrosoft.com", id: "0a000001-0000-4000-8000-00000000000a" },
  { upn: "$admin@contoso.onmicrosoft.com", id: "0a000001-0000-4000-8000-00000000000b" },
  { upn: "$o'neil@contoso.onmicrosoft.com", id: "0a000001-0000-4000-8000-00000000000c" },
];

/**
 * The UPNs Microsoft Entra allows (letters, digits and ' . - _ ! # ^ ~ before the @): a PilotGroup
 * takes these as members. The others are refused by the resource's check, before any Graph call.
 */
const VALID_UPN_USERS = NAMED_USERS.filter((u) => /^[$]?[A-Za-z0-9'._!#^~-]+@/.test(u.upn));

/** Groups whose mailNickname must be matched exactly, and a decoy an injection would reveal. */
const NAMED_GROUPS: { mailNickname: string; id: string }[] = [
  { mailNickname: "o'brien-team", id: "0b000001-0000-4000-8000-000000000001" },
  { mailNickname: "r&d#1%/+?", id: "0b000001-0000-4000-8000-000000000002" },
  { mailNickname: "aaa-decoy", id: "0b000001-0000-4000-8000-000000000003" },
];

/** The default tenant with the named users and groups added (default.json itself is unchanged). */
function tenantWithNames(): Json {
  const tenant = JSON.parse(
    fs.readFileSync(path.join(projectRoot, "emulator", "tenants", "default.json"), "utf8"),
  ) as { users: Json[]; groups: Json[] };
  const template = tenant.users[0];
  for (const user of NAMED_USERS) {
    tenant.users.push({
      ...template,
      id: user.id,
      userPrincipalName: user.upn,
      displayName: user.upn.split("@")[0],
      mail: undefined,
      userType: user.guest ? "Guest" : "Member",
      adminRoles: [],
    });
  }
  const groupTemplate = tenant.groups[0];
  for (const group of NAMED_GROUPS) {
    tenant.groups.push({
      ...groupTemplate,
      id: group.id,
      displayName: `Group ${group.mailNickname}`,
      mailNickname: group.mailNickname,
      members: [],
      owners: [],
    });
  }
  return tenant as unknown as Json;
}

/** Crafted names that try to widen a filter or reach another path. */
const CRAFTED = [
  "x' or startswith(mailNickname,'a",
  "aaa-decoy' or '1' eq '1",
  "') or true or ('",
  "*",
  "aaa%",
];

describe("hostile input: names with quotes, unicode and OData-special characters", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ tenant: tenantWithNames(), resetEachTest: true });
  let graph: GraphClient;

  beforeEach(() => {
    const env = { ...emulator.env("writer"), ENTRA_NUDGE_MAX_RETRIES: "0" };
    setConfig(() => undefined, env);
    graph = new GraphClient(
      resolveSettings(() => undefined, env),
      { maxRetries: 0 },
    );
    setWarningSink(() => undefined);
  });
  after(() => setWarningSink(undefined));

  it("escapes OData literals by doubling quotes and percent-encodes path segments", () => {
    expect(stringLiteral("o'brien")).to.equal("'o''brien'");
    expect(stringLiteral("x' or startswith(displayName,'a")).to.equal(
      "'x'' or startswith(displayName,''a'",
    );
    expect(keySegment("jane_fabrikam.com#EXT#@contoso.com")).to.equal(
      "jane_fabrikam.com%23EXT%23%40contoso.com",
    );
    expect(keySegment("a/b?c=1&d%e f+g")).to.equal("a%2Fb%3Fc%3D1%26d%25e%20f%2Bg");
  });

  it("looks up every user by UPN, each to exactly its object", async () => {
    const found = await getUsers(
      graph,
      NAMED_USERS.map((u) => u.upn),
    );
    for (const user of NAMED_USERS) {
      expect(found.get(user.upn)?.id, user.upn).to.equal(user.id);
    }
  });

  it("a UPN crafted to reach another path or match others finds nothing", async () => {
    const crafted = [
      ...CRAFTED,
      "../groups/0b000001-0000-4000-8000-000000000003",
      "o'brien@contoso.onmicrosoft.com/../../groups",
      "o'brien@contoso.onmicrosoft.com?$select=id",
      "o'brien@contoso.onmicrosoft.com#",
      "%6F'brien@contoso.onmicrosoft.com",
    ];
    const found = await getUsers(graph, crafted);
    expect([...found.keys()]).to.deep.equal([]);
  });

  it("finds groups by a mailNickname with quotes and special characters, and only them", async () => {
    for (const group of NAMED_GROUPS) {
      const found = await findGroupsByMailNickname(graph, group.mailNickname);
      expect(
        found.map((g) => g.id),
        group.mailNickname,
      ).to.deep.equal([group.id]);
    }
  });

  it("a mailNickname crafted to widen the filter matches nothing and is not refused as a syntax error", async () => {
    for (const crafted of CRAFTED) {
      const found = await findGroupsByMailNickname(graph, crafted);
      expect(found, crafted).to.deep.equal([]);
    }
    // The filter went out as one string literal.
    const sent = emulator
      .requests()
      .filter((r) => r.path === "/v1.0/groups" && r.query)
      .map((r) => new URLSearchParams(r.query).get("$filter"));
    expect(sent).to.include("mailNickname eq 'x'' or startswith(mailNickname,''a'");
  });

  it("a PilotGroup with every such member, and a mailNickname full of them, is created, read back and updated without a diff", async () => {
    const declared = {
      displayName: "Pilot: o'brien & co. #1 — 100% / ünïcode?",
      mailNickname: "pilot#1%+?&=",
      members: VALID_UPN_USERS.map((u) => u.upn),
    };
    const checked = await provider("PilotGroup").check!({}, declared);
    expect(checked.failures ?? [], JSON.stringify(checked.failures)).to.deep.equal([]);
    const created = await provider("PilotGroup").create(checked.inputs);
    const outs = created.outs as Json;
    expect(outs.memberIds).to.deep.equal(VALID_UPN_USERS.map((u) => u.id).sort());
    expect(outs.mailNickname).to.equal(declared.mailNickname);
    expect(outs.displayName).to.equal(declared.displayName);

    const members = await listRelationship(graph, created.id, "members");
    expect(members.map((m) => m.userPrincipalName).sort()).to.deep.equal(
      VALID_UPN_USERS.map((u) => u.upn).sort(),
    );

    const read = await provider("PilotGroup").read!(created.id, outs);
    const diff = await provider("PilotGroup").diff!(
      created.id,
      { ...(read.props as Json), ...(read.inputs as Json) },
      checked.inputs,
    );
    expect(diff.changes, JSON.stringify(diff)).to.equal(false);

    // A second group with the same special mailNickname is refused, not adopted: the lookup found it.
    let error: unknown;
    try {
      await provider("PilotGroup").create(checked.inputs);
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.contain(
      `a group with mailNickname "${declared.mailNickname}" already exists: ${declared.displayName} (${created.id})`,
    );
  });

  it("a member UPN with characters Entra does not allow is refused by check with the fix, before any Graph call", async () => {
    const invalid = NAMED_USERS.filter((u) => !VALID_UPN_USERS.includes(u)).map((u) => u.upn);
    expect(invalid).to.include.members([
      "100%sure@contoso.onmicrosoft.com",
      "a/b@contoso.onmicrosoft.com",
    ]);
    emulator.clearRequests();
    const checked = await provider("PilotGroup").check!(
      {},
      { displayName: "Pilot", members: invalid },
    );
    const reasons = (checked.failures ?? []).map((f) => f.reason);
    expect(reasons).to.have.length(invalid.length);
    for (const upn of invalid) {
      expect(reasons.join("\n")).to.contain(
        `${JSON.stringify(upn)} is neither an object id (GUID) nor a user principal name`,
      );
    }
    expect(emulator.requests()).to.deep.equal([]);
  });

  it("a member UPN crafted like a filter or a path resolves to nothing and is reported, never to someone else", async () => {
    const checked = await provider("PilotGroup").check!(
      {},
      {
        displayName: "Crafted",
        mailNickname: "crafted",
        members: ["x' or startswith(userPrincipalName,'o@contoso.onmicrosoft.com"],
      },
    );
    let error: unknown;
    try {
      await provider("PilotGroup").create(checked.inputs);
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.contain(
      "x' or startswith(userPrincipalName,'o@contoso.onmicrosoft.com",
    );
    const groups = await findGroupsByMailNickname(graph, "crafted");
    expect(groups).to.deep.equal([]);
  });
});
