// Who the registration campaign prompts, in the model alone (provider/model/eligibility.ts): each
// reason a user is not nudged, in the order Microsoft applies them, the method and snooze rules of
// a nudge, Microsoft managed's per-user choice between a passkey and Authenticator, and the
// preview's target checks. The emulator-backed suites (tests/eligibility/) test the same rules
// against a tenant; these run without one, so the mutation run (docs/reliability.md) uses them.
import {
  campaignIncludeTargets,
  checkPasskeyCoverage,
  checkTargetCoverage,
  describeTarget,
  evaluateUser,
  groupsNamedBy,
  hasPasskey,
  isPhoneOnly,
  nudgeMethodOf,
  parseBreakGlassGroups,
  passkeyProfilesFor,
  profileEligibleWhenManaged,
  targetCovers,
  targetedMethod,
  type NudgeConfiguration,
  type PasskeyEligibilitySettings,
  type PasskeyProfileFacts,
  type UserFacts,
} from "../../provider/model";
import { G1, G2, G3, U1, expect } from "./support";

const U2 = "2c4d6f8a-0000-4000-8000-00000000000c";
const DEFAULT_PROFILE = "00000000-0000-0000-0000-000000000001";
const STRICT_PROFILE = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const ICLOUD = "fbfc3007-154e-4ecc-8c0b-6e020557d7bd";
const YUBIKEY = "cb69481e-8ff7-4039-93ec-0a2729a154a8";

const group = (id: string) => ({ id, targetType: "group" });
const user = (facts: Partial<UserFacts> = {}): UserFacts => ({
  id: U1,
  userType: "member",
  groupIds: new Set([G1]),
  methodsRegistered: ["mobilePhone"],
  isMfaRegistered: true,
  ...facts,
});
const authenticatorFor = (
  ...targets: { id: string; targetType: string; authenticationMode?: string }[]
) => ({
  state: "enabled",
  includeTargets: targets.map((t) => ({
    authenticationMode: "any",
    isRegistrationRequired: false,
    ...t,
  })),
  excludeTargets: [] as { id: string; targetType: string }[],
});
const campaignFor = (
  ...targets: { id: string; targetType: string; targetedAuthenticationMethod?: string }[]
) => ({
  state: "enabled",
  includeTargets: targets.map((t) => ({
    targetedAuthenticationMethod: "microsoftAuthenticator",
    ...t,
  })),
  excludeTargets: [] as { id: string; targetType: string }[],
  snoozeDurationInDays: 3,
  enforceRegistrationAfterAllowedSnoozes: true,
});
const profile = (id: string, facts: Partial<PasskeyProfileFacts> = {}): PasskeyProfileFacts => ({
  id,
  passkeyTypes: ["deviceBound", "synced"],
  attestationEnforcement: "disabled",
  ...facts,
});
const passkeyFor = (
  profiles: PasskeyProfileFacts[],
  ...targets: { id: string; targetType: string; allowedPasskeyProfiles?: string[] }[]
): PasskeyEligibilitySettings => ({
  state: "enabled",
  isSelfServiceRegistrationAllowed: true,
  includeTargets: targets.map((t) => ({ allowedPasskeyProfiles: [profiles[0].id], ...t })),
  excludeTargets: [],
  passkeyProfiles: profiles,
});
/** A configuration: the parts given over a campaign for G1 and Authenticator for all users. */
type Parts = Record<string, unknown>;
const config = (parts: Parts = {}): NudgeConfiguration =>
  ({
    campaign: campaignFor(group(G1)),
    authenticator: authenticatorFor(group("all_users")),
    ...parts,
  }) as unknown as NudgeConfiguration;

describe("eligibility: who the campaign prompts to set up Authenticator", () => {
  it("a phone-only member of an included group enabled for Authenticator is nudged with the campaign's snoozes", () => {
    expect(evaluateUser(user(), config())).to.deep.equal({
      nudged: true,
      method: "microsoftAuthenticator",
      snoozeDays: 3,
      snoozeLimit: 3,
    });
    const unlimited = config({
      campaign: { ...campaignFor(group(G1)), enforceRegistrationAfterAllowedSnoozes: false },
    });
    expect(evaluateUser(user(), unlimited)).to.include({ snoozeLimit: null });
    const noDays = { ...campaignFor(group(G1)) } as Record<string, unknown>;
    delete noDays.snoozeDurationInDays;
    expect(evaluateUser(user(), config({ campaign: noDays }))).to.include({ snoozeDays: 1 });
  });

  const reasons: [string, Partial<UserFacts>, Parts, string][] = [
    [
      "the campaign disabled",
      {},
      { campaign: { ...campaignFor(group(G1)), state: "disabled" } },
      "campaignDisabled",
    ],
    ["a group the user is not in", { groupIds: new Set([G2]) }, {}, "notIncluded"],
    [
      "a target naming a method the model does not know",
      {},
      { campaign: campaignFor({ ...group(G1), targetedAuthenticationMethod: "sms" }) },
      "notIncluded",
    ],
    [
      "a user target naming someone else",
      {},
      { campaign: campaignFor({ id: U2, targetType: "user" }) },
      "notIncluded",
    ],
    [
      "an exclusion, which wins over inclusion",
      {},
      {
        campaign: {
          ...campaignFor(group("all_users")),
          excludeTargets: [{ id: U1, targetType: "user" }],
        },
      },
      "excluded",
    ],
    [
      "Authenticator disabled",
      {},
      { authenticator: { ...authenticatorFor(group("all_users")), state: "disabled" } },
      "notEnabledForAuthenticator",
    ],
    [
      "Authenticator enabled for another group only",
      {},
      { authenticator: authenticatorFor(group(G2)) },
      "notEnabledForAuthenticator",
    ],
    [
      "Authenticator excluding the user's group",
      {},
      {
        authenticator: {
          ...authenticatorFor(group("all_users")),
          excludeTargets: [group(G1)],
        },
      },
      "notEnabledForAuthenticator",
    ],
    [
      "Authenticator in Passwordless mode only",
      {},
      { authenticator: authenticatorFor({ ...group(G1), authenticationMode: "deviceBasedPush" }) },
      "passwordlessOnly",
    ],
    [
      "push already registered",
      { methodsRegistered: ["mobilePhone", "microsoftAuthenticatorPush"] },
      {},
      "alreadyRegistered",
    ],
    [
      "no MFA method registered",
      { isMfaRegistered: false, methodsRegistered: [] },
      {},
      "notMfaRegistered",
    ],
  ];
  for (const [what, facts, parts, reason] of reasons) {
    it(`not nudged: ${what} (${reason})`, () => {
      expect(evaluateUser(user(facts), config(parts))).to.deep.equal({ nudged: false, reason });
    });
  }

  it("Passwordless in one target and push in another: the push target makes the user eligible", () => {
    const both = config({
      authenticator: authenticatorFor(
        { ...group(G1), authenticationMode: "deviceBasedPush" },
        { ...group("ALL_USERS"), authenticationMode: "push" },
      ),
    });
    expect(evaluateUser(user(), both)).to.include({ nudged: true });
  });

  it("the first reason that holds is the one given", () => {
    const everything = config({
      campaign: { ...campaignFor(group(G1)), excludeTargets: [group(G1)] },
      authenticator: { ...authenticatorFor(group(G2)), state: "disabled" },
    });
    expect(evaluateUser(user({ isMfaRegistered: false }), everything)).to.deep.equal({
      nudged: false,
      reason: "excluded",
    });
  });

  it("target ids and types: all_users in any case covers everyone; a user target covers only that user; an unknown type nobody", () => {
    expect(targetCovers({ id: "All_Users", targetType: "group" }, user())).to.equal(true);
    expect(targetCovers({ id: U1.toUpperCase(), targetType: "user" }, user())).to.equal(true);
    expect(targetCovers({ id: U2, targetType: "user" }, user())).to.equal(false);
    expect(targetCovers({ id: G1.toUpperCase(), targetType: "group" }, user())).to.equal(true);
    expect(targetCovers({ id: G1, targetType: "role" }, user())).to.equal(false);
    expect(targetCovers({ id: U1, targetType: "group" }, user())).to.equal(false);
  });
});

describe("eligibility: Microsoft managed (state default)", () => {
  const managed = (parts: Parts = {}) =>
    config({
      campaign: { ...campaignFor(group("all_users")), state: "default" },
      ...parts,
    });

  it("Authenticator with Microsoft's fixed snoozes (1 day, 3 snoozes), only for users who do MFA by SMS or voice", () => {
    expect(evaluateUser(user(), managed())).to.deep.equal({
      nudged: true,
      method: "microsoftAuthenticator",
      snoozeDays: 1,
      snoozeLimit: 3,
    });
    expect(
      evaluateUser(user({ methodsRegistered: ["softwareOneTimePasscode"] }), managed()),
    ).to.deep.equal({ nudged: false, reason: "noPhoneMfa" });
    // The preferred method decides when the report gives one.
    expect(
      evaluateUser(
        user({ methodsRegistered: ["mobilePhone"], preferredMfaMethod: "oath" }),
        managed(),
      ),
    ).to.deep.equal({ nudged: false, reason: "noPhoneMfa" });
    expect(
      evaluateUser(
        user({ methodsRegistered: ["softwareOneTimePasscode"], preferredMfaMethod: "VoiceMobile" }),
        managed(),
      ),
    ).to.include({ nudged: true });
    expect(
      evaluateUser(user({ methodsRegistered: ["officePhone"], preferredMfaMethod: "" }), managed()),
    ).to.include({ nudged: true });
    // Without a preferred method, a phone method among others is enough.
    expect(
      evaluateUser(
        user({ methodsRegistered: ["softwareOneTimePasscode", "mobilePhone"] }),
        managed(),
      ),
    ).to.include({ nudged: true, method: "microsoftAuthenticator" });
    // An enabled campaign nudges whatever the MFA method.
    expect(
      evaluateUser(user({ methodsRegistered: ["softwareOneTimePasscode"] }), config()),
    ).to.include({ nudged: true });
  });

  it("a passkey instead for members an eligible profile enables with self-service on: 1 day, unlimited snoozes", () => {
    const passkey = passkeyFor([profile(DEFAULT_PROFILE)], group(G1));
    expect(evaluateUser(user(), managed({ passkey }))).to.deep.equal({
      nudged: true,
      method: "fido2",
      snoozeDays: 1,
      snoozeLimit: null,
    });
    expect(targetedMethod(user(), managed({ passkey }))).to.equal("fido2");
    // One eligible profile among those that apply is enough.
    const mixed = passkeyFor(
      [
        profile(STRICT_PROFILE, {
          keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY] },
        }),
        profile(DEFAULT_PROFILE),
      ],
      { ...group(G1), allowedPasskeyProfiles: [STRICT_PROFILE, DEFAULT_PROFILE] },
    );
    expect(evaluateUser(user(), managed({ passkey: mixed }))).to.include({ method: "fido2" });
    // A guest, self-service off, or a profile a managed campaign does not accept: Authenticator.
    for (const [facts, settings] of [
      [{ userType: "guest" }, passkey],
      [{}, { ...passkey, isSelfServiceRegistrationAllowed: false }],
      [
        {},
        passkeyFor(
          [
            profile(STRICT_PROFILE, {
              keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY] },
            }),
          ],
          group(G1),
        ),
      ],
    ] as [Partial<UserFacts>, PasskeyEligibilitySettings][]) {
      expect(evaluateUser(user(facts), managed({ passkey: settings }))).to.include({
        nudged: true,
        method: "microsoftAuthenticator",
      });
    }
  });
});

describe("eligibility: a campaign that targets passkeys (fido2)", () => {
  const passkeyCampaign = (passkey?: PasskeyEligibilitySettings) =>
    config({
      campaign: campaignFor({ ...group(G1), targetedAuthenticationMethod: "FIDO2" }),
      passkey,
    });
  const enabled = passkeyFor([profile(DEFAULT_PROFILE)], group(G1));

  it("nudges a member the passkey method enables, with the campaign's snoozes", () => {
    expect(evaluateUser(user(), passkeyCampaign(enabled))).to.deep.equal({
      nudged: true,
      method: "fido2",
      snoozeDays: 3,
      snoozeLimit: 3,
    });
    // An enforced allow-list without a passkey provider still enables: only managed campaigns care.
    const strict = passkeyFor(
      [
        profile(STRICT_PROFILE, {
          keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY] },
        }),
      ],
      group(G1),
    );
    expect(evaluateUser(user(), passkeyCampaign(strict))).to.include({ nudged: true });
  });

  const reasons: [string, Partial<UserFacts>, PasskeyEligibilitySettings | undefined, string][] = [
    ["a guest", { userType: "guest" }, enabled, "guestNoPasskeyNudge"],
    ["the passkey method not read", {}, undefined, "notEnabledForPasskeys"],
    ["the passkey method disabled", {}, { ...enabled, state: "disabled" }, "notEnabledForPasskeys"],
    [
      "another group enabled",
      {},
      passkeyFor([profile(DEFAULT_PROFILE)], group(G2)),
      "notEnabledForPasskeys",
    ],
    [
      "the user's group excluded",
      {},
      { ...enabled, excludeTargets: [group(G1)] },
      "notEnabledForPasskeys",
    ],
    [
      "a target whose profile is not in the configuration",
      {},
      passkeyFor([profile(DEFAULT_PROFILE)], {
        ...group(G1),
        allowedPasskeyProfiles: [STRICT_PROFILE],
      }),
      "notEnabledForPasskeys",
    ],
    [
      "self-service setup off",
      {},
      { ...enabled, isSelfServiceRegistrationAllowed: false },
      "selfServiceOff",
    ],
    [
      "a passkey already registered",
      { methodsRegistered: ["mobilePhone", "passKeyDeviceBound"] },
      enabled,
      "alreadyHasPasskey",
    ],
    [
      "a security key already registered",
      { methodsRegistered: ["fido2SecurityKey"] },
      enabled,
      "alreadyHasPasskey",
    ],
    [
      "no MFA method",
      { isMfaRegistered: false, methodsRegistered: [] },
      enabled,
      "notMfaRegistered",
    ],
  ];
  for (const [what, facts, passkey, reason] of reasons) {
    it(`not nudged: ${what} (${reason})`, () => {
      expect(evaluateUser(user(facts), passkeyCampaign(passkey))).to.deep.equal({
        nudged: false,
        reason,
      });
    });
  }

  it("the first include target covering the user names the method; no target: no method", () => {
    const both = config({
      campaign: campaignFor(
        { ...group(G1), targetedAuthenticationMethod: "fido2" },
        group("all_users"),
      ),
      passkey: enabled,
    });
    expect(targetedMethod(user(), both)).to.equal("fido2");
    expect(targetedMethod(user({ groupIds: new Set() }), both)).to.equal("microsoftAuthenticator");
    expect(targetedMethod(user({ groupIds: new Set() }), config())).to.equal(undefined);
    // A target naming a method the model does not know is passed over, even when first.
    expect(
      targetedMethod(
        user(),
        config({
          campaign: campaignFor(
            { ...group(G1), targetedAuthenticationMethod: "sms" },
            group("all_users"),
          ),
        }),
      ),
    ).to.equal("microsoftAuthenticator");
    expect(nudgeMethodOf(undefined)).to.equal("microsoftAuthenticator");
    expect(nudgeMethodOf("Fido2")).to.equal("fido2");
    expect(nudgeMethodOf("sms")).to.equal(undefined);
    expect(
      campaignIncludeTargets(
        campaignFor(group(G1), { ...group(G2), targetedAuthenticationMethod: "voice" }) as never,
      ).map((t) => t.id),
    ).to.deep.equal([G1]);
  });
});

describe("eligibility: the passkey profiles a user gets, and which a managed campaign accepts", () => {
  it("the profiles of every include target covering the user, by id in any case; none when excluded or off", () => {
    const settings = passkeyFor(
      [profile(DEFAULT_PROFILE), profile(STRICT_PROFILE)],
      { ...group(G1), allowedPasskeyProfiles: [STRICT_PROFILE.toUpperCase()] },
      { ...group(G2), allowedPasskeyProfiles: [DEFAULT_PROFILE] },
    );
    expect(passkeyProfilesFor(user(), settings).map((p) => p.id)).to.deep.equal([STRICT_PROFILE]);
    expect(
      passkeyProfilesFor(user({ groupIds: new Set([G1, G2]) }), settings).map((p) => p.id),
    ).to.deep.equal([DEFAULT_PROFILE, STRICT_PROFILE]);
    expect(passkeyProfilesFor(user(), { ...settings, excludeTargets: [group(G3)] })).to.have.length(
      1,
    );
    expect(passkeyProfilesFor(user(), { ...settings, excludeTargets: [group(G1)] })).to.deep.equal(
      [],
    );
    expect(passkeyProfilesFor(user(), { ...settings, state: "disabled" })).to.deep.equal([]);
    expect(passkeyProfilesFor(user(), undefined)).to.deep.equal([]);
  });

  it("attestation enforced always qualifies; an enforced allow-list only with a passkey provider in it; a block list never matters", () => {
    const restricted = (enforcementType: string, aaGuids: string[], isEnforced = true) =>
      profile(STRICT_PROFILE, { keyRestrictions: { isEnforced, enforcementType, aaGuids } });
    expect(profileEligibleWhenManaged(profile(DEFAULT_PROFILE))).to.equal(true);
    expect(profileEligibleWhenManaged(restricted("allow", [YUBIKEY]))).to.equal(false);
    expect(
      profileEligibleWhenManaged(restricted("allow", [YUBIKEY, ICLOUD.toUpperCase()])),
    ).to.equal(true);
    expect(profileEligibleWhenManaged(restricted("allow", [YUBIKEY], false))).to.equal(true);
    expect(profileEligibleWhenManaged(restricted("block", [ICLOUD]))).to.equal(true);
    expect(profileEligibleWhenManaged(restricted("block", [YUBIKEY]))).to.equal(true);
    expect(
      profileEligibleWhenManaged({
        ...restricted("allow", [YUBIKEY]),
        attestationEnforcement: "registrationOnly",
      }),
    ).to.equal(true);
  });
});

describe("eligibility: the methods the registration report lists", () => {
  it("phone-only: a phone method and nothing but SSPR-only methods beside it", () => {
    expect(isPhoneOnly(["mobilePhone"])).to.equal(true);
    expect(isPhoneOnly(["officePhone", "email", "securityQuestion"])).to.equal(true);
    expect(isPhoneOnly(["alternateMobilePhone", "microsoftAuthenticatorPush"])).to.equal(false);
    expect(isPhoneOnly(["email"])).to.equal(false);
    expect(isPhoneOnly([])).to.equal(false);
  });

  it("a passkey: any passKey* value, a security key, or the legacy fido2", () => {
    for (const method of ["passKeyDeviceBound", "passKeySynced", "fido2SecurityKey", "FIDO2"])
      expect(hasPasskey(["email", method]), method).to.equal(true);
    expect(hasPasskey(["windowsHelloForBusiness", "microsoftAuthenticatorPasswordless"])).to.equal(
      false,
    );
  });
});

describe("eligibility: the groups an evaluation must read, and break-glass groups", () => {
  it("groupsNamedBy: every group target of every part, lower-case, sorted, without all_users or users", () => {
    expect(
      groupsNamedBy(
        {
          campaign: {
            ...campaignFor(group(G2.toUpperCase()), group("all_users")),
            excludeTargets: [group(G1), { id: U1, targetType: "user" }],
          } as never,
        },
        { authenticator: authenticatorFor(group(G3), group(G2)) as never },
        { passkey: passkeyFor([profile(DEFAULT_PROFILE)], group("ALL_USERS")) },
      ),
    ).to.deep.equal([G1, G2, G3].sort());
  });

  it("parseBreakGlassGroups: JSON lists or ids separated by commas or spaces; anything else is named", () => {
    expect(parseBreakGlassGroups(undefined)).to.deep.equal({ groups: [], problems: [] });
    expect(parseBreakGlassGroups("  ")).to.deep.equal({ groups: [], problems: [] });
    expect(parseBreakGlassGroups(`${G1.toUpperCase()}, ${G2}  ${G1}`)).to.deep.equal({
      groups: [G1, G2],
      problems: [],
    });
    expect(parseBreakGlassGroups(` ["${G2}"] `)).to.deep.equal({ groups: [G2], problems: [] });
    expect(parseBreakGlassGroups(`"${G3}"`).problems).to.have.length(1);
    expect(parseBreakGlassGroups(`[`).problems[0]).to.match(/is not a JSON list/);
    const bad = parseBreakGlassGroups(`[1, "${G1}"]`);
    expect(bad.groups).to.deep.equal([G1]);
    expect(bad.problems[0]).to.match(/^entra-nudge:breakGlassGroups: 1 is not a group object id/);
  });
});

describe("eligibility: the preview's target checks", () => {
  const names = new Map([[G1, "Pilot"]]);

  it("describeTarget names all users, a user, or a group with its display name", () => {
    expect(describeTarget(group("all_users"))).to.equal("all users");
    expect(describeTarget(group(G1), names)).to.equal(`group "Pilot" (${G1})`);
    expect(describeTarget({ id: U1, targetType: "user" })).to.equal(`user ${U1}`);
  });

  it("Authenticator coverage: each campaign target Authenticator does not enable is a blocking finding naming the cause", () => {
    const kinds = (campaign: object, authenticator: object, breakGlass: string[] = []) =>
      checkTargetCoverage(campaign as never, authenticator as never, breakGlass, names).map((f) => [
        f.kind,
        f.targetId,
        f.blocking,
      ]);
    expect(kinds(campaignFor(group(G1)), authenticatorFor(group("all_users")))).to.deep.equal([]);
    expect(kinds(campaignFor(group(G1)), authenticatorFor(group(G1)))).to.deep.equal([]);
    expect(kinds(campaignFor(group(G1)), authenticatorFor(group(G2)))).to.deep.equal([
      ["notEnabledForAuthenticator", G1, true],
    ]);
    expect(
      kinds(campaignFor(group(G1)), { ...authenticatorFor(group("all_users")), state: "disabled" }),
    ).to.deep.equal([["notEnabledForAuthenticator", G1, true]]);
    expect(
      kinds(campaignFor(group(G1)), {
        ...authenticatorFor(group("all_users")),
        excludeTargets: [group(G1)],
      }),
    ).to.deep.equal([["notEnabledForAuthenticator", G1, true]]);
    expect(
      kinds(
        campaignFor(group(G1)),
        authenticatorFor({ ...group(G1), authenticationMode: "deviceBasedPush" }),
      ),
    ).to.deep.equal([["passwordlessOnly", G1, true]]);
    // A passkey target is not Authenticator's business; a disabled campaign checks nothing.
    expect(
      kinds(
        campaignFor({ ...group(G1), targetedAuthenticationMethod: "fido2" }),
        authenticatorFor(group(G2)),
      ),
    ).to.deep.equal([]);
    expect(
      kinds({ ...campaignFor(group(G1)), state: "disabled" }, authenticatorFor(group(G2))),
    ).to.deep.equal([]);
    // The message says what was compared and the fix.
    const [finding] = checkTargetCoverage(
      campaignFor(group(G1)) as never,
      authenticatorFor(group(G2)) as never,
      [],
      names,
    );
    expect(finding.message).to.include(`The campaign includes group "Pilot" (${G1})`);
    expect(finding.message).to.include("Add the group to the AuthenticatorPolicy's includeTargets");
  });

  it("break-glass groups the campaign would nudge are named (not blocking) unless excluded", () => {
    const campaign = campaignFor(group("all_users"));
    const found = checkTargetCoverage(
      campaign as never,
      authenticatorFor(group("all_users")) as never,
      [G3.toUpperCase()],
    );
    expect(found.map((f) => [f.kind, f.targetId, f.blocking])).to.deep.equal([
      ["breakGlassNudged", G3, false],
    ]);
    expect(found[0].message).to.include(`{ id: "${G3}", targetType: "group" }`);
    expect(
      checkTargetCoverage(
        { ...campaign, excludeTargets: [group(G3)] } as never,
        authenticatorFor(group("all_users")) as never,
        [G3],
      ),
    ).to.deep.equal([]);
    // Not included, or not enabled for Authenticator: not nudged, nothing to say.
    expect(
      checkTargetCoverage(
        campaignFor(group(G1)) as never,
        authenticatorFor(group("all_users")) as never,
        [G3],
      ),
    ).to.deep.equal([]);
  });

  it("passkey coverage: the method off, self-service off, a target excluded or not enabled", () => {
    const campaign = campaignFor(
      { ...group(G1), targetedAuthenticationMethod: "fido2" },
      { id: U1, targetType: "user", targetedAuthenticationMethod: "fido2" },
    );
    const keys = passkeyFor([profile(DEFAULT_PROFILE)], group(G1));
    const check = (passkey: object) =>
      checkPasskeyCoverage(campaign as never, passkey as never, names).map((f) => [
        f.kind,
        f.targetId,
        f.blocking,
      ]);
    expect(check(passkeyFor([profile(DEFAULT_PROFILE)], group("all_users")))).to.deep.equal([]);
    expect(check(keys)).to.deep.equal([["notEnabledForPasskeys", U1, true]]);
    expect(check({ ...keys, state: "disabled" })).to.deep.equal([
      ["notEnabledForPasskeys", "", true],
    ]);
    expect(check({ ...keys, isSelfServiceRegistrationAllowed: false })).to.deep.equal([
      ["selfServiceOff", "", true],
      ["notEnabledForPasskeys", U1, true],
    ]);
    expect(check({ ...keys, excludeTargets: [group(G1)] })).to.deep.equal([
      ["notEnabledForPasskeys", G1, true],
      ["notEnabledForPasskeys", U1, true],
    ]);
    // A campaign with no passkey target, or not enabled (managed falls back per user): nothing.
    expect(
      checkPasskeyCoverage(
        campaignFor(group(G1)) as never,
        { ...keys, state: "disabled" } as never,
      ),
    ).to.deep.equal([]);
    expect(
      checkPasskeyCoverage(
        { ...campaign, state: "default" } as never,
        { ...keys, state: "disabled" } as never,
      ),
    ).to.deep.equal([]);
  });
});
