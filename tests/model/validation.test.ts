// The bad-input table: each case breaks exactly one rule of otherwise valid arguments and must give
// exactly one problem, on the right property, with a message that names the value and the fix.
import {
  InputValidationError,
  UNKNOWN,
  checkArgs,
  parseArgs,
  toCheckFailures,
  validateArgs,
  validateCloud,
  type ResourceKind,
} from "../../provider/model";
import { G1, G2, G3, expect } from "./support";

type Args = Record<string, unknown>;

const campaign = (change: Args = {}): Args => ({
  state: "enabled",
  snoozeDurationInDays: 0,
  includeTargets: [{ id: G1, targetType: "group" }],
  excludeTargets: [{ id: G2, targetType: "group" }],
  ...change,
});

const authenticator = (change: Args = {}): Args => ({
  state: "enabled",
  includeTargets: [{ id: G1, targetType: "group", authenticationMode: "any" }],
  featureSettings: { displayAppInformationRequiredState: { state: "enabled" } },
  ...change,
});

const feature = (setting: Args): Args =>
  authenticator({ featureSettings: { displayAppInformationRequiredState: setting } });

const group = (change: Args = {}): Args => ({
  displayName: "Pilot - Authenticator wave 1",
  members: ["alice@contoso.com", G3],
  ...change,
});

interface BadInput {
  name: string;
  kind: ResourceKind | "cloud";
  args: unknown;
  property: string;
  /** Fragments the message must contain, in order. */
  says: string[];
}

const BAD_INPUTS: BadInput[] = [
  // RegistrationCampaign: snooze
  {
    name: "snooze 15",
    kind: "RegistrationCampaign",
    args: campaign({ snoozeDurationInDays: 15 }),
    property: "snoozeDurationInDays",
    says: [
      "snoozeDurationInDays: 15 is outside 0–14. Use 0 to prompt at every sign-in, or at most 14 days.",
    ],
  },
  {
    name: "snooze -1",
    kind: "RegistrationCampaign",
    args: campaign({ snoozeDurationInDays: -1 }),
    property: "snoozeDurationInDays",
    says: ["-1 is outside 0–14"],
  },
  {
    name: "snooze 1.5",
    kind: "RegistrationCampaign",
    args: campaign({ snoozeDurationInDays: 1.5 }),
    property: "snoozeDurationInDays",
    says: ["1.5 is not a whole number of days. Use 1 or 2."],
  },
  {
    name: 'snooze "3"',
    kind: "RegistrationCampaign",
    args: campaign({ snoozeDurationInDays: "3" }),
    property: "snoozeDurationInDays",
    says: ['"3" is a string. Use the number 3 (no quotes)'],
  },
  {
    name: "snooze NaN",
    kind: "RegistrationCampaign",
    args: campaign({ snoozeDurationInDays: NaN }),
    property: "snoozeDurationInDays",
    says: ["NaN is not a number.", "from 0 (prompt at every sign-in) to 14"],
  },
  {
    name: 'snooze "two"',
    kind: "RegistrationCampaign",
    args: campaign({ snoozeDurationInDays: "two" }),
    property: "snoozeDurationInDays",
    says: ['"two" is not a number'],
  },
  {
    name: "snooze 0 while Microsoft managed",
    kind: "RegistrationCampaign",
    args: campaign({ state: "default" }),
    property: "snoozeDurationInDays",
    says: ["Microsoft decides the targeted method, the snooze days", 'Set state to "enabled"'],
  },
  {
    name: "a method while Microsoft managed",
    kind: "RegistrationCampaign",
    args: campaign({
      state: "default",
      snoozeDurationInDays: undefined,
      targetedAuthenticationMethod: "microsoftAuthenticator",
    }),
    property: "targetedAuthenticationMethod",
    says: ["Microsoft decides the targeted method", "moves campaigns to passkeys"],
  },
  {
    name: "a target's method while Microsoft managed",
    kind: "RegistrationCampaign",
    args: campaign({
      state: "default",
      snoozeDurationInDays: undefined,
      includeTargets: [{ id: G1, targetType: "group", targetedAuthenticationMethod: "fido2" }],
    }),
    property: "includeTargets[0].targetedAuthenticationMethod",
    says: ["Microsoft decides the targeted method"],
  },
  // RegistrationCampaign: state
  {
    name: 'state "on"',
    kind: "RegistrationCampaign",
    args: campaign({ state: "on" }),
    property: "state",
    says: [
      'state: "on" is not a valid campaign state. Use "enabled", "disabled" or "default" (Microsoft managed).',
    ],
  },
  {
    name: 'state "Enabled" (enums are case-sensitive)',
    kind: "RegistrationCampaign",
    args: campaign({ state: "Enabled" }),
    property: "state",
    says: ['"Enabled" is not valid: values are case-sensitive. Use "enabled".'],
  },
  {
    name: "state missing",
    kind: "RegistrationCampaign",
    args: campaign({ state: undefined }),
    property: "state",
    says: ["state: is required.", '"default" to let Microsoft manage it'],
  },
  {
    name: 'state "microsoftManaged"',
    kind: "RegistrationCampaign",
    args: campaign({ state: "microsoftManaged" }),
    property: "state",
    says: ['Graph calls Microsoft managed "default"'],
  },
  // RegistrationCampaign: enforceRegistrationAfterAllowedSnoozes
  {
    name: 'enforceRegistrationAfterAllowedSnoozes "yes"',
    kind: "RegistrationCampaign",
    args: campaign({ enforceRegistrationAfterAllowedSnoozes: "yes" }),
    property: "enforceRegistrationAfterAllowedSnoozes",
    says: ['"yes" is not a boolean. Use true (registration is required after 3 snoozes)'],
  },
  {
    name: "enforceRegistrationAfterAllowedSnoozes while Microsoft managed",
    kind: "RegistrationCampaign",
    args: campaign({
      state: "default",
      snoozeDurationInDays: undefined,
      enforceRegistrationAfterAllowedSnoozes: false,
    }),
    property: "enforceRegistrationAfterAllowedSnoozes",
    says: ["Microsoft decides the targeted method, the snooze days and the snooze limit"],
  },
  // RegistrationCampaign: targets
  {
    name: 'include targetType "role"',
    kind: "RegistrationCampaign",
    args: campaign({ includeTargets: [{ id: G1, targetType: "role" }] }),
    property: "includeTargets[0].targetType",
    says: ['"role" is not allowed in campaign targets, which take "group" or "user"'],
  },
  {
    name: 'include targetType "administrativeUnit"',
    kind: "RegistrationCampaign",
    args: campaign({ includeTargets: [{ id: G1, targetType: "administrativeUnit" }] }),
    property: "includeTargets[0].targetType",
    says: ['"administrativeUnit" is not allowed in campaign targets'],
  },
  {
    name: 'exclude targetType "Group"',
    kind: "RegistrationCampaign",
    args: campaign({ excludeTargets: [{ id: G2, targetType: "Group" }] }),
    property: "excludeTargets[0].targetType",
    says: ['"Group" is not valid: values are case-sensitive. Use "group".'],
  },
  {
    name: "include targetType missing",
    kind: "RegistrationCampaign",
    args: campaign({ includeTargets: [{ id: G1 }] }),
    property: "includeTargets[0].targetType",
    says: ['is required. Use "group" or "user".'],
  },
  {
    name: 'include id "abc"',
    kind: "RegistrationCampaign",
    args: campaign({ includeTargets: [{ id: "abc", targetType: "group" }] }),
    property: "includeTargets[0].id",
    says: [
      'includeTargets[0].id: "abc" is neither an object id (GUID) nor "all_users".',
      "PilotGroup's id",
    ],
  },
  {
    name: 'include id ""',
    kind: "RegistrationCampaign",
    args: campaign({ includeTargets: [{ id: "", targetType: "group" }] }),
    property: "includeTargets[0].id",
    says: ["is empty. Use the object id (GUID) of a group or user"],
  },
  {
    name: "include id is a UPN",
    kind: "RegistrationCampaign",
    args: campaign({ includeTargets: [{ id: "alice@contoso.com", targetType: "user" }] }),
    property: "includeTargets[0].id",
    says: [
      '"alice@contoso.com" is a user principal name, but campaign targets take object ids',
      "PilotGroup",
    ],
  },
  {
    name: "include id is a number",
    kind: "RegistrationCampaign",
    args: campaign({ includeTargets: [{ id: 42, targetType: "group" }] }),
    property: "includeTargets[0].id",
    says: ["42 is not a string"],
  },
  {
    name: 'include id "ALL_USERS"',
    kind: "RegistrationCampaign",
    args: campaign({ includeTargets: [{ id: "ALL_USERS", targetType: "group" }] }),
    property: "includeTargets[0].id",
    says: ['the all-users id is case-sensitive. Use "all_users".'],
  },
  {
    name: "include id is the nil GUID",
    kind: "RegistrationCampaign",
    args: campaign({
      includeTargets: [{ id: "00000000-0000-0000-0000-000000000000", targetType: "group" }],
    }),
    property: "includeTargets[0].id",
    says: ["is the empty GUID and names no user or group"],
  },
  {
    name: "all_users with targetType user",
    kind: "RegistrationCampaign",
    args: campaign({ includeTargets: [{ id: "all_users", targetType: "user" }] }),
    property: "includeTargets[0].targetType",
    says: ['"user" cannot be used with id "all_users"', 'Use targetType "group".'],
  },
  {
    name: "duplicate include target",
    kind: "RegistrationCampaign",
    args: campaign({
      includeTargets: [
        { id: G1, targetType: "group" },
        { id: G1, targetType: "group" },
      ],
    }),
    property: "includeTargets[1].id",
    says: [`"${G1}" is listed twice (also includeTargets[0].id). Remove one of them.`],
  },
  {
    name: "duplicate include target in another case",
    kind: "RegistrationCampaign",
    args: campaign({
      includeTargets: [
        { id: G1, targetType: "group" },
        { id: G1.toUpperCase(), targetType: "group" },
      ],
    }),
    property: "includeTargets[1].id",
    says: ["is the same object id as includeTargets[0].id (GUIDs are case-insensitive)"],
  },
  {
    name: "same target included and excluded",
    kind: "RegistrationCampaign",
    args: campaign({ excludeTargets: [{ id: G1.toUpperCase(), targetType: "group" }] }),
    property: "excludeTargets[0].id",
    says: [
      "is also included (includeTargets[0].id); exclusion wins",
      "Remove it from one of the two lists.",
    ],
  },
  {
    name: "empty include list while enabled",
    kind: "RegistrationCampaign",
    args: campaign({ includeTargets: [] }),
    property: "includeTargets",
    says: [
      'is empty while state is "enabled", so nobody would be nudged',
      'set state to "disabled"',
    ],
  },
  {
    name: "a target's method that differs from the campaign's",
    kind: "RegistrationCampaign",
    args: campaign({
      targetedAuthenticationMethod: "fido2",
      includeTargets: [
        { id: G1, targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" },
      ],
    }),
    property: "includeTargets[0].targetedAuthenticationMethod",
    says: [
      `"microsoftAuthenticator" differs from the campaign's targetedAuthenticationMethod "fido2": one method per campaign`,
      "Set targetedAuthenticationMethod once on the campaign",
    ],
  },
  {
    name: "targets that name two methods",
    kind: "RegistrationCampaign",
    args: campaign({
      includeTargets: [
        { id: G1, targetType: "group", targetedAuthenticationMethod: "fido2" },
        { id: G3, targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" },
      ],
    }),
    property: "includeTargets[1].targetedAuthenticationMethod",
    says: ["one method per campaign"],
  },
  {
    name: 'targetedAuthenticationMethod "passkey"',
    kind: "RegistrationCampaign",
    args: campaign({ targetedAuthenticationMethod: "passkey" }),
    property: "targetedAuthenticationMethod",
    says: ['passkeys are "fido2"'],
  },
  {
    name: 'targetedAuthenticationMethod "sms"',
    kind: "RegistrationCampaign",
    args: campaign({
      includeTargets: [{ id: G1, targetType: "group", targetedAuthenticationMethod: "sms" }],
    }),
    property: "includeTargets[0].targetedAuthenticationMethod",
    says: [
      '"sms" is not a targeted authentication method. Use "microsoftAuthenticator" (the default) or "fido2"',
    ],
  },
  {
    name: "all_users excluded",
    kind: "RegistrationCampaign",
    args: campaign({ excludeTargets: [{ id: "all_users", targetType: "group" }] }),
    property: "excludeTargets[0].id",
    says: ['"all_users" would exclude everyone. To stop the campaign set state to "disabled"'],
  },
  {
    name: "includeTargets not a list",
    kind: "RegistrationCampaign",
    args: campaign({ includeTargets: "all_users" }),
    property: "includeTargets",
    says: ['"all_users" is not a list'],
  },
  {
    name: "include target not an object",
    kind: "RegistrationCampaign",
    args: campaign({ includeTargets: [G1] }),
    property: "includeTargets[0]",
    says: ["is not a target. Use an object such as { id:"],
  },
  {
    name: "typo snoozeDays",
    kind: "RegistrationCampaign",
    args: campaign({ snoozeDays: 3 }),
    property: "snoozeDays",
    says: [
      'snoozeDays: is not a RegistrationCampaign argument. Did you mean "snoozeDurationInDays"?',
    ],
  },
  {
    name: "typo includeTarget",
    kind: "RegistrationCampaign",
    args: { state: "disabled", includeTarget: [{ id: G1, targetType: "group" }] },
    property: "includeTarget",
    says: ['Did you mean "includeTargets"?'],
  },
  {
    name: "typo inside a target",
    kind: "RegistrationCampaign",
    args: campaign({
      includeTargets: [{ id: G1, targetType: "group", targetedMethod: "microsoftAuthenticator" }],
    }),
    property: "includeTargets[0].targetedMethod",
    says: ['is not a campaign target property. Did you mean "targetedAuthenticationMethod"?'],
  },
  {
    name: 'onDelete "keep"',
    kind: "RegistrationCampaign",
    args: campaign({ onDelete: "keep" }),
    property: "onDelete",
    says: ['"keep" is not valid. Did you mean "retain"'],
  },
  {
    name: 'onDelete "delete"',
    kind: "RegistrationCampaign",
    args: campaign({ onDelete: "delete" }),
    property: "onDelete",
    says: ['"delete" is not a valid onDelete behaviour. Use "restore"', '"retain"'],
  },
  {
    name: "arguments not an object",
    kind: "RegistrationCampaign",
    args: null,
    property: "",
    says: ["RegistrationCampaign arguments must be an object"],
  },
  // AuthenticatorPolicy
  {
    name: 'state "default"',
    kind: "AuthenticatorPolicy",
    args: authenticator({ state: "default" }),
    property: "state",
    says: ['"default" is not a state of the Microsoft Authenticator method'],
  },
  {
    name: 'state "on"',
    kind: "AuthenticatorPolicy",
    args: authenticator({ state: "on" }),
    property: "state",
    says: ['"on" is not a valid state. Use "enabled" or "disabled".'],
  },
  {
    name: 'authenticationMode "passwordless"',
    kind: "AuthenticatorPolicy",
    args: authenticator({
      includeTargets: [{ id: G1, targetType: "group", authenticationMode: "passwordless" }],
    }),
    property: "includeTargets[0].authenticationMode",
    says: ['Graph calls it "deviceBasedPush"', "ineligible for the registration campaign"],
  },
  {
    name: 'authenticationMode "Push"',
    kind: "AuthenticatorPolicy",
    args: authenticator({
      includeTargets: [{ id: G1, targetType: "group", authenticationMode: "Push" }],
    }),
    property: "includeTargets[0].authenticationMode",
    says: ['values are case-sensitive. Use "push".'],
  },
  {
    name: 'isRegistrationRequired "yes"',
    kind: "AuthenticatorPolicy",
    args: authenticator({
      includeTargets: [{ id: G1, targetType: "group", isRegistrationRequired: "yes" }],
    }),
    property: "includeTargets[0].isRegistrationRequired",
    says: ['"yes" is not a boolean. Use true or false'],
  },
  {
    name: 'isRegistrationRequired "true"',
    kind: "AuthenticatorPolicy",
    args: authenticator({
      includeTargets: [{ id: G1, targetType: "group", isRegistrationRequired: "true" }],
    }),
    property: "includeTargets[0].isRegistrationRequired",
    says: ['"true" is a string. Use the boolean true (no quotes).'],
  },
  {
    name: "numberMatchingRequiredState in featureSettings",
    kind: "AuthenticatorPolicy",
    args: authenticator({
      featureSettings: { numberMatchingRequiredState: { state: "enabled" } },
    }),
    property: "featureSettings.numberMatchingRequiredState",
    says: [
      "number matching can no longer be set",
      "enforced it for every Microsoft Authenticator push notification since May 2023",
      "Remove numberMatchingRequiredState.",
    ],
  },
  {
    name: "numberMatchingRequiredState at the top level",
    kind: "AuthenticatorPolicy",
    args: authenticator({ numberMatchingRequiredState: { state: "disabled" } }),
    property: "numberMatchingRequiredState",
    says: ["number matching can no longer be set"],
  },
  {
    name: 'feature state "on"',
    kind: "AuthenticatorPolicy",
    args: feature({ state: "on" }),
    property: "featureSettings.displayAppInformationRequiredState.state",
    says: [
      '"on" is not a valid feature state. Use "enabled", "disabled" or "default" (Microsoft managed).',
    ],
  },
  {
    name: "feature state missing",
    kind: "AuthenticatorPolicy",
    args: feature({ includeTarget: { id: G1, targetType: "group" } }),
    property: "featureSettings.displayAppInformationRequiredState.state",
    says: ["is required."],
  },
  {
    name: 'feature includeTarget targetType "user"',
    kind: "AuthenticatorPolicy",
    args: feature({ state: "enabled", includeTarget: { id: G1, targetType: "user" } }),
    property: "featureSettings.displayAppInformationRequiredState.includeTarget.targetType",
    says: ['"user" is not allowed in feature settings', "Put the users in a group"],
  },
  {
    name: 'feature includeTarget id "abc"',
    kind: "AuthenticatorPolicy",
    args: feature({ state: "enabled", includeTarget: { id: "abc", targetType: "group" } }),
    property: "featureSettings.displayAppInformationRequiredState.includeTarget.id",
    says: ['"abc" is neither an object id (GUID) nor "all_users"'],
  },
  {
    name: "feature excludeTarget all_users",
    kind: "AuthenticatorPolicy",
    args: feature({ state: "enabled", excludeTarget: { id: "all_users", targetType: "group" } }),
    property: "featureSettings.displayAppInformationRequiredState.excludeTarget.id",
    says: ['"all_users" would turn the feature off for everyone'],
  },
  {
    name: "feature all_users with targetType role",
    kind: "AuthenticatorPolicy",
    args: feature({ state: "enabled", includeTarget: { id: "all_users", targetType: "role" } }),
    property: "featureSettings.displayAppInformationRequiredState.includeTarget.targetType",
    says: ['"role" cannot be used with id "all_users"'],
  },
  {
    name: "feature includes and excludes the same group",
    kind: "AuthenticatorPolicy",
    args: feature({
      state: "enabled",
      includeTarget: { id: G1, targetType: "group" },
      excludeTarget: { id: G1.toUpperCase(), targetType: "group" },
    }),
    property: "featureSettings.displayAppInformationRequiredState.excludeTarget.id",
    says: ["is also the includeTarget, so the feature would apply to nobody"],
  },
  {
    name: "feature settings typo",
    kind: "AuthenticatorPolicy",
    args: authenticator({ featureSettings: { displayAppInformation: { state: "enabled" } } }),
    property: "featureSettings.displayAppInformation",
    says: ['Did you mean "displayAppInformationRequiredState"?'],
  },
  {
    name: 'isSoftwareOathEnabled "no"',
    kind: "AuthenticatorPolicy",
    args: authenticator({ isSoftwareOathEnabled: "no" }),
    property: "isSoftwareOathEnabled",
    says: ['"no" is not a boolean', "omit it to leave the tenant's setting as it is"],
  },
  {
    name: "empty include list while enabled",
    kind: "AuthenticatorPolicy",
    args: authenticator({ includeTargets: [] }),
    property: "includeTargets",
    says: ["so no user could use Microsoft Authenticator"],
  },
  {
    name: 'include targetType "role"',
    kind: "AuthenticatorPolicy",
    args: authenticator({ includeTargets: [{ id: G1, targetType: "role" }] }),
    property: "includeTargets[0].targetType",
    says: ['"role" is not allowed in Microsoft Authenticator targets'],
  },
  {
    name: 'onDelete "Restore"',
    kind: "AuthenticatorPolicy",
    args: authenticator({ onDelete: "Restore" }),
    property: "onDelete",
    says: ['values are case-sensitive. Use "restore".'],
  },
  // PilotGroup
  {
    name: "displayName empty",
    kind: "PilotGroup",
    args: group({ displayName: "  " }),
    property: "displayName",
    says: ["displayName: is empty. Use the group's name"],
  },
  {
    name: "displayName missing",
    kind: "PilotGroup",
    args: group({ displayName: undefined }),
    property: "displayName",
    says: ["is required"],
  },
  {
    name: "displayName 257 characters",
    kind: "PilotGroup",
    args: group({ displayName: "x".repeat(257) }),
    property: "displayName",
    says: ["is 257 characters long; Microsoft Entra allows at most 256. Shorten it."],
  },
  {
    name: "displayName not a string",
    kind: "PilotGroup",
    args: group({ displayName: 42 }),
    property: "displayName",
    says: ["42 is not a string"],
  },
  {
    name: "mailNickname with a space",
    kind: "PilotGroup",
    args: group({ mailNickname: "pilot wave" }),
    property: "mailNickname",
    says: [
      '"pilot wave" contains characters Microsoft Entra does not allow in a mail nickname (" ")',
      'e.g. "pilot-wave"',
    ],
  },
  {
    name: "mailNickname with . and @",
    kind: "PilotGroup",
    args: group({ mailNickname: "pilot.wave@1" }),
    property: "mailNickname",
    says: ['(".", "@")'.replace(", ", " and ")],
  },
  {
    name: "mailNickname 65 characters",
    kind: "PilotGroup",
    args: group({ mailNickname: "p".repeat(65) }),
    property: "mailNickname",
    says: ["is 65 characters long (at most 64)"],
  },
  {
    name: "mailNickname empty",
    kind: "PilotGroup",
    args: group({ mailNickname: "" }),
    property: "mailNickname",
    says: ["is empty. Omit it to derive one from displayName"],
  },
  {
    name: "mailNickname not ASCII",
    kind: "PilotGroup",
    args: group({ mailNickname: "pilot-wävé" }),
    property: "mailNickname",
    says: ['("ä" and "é")', 'e.g. "pilot-wave"'],
  },
  {
    name: 'member "not an id"',
    kind: "PilotGroup",
    args: group({ members: ["not an id"] }),
    property: "members[0]",
    says: [
      '"not an id" is neither an object id (GUID) nor a user principal name',
      '"alice@contoso.com"',
    ],
  },
  {
    name: "duplicate members in another case",
    kind: "PilotGroup",
    args: group({ members: ["alice@contoso.com", "Alice@Contoso.com"] }),
    property: "members[1]",
    says: ["is the same as members[0]", "names and ids are case-insensitive"],
  },
  {
    name: "duplicate member ids",
    kind: "PilotGroup",
    args: group({ members: [G3, G3] }),
    property: "members[1]",
    says: ["is listed twice (also members[0])"],
  },
  {
    name: "members not a list",
    kind: "PilotGroup",
    args: group({ members: "alice@contoso.com" }),
    property: "members",
    says: ["is not a list"],
  },
  {
    name: "member all_users",
    kind: "PilotGroup",
    args: group({ members: ["all_users"] }),
    property: "members[0]",
    says: ['"all_users" is not a user'],
  },
  {
    name: "owner empty",
    kind: "PilotGroup",
    args: group({ owners: [""] }),
    property: "owners[0]",
    says: ["is empty"],
  },
  {
    name: "typo name",
    kind: "PilotGroup",
    args: { displayName: "Pilot", nickname: "pilot" },
    property: "nickname",
    says: ['Did you mean "mailNickname"?'],
  },
  {
    name: "description not a string",
    kind: "PilotGroup",
    args: group({ description: 5 }),
    property: "description",
    says: ["5 is not a string"],
  },
  // Cloud
  {
    name: 'cloud "china"',
    kind: "cloud",
    args: "china",
    property: "cloud",
    says: [
      "Microsoft Entra operated by 21Vianet",
      "do not exist",
      'Use "global", "usgov" or "usgovdod".',
    ],
  },
  {
    name: 'cloud "Mooncake"',
    kind: "cloud",
    args: "Mooncake",
    property: "cloud",
    says: ["21Vianet"],
  },
  {
    name: 'cloud "azure"',
    kind: "cloud",
    args: "azure",
    property: "cloud",
    says: ['"azure" is not a supported cloud. Use "global" (the default)'],
  },
];

function problemsOf(input: BadInput) {
  return input.kind === "cloud" ? validateCloud(input.args) : validateArgs(input.kind, input.args);
}

describe("model: every bad input gives one clear problem", () => {
  it("covers at least 40 bad inputs", () => {
    expect(BAD_INPUTS.length).to.be.at.least(40);
  });

  for (const input of BAD_INPUTS) {
    it(`${input.kind}: ${input.name}`, () => {
      const problems = problemsOf(input);
      expect(problems, JSON.stringify(problems, null, 2)).to.have.length(1);
      const [problem] = problems;
      expect(problem.property).to.equal(input.property);
      if (input.property !== "")
        expect(problem.message.startsWith(`${input.property}: `)).to.equal(true);
      let from = 0;
      for (const fragment of input.says) {
        const at = problem.message.indexOf(fragment, from);
        expect(at, `"${fragment}" in: ${problem.message}`).to.be.at.least(0);
        from = at + fragment.length;
      }
    });
  }
});

describe("model: the valid bases of the table", () => {
  const bases: [ResourceKind, Args][] = [
    ["RegistrationCampaign", campaign()],
    ["AuthenticatorPolicy", authenticator()],
    ["PilotGroup", group()],
  ];
  for (const [kind, args] of bases) {
    it(`${kind} base arguments are valid`, () => {
      expect(validateArgs(kind, args)).to.deep.equal([]);
    });
  }

  const alsoValid: [string, ResourceKind, Args][] = [
    [
      "companionAppAllowedState (beta)",
      "AuthenticatorPolicy",
      authenticator({ featureSettings: { companionAppAllowedState: { state: "default" } } }),
    ],
    [
      "feature targets a role and an administrative unit",
      "AuthenticatorPolicy",
      feature({
        state: "enabled",
        includeTarget: { id: G1, targetType: "role" },
        excludeTarget: { id: G2, targetType: "administrativeUnit" },
      }),
    ],
    [
      "feature excludes nobody the way Graph spells it",
      "AuthenticatorPolicy",
      feature({
        state: "disabled",
        excludeTarget: { id: "00000000-0000-0000-0000-000000000000", targetType: "group" },
      }),
    ],
    [
      "empty include list while disabled",
      "RegistrationCampaign",
      campaign({ state: "disabled", includeTargets: [] }),
    ],
    [
      "Microsoft managed with pinned exclusions",
      "RegistrationCampaign",
      { state: "default", excludeTargets: [{ id: G2, targetType: "group" }] },
    ],
    [
      "upper-case GUIDs",
      "RegistrationCampaign",
      campaign({ includeTargets: [{ id: G1.toUpperCase(), targetType: "group" }] }),
    ],
    [
      "a user target by object id",
      "AuthenticatorPolicy",
      authenticator({ excludeTargets: [{ id: G2, targetType: "user" }] }),
    ],
    [
      "guest UPN member",
      "PilotGroup",
      group({ members: ["alice_contoso.com#EXT#@fabrikam.onmicrosoft.com"] }),
    ],
    ["__provider is not an argument typo", "PilotGroup", group({ __provider: "serialized" })],
    [
      "mailNickname with allowed punctuation",
      "PilotGroup",
      group({ mailNickname: "pilot_wave-1!" }),
    ],
    ["displayName of 256 characters", "PilotGroup", group({ displayName: "x".repeat(256) })],
  ];
  for (const [name, kind, args] of alsoValid) {
    it(`${kind}: ${name}`, () => {
      expect(validateArgs(kind, args)).to.deep.equal([]);
    });
  }
});

describe("model: problems are reported all at once", () => {
  const args = campaign({
    state: "on",
    snoozeDurationInDays: 15,
    includeTargets: [
      { id: "abc", targetType: "role" },
      { id: G1, targetType: "group" },
    ],
    excludeTargets: [{ id: G1, targetType: "group" }],
    onDelete: "keep",
    snoozeDays: 1,
  });

  it("lists every problem, each on its own property", () => {
    const properties = validateArgs("RegistrationCampaign", args).map(
      (problem) => problem.property,
    );
    expect(properties).to.have.members([
      "snoozeDays",
      "state",
      "snoozeDurationInDays",
      "includeTargets[0].id",
      "includeTargets[0].targetType",
      "excludeTargets[0].id",
      "onDelete",
    ]);
  });

  it("parseArgs throws one InputValidationError whose message lists them one per line", () => {
    let error: unknown;
    try {
      parseArgs("RegistrationCampaign", args);
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(InputValidationError);
    const message = (error as InputValidationError).message;
    expect(message.split("\n")[0]).to.equal("Invalid RegistrationCampaign arguments (7 problems):");
    expect(message.split("\n").slice(1)).to.have.length(7);
    expect(message).to.include("  - snoozeDurationInDays: 15 is outside 0–14.");
    expect((error as InputValidationError).problems).to.have.length(7);
  });

  it("check failures name no property (the engine would print its dump of the input) and keep the full path in the reason", () => {
    const outcome = checkArgs("RegistrationCampaign", args);
    expect(outcome.ok).to.equal(false);
    const failures = toCheckFailures(outcome.problems);
    expect(
      failures.find((failure) => failure.reason.startsWith("includeTargets[0].id:"))?.property,
    ).to.equal("");
  });
});

describe("model: values unknown during preview are not validated", () => {
  const cases: [string, ResourceKind, Args][] = [
    [
      "a new group's id as a campaign target",
      "RegistrationCampaign",
      campaign({ includeTargets: [{ id: UNKNOWN, targetType: "group" }] }),
    ],
    ["a whole target unknown", "RegistrationCampaign", campaign({ includeTargets: [UNKNOWN] })],
    [
      "the whole include list unknown",
      "RegistrationCampaign",
      campaign({ includeTargets: UNKNOWN }),
    ],
    ["an unknown snooze", "RegistrationCampaign", campaign({ snoozeDurationInDays: UNKNOWN })],
    ["an unknown state", "RegistrationCampaign", campaign({ state: UNKNOWN, includeTargets: [] })],
    [
      "an unknown exclude id next to a known include",
      "RegistrationCampaign",
      campaign({ excludeTargets: [{ id: UNKNOWN, targetType: "group" }] }),
    ],
    [
      "two unknown ids are not duplicates",
      "RegistrationCampaign",
      campaign({
        includeTargets: [
          { id: UNKNOWN, targetType: "group" },
          { id: UNKNOWN, targetType: "group" },
        ],
      }),
    ],
    [
      "an unknown feature target id",
      "AuthenticatorPolicy",
      feature({ state: "enabled", includeTarget: { id: UNKNOWN, targetType: "group" } }),
    ],
    ["unknown featureSettings", "AuthenticatorPolicy", authenticator({ featureSettings: UNKNOWN })],
    [
      "an unknown authentication mode",
      "AuthenticatorPolicy",
      authenticator({
        includeTargets: [{ id: G1, targetType: "group", authenticationMode: UNKNOWN }],
      }),
    ],
    ["an unknown displayName", "PilotGroup", group({ displayName: UNKNOWN })],
    ["an unknown member", "PilotGroup", group({ members: [UNKNOWN, "alice@contoso.com"] })],
    ["unknown owners", "PilotGroup", group({ owners: UNKNOWN })],
  ];
  for (const [name, kind, args] of cases) {
    it(`${kind}: ${name}`, () => {
      expect(validateArgs(kind, args)).to.deep.equal([]);
      expect(checkArgs(kind, args).ok).to.equal(true);
    });
  }

  it("parseArgs (create/update) refuses inputs that still hold an unknown value", () => {
    expect(() =>
      parseArgs(
        "RegistrationCampaign",
        campaign({ includeTargets: [{ id: UNKNOWN, targetType: "group" }] }),
      ),
    ).to.throw(/unknown until apply/);
  });
});
