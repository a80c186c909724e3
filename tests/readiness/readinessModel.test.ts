// Readiness computed from a scan built by hand (provider/readiness/readiness.ts, people.ts): who
// is phone-only, on which of the two dates (2027-02-01, 2027-07-01 for Global Administrators and
// external users), whether the campaign reaches them and why not, per target, with exempt groups
// counted apart. No emulator, so the mutation run (docs/reliability.md) uses this suite.
import { expect } from "chai";
import {
  computeReadiness,
  daysUntilDeadline,
  peopleCsv,
  type ReadinessInput,
} from "../../provider/readiness";
import type { TenantScan } from "../../provider/eligibility/scan";
import type { NudgeConfiguration } from "../../provider/model";

const G1 = "3ee3a9de-0a86-4e12-a287-9769accf1ba2";
const G2 = "dad4ae4a-730c-4e52-826c-0d9094971f04";
const NOW = Date.parse("2026-12-07T12:00:00Z");
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

const configuration = {
  campaign: {
    state: "enabled",
    includeTargets: [
      { id: G1, targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" },
      { id: "all_users", targetType: "group", targetedAuthenticationMethod: "fido2" },
    ],
    excludeTargets: [{ id: G2, targetType: "group" }],
    snoozeDurationInDays: 1,
    enforceRegistrationAfterAllowedSnoozes: true,
  },
  authenticator: {
    state: "enabled",
    includeTargets: [{ id: "all_users", targetType: "group", authenticationMode: "any" }],
    excludeTargets: [],
  },
  passkey: {
    state: "enabled",
    isSelfServiceRegistrationAllowed: true,
    includeTargets: [{ id: "all_users", targetType: "group", allowedPasskeyProfiles: ["p"] }],
    excludeTargets: [],
    passkeyProfiles: [
      { id: "p", passkeyTypes: ["deviceBound"], attestationEnforcement: "disabled" },
    ],
  },
} as unknown as NudgeConfiguration;

type Facts = { n: number; guest?: boolean; groups?: string[]; methods?: string[]; mfa?: boolean };
function scanOf(users: Facts[], current: NudgeConfiguration = configuration): TenantScan {
  return {
    current,
    users: users.map(({ n, guest, groups = [], methods = ["mobilePhone"], mfa = true }) => ({
      id: id(n),
      userPrincipalName: `user${n}@contoso.example`,
      displayName: `User ${n}`,
      userType: guest ? "guest" : "member",
      groupIds: new Set(groups),
      methodsRegistered: methods,
      isMfaRegistered: mfa,
    })),
    groups: new Map([
      [G1, { id: G1, displayName: "Pilot", userIds: new Set([id(1), id(2), id(3)]) }],
      [G2, { id: G2, displayName: "Break glass", userIds: new Set([id(4)]) }],
    ]),
    scannedAt: "2026-12-07T11:59:00Z",
    stats: {
      users: users.length,
      groups: 2,
      requests: 3,
      reportRequests: 1,
      reportWaitMs: 0,
      durationMs: 5,
    },
  } as unknown as TenantScan;
}

// 1, 2: pilot members, phone-only → Authenticator. 3: pilot, has push → not phone-only.
// 4: break-glass (excluded), phone-only. 5: member outside the pilot → passkey (all_users, fido2).
// 6: guest outside the pilot → guestNoPasskeyNudge. 7: a Global Administrator → passkey, 2027-07-01.
// 8: an external guest → 2027-07-01, guestNoPasskeyNudge. 9: email only → not phone-only.
const users: Facts[] = [
  { n: 1, groups: [G1] },
  { n: 2, groups: [G1], methods: ["officePhone", "email"] },
  { n: 3, groups: [G1], methods: ["mobilePhone", "microsoftAuthenticatorPush"] },
  { n: 4, groups: [G2] },
  { n: 5 },
  { n: 6, guest: true },
  { n: 7 },
  { n: 8, guest: true },
  { n: 9, methods: ["email"], mfa: false },
];
const input = (more: Partial<ReadinessInput> = {}): ReadinessInput => ({
  configuration,
  source: "tenant",
  methodPolicies: {} as ReadinessInput["methodPolicies"],
  populations: { globalAdministrators: [id(7)], externalUsers: [id(8)] },
  now: NOW,
  ...more,
});

describe("readiness computed from a scan: who is phone-only, when, and whether the campaign reaches them", () => {
  it("counts phone-only users per date, population, method and reason", () => {
    const report = computeReadiness(scanOf(users), input());
    expect(report).to.deep.include({
      deadline: "2027-02-01",
      daysLeft: 56,
      users: 9,
      phoneOnly: 7,
      phoneOnlyNudged: 4,
      phoneOnlyNotNudged: 3,
      phoneOnlyNudgedByMethod: { microsoftAuthenticator: 2, fido2: 2 },
      byUserType: { member: { phoneOnly: 5, nudged: 4 }, guest: { phoneOnly: 2, nudged: 0 } },
      populationsKnown: { globalAdministrators: true, externalUsers: true },
      exempt: 0,
    });
    expect(report.cohorts).to.deep.equal([
      {
        deadline: "2027-02-01",
        phoneOnly: 5,
        phoneOnlyNudged: 3,
        phoneOnlyNotNudged: 2,
        populations: { member: 4, internalGuest: 1 },
      },
      {
        deadline: "2027-07-01",
        phoneOnly: 2,
        phoneOnlyNudged: 1,
        phoneOnlyNotNudged: 1,
        populations: { globalAdministrator: 1, externalUser: 1 },
      },
    ]);
    expect(report.byPopulation).to.deep.equal({
      member: { phoneOnly: 4, nudged: 3 },
      internalGuest: { phoneOnly: 1, nudged: 0 },
      externalUser: { phoneOnly: 1, nudged: 0 },
      globalAdministrator: { phoneOnly: 1, nudged: 1 },
    });
    expect(report.notNudgedReasons.map((r) => [r.reason, r.users])).to.deep.equal([
      ["guestNoPasskeyNudge", 2],
      ["excluded", 1],
    ]);
    expect(report.notNudgedReasons[0].description).to.equal(
      "guests are never nudged to set up a passkey",
    );
    expect(
      report.byTarget.map((t) => [
        t.id,
        t.phoneOnly,
        t.nudged,
        t.nudgedToAuthenticator,
        t.nudgedToPasskey,
      ]),
    ).to.deep.equal([
      [G1, 2, 2, 2, 0],
      ["all_users", 7, 4, 2, 2],
    ]);
    expect(report.people.map((p) => [p.id, p.deadline, p.nudgedTo, p.reason])).to.deep.equal([
      [id(1), "2027-02-01", "microsoftAuthenticator", null],
      [id(2), "2027-02-01", "microsoftAuthenticator", null],
      [id(4), "2027-02-01", null, "excluded"],
      [id(5), "2027-02-01", "fido2", null],
      [id(6), "2027-02-01", null, "guestNoPasskeyNudge"],
      [id(7), "2027-07-01", "fido2", null],
      [id(8), "2027-07-01", null, "guestNoPasskeyNudge"],
    ]);
    expect(report.groupNames).to.deep.equal({ [G1]: "Pilot", [G2]: "Break glass" });
    expect(report.trend).to.equal(null);
    expect(report.passkeyMethod).to.deep.equal({
      state: "enabled",
      isSelfServiceRegistrationAllowed: true,
      includeTargets: [{ id: "all_users", targetType: "group" }],
      excludeTargets: [],
    });
    expect(report.scan).to.deep.include({ users: 9, scannedAt: "2026-12-07T11:59:00Z" });
  });

  it("without the populations read, everyone is on 2027-02-01 and the report says they were not known", () => {
    const report = computeReadiness(scanOf(users), input({ populations: undefined }));
    expect(report.populationsKnown).to.deep.equal({
      globalAdministrators: false,
      externalUsers: false,
    });
    expect(report.cohorts.map((c) => c.phoneOnly)).to.deep.equal([7, 0]);
  });

  it("an exempt group's phone-only users are counted apart, out of every top-level count", () => {
    const report = computeReadiness(
      scanOf(users),
      input({
        exemptGroups: [
          { id: G1, displayName: "Pilot", userIds: new Set([id(1), id(3)]) },
          { id: G2 },
        ],
      }),
    );
    expect(report).to.deep.include({ phoneOnly: 6, phoneOnlyNudged: 3, exempt: 1 });
    expect(report.exemptGroups).to.deep.equal([
      { id: G1, displayName: "Pilot", found: true, phoneOnly: 1 },
      { id: G2, found: false, phoneOnly: 0 },
    ]);
    expect(report.people.find((p) => p.id === id(1))?.exempt).to.equal(true);
  });

  it("a disabled campaign reaches nobody; days left never go below 0", () => {
    const off = {
      ...configuration,
      campaign: { ...configuration.campaign, state: "disabled" },
    } as NudgeConfiguration;
    const report = computeReadiness(scanOf(users), input({ configuration: off }));
    expect(report).to.deep.include({ phoneOnly: 7, phoneOnlyNudged: 0 });
    expect(report.notNudgedReasons.map((r) => [r.reason, r.users])).to.deep.equal([
      ["campaignDisabled", 7],
    ]);
    expect(daysUntilDeadline(Date.parse("2027-01-31T23:00:00Z"))).to.equal(1);
    expect(daysUntilDeadline(Date.parse("2027-03-01T00:00:00Z"))).to.equal(0);
  });

  it("the --users CSV: one row per phone-only user with their date and outcome", () => {
    const report = computeReadiness(scanOf(users), input());
    const lines = peopleCsv([{ people: report.people }])
      .trimEnd()
      .split("\r\n");
    expect(lines).to.have.length(8);
    expect(lines[1]).to.contain(id(1)).and.to.contain("2027-02-01");
    expect(lines.find((l) => l.includes(id(8)))).to.contain("2027-07-01");
  });
});
