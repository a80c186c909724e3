// diff on canonical forms: equivalent spellings never differ, real differences are named per
// property, unknowns always count as changes, another tenant is refused (never a replacement).
import {
  ALL_USERS,
  NIL_GUID,
  UNKNOWN,
  checkArgs,
  describeChanges,
  describeOverwrites,
  diffResult,
  TenantSwitchError,
  type LikeByKind,
  type ResourceKind,
} from "../../provider/model";
import { overwriteWarning } from "../../provider/render";
import { G1, G2, G3, expect } from "./support";

type Props = Record<string, unknown>;

/** What check() would hand the engine: the canonical inputs, plus the engine's __provider. */
function checked(kind: ResourceKind, args: Props, provider = "provider-v1"): Props {
  const outcome = checkArgs(kind, args);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  return { ...outcome.inputs, __provider: provider };
}

interface Equivalence {
  name: string;
  kind: ResourceKind;
  /** The new declaration (goes through check like news). */
  news: Props;
  /** The recorded outputs (olds), as a resource stores them. */
  olds: Props;
}

const campaignOutputs = (change: Props = {}): Props => ({
  state: "enabled",
  snoozeDurationInDays: 0,
  includeTargets: [
    { id: G1, targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" },
  ],
  excludeTargets: [{ id: G2, targetType: "group" }],
  onDelete: "restore",
  // Outputs beyond the arguments must never count.
  tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  originalSettings: { state: "default" },
  __provider: "provider-v1",
  ...change,
});

const authenticatorOutputs = (change: Props = {}): Props => ({
  state: "enabled",
  includeTargets: [
    {
      id: ALL_USERS,
      targetType: "group",
      authenticationMode: "any",
      isRegistrationRequired: false,
    },
  ],
  excludeTargets: [],
  isSoftwareOathEnabled: false,
  featureSettings: {
    displayAppInformationRequiredState: {
      state: "enabled",
      includeTarget: { id: ALL_USERS, targetType: "group" },
      excludeTarget: { id: NIL_GUID, targetType: "group" },
    },
    companionAppAllowedState: {
      state: "default",
      includeTarget: { id: ALL_USERS, targetType: "group" },
      excludeTarget: { id: NIL_GUID, targetType: "group" },
    },
  },
  onDelete: "restore",
  ...change,
});

const groupOutputs = (change: Props = {}): Props => ({
  id: "0f6c2b7e-4a1d-4e8f-9b3a-6c5d4e3f2a1b",
  displayName: "Pilot - Authenticator wave 1",
  description: "",
  mailNickname: "pilot-authenticator-wave-1",
  members: [G3, "alice@contoso.com"],
  memberIds: [G3, "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"],
  ownerIds: [],
  ...change,
});

const NO_CHANGE: Equivalence[] = [
  {
    name: "campaign: the same declaration",
    kind: "RegistrationCampaign",
    news: {
      state: "enabled",
      snoozeDurationInDays: 0,
      includeTargets: [{ id: G1, targetType: "group" }],
      excludeTargets: [{ id: G2, targetType: "group" }],
    },
    olds: campaignOutputs(),
  },
  {
    name: "campaign: reordered targets",
    kind: "RegistrationCampaign",
    news: {
      state: "enabled",
      snoozeDurationInDays: 0,
      includeTargets: [
        { id: G3, targetType: "group" },
        { id: G1, targetType: "group" },
      ],
      excludeTargets: [{ id: G2, targetType: "group" }],
    },
    olds: campaignOutputs({
      includeTargets: [
        { id: G1, targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" },
        { id: G3, targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" },
      ],
    }),
  },
  {
    name: "campaign: GUID case",
    kind: "RegistrationCampaign",
    news: {
      state: "enabled",
      snoozeDurationInDays: 0,
      includeTargets: [{ id: G1.toUpperCase(), targetType: "group" }],
      excludeTargets: [{ id: G2.toUpperCase(), targetType: "group" }],
    },
    olds: campaignOutputs({ excludeTargets: [{ id: G2, targetType: "group" }] }),
  },
  {
    name: "campaign: defaults spelled out versus omitted",
    kind: "RegistrationCampaign",
    news: {
      state: "disabled",
      snoozeDurationInDays: 1,
      includeTargets: [
        {
          id: ALL_USERS,
          targetType: "group",
          targetedAuthenticationMethod: "microsoftAuthenticator",
        },
      ],
      excludeTargets: [],
      onDelete: "restore",
    },
    olds: { state: "disabled", onDelete: "restore" },
  },
  {
    name: "campaign: onDelete omitted versus recorded as the default",
    kind: "RegistrationCampaign",
    news: { state: "disabled" },
    olds: { state: "disabled", snoozeDurationInDays: 1, onDelete: "restore" },
  },
  {
    name: "campaign: only __provider changed",
    kind: "RegistrationCampaign",
    news: {
      state: "enabled",
      snoozeDurationInDays: 0,
      includeTargets: [{ id: G1, targetType: "group" }],
      excludeTargets: [{ id: G2, targetType: "group" }],
      __provider: "provider-v2",
    },
    olds: campaignOutputs({ __provider: "provider-v1" }),
  },
  {
    name: "campaign: enforceRegistrationAfterAllowedSnoozes omitted while the tenant has a value",
    kind: "RegistrationCampaign",
    news: {
      state: "enabled",
      snoozeDurationInDays: 0,
      includeTargets: [{ id: G1, targetType: "group" }],
      excludeTargets: [{ id: G2, targetType: "group" }],
    },
    olds: campaignOutputs({ enforceRegistrationAfterAllowedSnoozes: true }),
  },
  {
    name: "authenticator: defaults spelled out versus omitted",
    kind: "AuthenticatorPolicy",
    news: {
      state: "enabled",
      includeTargets: [
        {
          id: ALL_USERS,
          targetType: "group",
          authenticationMode: "any",
          isRegistrationRequired: false,
        },
      ],
      excludeTargets: [],
      featureSettings: {
        displayAppInformationRequiredState: {
          state: "enabled",
          includeTarget: { id: ALL_USERS, targetType: "group" },
          excludeTarget: { id: NIL_GUID, targetType: "group" },
        },
      },
      onDelete: "restore",
    },
    olds: authenticatorOutputs(),
  },
  {
    name: "authenticator: isSoftwareOathEnabled and companionAppAllowedState unmanaged",
    kind: "AuthenticatorPolicy",
    news: {
      state: "enabled",
      featureSettings: { displayAppInformationRequiredState: { state: "enabled" } },
    },
    olds: authenticatorOutputs({ isSoftwareOathEnabled: true }),
  },
  {
    name: "authenticator: feature target GUID case",
    kind: "AuthenticatorPolicy",
    news: {
      state: "enabled",
      featureSettings: {
        displayAppInformationRequiredState: {
          state: "enabled",
          includeTarget: { id: G1.toUpperCase(), targetType: "group" },
        },
      },
    },
    olds: authenticatorOutputs({
      featureSettings: {
        displayAppInformationRequiredState: {
          state: "enabled",
          includeTarget: { id: G1, targetType: "group" },
          excludeTarget: { id: NIL_GUID, targetType: "group" },
        },
      },
    }),
  },
  {
    name: "pilot group: derived mailNickname spelled out, description omitted, members reordered in another case",
    kind: "PilotGroup",
    news: {
      displayName: "Pilot - Authenticator wave 1",
      mailNickname: "pilot-authenticator-wave-1",
      members: ["Alice@Contoso.com", G3.toUpperCase()],
    },
    olds: groupOutputs(),
  },
  {
    name: "pilot group: members omitted (not managed) while the group has members",
    kind: "PilotGroup",
    news: { displayName: "Pilot - Authenticator wave 1" },
    olds: groupOutputs(),
  },
];

interface Difference {
  name: string;
  kind: ResourceKind;
  news: Props;
  olds: Props;
  properties: string[];
}

const DIFFERENT: Difference[] = [
  {
    name: "campaign: snooze changed",
    kind: "RegistrationCampaign",
    news: {
      state: "enabled",
      snoozeDurationInDays: 3,
      includeTargets: [{ id: G1, targetType: "group" }],
      excludeTargets: [{ id: G2, targetType: "group" }],
    },
    olds: campaignOutputs(),
    properties: ["snoozeDurationInDays"],
  },
  {
    name: "campaign: a target added and one removed",
    kind: "RegistrationCampaign",
    news: {
      state: "enabled",
      snoozeDurationInDays: 0,
      includeTargets: [{ id: G3, targetType: "group" }],
      excludeTargets: [{ id: G2, targetType: "group" }],
    },
    olds: campaignOutputs(),
    properties: [`includeTargets[${G3}]`, `includeTargets[${G1}]`],
  },
  {
    name: "campaign: a target's type changed",
    kind: "RegistrationCampaign",
    news: {
      state: "enabled",
      snoozeDurationInDays: 0,
      includeTargets: [{ id: G1, targetType: "user" }],
      excludeTargets: [{ id: G2, targetType: "group" }],
    },
    olds: campaignOutputs(),
    properties: [`includeTargets[${G1}].targetType`],
  },
  {
    name: "campaign: enforceRegistrationAfterAllowedSnoozes declared",
    kind: "RegistrationCampaign",
    news: {
      state: "enabled",
      snoozeDurationInDays: 0,
      enforceRegistrationAfterAllowedSnoozes: false,
      includeTargets: [{ id: G1, targetType: "group" }],
      excludeTargets: [{ id: G2, targetType: "group" }],
    },
    olds: campaignOutputs({ enforceRegistrationAfterAllowedSnoozes: true }),
    properties: ["enforceRegistrationAfterAllowedSnoozes"],
  },
  {
    name: "campaign: onDelete changed (an update, no replacement)",
    kind: "RegistrationCampaign",
    news: {
      state: "enabled",
      snoozeDurationInDays: 0,
      includeTargets: [{ id: G1, targetType: "group" }],
      excludeTargets: [{ id: G2, targetType: "group" }],
      onDelete: "retain",
    },
    olds: campaignOutputs(),
    properties: ["onDelete"],
  },
  {
    name: "authenticator: authentication mode changed",
    kind: "AuthenticatorPolicy",
    news: {
      state: "enabled",
      includeTargets: [{ id: ALL_USERS, targetType: "group", authenticationMode: "push" }],
      featureSettings: { displayAppInformationRequiredState: { state: "enabled" } },
    },
    olds: authenticatorOutputs(),
    properties: [`includeTargets[${ALL_USERS}].authenticationMode`],
  },
  {
    name: "authenticator: a declared feature setting's state changed",
    kind: "AuthenticatorPolicy",
    news: {
      state: "enabled",
      featureSettings: { companionAppAllowedState: { state: "disabled" } },
    },
    olds: authenticatorOutputs(),
    properties: ["featureSettings.companionAppAllowedState.state"],
  },
  {
    name: "authenticator: isSoftwareOathEnabled declared",
    kind: "AuthenticatorPolicy",
    news: { state: "enabled", isSoftwareOathEnabled: true },
    olds: authenticatorOutputs(),
    properties: ["isSoftwareOathEnabled"],
  },
  {
    name: "pilot group: renamed (mailNickname derived again)",
    kind: "PilotGroup",
    news: { displayName: "Pilot - wave 2", members: ["alice@contoso.com", G3] },
    olds: groupOutputs(),
    properties: ["displayName", "mailNickname"],
  },
  {
    name: "pilot group: a member added and one removed",
    kind: "PilotGroup",
    news: {
      displayName: "Pilot - Authenticator wave 1",
      members: ["alice@contoso.com", "bob@contoso.com"],
    },
    olds: groupOutputs(),
    properties: ["members[bob@contoso.com]", `members[${G3}]`],
  },
];

describe("model: equivalent declarations never diff", () => {
  for (const testCase of NO_CHANGE) {
    it(testCase.name, () => {
      const result = diffResult(
        testCase.kind,
        testCase.olds,
        checked(testCase.kind, testCase.news),
      );
      expect(result.propertyChanges).to.deep.equal([]);
      expect(result.changes).to.equal(false);
      expect(result.replaces).to.deep.equal([]);
    });
  }
});

describe("model: real differences are named per property", () => {
  for (const testCase of DIFFERENT) {
    it(testCase.name, () => {
      const result = diffResult(
        testCase.kind,
        testCase.olds,
        checked(testCase.kind, testCase.news),
      );
      expect(result.changes).to.equal(true);
      expect(result.replaces).to.deep.equal([]);
      expect(result.propertyChanges.map((change) => change.property)).to.have.members(
        testCase.properties,
      );
    });
  }

  it("a changed argument is not stable, the others are", () => {
    const result = diffResult(
      "RegistrationCampaign",
      campaignOutputs(),
      checked("RegistrationCampaign", {
        state: "enabled",
        snoozeDurationInDays: 3,
        includeTargets: [{ id: G1, targetType: "group" }],
        excludeTargets: [{ id: G2, targetType: "group" }],
      }),
    );
    expect(result.stables).to.not.include("snoozeDurationInDays");
    expect(result.stables).to.include.members([
      "state",
      "includeTargets",
      "excludeTargets",
      "onDelete",
    ]);
  });

  it("a change reads as actual → declared", () => {
    const [change] = describeChanges(
      "RegistrationCampaign",
      { state: "enabled", snoozeDurationInDays: 0 },
      { state: "enabled", snoozeDurationInDays: 3 },
    );
    expect(change).to.deep.equal({ property: "snoozeDurationInDays", declared: 0, actual: 3 });
  });

  it("an added target shows the whole target; a removed one shows as absent", () => {
    const changes = describeChanges(
      "RegistrationCampaign",
      { state: "enabled", includeTargets: [{ id: G1, targetType: "group" }] },
      { state: "enabled", includeTargets: [{ id: G2, targetType: "group" }] },
    );
    expect(changes).to.deep.equal([
      {
        property: `includeTargets[${G1}]`,
        declared: { id: G1, targetType: "group" },
        actual: null,
      },
      {
        property: `includeTargets[${G2}]`,
        declared: null,
        actual: { id: G2, targetType: "group" },
      },
    ]);
  });
});

describe("model: unknown values during preview always count as changes", () => {
  const cases: [string, ResourceKind, Props, Props][] = [
    [
      "a target id from a group created in the same program",
      "RegistrationCampaign",
      {
        state: "enabled",
        snoozeDurationInDays: 0,
        includeTargets: [{ id: UNKNOWN, targetType: "group" }],
        excludeTargets: [{ id: G2, targetType: "group" }],
      },
      campaignOutputs(),
    ],
    [
      "the whole exclude list",
      "RegistrationCampaign",
      {
        state: "enabled",
        snoozeDurationInDays: 0,
        includeTargets: [{ id: G1, targetType: "group" }],
        excludeTargets: UNKNOWN,
      },
      campaignOutputs(),
    ],
    [
      "the state",
      "RegistrationCampaign",
      {
        state: UNKNOWN,
        snoozeDurationInDays: 0,
        includeTargets: [{ id: G1, targetType: "group" }],
        excludeTargets: [{ id: G2, targetType: "group" }],
      },
      campaignOutputs(),
    ],
    [
      "a feature target",
      "AuthenticatorPolicy",
      {
        state: "enabled",
        featureSettings: {
          displayAppInformationRequiredState: {
            state: "enabled",
            includeTarget: { id: UNKNOWN, targetType: "group" },
          },
        },
      },
      authenticatorOutputs(),
    ],
    [
      "a member",
      "PilotGroup",
      { displayName: "Pilot - Authenticator wave 1", members: ["alice@contoso.com", G3, UNKNOWN] },
      groupOutputs(),
    ],
    [
      "the displayName (and so the derived mailNickname)",
      "PilotGroup",
      { displayName: UNKNOWN, members: ["alice@contoso.com", G3] },
      groupOutputs(),
    ],
  ];
  for (const [name, kind, news, olds] of cases) {
    it(`${kind}: ${name}`, () => {
      const result = diffResult(kind, olds, checked(kind, news));
      expect(result.changes).to.equal(true);
      expect(
        result.propertyChanges.some((change) => change.declared === "(known after apply)"),
      ).to.equal(true);
    });
  }

  it("an unknown onDelete against outputs that never recorded one", () => {
    const olds = campaignOutputs({ onDelete: undefined });
    const news = checked("RegistrationCampaign", {
      state: "enabled",
      snoozeDurationInDays: 0,
      includeTargets: [{ id: G1, targetType: "group" }],
      excludeTargets: [{ id: G2, targetType: "group" }],
      onDelete: UNKNOWN,
    });
    const result = diffResult("RegistrationCampaign", olds, news);
    expect(result.changes).to.equal(true);
    expect(result.stables).to.not.include("onDelete");
  });
});

describe("model: a resource is never moved to another tenant", () => {
  const news = checked("RegistrationCampaign", {
    state: "enabled",
    snoozeDurationInDays: 0,
    includeTargets: [{ id: G1, targetType: "group" }],
    excludeTargets: [{ id: G2, targetType: "group" }],
  });
  const tenantA = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  const tenantB = "c0ffee00-86f1-41af-91ab-2d7cd011db47";

  /** The error diffResult throws for a tenant switch. */
  function switchError(run: () => unknown): TenantSwitchError {
    try {
      run();
    } catch (error) {
      expect(error).to.be.instanceOf(TenantSwitchError);
      return error as TenantSwitchError;
    }
    expect.fail("a tenant switch must be refused");
  }

  it("another tenant is refused, naming both tenants and the two safe ways; never a replacement", () => {
    const error = switchError(() =>
      diffResult("RegistrationCampaign", campaignOutputs(), news, {
        prior: tenantA,
        current: tenantB,
      }),
    );
    expect(error.message).to.include(
      `RegistrationCampaign: the stack now signs in to tenant ${tenantB}, but this resource belongs to tenant ${tenantA}, so nothing was written to either tenant.`,
    );
    expect(error.message).to.include(
      `point the stack back at tenant ${tenantA} (entra-nudge:tenantId or AZURE_TENANT_ID, and the cloud it was in), run \`pulumi destroy\` there (it restores the settings it found there`,
    );
    expect(error.message).to.include(`create a new stack for tenant ${tenantB}`);
  });

  const same: [string, { prior?: string; current?: string }][] = [
    ["the same tenant", { prior: tenantA, current: tenantA }],
    ["the same tenant in another case", { prior: tenantA, current: tenantA.toUpperCase() }],
    ["the current tenant not known yet", { prior: tenantA, current: UNKNOWN }],
    ["no tenant given", {}],
  ];
  for (const [name, tenants] of same) {
    it(`${name}: no replacement, no refusal`, () => {
      const result = diffResult("RegistrationCampaign", campaignOutputs(), news, tenants);
      expect(result).to.include({ changes: false, deleteBeforeReplace: false });
      expect(result.replaces).to.deep.equal([]);
    });
  }

  it("the Authenticator configuration is refused too", () => {
    switchError(() =>
      diffResult(
        "AuthenticatorPolicy",
        authenticatorOutputs(),
        checked("AuthenticatorPolicy", { state: "enabled" }),
        { prior: tenantA, current: tenantB },
      ),
    );
  });

  it("a pilot group is refused too: its destroy on the old tenant deletes it there", () => {
    const error = switchError(() =>
      diffResult(
        "PilotGroup",
        groupOutputs(),
        checked("PilotGroup", {
          displayName: "Pilot - Authenticator wave 1",
          members: [G3, "alice@contoso.com"],
        }),
        { prior: tenantA, current: tenantB },
      ),
    );
    expect(error.message).to.include("run `pulumi destroy` there (it deletes the group there)");
  });

  it("renaming a pilot group in the same tenant is an update", () => {
    const result = diffResult(
      "PilotGroup",
      groupOutputs(),
      checked("PilotGroup", { displayName: "Renamed" }),
      { prior: tenantA, current: tenantA },
    );
    expect(result.replaces).to.deep.equal([]);
    expect(result.changes).to.equal(true);
  });
});

describe("model: overwriting changes made outside Pulumi", () => {
  const recorded = campaignOutputs();
  const actual = campaignOutputs({
    snoozeDurationInDays: 5,
    excludeTargets: [
      { id: G2, targetType: "group" },
      { id: G3, targetType: "user" },
    ],
  });

  it("names each property changed outside and about to be overwritten, old → new", () => {
    const declared = checked("RegistrationCampaign", {
      state: "disabled",
      snoozeDurationInDays: 0,
      includeTargets: [{ id: G1, targetType: "group" }],
      excludeTargets: [{ id: G2, targetType: "group" }],
    });
    const overwrites = describeOverwrites(
      "RegistrationCampaign",
      recorded as LikeByKind["RegistrationCampaign"],
      actual as LikeByKind["RegistrationCampaign"],
      declared as LikeByKind["RegistrationCampaign"],
    );
    // state differs only because the declaration changed it: not an overwrite of someone's edit.
    expect(overwrites.map((change) => change.property)).to.deep.equal([
      "snoozeDurationInDays",
      `excludeTargets[${G3}]`,
    ]);
    // In reviewer words, one line per property, display names where known; no JSON.
    const names = new Map([[G3, "Megan Bowen"]]);
    expect(overwriteWarning("RegistrationCampaign", overwrites, names)).to.equal(
      [
        "RegistrationCampaign: the tenant's settings changed outside Pulumi since the last refresh; this update overwrites them with the declaration:",
        "  Snooze: 5 days → every sign-in.",
        "  Excluded: − Megan Bowen (user).",
      ].join("\n"),
    );
    // An id whose name is not known stands for itself.
    expect(overwriteWarning("RegistrationCampaign", overwrites, new Map())).to.contain(
      `  Excluded: − ${G3} (user).`,
    );
  });

  it("no warning when the outside change is what the declaration wants anyway", () => {
    const declared = checked("RegistrationCampaign", {
      state: "enabled",
      snoozeDurationInDays: 5,
      includeTargets: [{ id: G1, targetType: "group" }],
      excludeTargets: [
        { id: G2, targetType: "group" },
        { id: G3, targetType: "user" },
      ],
    });
    const overwrites = describeOverwrites(
      "RegistrationCampaign",
      recorded as LikeByKind["RegistrationCampaign"],
      actual as LikeByKind["RegistrationCampaign"],
      declared as LikeByKind["RegistrationCampaign"],
    );
    expect(overwrites).to.deep.equal([]);
  });
});
