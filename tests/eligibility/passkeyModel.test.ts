// The 2026 eligibility rules for passkey nudges and Microsoft-managed campaigns
// (graph-contract-passkeys.md §2–§3, §7), table-driven: both methods, all three campaign states,
// one case per rule and per documented edge, and the phone-only test the readiness command counts.
import { expect } from "chai";
import {
  ALL_USERS,
  PASSKEY_REASONS,
  evaluateUser,
  groupsNamedBy,
  hasPasskey,
  isPhoneOnly,
  normalizeAuthenticatorArgs,
  normalizeCampaignArgs,
  profileEligibleWhenManaged,
  type AuthenticatorPolicyArgs,
  type CampaignState,
  type Eligibility,
  type NotNudgedReason,
  type NudgeConfiguration,
  type PasskeyEligibilitySettings,
  type PasskeyProfileFacts,
  type UserFacts,
} from "../../provider/model";

const PILOT = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31";
const OTHER = "2fbb5b75-4b8e-581b-9aaa-28ef3cb88c74";
const ALICE = "898af1d0-ce0e-56a1-82a6-99c4ac76b981";
const DEFAULT_PROFILE = "00000000-0000-0000-0000-000000000001";
const RESTRICTED_PROFILE = "7d5f2c6e-0c4f-4a3b-9a51-6b1f2f4d2a10";
const YUBIKEY = "cb69481e-8ff7-4039-93ec-0a2729a154a8";
const ICLOUD = "fbfc3007-154e-4ecc-8c0b-6e020557d7bd";

const unrestricted: PasskeyProfileFacts = {
  id: DEFAULT_PROFILE,
  passkeyTypes: ["deviceBound", "synced"],
  attestationEnforcement: "disabled",
};
const allowList = (aaGuids: string[], attestation = "disabled"): PasskeyProfileFacts => ({
  id: RESTRICTED_PROFILE,
  passkeyTypes: ["deviceBound"],
  attestationEnforcement: attestation,
  keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids },
});

function passkey(overrides: Partial<PasskeyEligibilitySettings> = {}): PasskeyEligibilitySettings {
  return {
    state: "enabled",
    isSelfServiceRegistrationAllowed: true,
    includeTargets: [
      { id: ALL_USERS, targetType: "group", allowedPasskeyProfiles: [DEFAULT_PROFILE] },
    ],
    excludeTargets: [],
    passkeyProfiles: [unrestricted],
    ...overrides,
  };
}

/** The pilot's passkey target allows only this profile (beside the unrestricted default). */
const pilotOnly = (profile: PasskeyProfileFacts): PasskeyEligibilitySettings =>
  passkey({
    includeTargets: [{ id: PILOT, targetType: "group", allowedPasskeyProfiles: [profile.id] }],
    passkeyProfiles: [unrestricted, profile],
  });

function config(
  state: CampaignState,
  method: "fido2" | "microsoftAuthenticator" | undefined,
  passkeySettings: PasskeyEligibilitySettings | undefined = passkey(),
  authenticator: AuthenticatorPolicyArgs = { state: "enabled" },
): NudgeConfiguration {
  const campaign = normalizeCampaignArgs({
    state,
    snoozeDurationInDays: 2,
    includeTargets: [{ id: PILOT, targetType: "group" }],
  }) as NudgeConfiguration["campaign"];
  for (const target of campaign.includeTargets) {
    if (method) target.targetedAuthenticationMethod = method;
  }
  return {
    campaign,
    authenticator: normalizeAuthenticatorArgs(authenticator),
    ...(passkeySettings ? { passkey: passkeySettings } : {}),
  } as NudgeConfiguration;
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

const passkeyEnabled: Eligibility = {
  nudged: true,
  method: "fido2",
  snoozeDays: 2,
  snoozeLimit: 3,
};
const passkeyManaged: Eligibility = {
  nudged: true,
  method: "fido2",
  snoozeDays: 1,
  snoozeLimit: null,
};
// HOWTO 2026-09-02, "Microsoft managed state": 1 snooze day for either method; Authenticator
// limited to 3 snoozes, passkeys unlimited.
const authenticatorManaged: Eligibility = {
  nudged: true,
  method: "microsoftAuthenticator",
  snoozeDays: 1,
  snoozeLimit: 3,
};
const authenticatorEnabled: Eligibility = {
  nudged: true,
  method: "microsoftAuthenticator",
  snoozeDays: 2,
  snoozeLimit: 3,
};
const not = (reason: NotNudgedReason): Eligibility => ({ nudged: false, reason });

interface Case {
  name: string;
  user: UserFacts;
  config: NudgeConfiguration;
  expected: Eligibility;
}

const CASES: Case[] = [
  // Enabled passkey campaign (HOWTO 2026-09-02, §3).
  {
    name: "enabled fido2: an SMS user enabled for passkeys with self-service setup is nudged to a passkey",
    user: user(),
    config: config("enabled", "fido2"),
    expected: passkeyEnabled,
  },
  {
    name: "enabled fido2: a TOTP-only user is nudged too (after MFA with any method)",
    user: user({ methodsRegistered: ["softwareOneTimePasscode"] }),
    config: config("enabled", "fido2"),
    expected: passkeyEnabled,
  },
  {
    name: "enabled fido2: an Authenticator push user is nudged to a passkey (Authenticator is no passkey)",
    user: user({ methodsRegistered: ["microsoftAuthenticatorPush"] }),
    config: config("enabled", "fido2"),
    expected: passkeyEnabled,
  },
  {
    name: "enabled fido2, campaign value read as Fido2 (the reference's casing): the same",
    user: user(),
    config: (() => {
      const c = config("enabled", "fido2");
      c.campaign.includeTargets[0].targetedAuthenticationMethod = "Fido2";
      return c;
    })(),
    expected: passkeyEnabled,
  },
  {
    name: "enabled fido2: guests are never nudged to a passkey",
    user: user({ userType: "guest" }),
    config: config("enabled", "fido2"),
    expected: not("guestNoPasskeyNudge"),
  },
  {
    name: "enabled fido2: the passkey method disabled",
    user: user(),
    config: config("enabled", "fido2", passkey({ state: "disabled" })),
    expected: not("notEnabledForPasskeys"),
  },
  {
    name: "enabled fido2: the passkey method targets another group",
    user: user(),
    config: config(
      "enabled",
      "fido2",
      passkey({
        includeTargets: [
          { id: OTHER, targetType: "group", allowedPasskeyProfiles: [DEFAULT_PROFILE] },
        ],
      }),
    ),
    expected: not("notEnabledForPasskeys"),
  },
  {
    name: "enabled fido2: excluded from the passkey method",
    user: user(),
    config: config(
      "enabled",
      "fido2",
      passkey({ excludeTargets: [{ id: PILOT, targetType: "group" }] }),
    ),
    expected: not("notEnabledForPasskeys"),
  },
  {
    name: "enabled fido2: self-service setup off",
    user: user(),
    config: config("enabled", "fido2", passkey({ isSelfServiceRegistrationAllowed: false })),
    expected: not("selfServiceOff"),
  },
  {
    name: "enabled fido2: any profile will do, even an allow-list of security keys only (no eligibility check)",
    user: user(),
    config: config("enabled", "fido2", pilotOnly(allowList([YUBIKEY]))),
    expected: passkeyEnabled,
  },
  {
    name: "enabled fido2: a device-bound passkey already registered",
    user: user({ methodsRegistered: ["mobilePhone", "passKeyDeviceBoundAuthenticator"] }),
    config: config("enabled", "fido2"),
    expected: not("alreadyHasPasskey"),
  },
  {
    name: "enabled fido2: a synced passkey already registered (where the report shows it)",
    user: user({ methodsRegistered: ["passKeySynced"] }),
    config: config("enabled", "fido2"),
    expected: not("alreadyHasPasskey"),
  },
  {
    name: "enabled fido2: a FIDO2 security key counts as a passkey everywhere",
    user: user({ methodsRegistered: ["fido2SecurityKey"] }),
    config: config("enabled", "fido2"),
    expected: not("alreadyHasPasskey"),
  },
  {
    name: "enabled fido2: Windows Hello for Business alone is no passkey in the report (still nudged)",
    user: user({ methodsRegistered: ["windowsHelloForBusiness", "mobilePhone"] }),
    config: config("enabled", "fido2"),
    expected: passkeyEnabled,
  },
  {
    name: "enabled fido2: no MFA method, so no MFA sign-in shows it",
    user: user({ methodsRegistered: ["email"], isMfaRegistered: false }),
    config: config("enabled", "fido2"),
    expected: not("notMfaRegistered"),
  },
  {
    name: "enabled fido2: the Authenticator policy does not matter",
    user: user(),
    config: config("enabled", "fido2", passkey(), { state: "disabled" }),
    expected: passkeyEnabled,
  },
  {
    name: "enabled fido2: unlimited snoozes when enforceRegistrationAfterAllowedSnoozes is false",
    user: user(),
    config: (() => {
      const c = config("enabled", "fido2");
      c.campaign.enforceRegistrationAfterAllowedSnoozes = false;
      return c;
    })(),
    expected: { ...passkeyEnabled, snoozeLimit: null },
  },
  // Enabled Authenticator campaign: unchanged by the passkey policy.
  {
    name: "enabled Authenticator: the passkey policy does not matter",
    user: user(),
    config: config("enabled", "microsoftAuthenticator", passkey({ state: "disabled" })),
    expected: authenticatorEnabled,
  },
  {
    name: "enabled Authenticator: a user with a passkey is still nudged to Authenticator",
    user: user({ methodsRegistered: ["passKeyDeviceBound"] }),
    config: config("enabled", "microsoftAuthenticator"),
    expected: authenticatorEnabled,
  },
  // Microsoft managed, September 2026 rules (§2, §3).
  {
    name: "managed: a member enabled for passkeys gets the passkey nudge, 1 day, unlimited snoozes",
    user: user(),
    config: config("default", undefined),
    expected: passkeyManaged,
  },
  {
    name: "managed: whatever the campaign read back as its method (Microsoft decides)",
    user: user({ methodsRegistered: ["softwareOneTimePasscode"] }),
    config: config("default", "microsoftAuthenticator"),
    expected: passkeyManaged,
  },
  {
    name: "managed: a member not enabled for passkeys falls back to Authenticator (SMS user)",
    user: user(),
    config: config("default", undefined, passkey({ state: "disabled" })),
    expected: authenticatorManaged,
  },
  {
    name: "managed: self-service setup off falls back to Authenticator",
    user: user(),
    config: config("default", undefined, passkey({ isSelfServiceRegistrationAllowed: false })),
    expected: authenticatorManaged,
  },
  {
    name: "managed: Authenticator fallback only after SMS/voice MFA (a TOTP user is not nudged)",
    user: user({ methodsRegistered: ["softwareOneTimePasscode"] }),
    config: config("default", undefined, passkey({ state: "disabled" })),
    expected: not("noPhoneMfa"),
  },
  {
    name: "managed: the user's default method decides SMS/voice MFA when the scan has it",
    user: user({
      methodsRegistered: ["mobilePhone", "softwareOneTimePasscode"],
      preferredMfaMethod: "oath",
    }),
    config: config("default", undefined, passkey({ state: "disabled" })),
    expected: not("noPhoneMfa"),
  },
  {
    name: "managed: an allow-list of security keys only is not eligible: Authenticator instead",
    user: user(),
    config: config("default", undefined, pilotOnly(allowList([YUBIKEY]))),
    expected: authenticatorManaged,
  },
  {
    name: "managed: an allow-list naming iCloud Keychain is eligible",
    user: user(),
    config: config("default", undefined, pilotOnly(allowList([YUBIKEY, ICLOUD]))),
    expected: passkeyManaged,
  },
  {
    name: "managed: attestation enforced is eligible whatever the key restrictions",
    user: user(),
    config: config("default", undefined, pilotOnly(allowList([YUBIKEY], "registrationOnly"))),
    expected: passkeyManaged,
  },
  {
    name: "managed: a guest falls back to Authenticator (never a passkey nudge)",
    user: user({ userType: "guest" }),
    config: config("default", undefined),
    expected: authenticatorManaged,
  },
  {
    name: "managed: a member with a passkey is not nudged to another",
    user: user({ methodsRegistered: ["mobilePhone", "passKeyDeviceBoundWindowsHello"] }),
    config: config("default", undefined),
    expected: not("alreadyHasPasskey"),
  },
  // Disabled.
  {
    name: "disabled: nobody, whatever the method",
    user: user(),
    config: config("disabled", "fido2"),
    expected: not("campaignDisabled"),
  },
];

describe("eligibility 2026: passkey nudges and Microsoft-managed campaigns", () => {
  for (const c of CASES) {
    it(c.name, () => {
      expect(evaluateUser(c.user, c.config)).to.deep.equal(c.expected);
    });
  }

  it("every passkey reason has a case", () => {
    const covered = new Set(CASES.flatMap((c) => (c.expected.nudged ? [] : [c.expected.reason])));
    expect([...covered].filter((reason) => PASSKEY_REASONS.includes(reason)).sort()).to.deep.equal(
      [...PASSKEY_REASONS].sort(),
    );
  });

  it("names the passkey method's groups among the memberships an evaluation needs", () => {
    const c = config(
      "default",
      undefined,
      passkey({
        includeTargets: [
          {
            id: OTHER.toUpperCase(),
            targetType: "group",
            allowedPasskeyProfiles: [DEFAULT_PROFILE],
          },
        ],
      }),
    );
    expect(groupsNamedBy(c)).to.deep.equal([PILOT, OTHER].sort());
  });

  it("profile eligibility when managed follows §3's table (block lists ignored)", () => {
    expect(profileEligibleWhenManaged(unrestricted)).to.equal(true);
    expect(profileEligibleWhenManaged(allowList([YUBIKEY]))).to.equal(false);
    expect(profileEligibleWhenManaged(allowList([ICLOUD.toUpperCase()]))).to.equal(true);
    expect(
      profileEligibleWhenManaged({
        ...allowList([YUBIKEY]),
        keyRestrictions: { isEnforced: true, enforcementType: "block", aaGuids: [ICLOUD] },
      }),
    ).to.equal(true);
    expect(
      profileEligibleWhenManaged({ ...allowList([YUBIKEY]), passkeyTypes: ["synced"] }),
    ).to.equal(false);
  });
});

describe("eligibility 2026: phone-only users and passkeys in the registration report", () => {
  const PHONE_ONLY: [string[], boolean][] = [
    [["mobilePhone"], true],
    [["mobilePhone", "alternateMobilePhone", "officePhone"], true],
    [["officePhone", "email", "securityQuestion"], true],
    [["mobilePhone", "softwareOneTimePasscode"], false],
    [["mobilePhone", "microsoftAuthenticatorPush"], false],
    [["mobilePhone", "passKeyDeviceBound"], false],
    [["mobilePhone", "windowsHelloForBusiness"], false],
    [["email"], false],
    [[], false],
  ];
  for (const [methods, expected] of PHONE_ONLY) {
    it(`${JSON.stringify(methods)} is ${expected ? "" : "not "}phone-only`, () => {
      expect(isPhoneOnly(methods)).to.equal(expected);
    });
  }

  const PASSKEYS: [string, boolean][] = [
    ["passKeyDeviceBound", true],
    ["passKeyDeviceBoundAuthenticator", true],
    ["passKeyDeviceBoundWindowsHello", true],
    ["passKeySynced", true],
    ["fido2SecurityKey", true],
    ["fido2", true],
    ["windowsHelloForBusiness", false],
    ["macOsSecureEnclaveKey", false],
    ["microsoftAuthenticatorPasswordless", false],
  ];
  for (const [method, expected] of PASSKEYS) {
    it(`${method} ${expected ? "is" : "is not"} a passkey in the report`, () => {
      expect(hasPasskey([method])).to.equal(expected);
    });
  }
});
