// Id recognition, canonical spelling, the unknown sentinel, and the cloud setting.
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import {
  InputValidationError,
  UNKNOWN,
  canonicalId,
  canonicalMemberRef,
  classifyId,
  containsUnknown,
  resolveCloud,
  validateCloud,
  type IdKind,
} from "../../provider/model";
import { G1, expect } from "./support";

describe("model: ids", () => {
  it("UNKNOWN is the sentinel @pulumi/pulumi hands a dynamic provider for unknown values", () => {
    expect(UNKNOWN).to.equal(rpc.unknownValue);
  });

  const KINDS: [string, IdKind][] = [
    [UNKNOWN, "unknown"],
    ["all_users", "allUsers"],
    [G1, "guid"],
    [G1.toUpperCase(), "guid"],
    ["alice@contoso.com", "upn"],
    ["Alice.Smith@contoso.onmicrosoft.com", "upn"],
    ["alice_contoso.com#EXT#@fabrikam.onmicrosoft.com", "upn"],
    ["$admin@contoso.com", "upn"],
    ["o'brien@contoso.co.uk", "upn"],
    ["abc", "invalid"],
    ["", "invalid"],
    ["All_Users", "invalid"],
    [`{${G1}}`, "invalid"],
    [G1.replace(/-/g, ""), "invalid"],
    ["alice@localhost", "invalid"],
    [".alice@contoso.com", "invalid"],
    ["alice.@contoso.com", "invalid"],
    ["al..ice@contoso.com", "invalid"],
    ["alice smith@contoso.com", "invalid"],
    ["@contoso.com", "invalid"],
  ];
  for (const [value, kind] of KINDS) {
    it(`${JSON.stringify(value)} is ${kind}`, () => {
      expect(classifyId(value)).to.equal(kind);
    });
  }

  it("GUIDs are canonical in lower case; all_users and the sentinel are left alone", () => {
    expect(canonicalId(G1.toUpperCase())).to.equal(G1);
    expect(canonicalId("all_users")).to.equal("all_users");
    expect(canonicalId(UNKNOWN)).to.equal(UNKNOWN);
    expect(canonicalMemberRef("Alice@Contoso.com")).to.equal("alice@contoso.com");
  });

  it("finds the sentinel at any depth", () => {
    expect(containsUnknown({ a: [{ b: UNKNOWN }] })).to.equal(true);
    expect(containsUnknown({ a: [{ b: G1 }], c: null })).to.equal(false);
  });
});

describe("model: cloud", () => {
  const ACCEPTED: [string | undefined, string, string][] = [
    [undefined, "global", "https://graph.microsoft.com"],
    ["", "global", "https://graph.microsoft.com"],
    ["global", "global", "https://graph.microsoft.com"],
    ["USGov", "usgov", "https://graph.microsoft.us"],
    [" usgovdod ", "usgovdod", "https://dod-graph.microsoft.us"],
  ];
  for (const [value, name, graphEndpoint] of ACCEPTED) {
    it(`${JSON.stringify(value)} → ${name}`, () => {
      const cloud = resolveCloud(value);
      expect(cloud).to.include({ name, graphEndpoint, scope: `${graphEndpoint}/.default` });
      expect(validateCloud(value)).to.deep.equal([]);
    });
  }

  it("china is refused with an InputValidationError that says why", () => {
    expect(() => resolveCloud("china")).to.throw(
      InputValidationError,
      /do not exist in Microsoft Entra operated by 21Vianet/,
    );
  });

  it("the property name in the message is the caller's", () => {
    expect(validateCloud("china", "ENTRA_NUDGE_CLOUD")[0].message).to.match(
      /^ENTRA_NUDGE_CLOUD: "china"/,
    );
  });

  it("names inherited from Object are not clouds", () => {
    expect(validateCloud("constructor")).to.have.length(1);
  });
});
