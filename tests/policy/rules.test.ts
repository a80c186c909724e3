// The guardrails' rules as pure functions: each case is a declaration an organisation could write
// and what the rule must say about it (nothing, or violations naming the fix). The same functions
// run inside the policy pack (tests/policy/pack.test.ts drives them through the engine).
import { expect } from "chai";
import { UNKNOWN } from "../../provider/model";
import {
  authenticatorOtpViolations,
  breakGlassAuthenticatorViolations,
  breakGlassCampaignViolations,
  breakGlassPasskeyViolations,
  campaignPasskeyPolicyViolations,
  campaignPinnedViolations,
  campaignSnoozeViolations,
  campaignTargetsViolations,
  knownProps,
  loginContextViolations,
  parseBreakGlassConfig,
  parseCampaignPinnedConfig,
  parseMaxSnoozeConfig,
  type Props,
  type Violation,
} from "../../provider/policy";

const BREAK_GLASS_GROUP = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c";
const BREAK_GLASS_USER = "6ec85dbc-3f90-5c4f-9276-d103b845bee8";
const PILOT = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31";
const SALES = "2fbb5b75-4b8e-581b-9aaa-28ef3cb88c74";

const PILOT_USER = "bb1d6c17-7043-5689-a17d-aa610e2a4115";

const breakGlass = parseBreakGlassConfig({
  groupIds: [BREAK_GLASS_GROUP.toUpperCase()],
  userIds: [BREAK_GLASS_USER],
});
const breakGlassByCertificate = parseBreakGlassConfig({
  groupIds: [BREAK_GLASS_GROUP],
  userIds: [BREAK_GLASS_USER],
  signInMethod: "certificate",
});

const campaign = (change: Props = {}): Props => ({
  state: "enabled",
  snoozeDurationInDays: 0,
  includeTargets: [{ id: PILOT, targetType: "group" }],
  excludeTargets: [
    { id: BREAK_GLASS_GROUP, targetType: "group" },
    { id: BREAK_GLASS_USER, targetType: "user" },
  ],
  ...change,
});

const context = (state: string) => ({
  state,
  includeTarget: { id: "all_users", targetType: "group" },
});

const authenticator = (change: Props = {}): Props => ({
  state: "enabled",
  includeTargets: [{ id: PILOT, targetType: "group", authenticationMode: "any" }],
  excludeTargets: [],
  isSoftwareOathEnabled: false,
  featureSettings: {
    displayAppInformationRequiredState: context("enabled"),
    displayLocationInformationRequiredState: context("enabled"),
  },
  ...change,
});

const passkey = (change: Props = {}): Props => ({
  state: "enabled",
  isSelfServiceRegistrationAllowed: true,
  includeTargets: [{ id: PILOT, targetType: "group", isRegistrationRequired: false }],
  excludeTargets: [],
  ...change,
});

const passkeyCampaign = (change: Props = {}): Props =>
  campaign({
    includeTargets: [{ id: PILOT, targetType: "group", targetedAuthenticationMethod: "fido2" }],
    ...change,
  });

interface Case {
  name: string;
  check: () => Violation[];
  /** Fragments of each expected violation, one array per violation, in order. */
  says: string[][];
}

const CASES: Case[] = [
  // break-glass-excluded: the campaign
  {
    name: "campaign excluding both break-glass accounts (config ids in any case)",
    check: () => breakGlassCampaignViolations(campaign(), breakGlass),
    says: [],
  },
  {
    name: "campaign that does not exclude the break-glass group",
    check: () =>
      breakGlassCampaignViolations(
        campaign({ excludeTargets: [{ id: BREAK_GLASS_USER, targetType: "user" }] }),
        breakGlass,
      ),
    says: [
      [
        `does not exclude the break-glass group ${BREAK_GLASS_GROUP}`,
        "after 3 snoozes registration becomes mandatory",
        `Add { id: "${BREAK_GLASS_GROUP}", targetType: "group" } to the campaign's excludeTargets`,
      ],
    ],
  },
  {
    name: "Microsoft-managed campaign with no exclusions: both accounts",
    check: () =>
      breakGlassCampaignViolations(
        { state: "default", includeTargets: [{ id: "all_users", targetType: "group" }] },
        breakGlass,
      ),
    says: [[`break-glass group ${BREAK_GLASS_GROUP}`], [`break-glass user ${BREAK_GLASS_USER}`]],
  },
  {
    name: "disabled campaign nudges nobody",
    check: () =>
      breakGlassCampaignViolations({ state: "disabled", excludeTargets: [] }, breakGlass),
    says: [],
  },
  {
    name: "exclusions unknown until apply: checked at `up`, not guessed",
    check: () =>
      breakGlassCampaignViolations(
        campaign({ excludeTargets: [{ id: UNKNOWN, targetType: "group" }] }),
        breakGlass,
      ),
    says: [],
  },
  {
    name: "no break-glass accounts configured",
    check: () => breakGlassCampaignViolations(campaign(), parseBreakGlassConfig({})),
    says: [["No break-glass (emergency access) accounts are configured", '"disabled"']],
  },
  // break-glass-excluded: the Authenticator policy
  {
    name: "Authenticator in mode any without registration requirement cannot lock them out",
    check: () =>
      breakGlassAuthenticatorViolations(
        authenticator({ includeTargets: [{ id: "all_users", targetType: "group" }] }),
        breakGlass,
      ),
    says: [],
  },
  {
    name: "all users required to register, break-glass not excluded",
    check: () =>
      breakGlassAuthenticatorViolations(
        authenticator({
          includeTargets: [{ id: "all_users", targetType: "group", isRegistrationRequired: true }],
          excludeTargets: [{ id: BREAK_GLASS_GROUP, targetType: "group" }],
        }),
        breakGlass,
      ),
    says: [
      [
        "target all users, which includes them, requires registration",
        `break-glass user ${BREAK_GLASS_USER} is not excluded`,
        `Add { id: "${BREAK_GLASS_USER}", targetType: "user" } to the AuthenticatorPolicy's excludeTargets`,
      ],
    ],
  },
  {
    name: "a Passwordless-only group target may contain them",
    check: () =>
      breakGlassAuthenticatorViolations(
        authenticator({
          includeTargets: [
            { id: SALES, targetType: "group", authenticationMode: "deviceBasedPush" },
          ],
          excludeTargets: [{ id: BREAK_GLASS_USER, targetType: "user" }],
        }),
        breakGlass,
      ),
    says: [
      [
        `target group ${SALES}, which may contain them`,
        '"deviceBasedPush"',
        `break-glass group ${BREAK_GLASS_GROUP} is not excluded`,
      ],
    ],
  },
  {
    name: "both excluded from a registration-required target",
    check: () =>
      breakGlassAuthenticatorViolations(
        authenticator({
          includeTargets: [{ id: "all_users", targetType: "group", isRegistrationRequired: true }],
          excludeTargets: [
            { id: BREAK_GLASS_GROUP, targetType: "group" },
            { id: BREAK_GLASS_USER, targetType: "user" },
          ],
        }),
        breakGlass,
      ),
    says: [],
  },
  {
    name: "a disabled Authenticator configuration targets nobody",
    check: () =>
      breakGlassAuthenticatorViolations(
        authenticator({
          state: "disabled",
          includeTargets: [{ id: "all_users", targetType: "group", isRegistrationRequired: true }],
        }),
        breakGlass,
      ),
    says: [],
  },
  // campaign-pinned
  {
    name: "Microsoft managed when the organisation wants it pinned",
    check: () => campaignPinnedViolations({ state: "default" }, parseCampaignPinnedConfig({})),
    says: [
      [
        'state is "default"',
        'allows "enabled" or "disabled"',
        "Microsoft managed",
        'Since 2026 "default" moves the campaign to passkeys',
      ],
    ],
  },
  {
    name: "Microsoft managed when the organisation allows it",
    check: () =>
      campaignPinnedViolations(
        { state: "default" },
        parseCampaignPinnedConfig({ allowedStates: ["enabled", "default"] }),
      ),
    says: [],
  },
  {
    name: "disabled when only enabled is allowed",
    check: () =>
      campaignPinnedViolations(
        campaign({ state: "disabled" }),
        parseCampaignPinnedConfig({ allowedStates: ["enabled"] }),
      ),
    says: [['state is "disabled"; this organisation allows "enabled"']],
  },
  // campaign-max-snooze-days
  {
    name: "snooze within the default limit (1 day)",
    check: () =>
      campaignSnoozeViolations(campaign({ snoozeDurationInDays: 1 }), parseMaxSnoozeConfig({})),
    says: [],
  },
  {
    name: "snooze omitted means Graph's default of 1 day",
    check: () =>
      campaignSnoozeViolations(
        campaign({ snoozeDurationInDays: undefined }),
        parseMaxSnoozeConfig({ maxSnoozeDays: 0 }),
      ),
    says: [["snooze the prompt for 1 day;", "at most 0"]],
  },
  {
    name: "snooze 7 over a configured 3",
    check: () =>
      campaignSnoozeViolations(
        campaign({ snoozeDurationInDays: 7 }),
        parseMaxSnoozeConfig({ maxSnoozeDays: 3 }),
      ),
    says: [["7 days", "at most 3", "Set snoozeDurationInDays to 3 or less"]],
  },
  {
    name: "a disabled campaign's snooze does not matter",
    check: () =>
      campaignSnoozeViolations(
        campaign({ state: "disabled", snoozeDurationInDays: 14 }),
        parseMaxSnoozeConfig({}),
      ),
    says: [],
  },
  {
    name: "an unknown snooze is checked at apply",
    check: () =>
      campaignSnoozeViolations(
        campaign({ snoozeDurationInDays: UNKNOWN }),
        parseMaxSnoozeConfig({}),
      ),
    says: [],
  },
  // campaign-targets-eligible (model/eligibility.ts decides)
  {
    name: "campaign target enabled for Authenticator in mode any",
    check: () => campaignTargetsViolations(campaign(), authenticator()),
    says: [],
  },
  {
    name: "campaign target only in Passwordless mode",
    check: () =>
      campaignTargetsViolations(
        campaign(),
        authenticator({
          includeTargets: [
            { id: PILOT, targetType: "group", authenticationMode: "deviceBasedPush" },
          ],
        }),
      ),
    says: [
      [
        `group ${PILOT}`,
        'Passwordless mode ("deviceBasedPush")',
        'Use authenticationMode "any" or "push"',
      ],
    ],
  },
  {
    name: "campaign target not enabled for Authenticator",
    check: () =>
      campaignTargetsViolations(
        campaign({ includeTargets: [{ id: SALES, targetType: "group" }] }),
        authenticator(),
      ),
    says: [
      [
        `group ${SALES}`,
        "will not be nudged",
        "Add the group to the AuthenticatorPolicy's includeTargets",
      ],
    ],
  },
  {
    name: "a target unknown until apply is not a violation",
    check: () =>
      campaignTargetsViolations(
        campaign({ includeTargets: [{ id: UNKNOWN, targetType: "group" }] }),
        authenticator(),
      ),
    says: [],
  },
  // scuba-ms-aad-3.3v2-login-context
  {
    name: "app name and location shown to all users",
    check: () => loginContextViolations(authenticator()),
    says: [],
  },
  {
    name: "Microsoft-managed app name, location not declared",
    check: () =>
      loginContextViolations(
        authenticator({
          featureSettings: { displayAppInformationRequiredState: context("default") },
        }),
      ),
    says: [
      [
        "MS.AAD.3.3v2",
        "displayAppInformationRequiredState",
        '"default"',
        "Microsoft managed, currently off",
      ],
      ["MS.AAD.3.3v2", "displayLocationInformationRequiredState", "is not declared"],
    ],
  },
  {
    name: "location shown to one group only",
    check: () =>
      loginContextViolations(
        authenticator({
          featureSettings: {
            displayAppInformationRequiredState: context("enabled"),
            displayLocationInformationRequiredState: {
              state: "enabled",
              includeTarget: { id: PILOT, targetType: "group" },
            },
          },
        }),
      ),
    says: [[`only to group ${PILOT}`, "Include > All users"]],
  },
  {
    name: "no login context needed while Authenticator is disabled",
    check: () => loginContextViolations(authenticator({ state: "disabled", featureSettings: {} })),
    says: [],
  },
  // break-glass-excluded: the passkey policy (the accounts sign in with a passkey by default)
  {
    name: "passkeys enabled for all users keep the break-glass accounts' security keys",
    check: () =>
      breakGlassPasskeyViolations(
        passkey({ includeTargets: [{ id: "all_users", targetType: "group" }] }),
        breakGlass,
      ),
    says: [],
  },
  {
    name: "a target requiring registration cannot stop accounts that hold a passkey already",
    check: () =>
      breakGlassPasskeyViolations(
        passkey({
          includeTargets: [{ id: "all_users", targetType: "group", isRegistrationRequired: true }],
        }),
        breakGlass,
      ),
    says: [],
  },
  {
    name: "excluding the break-glass accounts from the PasskeyPolicy takes their only method",
    check: () =>
      breakGlassPasskeyViolations(
        passkey({
          excludeTargets: [
            { id: BREAK_GLASS_GROUP, targetType: "group" },
            { id: BREAK_GLASS_USER, targetType: "user" },
          ],
        }),
        breakGlass,
      ),
    says: [
      [
        `The PasskeyPolicy excludes the break-glass group ${BREAK_GLASS_GROUP}, so it can no longer sign in with a passkey or security key`,
        "https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/security-emergency-access",
        `Remove { id: "${BREAK_GLASS_GROUP}", targetType: "group" } from the PasskeyPolicy's excludeTargets and include it`,
        '"signInMethod": "certificate"',
      ],
      [`The PasskeyPolicy excludes the break-glass user ${BREAK_GLASS_USER}`],
    ],
  },
  {
    name: "passkeys enabled only for named users leave the break-glass accounts out",
    check: () =>
      breakGlassPasskeyViolations(
        passkey({ includeTargets: [{ id: PILOT_USER, targetType: "user" }] }),
        breakGlass,
      ),
    says: [
      [
        `No passkey target includes the break-glass group ${BREAK_GLASS_GROUP}`,
        `Add { id: "${BREAK_GLASS_GROUP}", targetType: "group" } to the PasskeyPolicy's includeTargets`,
      ],
      [`No passkey target includes the break-glass user ${BREAK_GLASS_USER}`],
    ],
  },
  {
    name: "a break-glass user named as its own passkey target is included",
    check: () =>
      breakGlassPasskeyViolations(
        passkey({
          includeTargets: [
            { id: PILOT_USER, targetType: "user" },
            { id: BREAK_GLASS_USER, targetType: "user" },
            { id: BREAK_GLASS_GROUP, targetType: "group" },
          ],
        }),
        breakGlass,
      ),
    says: [],
  },
  {
    name: "a disabled PasskeyPolicy takes the break-glass accounts' passkeys",
    check: () => breakGlassPasskeyViolations(passkey({ state: "disabled" }), breakGlass),
    says: [
      [
        `The PasskeyPolicy's state is "disabled", so the break-glass group ${BREAK_GLASS_GROUP} can no longer sign in`,
        'Set the PasskeyPolicy\'s state to "enabled"',
      ],
      [`the break-glass user ${BREAK_GLASS_USER} can no longer sign in`],
    ],
  },
  {
    name: "an unknown exclusion waits for up",
    check: () =>
      breakGlassPasskeyViolations(
        passkey({ excludeTargets: [{ id: UNKNOWN, targetType: "group" }] }),
        breakGlass,
      ),
    says: [],
  },
  // break-glass-excluded: the passkey policy, accounts that sign in with a certificate
  {
    name: "certificate sign-in: a target for all users requiring registration, accounts not excluded",
    check: () =>
      breakGlassPasskeyViolations(
        passkey({
          includeTargets: [{ id: "all_users", targetType: "group", isRegistrationRequired: true }],
        }),
        breakGlassByCertificate,
      ),
    says: [
      [
        "The passkey target all users, which includes them, requires registration (isRegistrationRequired)",
        `sign-in of the break-glass group ${BREAK_GLASS_GROUP}`,
        `Add { id: "${BREAK_GLASS_GROUP}", targetType: "group" } to the PasskeyPolicy's excludeTargets`,
        "or set isRegistrationRequired to false on that target",
      ],
      [`sign-in of the break-glass user ${BREAK_GLASS_USER}`],
    ],
  },
  {
    name: "certificate sign-in: excluded accounts, or a disabled policy, are fine",
    check: () => [
      ...breakGlassPasskeyViolations(
        passkey({
          includeTargets: [{ id: PILOT, targetType: "group", isRegistrationRequired: true }],
          excludeTargets: [
            { id: BREAK_GLASS_GROUP, targetType: "group" },
            { id: BREAK_GLASS_USER, targetType: "user" },
          ],
        }),
        breakGlassByCertificate,
      ),
      ...breakGlassPasskeyViolations(passkey({ state: "disabled" }), breakGlassByCertificate),
    ],
    says: [],
  },
  // campaign-passkey-policy
  {
    name: "passkey campaign with an enabled PasskeyPolicy allowing self-service setup",
    check: () => campaignPasskeyPolicyViolations(passkeyCampaign(), [passkey()]),
    says: [],
  },
  {
    name: "PasskeyPolicy leaving self-service setup out: the default (true) is enough",
    check: () =>
      campaignPasskeyPolicyViolations(passkeyCampaign(), [
        passkey({ isSelfServiceRegistrationAllowed: undefined }),
      ]),
    says: [],
  },
  {
    name: "passkey campaign without a PasskeyPolicy in the stack",
    check: () => campaignPasskeyPolicyViolations(passkeyCampaign(), []),
    says: [
      [
        `The registration campaign targets passkeys (fido2) for group ${PILOT}`,
        "the stack declares no PasskeyPolicy",
        'Declare a PasskeyPolicy with state "enabled" and isSelfServiceRegistrationAllowed: true',
      ],
    ],
  },
  {
    name: "passkey campaign with a disabled PasskeyPolicy",
    check: () =>
      campaignPasskeyPolicyViolations(passkeyCampaign(), [passkey({ state: "disabled" })]),
    says: [
      ['the PasskeyPolicy\'s state is "disabled"', 'Set the PasskeyPolicy\'s state to "enabled"'],
    ],
  },
  {
    name: "passkey campaign with self-service setup off",
    check: () =>
      campaignPasskeyPolicyViolations(passkeyCampaign(), [
        passkey({ isSelfServiceRegistrationAllowed: false }),
      ]),
    says: [
      [
        "isSelfServiceRegistrationAllowed: false",
        "users cannot set up a passkey themselves",
        "Set isSelfServiceRegistrationAllowed to true",
      ],
    ],
  },
  {
    name: "Authenticator campaign or disabled passkey campaign needs no PasskeyPolicy",
    check: () => [
      ...campaignPasskeyPolicyViolations(campaign(), []),
      ...campaignPasskeyPolicyViolations(passkeyCampaign({ state: "disabled" }), []),
    ],
    says: [],
  },
  // scuba-ms-aad-3.3v2-authenticator-otp-off
  { name: "OTP off", check: () => authenticatorOtpViolations(authenticator()), says: [] },
  {
    name: "OTP on",
    check: () => authenticatorOtpViolations(authenticator({ isSoftwareOathEnabled: true })),
    says: [["isSoftwareOathEnabled is true", "Set isSoftwareOathEnabled: false"]],
  },
  {
    name: "OTP not managed",
    check: () => authenticatorOtpViolations(authenticator({ isSoftwareOathEnabled: undefined })),
    says: [["isSoftwareOathEnabled is not declared"]],
  },
];

describe("guardrail rules", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const violations = c.check();
      expect(
        violations.map((v) => v.message),
        "violations",
      ).to.have.length(c.says.length);
      c.says.forEach((fragments, i) => {
        let from = 0;
        for (const fragment of fragments) {
          const at = violations[i].message.indexOf(fragment, from);
          expect(at, `"${fragment}" in: ${violations[i].message}`).to.be.greaterThan(-1);
          from = at + fragment.length;
        }
      });
    });
  }

  it("rules accept recorded outputs (extra properties such as originalSettings)", () => {
    const outputs = { ...campaign({ excludeTargets: [] }), tenantId: "t", originalSettings: {} };
    expect(breakGlassCampaignViolations(outputs, breakGlass)).to.have.length(2);
  });
});

describe("guardrail settings", () => {
  it("keeps valid ids (lower-cased, once) and drops anything else", () => {
    expect(
      parseBreakGlassConfig({
        groupIds: [BREAK_GLASS_GROUP, BREAK_GLASS_GROUP.toUpperCase(), "not-a-guid", 7],
      }),
    ).to.deep.equal({ groupIds: [BREAK_GLASS_GROUP], userIds: [], signInMethod: "passkey" });
  });

  it("falls back to the defaults on settings the schema would refuse", () => {
    expect(parseMaxSnoozeConfig({ maxSnoozeDays: 15 })).to.deep.equal({ maxSnoozeDays: 1 });
    expect(parseMaxSnoozeConfig({ maxSnoozeDays: 2.5 })).to.deep.equal({ maxSnoozeDays: 1 });
    expect(parseBreakGlassConfig({ signInMethod: "sms" }).signInMethod).to.equal("passkey");
    expect(parseCampaignPinnedConfig({ allowedStates: [] })).to.deep.equal({
      allowedStates: ["enabled", "disabled"],
    });
  });
});

describe("reading properties through @pulumi/policy's unknown-checking proxy", () => {
  // The proxy @pulumi/policy wraps properties in throws UnknownValueError (which carries
  // unknownTypeSentinel) when a value is unknown during preview.
  class UnknownValueError extends Error {
    unknownTypeSentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
  }
  function proxy<T extends object>(target: T, unknownKeys: string[]): T {
    return new Proxy(target, {
      get(obj, key) {
        if (typeof key === "string" && unknownKeys.includes(key)) throw new UnknownValueError();
        const value = Reflect.get(obj, key) as unknown;
        return typeof value === "object" && value !== null ? proxy(value, unknownKeys) : value;
      },
    });
  }

  it("copies known values and turns each unknown one into the model's sentinel", () => {
    const props = proxy(
      {
        state: "enabled",
        snoozeDurationInDays: 0,
        includeTargets: [{ id: "pending", targetType: "group" }],
      },
      ["id"],
    );
    expect(knownProps(props)).to.deep.equal({
      state: "enabled",
      snoozeDurationInDays: 0,
      includeTargets: [{ id: UNKNOWN, targetType: "group" }],
    });
  });

  it("lets a rule check what is known while a target id waits", () => {
    const props = proxy(campaign({ snoozeDurationInDays: 9 }), ["id"]);
    expect(campaignSnoozeViolations(knownProps(props), parseMaxSnoozeConfig({}))).to.have.length(1);
    expect(breakGlassCampaignViolations(knownProps(props), breakGlass)).to.deep.equal([]);
  });

  it("does not hide other errors", () => {
    const props = new Proxy(
      {},
      {
        ownKeys: () => ["boom"],
        getOwnPropertyDescriptor: () => ({ enumerable: true, configurable: true }),
        get: () => {
          throw new Error("a bug");
        },
      },
    );
    expect(() => knownProps(props)).to.throw("a bug");
  });
});
