// The eligibility model (provider/model/eligibility.ts), table-driven: one case per rule and per
// documented edge (graph-contract.md §2.7–2.8, §3.4, §5.5), then the preview check's target
// comparison, the break-glass setting, and strictEligibility as a provider-only argument.
import { expect } from "chai";
import {
  ALL_USERS,
  NOT_NUDGED_REASONS,
  PASSKEY_REASONS,
  UNKNOWN,
  checkArgs,
  checkTargetCoverage,
  describeChanges,
  evaluateUser,
  groupsNamedBy,
  normalizeArgs,
  normalizeAuthenticatorArgs,
  normalizeCampaignArgs,
  parseBreakGlassGroups,
  validateArgs,
  type AuthenticatorPolicyArgs,
  type CoverageFinding,
  type Eligibility,
  type NudgeConfiguration,
  type PreviewInputs,
  type RegistrationCampaignArgs,
  type UserFacts,
} from "../../provider/model";

const PILOT = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31";
const NESTED = "5526be22-3736-5cce-a99b-333551d0a768"; // a group inside PARENT
const PARENT = "0b2aab64-4927-523f-872d-07057afedf1e";
const BREAK_GLASS = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c";
const OTHER = "2fbb5b75-4b8e-581b-9aaa-28ef3cb88c74";
const ALICE = "898af1d0-ce0e-56a1-82a6-99c4ac76b981";

function config(
  campaign: RegistrationCampaignArgs,
  authenticator: AuthenticatorPolicyArgs = { state: "enabled" },
): NudgeConfiguration {
  const c = normalizeCampaignArgs(campaign);
  const a = normalizeAuthenticatorArgs(authenticator);
  return { campaign: c, authenticator: a } as NudgeConfiguration;
}

function user(overrides: Partial<UserFacts> = {}): UserFacts {
  return {
    id: ALICE,
    userType: "member",
    groupIds: new Set([PILOT]),
    methodsRegistered: ["mobilePhone"],
    isMfaRegistered: true,
    ...overrides,
  };
}

interface Case {
  name: string;
  user: UserFacts;
  config: NudgeConfiguration;
  expected: Eligibility;
}

const nudged: Eligibility = {
  nudged: true,
  method: "microsoftAuthenticator",
  snoozeDays: 1,
  snoozeLimit: 3,
};
// HOWTO 2026-09-02, "Microsoft managed state": Authenticator 1 snooze day, limited to 3 snoozes
// (it was 3 days before the September 2026 change).
const managedAuthenticator: Eligibility = {
  nudged: true,
  method: "microsoftAuthenticator",
  snoozeDays: 1,
  snoozeLimit: 3,
};
const not = (reason: (typeof NOT_NUDGED_REASONS)[number]): Eligibility => ({
  nudged: false,
  reason,
});
const pilotCampaign: RegistrationCampaignArgs = {
  state: "enabled",
  includeTargets: [{ id: PILOT, targetType: "group" }],
};

const CASES: Case[] = [
  // One case per rule, in the order the rules apply.
  {
    name: "the seed scenario's pilot user (SMS only, in the pilot) is nudged",
    user: user(),
    config: config(pilotCampaign, {
      state: "enabled",
      includeTargets: [{ id: PILOT, targetType: "group", authenticationMode: "any" }],
    }),
    expected: nudged,
  },
  {
    name: "campaign off: state disabled",
    user: user(),
    config: config({ ...pilotCampaign, state: "disabled" }),
    expected: not("campaignDisabled"),
  },
  {
    name: "not included: in no included group",
    user: user({ groupIds: new Set([OTHER]) }),
    config: config(pilotCampaign),
    expected: not("notIncluded"),
  },
  {
    name: "excluded: exclusion wins over inclusion (same user in both)",
    user: user({ groupIds: new Set([PILOT, BREAK_GLASS]) }),
    config: config({
      ...pilotCampaign,
      excludeTargets: [{ id: BREAK_GLASS, targetType: "group" }],
    }),
    expected: not("excluded"),
  },
  {
    name: "excluded: all_users included, the user excluded by their own id",
    user: user(),
    config: config({
      state: "enabled",
      includeTargets: [{ id: ALL_USERS, targetType: "group" }],
      excludeTargets: [{ id: ALICE, targetType: "user" }],
    }),
    expected: not("excluded"),
  },
  {
    name: "not enabled for Authenticator: the method is disabled",
    user: user(),
    config: config(pilotCampaign, { state: "disabled" }),
    expected: not("notEnabledForAuthenticator"),
  },
  {
    name: "not enabled for Authenticator: the policy targets another group",
    user: user(),
    config: config(pilotCampaign, {
      state: "enabled",
      includeTargets: [{ id: OTHER, targetType: "group" }],
    }),
    expected: not("notEnabledForAuthenticator"),
  },
  {
    name: "not enabled for Authenticator: excluded from the Authenticator policy",
    user: user(),
    config: config(pilotCampaign, {
      state: "enabled",
      excludeTargets: [{ id: PILOT, targetType: "group" }],
    }),
    expected: not("notEnabledForAuthenticator"),
  },
  {
    name: "only Passwordless mode (deviceBasedPush) makes the user ineligible",
    user: user(),
    config: config(pilotCampaign, {
      state: "enabled",
      includeTargets: [{ id: PILOT, targetType: "group", authenticationMode: "deviceBasedPush" }],
    }),
    expected: not("passwordlessOnly"),
  },
  {
    name: "several Authenticator targets: one granting push is enough (§3.4)",
    user: user({ groupIds: new Set([PILOT, OTHER]) }),
    config: config(pilotCampaign, {
      state: "enabled",
      includeTargets: [
        { id: PILOT, targetType: "group", authenticationMode: "deviceBasedPush" },
        { id: OTHER, targetType: "group", authenticationMode: "push" },
      ],
    }),
    expected: nudged,
  },
  {
    name: "already has Authenticator push",
    user: user({ methodsRegistered: ["microsoftAuthenticatorPush", "softwareOneTimePasscode"] }),
    config: config(pilotCampaign),
    expected: not("alreadyRegistered"),
  },
  {
    name: "not MFA-registered: no second factor, so no MFA sign-in shows the nudge",
    user: user({ methodsRegistered: ["email"], isMfaRegistered: false }),
    config: config(pilotCampaign),
    expected: not("notMfaRegistered"),
  },
  // Documented edges.
  {
    name: "TOTP-only users (Authenticator for codes) are still nudged (§5.5)",
    user: user({ methodsRegistered: ["softwareOneTimePasscode"] }),
    config: config(pilotCampaign),
    expected: nudged,
  },
  {
    name: "third-party authenticator app users are nudged (§2.7 item 5)",
    user: user({ methodsRegistered: ["softwareOneTimePasscode", "mobilePhone"] }),
    config: config(pilotCampaign),
    expected: nudged,
  },
  {
    name: "guests in scope are nudged for an Authenticator campaign (§2.7 item 8)",
    user: user({ userType: "guest" }),
    config: config({ state: "enabled" }),
    expected: nudged,
  },
  {
    name: "nested groups: a member of a group inside the included group is included",
    user: user({ groupIds: new Set([NESTED, PARENT]) }),
    config: config({ state: "enabled", includeTargets: [{ id: PARENT, targetType: "group" }] }),
    expected: nudged,
  },
  {
    name: "nested groups: excluding the parent excludes the nested group's members",
    user: user({ groupIds: new Set([NESTED, PARENT, PILOT]) }),
    config: config({ ...pilotCampaign, excludeTargets: [{ id: PARENT, targetType: "group" }] }),
    expected: not("excluded"),
  },
  {
    name: "all_users includes a user in no group at all",
    user: user({ groupIds: new Set() }),
    config: config({ state: "enabled" }),
    expected: nudged,
  },
  {
    name: "a user target includes exactly that user",
    user: user({ groupIds: new Set() }),
    config: config({ state: "enabled", includeTargets: [{ id: ALICE, targetType: "user" }] }),
    expected: nudged,
  },
  {
    name: "Microsoft managed nudges SMS/voice users to Authenticator when passkeys are off (§2.8; 1 day, 3 snoozes)",
    user: user({ methodsRegistered: ["alternateMobilePhone"] }),
    config: config({ state: "default" }),
    expected: managedAuthenticator,
  },
  {
    name: "Microsoft managed does not nudge a TOTP-only user (only after SMS/voice MFA)",
    user: user({ methodsRegistered: ["softwareOneTimePasscode"] }),
    config: config({ state: "default" }),
    expected: not("noPhoneMfa"),
  },
  {
    name: "Microsoft managed honours the include/exclude targets",
    user: user({ groupIds: new Set([BREAK_GLASS]) }),
    config: config({
      state: "default",
      excludeTargets: [{ id: BREAK_GLASS, targetType: "group" }],
    }),
    expected: not("excluded"),
  },
  {
    name: "Passwordless-mode users who also have push: passwordless is the reason",
    user: user({
      methodsRegistered: ["microsoftAuthenticatorPasswordless", "microsoftAuthenticatorPush"],
    }),
    config: config(
      { state: "enabled" },
      {
        state: "enabled",
        includeTargets: [
          { id: ALL_USERS, targetType: "group", authenticationMode: "deviceBasedPush" },
        ],
      },
    ),
    expected: not("passwordlessOnly"),
  },
];

describe("eligibility: who the campaign nudges", () => {
  for (const c of CASES) {
    it(c.name, () => {
      expect(evaluateUser(c.user, c.config)).to.deep.equal(c.expected);
    });
  }

  it("has a case for every Authenticator reason (passkey reasons: passkeyModel.test.ts)", () => {
    const covered = new Set(CASES.flatMap((c) => (c.expected.nudged ? [] : [c.expected.reason])));
    expect([...covered].sort()).to.deep.equal(
      NOT_NUDGED_REASONS.filter((reason) => !PASSKEY_REASONS.includes(reason)).sort(),
    );
  });

  it("a passkey campaign with no passkey configuration read nudges nobody (not enabled for passkeys)", () => {
    const configuration = config({ state: "enabled" });
    configuration.campaign.includeTargets[0].targetedAuthenticationMethod = "Fido2";
    expect(evaluateUser(user(), configuration)).to.deep.equal(not("notEnabledForPasskeys"));
  });

  it("names the groups whose memberships an evaluation needs, lower-case, all_users left out", () => {
    const configuration = config(
      {
        state: "enabled",
        includeTargets: [
          { id: ALL_USERS, targetType: "group" },
          { id: PILOT.toUpperCase(), targetType: "group" },
        ],
        excludeTargets: [{ id: ALICE, targetType: "user" }],
      },
      { state: "enabled", includeTargets: [{ id: OTHER, targetType: "group" }] },
    );
    expect(groupsNamedBy(configuration, { campaign: undefined })).to.deep.equal(
      [PILOT, OTHER].sort(),
    );
  });
});

// ---- The preview check -------------------------------------------------------------------

type Campaign = PreviewInputs<RegistrationCampaignArgs>;
type Authenticator = PreviewInputs<AuthenticatorPolicyArgs>;

interface CoverageCase {
  name: string;
  campaign: Campaign;
  authenticator: Authenticator;
  breakGlass?: string[];
  /** kind:targetId:blocking of each finding. */
  expected: string[];
  /** Words the messages must contain (who and why). */
  says?: string[];
}

const COVERAGE: CoverageCase[] = [
  {
    name: "the seed scenario: the pilot enabled in mode any — nothing to say",
    campaign: pilotCampaign,
    authenticator: {
      state: "enabled",
      includeTargets: [{ id: PILOT, targetType: "group", authenticationMode: "any" }],
    },
    expected: [],
  },
  {
    name: "a campaign group the Authenticator policy does not enable",
    campaign: pilotCampaign,
    authenticator: { state: "enabled", includeTargets: [{ id: OTHER, targetType: "group" }] },
    expected: [`notEnabledForAuthenticator:${PILOT}:true`],
    says: [PILOT, OTHER, "will not be nudged", "includeTargets"],
  },
  {
    name: "all users in the campaign, Authenticator for a pilot only",
    campaign: { state: "enabled" },
    authenticator: { state: "enabled", includeTargets: [{ id: PILOT, targetType: "group" }] },
    expected: [`notEnabledForAuthenticator:${ALL_USERS}:true`],
    says: ["all users", "users in none of those"],
  },
  {
    name: "Passwordless mode only",
    campaign: pilotCampaign,
    authenticator: {
      state: "enabled",
      includeTargets: [{ id: PILOT, targetType: "group", authenticationMode: "deviceBasedPush" }],
    },
    expected: [`passwordlessOnly:${PILOT}:true`],
    says: ["Passwordless", "ineligible"],
  },
  {
    name: "Authenticator disabled",
    campaign: pilotCampaign,
    authenticator: { state: "disabled" },
    expected: [`notEnabledForAuthenticator:${PILOT}:true`],
    says: ["disabled"],
  },
  {
    name: "a campaign group excluded from Authenticator",
    campaign: pilotCampaign,
    authenticator: { state: "enabled", excludeTargets: [{ id: PILOT, targetType: "group" }] },
    expected: [`notEnabledForAuthenticator:${PILOT}:true`],
    says: ["excludes this group"],
  },
  {
    name: "a disabled campaign nudges nobody: nothing to check",
    campaign: { ...pilotCampaign, state: "disabled" },
    authenticator: { state: "disabled" },
    expected: [],
  },
  {
    name: "a break-glass group all_users would nudge",
    campaign: { state: "enabled" },
    authenticator: { state: "enabled" },
    breakGlass: [BREAK_GLASS],
    expected: [`breakGlassNudged:${BREAK_GLASS}:false`],
    says: [BREAK_GLASS, "excludeTargets"],
  },
  {
    name: "a break-glass group the campaign excludes",
    campaign: { state: "enabled", excludeTargets: [{ id: BREAK_GLASS, targetType: "group" }] },
    authenticator: { state: "enabled" },
    breakGlass: [BREAK_GLASS],
    expected: [],
  },
  {
    name: "a break-glass group not enabled for Authenticator is not nudged",
    campaign: { state: "enabled" },
    authenticator: { state: "enabled", excludeTargets: [{ id: BREAK_GLASS, targetType: "group" }] },
    breakGlass: [BREAK_GLASS],
    expected: [],
  },
  {
    name: "a group created in the same program (unknown id): cannot be checked yet, never blocking",
    campaign: { state: "enabled", includeTargets: [{ id: UNKNOWN, targetType: "group" }] },
    authenticator: {
      state: "enabled",
      includeTargets: [{ id: UNKNOWN, targetType: "group", authenticationMode: "any" }],
    },
    expected: [`cannotCheckYet::false`],
    says: ["known only after apply"],
  },
  {
    name: "an unknown Authenticator target may cover a known campaign group: cannot be checked yet",
    campaign: pilotCampaign,
    authenticator: { state: "enabled", includeTargets: UNKNOWN },
    expected: [`cannotCheckYet:${PILOT}:false`],
  },
  {
    name: "an unknown state: cannot be checked yet",
    campaign: { ...pilotCampaign, state: UNKNOWN },
    authenticator: { state: "enabled" },
    expected: [`cannotCheckYet::false`],
  },
];

describe("eligibility: the preview check compares the campaign's targets with the Authenticator policy", () => {
  for (const c of COVERAGE) {
    it(c.name, () => {
      const findings: CoverageFinding[] = checkTargetCoverage(
        normalizeCampaignArgs(c.campaign),
        normalizeAuthenticatorArgs(c.authenticator),
        c.breakGlass,
      );
      expect(findings.map((f) => `${f.kind}:${f.targetId}:${f.blocking}`)).to.deep.equal(
        c.expected,
      );
      for (const words of c.says ?? []) {
        expect(findings.map((f) => f.message).join("\n")).to.include(words);
      }
    });
  }
});

// Issue 17: the words of each cause and its fix, pinned whole.
const USER = "0f5b3b8e-3a6a-4e0c-9d7c-2b1f4a6c8d01";
const SENTENCES: {
  name: string;
  campaign: Campaign;
  authenticator: Authenticator;
  message: string;
}[] = [
  {
    name: "Authenticator disabled, a campaign group: set state enabled (not: add a target)",
    campaign: pilotCampaign,
    authenticator: { state: "disabled", includeTargets: [{ id: PILOT, targetType: "group" }] },
    message: `The campaign includes group ${PILOT}, but the AuthenticatorPolicy's state is "disabled": nobody can use Microsoft Authenticator, so the campaign nudges no one. Set the AuthenticatorPolicy's state to "enabled" (its includeTargets decide who may use it).`,
  },
  {
    name: "Authenticator disabled, all users",
    campaign: { state: "enabled" },
    authenticator: { state: "disabled" },
    message: `The campaign includes all users, but the AuthenticatorPolicy's state is "disabled": nobody can use Microsoft Authenticator, so the campaign nudges no one. Set the AuthenticatorPolicy's state to "enabled" (its includeTargets decide who may use it).`,
  },
  {
    name: "a user target while groups are enabled: membership unknown, said so",
    campaign: { state: "enabled", includeTargets: [{ id: USER, targetType: "user" }] },
    authenticator: { state: "enabled", includeTargets: [{ id: OTHER, targetType: "group" }] },
    message: `The campaign includes user ${USER}, but the AuthenticatorPolicy enables group ${OTHER} and not this user directly. The preview compares targets, not memberships: unless the user is a member of one of those groups, they will not be nudged (\`entra-nudge impact\` checks the tenant). To be sure, add the user to the AuthenticatorPolicy's includeTargets (authenticationMode "any" or "push"), or remove them from the campaign.`,
  },
  {
    name: "a user target while only other users are enabled: a fact",
    campaign: { state: "enabled", includeTargets: [{ id: USER, targetType: "user" }] },
    authenticator: { state: "enabled", includeTargets: [{ id: PILOT, targetType: "user" }] },
    message: `The campaign includes user ${USER}, but the AuthenticatorPolicy enables user ${PILOT} and not this user: they will not be nudged. Add the user to the AuthenticatorPolicy's includeTargets (authenticationMode "any" or "push"), or remove them from the campaign.`,
  },
  {
    name: "a group target the policy does not enable",
    campaign: pilotCampaign,
    authenticator: { state: "enabled", includeTargets: [{ id: OTHER, targetType: "group" }] },
    message: `The campaign includes group ${PILOT}, but the AuthenticatorPolicy enables group ${OTHER} and not this group: its members who are in none of those will not be nudged. Add the group to the AuthenticatorPolicy's includeTargets (authenticationMode "any" or "push"), or remove it from the campaign.`,
  },
  {
    name: "all users in the campaign, a pilot in the policy",
    campaign: { state: "enabled" },
    authenticator: { state: "enabled", includeTargets: [{ id: PILOT, targetType: "group" }] },
    message: `The campaign includes all users, but the AuthenticatorPolicy enables only group ${PILOT}: users in none of those will not be nudged. Include all_users in the AuthenticatorPolicy (authenticationMode "any" or "push"), or include only the targets it enables in the campaign.`,
  },
  {
    name: "a policy that includes nobody",
    campaign: pilotCampaign,
    authenticator: { state: "enabled", includeTargets: [] },
    message: `The campaign includes group ${PILOT}, but the AuthenticatorPolicy includes nobody: its members will not be nudged. Add the group to the AuthenticatorPolicy's includeTargets (authenticationMode "any" or "push").`,
  },
  {
    name: "a user the policy excludes",
    campaign: { state: "enabled", includeTargets: [{ id: USER, targetType: "user" }] },
    authenticator: { state: "enabled", excludeTargets: [{ id: USER, targetType: "user" }] },
    message: `The campaign includes user ${USER}, but the AuthenticatorPolicy excludes this user, so they cannot use Microsoft Authenticator and will not be nudged. Remove the user from the AuthenticatorPolicy's excludeTargets, or from the campaign.`,
  },
];

describe("eligibility: each cause in its own words, with its fix", () => {
  for (const c of SENTENCES) {
    it(c.name, () => {
      const findings = checkTargetCoverage(
        normalizeCampaignArgs(c.campaign),
        normalizeAuthenticatorArgs(c.authenticator),
      );
      expect(findings.map((f) => f.message)).to.deep.equal([c.message]);
    });
  }
});

describe("eligibility: the break-glass setting", () => {
  const cases: { text: string | undefined; groups: string[]; problems: number }[] = [
    { text: undefined, groups: [], problems: 0 },
    { text: BREAK_GLASS.toUpperCase(), groups: [BREAK_GLASS], problems: 0 },
    { text: `${BREAK_GLASS}, ${OTHER}`, groups: [BREAK_GLASS, OTHER], problems: 0 },
    { text: JSON.stringify([BREAK_GLASS, BREAK_GLASS]), groups: [BREAK_GLASS], problems: 0 },
    { text: `["Emergency Access"]`, groups: [], problems: 1 },
    { text: `[not json`, groups: [], problems: 1 },
  ];
  for (const c of cases) {
    it(`parses ${JSON.stringify(c.text)}`, () => {
      const parsed = parseBreakGlassGroups(c.text);
      expect(parsed.groups).to.deep.equal(c.groups);
      expect(parsed.problems).to.have.length(c.problems);
      for (const problem of parsed.problems)
        expect(problem).to.include("entra-nudge:breakGlassGroups");
    });
  }
});

describe("eligibility: strictEligibility is a provider-only campaign argument", () => {
  it("is validated as a boolean, with the fix", () => {
    const problems = validateArgs("RegistrationCampaign", {
      state: "enabled",
      strictEligibility: "yes",
    });
    expect(problems.map((p) => p.property)).to.deep.equal(["strictEligibility"]);
    expect(problems[0].message).to.include("fail the preview");
  });

  it("is kept when declared and absent when omitted (omitted means false)", () => {
    expect(
      normalizeArgs("RegistrationCampaign", { state: "enabled", strictEligibility: true }),
    ).to.have.property("strictEligibility", true);
    expect(normalizeArgs("RegistrationCampaign", { state: "enabled" })).to.not.have.property(
      "strictEligibility",
    );
    expect(
      checkArgs("RegistrationCampaign", { state: "enabled", strictEligibility: false }).ok,
    ).to.equal(true);
  });

  it("never differs from Graph's settings, but a change against recorded outputs is an update", () => {
    const graph = {
      state: "enabled" as const,
      includeTargets: [],
      excludeTargets: [],
      snoozeDurationInDays: 1,
    };
    expect(
      describeChanges("RegistrationCampaign", { ...graph, strictEligibility: true }, graph),
    ).to.deep.equal([]);
    expect(
      describeChanges(
        "RegistrationCampaign",
        { ...graph, strictEligibility: true },
        { ...graph, onDelete: "restore", strictEligibility: false },
      ).map((c) => c.property),
    ).to.deep.equal(["strictEligibility"]);
  });
});
