// Who loses a method they have registered (model/methodLoss.ts), table by table: Authenticator's
// state, include and exclude targets and authentication mode; the passkey method's state, targets,
// passkey types and key restrictions; and the counts the preview and `impact` show (default MFA
// method, no other MFA method, break-glass accounts first), plus the two provider-only arguments.
import {
  UNKNOWN,
  authenticatorMethodLoss,
  checkArgs,
  describeChanges,
  describeMethodLoss,
  passkeyMethodLoss,
  validateArgs,
  type AuthenticatorScope,
  type MethodHolder,
  type PasskeyEligibilitySettings,
} from "../../provider/model";
import { G1, G2, expect } from "./support";

const BREAK_GLASS = "9b2a3c4d-0000-4000-8000-00000000b6a5";

function user(
  name: string,
  methodsRegistered: string[],
  groups: string[] = [],
  preferredMfaMethod?: string,
): MethodHolder {
  return {
    id: `00000000-0000-4000-8000-${name
      .padStart(12, "0")
      .slice(-12)
      .replace(/[^0-9a-f]/g, "0")}`,
    userPrincipalName: `${name}@contoso.example`,
    groupIds: new Set(groups),
    methodsRegistered,
    ...(preferredMfaMethod ? { preferredMfaMethod } : {}),
  };
}

const PUSH = "microsoftAuthenticatorPush";
const PASSWORDLESS = "microsoftAuthenticatorPasswordless";

const ALL_ANY: AuthenticatorScope = {
  state: "enabled",
  includeTargets: [
    {
      id: "all_users",
      targetType: "group",
      authenticationMode: "any",
      isRegistrationRequired: false,
    },
  ],
  excludeTargets: [],
};

function scope(
  include: [string, "any" | "push" | "deviceBasedPush"][],
  exclude: string[] = [],
  state = "enabled",
): AuthenticatorScope {
  return {
    state,
    includeTargets: include.map(([id, authenticationMode]) => ({
      id,
      targetType: "group",
      authenticationMode,
      isRegistrationRequired: false,
    })),
    excludeTargets: exclude.map((id) => ({ id, targetType: "group" })),
  } as AuthenticatorScope;
}

describe("method loss: Microsoft Authenticator", () => {
  const alice = user("alice", [PUSH], [G1], "push"); // only Authenticator
  const bob = user("bob", [PUSH, "mobilePhone"], [G2], "push");
  const carol = user("carol", [PUSH, "softwareOneTimePasscode"], [G1, G2], "sms");
  const dan = user("dan", ["mobilePhone"], [G2], "sms"); // holds no Authenticator
  const erin = user("erin", [PASSWORDLESS, "email"], [G2]);
  const everyone = [alice, bob, carol, dan, erin];

  const cases: {
    name: string;
    current?: AuthenticatorScope;
    declared: AuthenticatorScope;
    losers: string[];
    defaultMethod: number;
    onlyMfaMethod: number;
  }[] = [
    {
      name: "state disabled: everyone who holds it",
      declared: { ...ALL_ANY, state: "disabled" },
      losers: ["alice", "erin", "bob", "carol"],
      defaultMethod: 2,
      onlyMfaMethod: 2,
    },
    {
      name: "narrowed from all users to one group: those outside it",
      declared: scope([[G1, "any"]]),
      losers: ["erin", "bob"],
      defaultMethod: 1,
      onlyMfaMethod: 1,
    },
    {
      name: "an exclude target added: its members, even when included elsewhere",
      declared: scope([["all_users", "any"]], [G1]),
      losers: ["alice", "carol"],
      defaultMethod: 1,
      onlyMfaMethod: 1,
    },
    {
      name: "mode deviceBasedPush: push users lose push, passwordless users keep it",
      declared: scope([["all_users", "deviceBasedPush"]]),
      losers: ["alice", "bob", "carol"],
      defaultMethod: 2,
      onlyMfaMethod: 1,
    },
    {
      name: "mode push: passwordless users lose passwordless sign-in",
      declared: scope([["all_users", "push"]]),
      losers: ["erin"],
      defaultMethod: 0,
      onlyMfaMethod: 1,
    },
    {
      name: "a wider declaration takes nothing",
      current: scope([[G1, "any"]]),
      declared: ALL_ANY,
      losers: [],
      defaultMethod: 0,
      onlyMfaMethod: 0,
    },
    {
      name: "a method already off takes nothing more",
      current: { ...ALL_ANY, state: "disabled" },
      declared: scope([[G1, "any"]]),
      losers: [],
      defaultMethod: 0,
      onlyMfaMethod: 0,
    },
    {
      name: "a push target for one group and passwordless for all: only push outside the group is lost",
      declared: scope([
        [G1, "push"],
        ["all_users", "deviceBasedPush"],
      ]),
      losers: ["bob"],
      defaultMethod: 1,
      onlyMfaMethod: 0,
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const loss = authenticatorMethodLoss(c.current ?? ALL_ANY, c.declared, everyone);
      expect(loss.method).to.equal("microsoftAuthenticator");
      expect(loss.losers.map((u) => u.userPrincipalName.split("@")[0])).to.deep.equal(c.losers);
      expect(loss.users).to.equal(c.losers.length);
      expect(loss.defaultMethod).to.equal(c.defaultMethod);
      expect(loss.onlyMfaMethod).to.equal(c.onlyMfaMethod);
    });
  }

  it("says which registration each user loses", () => {
    const loss = authenticatorMethodLoss(ALL_ANY, scope([["all_users", "push"]]), [
      user("both", [PUSH, PASSWORDLESS]),
    ]);
    expect(loss.users).to.equal(1);
    expect(loss.losers[0].lost).to.deep.equal([PASSWORDLESS]);
    // Push stays: another MFA method is left.
    expect(loss.losers[0].onlyMfaMethod).to.equal(false);
  });

  it("lists break-glass accounts first, and words it for a reviewer", () => {
    const glass = user("zz-glass", [PUSH], [BREAK_GLASS], "push");
    const loss = authenticatorMethodLoss(ALL_ANY, scope([[G2, "any"]]), [...everyone, glass], {
      breakGlassGroups: [BREAK_GLASS],
    });
    expect(loss.losers.map((u) => u.userPrincipalName.split("@")[0])).to.deep.equal([
      "zz-glass",
      "alice",
    ]);
    expect(loss.losers[0].breakGlass).to.equal(true);
    expect(describeMethodLoss(loss)).to.equal(
      "2 users who have Microsoft Authenticator registered would no longer be allowed to use it: " +
        "2 use it as their default MFA method; 2 have no other MFA method registered and could no longer complete MFA. " +
        "1 break-glass account among them. " +
        "zz-glass@contoso.example (break-glass, no other MFA method, default MFA method), " +
        "alice@contoso.example (no other MFA method, default MFA method).",
    );
  });

  it("names five and counts the rest", () => {
    const many = Array.from({ length: 12 }, (_, i) => user(`u${i + 10}`, [PUSH, "sms"]));
    const text = describeMethodLoss(
      authenticatorMethodLoss(ALL_ANY, { ...ALL_ANY, state: "disabled" }, many),
    );
    expect(text).to.match(/^12 users who have/);
    expect(text).to.contain("u14@contoso.example and 7 more.");
  });
});

describe("method loss: passkeys (FIDO2)", () => {
  const DEFAULT = "00000000-0000-0000-0000-000000000001";
  const STRICT = "00000000-0000-0000-0000-0000000000aa";
  const AUTHENTICATOR_IOS = "90a3ccdf-635c-4729-a248-9b709135078f";

  function passkey(
    profiles: PasskeyEligibilitySettings["passkeyProfiles"],
    include: [string, string[]][] = [["all_users", [DEFAULT]]],
    exclude: string[] = [],
    state = "enabled",
  ): PasskeyEligibilitySettings {
    return {
      state,
      isSelfServiceRegistrationAllowed: true,
      includeTargets: include.map(([id, allowedPasskeyProfiles]) => ({
        id,
        targetType: "group",
        allowedPasskeyProfiles,
      })),
      excludeTargets: exclude.map((id) => ({ id, targetType: "group" })),
      passkeyProfiles: profiles,
      defaultPasskeyProfile: DEFAULT,
    };
  }
  const both = {
    id: DEFAULT,
    passkeyTypes: ["deviceBound", "synced"],
    attestationEnforcement: "disabled",
  };
  const CURRENT = passkey([both]);

  const key = user("key", ["fido2SecurityKey"], [G1]); // only a security key
  const synced = user("synced", ["passKeySynced", "mobilePhone"], [G2]);
  const inApp = user("inapp", ["passKeyDeviceBoundAuthenticator", PUSH], [G2]);
  const hello = user("hello", ["windowsHelloForBusiness"], [G2]); // no passkey
  const holders = [key, synced, inApp, hello];
  const names = (loss: ReturnType<typeof passkeyMethodLoss>) =>
    loss.losers.map((u) => u.userPrincipalName.split("@")[0]);

  it("state disabled: every passkey holder; no passkey loss counts as a default method", () => {
    const loss = passkeyMethodLoss(CURRENT, passkey([both], undefined, [], "disabled"), holders);
    expect(names(loss)).to.deep.equal(["key", "inapp", "synced"]);
    expect(loss.defaultMethod).to.equal(0);
    expect(loss.onlyMfaMethod).to.equal(1);
  });

  it("an exclude target added: its members", () => {
    const loss = passkeyMethodLoss(CURRENT, passkey([both], undefined, [G1]), holders);
    expect(names(loss)).to.deep.equal(["key"]);
    expect(loss.losers[0].lost).to.deep.equal(["fido2SecurityKey"]);
  });

  it("passkey types narrowed to device-bound: synced passkeys are lost", () => {
    const narrowed = passkey([{ ...both, passkeyTypes: ["deviceBound"] }]);
    expect(names(passkeyMethodLoss(CURRENT, narrowed, holders))).to.deep.equal(["synced"]);
  });

  it("a profile with an allow list that leaves out Authenticator: the passkey in Authenticator is lost, the others cannot be told", () => {
    const allowList = passkey([
      {
        ...both,
        keyRestrictions: {
          isEnforced: true,
          enforcementType: "allow",
          aaGuids: ["cb69481e-8ff7-4039-93ec-0a2729a154a8"],
        },
      },
    ]);
    const loss = passkeyMethodLoss(CURRENT, allowList, holders);
    expect(names(loss)).to.deep.equal(["inapp"]);
    expect(loss.undetermined).to.equal(2);
    expect(describeMethodLoss(loss)).to.contain("For 2 more users the report cannot tell");
  });

  it("an allow list naming Authenticator keeps its passkeys; a block list naming it takes them", () => {
    const restricted = (enforcementType: string) =>
      passkey([
        {
          ...both,
          keyRestrictions: { isEnforced: true, enforcementType, aaGuids: [AUTHENTICATOR_IOS] },
        },
      ]);
    expect(names(passkeyMethodLoss(CURRENT, restricted("allow"), [inApp]))).to.deep.equal([]);
    expect(names(passkeyMethodLoss(CURRENT, restricted("block"), [inApp]))).to.deep.equal([
      "inapp",
    ]);
  });

  it("attestation enforced takes nothing: it applies at registration only", () => {
    const attested = passkey([{ ...both, attestationEnforcement: "registrationOnly" }]);
    expect(passkeyMethodLoss(CURRENT, attested, holders).users).to.equal(0);
  });

  it("a target moved to a stricter profile: who the new profile no longer allows", () => {
    const declared = passkey(
      [
        both,
        { id: STRICT, passkeyTypes: ["deviceBound"], attestationEnforcement: "registrationOnly" },
      ],
      [
        [G1, [DEFAULT]],
        [G2, [STRICT]],
      ],
    );
    expect(names(passkeyMethodLoss(CURRENT, declared, holders))).to.deep.equal(["synced"]);
  });
});

describe("method loss: the provider-only arguments", () => {
  for (const kind of ["AuthenticatorPolicy", "PasskeyPolicy"] as const) {
    it(`${kind}: allowMethodLoss and allowMethodLossFor are validated, kept canonical, never a change`, () => {
      expect(validateArgs(kind, { state: "enabled", allowMethodLoss: "yes" })[0]).to.deep.include({
        property: "allowMethodLoss",
      });
      expect(
        validateArgs(kind, { state: "enabled", allowMethodLossFor: "x@y.z" })[0],
      ).to.deep.include({
        property: "allowMethodLossFor",
      });
      const outcome = checkArgs(kind, {
        state: "enabled",
        allowMethodLoss: true,
        allowMethodLossFor: ["B@Contoso.example", G1.toUpperCase(), "b@contoso.example", UNKNOWN],
      });
      expect(outcome.ok).to.equal(true);
      if (!outcome.ok) return;
      expect(outcome.inputs).to.deep.include({
        allowMethodLoss: true,
        allowMethodLossFor: [G1, "b@contoso.example", UNKNOWN].sort(),
      });
      const plain = checkArgs(kind, { state: "enabled" });
      if (!plain.ok) throw new Error("valid");
      expect(describeChanges(kind, outcome.inputs as never, plain.inputs as never)).to.deep.equal(
        [],
      );
    });
  }
});
