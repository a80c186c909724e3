// Normalization: declared arguments → canonical inputs (explicit defaults, lower-case ids, sorted
// targets), idempotent, and safe with values unknown during preview.
import {
  ALL_USERS,
  NIL_GUID,
  UNKNOWN,
  UNMANAGED_WHEN_OMITTED,
  checkArgs,
  normalizeArgs,
  type LikeByKind,
  type ResourceKind,
} from "../../provider/model";
import { G1, G2, G3, U1, expect } from "./support";

interface NormalizeCase {
  name: string;
  kind: ResourceKind;
  args: Record<string, unknown>;
  canonical: Record<string, unknown>;
}

const EVERYONE = {
  id: ALL_USERS,
  targetType: "group",
  targetedAuthenticationMethod: "microsoftAuthenticator",
};
const EVERYONE_ANY = {
  id: ALL_USERS,
  targetType: "group",
  authenticationMode: "any",
  isRegistrationRequired: false,
};

const CASES: NormalizeCase[] = [
  {
    name: "campaign: every default spelled out",
    kind: "RegistrationCampaign",
    args: { state: "enabled" },
    canonical: {
      state: "enabled",
      targetedAuthenticationMethod: "microsoftAuthenticator",
      snoozeDurationInDays: 1,
      includeTargets: [EVERYONE],
      excludeTargets: [],
      onDelete: "restore",
    },
  },
  {
    name: "campaign: a passkey campaign writes its method, in the documented lower case, to every target",
    kind: "RegistrationCampaign",
    args: {
      state: "enabled",
      targetedAuthenticationMethod: "Fido2",
      includeTargets: [
        { id: G1, targetType: "group" },
        { id: ALL_USERS, targetType: "group" },
      ],
    },
    canonical: {
      state: "enabled",
      targetedAuthenticationMethod: "fido2",
      snoozeDurationInDays: 1,
      includeTargets: [
        { id: ALL_USERS, targetType: "group", targetedAuthenticationMethod: "fido2" },
        { id: G1, targetType: "group", targetedAuthenticationMethod: "fido2" },
      ],
      excludeTargets: [],
      onDelete: "restore",
    },
  },
  {
    name: "campaign: the method named by the targets alone is the campaign's",
    kind: "RegistrationCampaign",
    args: {
      state: "enabled",
      includeTargets: [{ id: G1, targetType: "group", targetedAuthenticationMethod: "fido2" }],
    },
    canonical: {
      state: "enabled",
      targetedAuthenticationMethod: "fido2",
      snoozeDurationInDays: 1,
      includeTargets: [{ id: G1, targetType: "group", targetedAuthenticationMethod: "fido2" }],
      excludeTargets: [],
      onDelete: "restore",
    },
  },
  {
    name: "campaign: Microsoft managed leaves the method and the snooze days to Microsoft (not managed)",
    kind: "RegistrationCampaign",
    args: { state: "default", passkeyMigrationOptOut: true },
    canonical: {
      state: "default",
      includeTargets: [{ id: ALL_USERS, targetType: "group" }],
      excludeTargets: [],
      passkeyMigrationOptOut: true,
      onDelete: "restore",
    },
  },
  {
    name: "campaign: GUIDs lower-case, targets sorted with all_users first, method defaulted",
    kind: "RegistrationCampaign",
    args: {
      state: "enabled",
      snoozeDurationInDays: 0,
      enforceRegistrationAfterAllowedSnoozes: false,
      includeTargets: [
        { id: G2.toUpperCase(), targetType: "group" },
        { id: ALL_USERS, targetType: "group" },
        { id: G1, targetType: "user", targetedAuthenticationMethod: "microsoftAuthenticator" },
      ],
      excludeTargets: [
        { id: U1.toUpperCase(), targetType: "user" },
        { id: G3, targetType: "group" },
      ],
      onDelete: "retain",
    },
    canonical: {
      state: "enabled",
      targetedAuthenticationMethod: "microsoftAuthenticator",
      snoozeDurationInDays: 0,
      enforceRegistrationAfterAllowedSnoozes: false,
      includeTargets: [
        EVERYONE,
        { id: G1, targetType: "user", targetedAuthenticationMethod: "microsoftAuthenticator" },
        { id: G2, targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" },
      ],
      excludeTargets: [
        { id: U1, targetType: "user" },
        { id: G3, targetType: "group" },
      ],
      onDelete: "retain",
    },
  },
  {
    name: "campaign: unknown target ids keep their order after the known ones",
    kind: "RegistrationCampaign",
    args: {
      state: "enabled",
      includeTargets: [
        { id: UNKNOWN, targetType: "group" },
        { id: G2, targetType: "group" },
        UNKNOWN,
        { id: G1.toUpperCase(), targetType: "group" },
      ],
      excludeTargets: UNKNOWN,
    },
    canonical: {
      state: "enabled",
      targetedAuthenticationMethod: "microsoftAuthenticator",
      snoozeDurationInDays: 1,
      includeTargets: [
        { id: G1, targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" },
        { id: G2, targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" },
        {
          id: UNKNOWN,
          targetType: "group",
          targetedAuthenticationMethod: "microsoftAuthenticator",
        },
        UNKNOWN,
      ],
      excludeTargets: UNKNOWN,
      onDelete: "restore",
    },
  },
  {
    name: "authenticator: defaults; isSoftwareOathEnabled and feature settings left unmanaged",
    kind: "AuthenticatorPolicy",
    args: { state: "enabled" },
    canonical: {
      state: "enabled",
      includeTargets: [EVERYONE_ANY],
      excludeTargets: [],
      featureSettings: {},
      onDelete: "restore",
    },
  },
  {
    name: "authenticator: declared feature settings get their targets spelled out",
    kind: "AuthenticatorPolicy",
    args: {
      state: "enabled",
      includeTargets: [{ id: G1.toUpperCase(), targetType: "group", authenticationMode: "push" }],
      isSoftwareOathEnabled: true,
      featureSettings: {
        displayLocationInformationRequiredState: {
          state: "enabled",
          includeTarget: { id: G2.toUpperCase(), targetType: "group" },
        },
        companionAppAllowedState: { state: "disabled" },
      },
    },
    canonical: {
      state: "enabled",
      includeTargets: [
        { id: G1, targetType: "group", authenticationMode: "push", isRegistrationRequired: false },
      ],
      excludeTargets: [],
      isSoftwareOathEnabled: true,
      featureSettings: {
        displayLocationInformationRequiredState: {
          state: "enabled",
          includeTarget: { id: G2, targetType: "group" },
          excludeTarget: { id: NIL_GUID, targetType: "group" },
        },
        companionAppAllowedState: {
          state: "disabled",
          includeTarget: { id: ALL_USERS, targetType: "group" },
          excludeTarget: { id: NIL_GUID, targetType: "group" },
        },
      },
      onDelete: "restore",
    },
  },
  {
    name: "pilot group: mailNickname derived, description explicit, members canonical and sorted",
    kind: "PilotGroup",
    args: {
      displayName: "Pilot - Authenticator wave 1",
      members: ["Zoe@Contoso.com", G3.toUpperCase(), "alice@contoso.com"],
    },
    canonical: {
      displayName: "Pilot - Authenticator wave 1",
      description: "",
      mailNickname: "pilot-authenticator-wave-1",
      members: [G3, "alice@contoso.com", "zoe@contoso.com"],
    },
  },
  {
    name: "pilot group: an unknown displayName leaves the derived mailNickname unknown",
    kind: "PilotGroup",
    args: { displayName: UNKNOWN, owners: [UNKNOWN, "bob@contoso.com"] },
    canonical: {
      displayName: UNKNOWN,
      description: "",
      mailNickname: UNKNOWN,
      owners: ["bob@contoso.com", UNKNOWN],
    },
  },
];

describe("model: normalization", () => {
  for (const testCase of CASES) {
    it(testCase.name, () => {
      const outcome = checkArgs(testCase.kind, testCase.args);
      expect(outcome.problems).to.deep.equal([]);
      expect(outcome.ok && outcome.inputs).to.deep.equal(testCase.canonical);
    });

    it(`${testCase.name} (idempotent)`, () => {
      const once = normalizeArgs(
        testCase.kind,
        testCase.args as unknown as LikeByKind[ResourceKind],
      );
      const twice = normalizeArgs(testCase.kind, once as unknown as LikeByKind[ResourceKind]);
      expect(twice).to.deep.equal(once);
    });
  }

  it("canonical inputs are valid arguments themselves", () => {
    for (const testCase of CASES) {
      const outcome = checkArgs(testCase.kind, testCase.args);
      expect(outcome.ok).to.equal(true);
      if (outcome.ok) expect(checkArgs(testCase.kind, outcome.inputs).problems).to.deep.equal([]);
    }
  });

  it("the canonical order does not depend on the declared order", () => {
    const targets = [
      { id: G3, targetType: "group" },
      { id: G1, targetType: "user" },
      { id: ALL_USERS, targetType: "group" },
      { id: G2, targetType: "group" },
    ];
    const orders = [
      targets,
      [...targets].reverse(),
      [targets[2], targets[0], targets[3], targets[1]],
    ];
    const results = orders.map((includeTargets) =>
      checkArgs("RegistrationCampaign", { state: "enabled", includeTargets }),
    );
    for (const result of results) expect(result).to.deep.equal(results[0]);
  });

  it("normalization does not change the caller's object", () => {
    const args = {
      state: "enabled",
      includeTargets: [
        { id: G2.toUpperCase(), targetType: "group" },
        { id: G1, targetType: "group" },
      ],
    };
    const copy = JSON.parse(JSON.stringify(args));
    checkArgs("RegistrationCampaign", args);
    expect(args).to.deep.equal(copy);
  });
});

describe("model: omitted means not managed for the documented arguments", () => {
  const minimal: Record<ResourceKind, Record<string, unknown>> = {
    RegistrationCampaign: { state: "enabled" },
    AuthenticatorPolicy: { state: "enabled" },
    PasskeyPolicy: { state: "enabled" },
    PilotGroup: { displayName: "Pilot" },
  };
  const declaredValue: Record<string, unknown> = {
    enforceRegistrationAfterAllowedSnoozes: false,
    passkeyMigrationOptOut: true,
    passkeyProfiles: [
      { name: "Pilot", passkeyTypes: ["deviceBound"], attestationEnforcement: "disabled" },
    ],
    isSoftwareOathEnabled: true,
    members: [G1],
    owners: [G2],
  };
  for (const [kind, names] of Object.entries(UNMANAGED_WHEN_OMITTED) as [
    ResourceKind,
    readonly string[],
  ][]) {
    for (const name of names) {
      it(`${kind}.${name}: absent when omitted, kept when declared`, () => {
        const omitted = checkArgs(kind, minimal[kind]);
        expect(omitted.ok && omitted.inputs).to.not.have.property(name);
        const declared = checkArgs(kind, { ...minimal[kind], [name]: declaredValue[name] });
        expect(declared.ok && declared.inputs)
          .to.have.property(name)
          .that.deep.equals(declaredValue[name]);
      });
    }
  }
});
