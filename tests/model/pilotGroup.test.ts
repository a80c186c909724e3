// PilotGroup: the derived mailNickname always satisfies Graph's rules, member references resolve
// to ids, updates change only the delta, and a group read back compares with its declaration.
import {
  deriveMailNickname,
  describeChanges,
  isValidMailNickname,
  membershipDelta,
  parseArgs,
  pilotGroupFromGraph,
  pilotGroupToGraphCreate,
  pilotGroupToGraphPatch,
  principalNamesToResolve,
  resolveRefs,
  validateArgs,
} from "../../provider/model";
import { G1, G2, G3, expect } from "./support";

const HASHED = /^group-[0-9a-f]{8}$/;
const DERIVED: [string, string | RegExp][] = [
  ["Pilot - Authenticator wave 1", "pilot-authenticator-wave-1"],
  ["Pilote Authentificateur – vague 2 (Zürich)", "pilote-authentificateur-vague-2-zurich"],
  ["  Break.glass; accounts <excluded>  ", "break-glass-accounts-excluded"],
  ["user@contoso.com's group", "user-contoso-com-s-group"],
  ["___", "___"],
  ["Ålesund / Tromsø – Straße", "alesund-tromso-strasse"],
  ["認証パイロット", HASHED],
  ["", HASHED],
  ["a".repeat(100), "a".repeat(64)],
  [`${"a".repeat(63)} b`, "a".repeat(63)],
];

describe("model: mailNickname derived from displayName", () => {
  for (const [displayName, expected] of DERIVED) {
    it(`${JSON.stringify(displayName.slice(0, 40))} → ${String(expected).slice(0, 40)}`, () => {
      const derived = deriveMailNickname(displayName);
      if (typeof expected === "string") expect(derived).to.equal(expected);
      else expect(derived).to.match(expected);
      expect(isValidMailNickname(derived), derived).to.equal(true);
    });
  }

  it("is stable: the same name derives the same nickname, different names different hashes", () => {
    expect(deriveMailNickname("認証パイロット")).to.equal(deriveMailNickname("認証パイロット"));
    expect(deriveMailNickname("認証パイロット")).to.not.equal(
      deriveMailNickname("認証パイロット2"),
    );
  });

  it("every printable ASCII and some Unicode characters derive a valid nickname", () => {
    const characters =
      Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join("") + "éßØ漢🙂\t\n";
    for (let i = 0; i < characters.length; i++) {
      const displayName = `Pilot${characters[i]}wave${characters.slice(i, i + 7)}`;
      const derived = deriveMailNickname(displayName);
      expect(isValidMailNickname(derived), `${JSON.stringify(displayName)} → ${derived}`).to.equal(
        true,
      );
      expect(validateArgs("PilotGroup", { displayName, mailNickname: derived })).to.deep.equal([]);
    }
  });
});

describe("model: member and owner references", () => {
  it("names the UPNs to look up, once each, lower-case", () => {
    expect(
      principalNamesToResolve(["Bob@Contoso.com", G1, "alice@contoso.com", "bob@contoso.com"]),
    ).to.deep.equal(["alice@contoso.com", "bob@contoso.com"]);
  });

  it("resolves UPNs to ids (case-insensitively) and lists the names with no user", () => {
    const found = new Map([["Alice@Contoso.com", G2.toUpperCase()]]);
    expect(
      resolveRefs(["alice@contoso.com", G1.toUpperCase(), "ghost@contoso.com"], found),
    ).to.deep.equal({
      ids: [G1, G2].sort(),
      unresolved: ["ghost@contoso.com"],
    });
  });

  const DELTAS: [string, string[], string[], { add: string[]; remove: string[] }][] = [
    ["nothing to do", [G1, G2], [G2, G1], { add: [], remove: [] }],
    ["add one, remove one", [G1, G3], [G1, G2], { add: [G3], remove: [G2] }],
    ["ids in another case are the same member", [G1.toUpperCase()], [G1], { add: [], remove: [] }],
    ["duplicates count once", [G1, G1], [], { add: [G1], remove: [] }],
    ["empty desired removes everyone", [], [G2, G1], { add: [], remove: [G1, G2].sort() }],
  ];
  for (const [name, desired, actual, delta] of DELTAS) {
    it(`delta: ${name}`, () => {
      expect(membershipDelta(desired, actual)).to.deep.equal(delta);
    });
  }
});

describe("model: a pilot group to and from Graph", () => {
  const declared = parseArgs("PilotGroup", {
    displayName: "Pilot - Authenticator wave 1",
    members: ["Alice@Contoso.com", G1],
    owners: [G3],
  });

  it("creates a security group: mailEnabled false, securityEnabled true, no description when none", () => {
    expect(pilotGroupToGraphCreate(declared)).to.deep.equal({
      displayName: "Pilot - Authenticator wave 1",
      mailNickname: "pilot-authenticator-wave-1",
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
    });
  });

  const graphGroup = {
    id: "0F6C2B7E-4A1D-4E8F-9B3A-6C5D4E3F2A1B",
    displayName: "Pilot - Authenticator wave 1",
    description: null,
    mailNickname: "pilot-authenticator-wave-1",
    mailEnabled: false,
    securityEnabled: true,
  };
  const members = [
    { id: G2.toUpperCase(), userPrincipalName: "alice@contoso.com" },
    { id: G1, userPrincipalName: "carol@contoso.com" },
  ];

  it("reads members back the way the declaration names them, ids sorted", () => {
    expect(pilotGroupFromGraph(graphGroup, members, [{ id: G3 }], declared)).to.deep.equal({
      id: "0f6c2b7e-4a1d-4e8f-9b3a-6c5d4e3f2a1b",
      displayName: "Pilot - Authenticator wave 1",
      description: "",
      mailNickname: "pilot-authenticator-wave-1",
      members: [G1, "alice@contoso.com"],
      owners: [G3],
      memberIds: [G1, G2].sort(),
      ownerIds: [G3],
    });
  });

  it("the read-back group does not diff with its declaration", () => {
    const observed = pilotGroupFromGraph(graphGroup, members, [{ id: G3 }], declared);
    expect(describeChanges("PilotGroup", declared, observed)).to.deep.equal([]);
  });

  it("a member added in the portal shows as drift, by id", () => {
    const observed = pilotGroupFromGraph(
      graphGroup,
      [...members, { id: G3, userPrincipalName: "eve@contoso.com" }],
      [{ id: G3 }],
      declared,
    );
    expect(describeChanges("PilotGroup", declared, observed)).to.deep.equal([
      { property: `members[${G3}]`, declared: null, actual: G3 },
    ]);
  });

  it("leaves members and owners out when the declaration does not manage them", () => {
    const observed = pilotGroupFromGraph(graphGroup, members, [], {
      members: undefined,
      owners: undefined,
    });
    expect(observed).to.not.have.property("members");
    expect(observed).to.not.have.property("owners");
    expect(observed.memberIds).to.have.length(2);
  });

  it("renaming patches only what changed; clearing a description sends null", () => {
    const renamed = parseArgs("PilotGroup", {
      displayName: "Pilot - wave 2",
      mailNickname: "pilot-authenticator-wave-1",
    });
    expect(pilotGroupToGraphPatch(renamed, { ...declared, description: "old text" })).to.deep.equal(
      {
        displayName: "Pilot - wave 2",
        description: null,
      },
    );
    expect(pilotGroupToGraphPatch(declared, declared)).to.equal(undefined);
  });
});
