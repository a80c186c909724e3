// The emulator's campaign simulation (emulator/graph/simulate.ts) on the seed tenant: who is
// prompted (hand-listed below; the emulator decides with its own rules, emulator/graph/signin.ts),
// what a registration changes in the report and the audit log, how snoozes honour the campaign's
// settings, and the control endpoint.
import { expect } from "chai";
import type { UserRegistrationDetails, DirectoryAudit } from "@microsoft/microsoft-graph-types";
import { directoryAuditPages, userRegistrationDetailsPages } from "../../provider/graph";
import { rawRequest, useEmulator } from "../support/emulator";
import { applyConfiguration, graphClient } from "./support";

const PILOT_GROUP = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31";
const BREAK_GLASS = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c";
/** The pilot's members the seed campaign nudges: SMS (pilot.user, DiegoS, the guest) and TOTP (LeeG). */
const NUDGED_PILOT_UPNS = [
  "DiegoS@contoso.onmicrosoft.com",
  "LeeG@contoso.onmicrosoft.com",
  "alex_fabrikam.com#EXT#@contoso.onmicrosoft.com",
  "pilot.user@contoso.onmicrosoft.com",
];
const DAY = 24 * 60 * 60 * 1000;

const seedScenario = {
  campaign: {
    state: "enabled" as const,
    snoozeDurationInDays: 0,
    includeTargets: [{ id: PILOT_GROUP, targetType: "group" as const }],
    excludeTargets: [{ id: BREAK_GLASS, targetType: "group" as const }],
  },
  authenticator: {
    state: "enabled" as const,
    includeTargets: [
      { id: PILOT_GROUP, targetType: "group" as const, authenticationMode: "any" as const },
    ],
  },
};

async function rows(
  emulator: Parameters<typeof graphClient>[0],
): Promise<Map<string, UserRegistrationDetails>> {
  const found = new Map<string, UserRegistrationDetails>();
  for await (const page of userRegistrationDetailsPages(
    graphClient(emulator, "reader", { reportRateLimit: null }),
  )) {
    for (const row of page) found.set(String(row.userPrincipalName), row);
  }
  return found;
}

describe("emulator: the registration campaign simulation", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ resetEachTest: true });

  it("prompts exactly the users the campaign nudges; a finished wizard makes Authenticator push the default and keeps the phone", async () => {
    await applyConfiguration(emulator, seedScenario);
    const result = emulator.simulate({ days: 14, seed: 7, signInRate: 1, completeRate: 1 });
    expect(result.registrations.map((r) => r.userPrincipalName).sort()).to.deep.equal(
      NUDGED_PILOT_UPNS.slice().sort(),
    );
    expect(result.prompts).to.equal(4);
    const after = await rows(emulator);
    const pilot = after.get("pilot.user@contoso.onmicrosoft.com");
    expect(pilot?.methodsRegistered).to.include.members([
      "microsoftAuthenticatorPush",
      "mobilePhone",
    ]);
    expect(pilot?.userPreferredMethodForSecondaryAuthentication).to.equal("push");
    // Someone outside the pilot is untouched.
    expect(after.get("GradyA@contoso.onmicrosoft.com")?.methodsRegistered).to.deep.equal([
      "mobilePhone",
    ]);
  });

  it("writes the audit records Graph writes, initiated by the user, inside the simulated days", async () => {
    await applyConfiguration(emulator, seedScenario);
    const started = Date.now();
    const result = emulator.simulate({ days: 5, seed: 3, signInRate: 1, completeRate: 1 });
    const records: DirectoryAudit[] = [];
    for await (const page of directoryAuditPages(
      graphClient(emulator, "reader", { reportRateLimit: null }),
      {
        filter:
          "loggedByService eq 'Authentication Methods' and activityDisplayName eq 'User registered security info'",
      },
    )) {
      records.push(...page);
    }
    const simulated = records.filter((r) => Date.parse(String(r.activityDateTime)) >= started);
    expect(simulated).to.have.length(result.registrations.length);
    for (const record of simulated) {
      expect(record.category).to.equal("UserManagement");
      expect(record.resultReason).to.equal(
        "User registered Authenticator App with Notification and Code",
      );
      expect(record.initiatedBy?.user?.id).to.equal(record.targetResources?.[0]?.id);
      expect(Date.parse(String(record.activityDateTime))).to.be.below(started + 5 * DAY + 60_000);
    }
    // The clock moved on: a change made now is dated after the simulated days.
    await applyConfiguration(emulator, {
      campaign: { ...seedScenario.campaign, snoozeDurationInDays: 1 },
    });
    const [latest] = (
      await directoryAuditPages(graphClient(emulator, "reader", { reportRateLimit: null }), {
        filter: "activityDisplayName eq 'Authentication Methods Policy Update'",
        top: 1,
      }).next()
    ).value as DirectoryAudit[];
    expect(Date.parse(String(latest.activityDateTime))).to.be.at.least(started + 5 * DAY);
  });

  it("honours the snooze duration: snoozed users are not prompted again before it ends", async () => {
    await applyConfiguration(emulator, {
      ...seedScenario,
      campaign: { ...seedScenario.campaign, snoozeDurationInDays: 14 },
    });
    const result = emulator.simulate({ days: 10, seed: 1, signInRate: 1, completeRate: 0 });
    expect(result.prompts).to.equal(4);
    expect(result.snoozes).to.equal(4);
    expect(result.registrations).to.deep.equal([]);
  });

  it("with limited snoozes, the prompt after 3 snoozes cannot be skipped", async () => {
    await applyConfiguration(emulator, seedScenario);
    const result = emulator.simulate({ days: 6, seed: 1, signInRate: 1, completeRate: 0 });
    // 0 snooze days, a sign-in a day: snoozed on days 1–3, registered on day 4.
    expect(result.snoozes).to.equal(12);
    expect(result.registrations).to.have.length(4);
    expect(result.registrations.every((r) => r.required)).to.equal(true);
    for (const r of result.registrations) {
      const day = Math.floor(
        (Date.parse(r.registeredDateTime) - Date.parse(result.startDateTime)) / DAY,
      );
      expect(day).to.equal(3);
    }
  });

  it("with unlimited snoozes (enforceRegistrationAfterAllowedSnoozes: false), users may snooze forever", async () => {
    await applyConfiguration(emulator, {
      ...seedScenario,
      campaign: { ...seedScenario.campaign, enforceRegistrationAfterAllowedSnoozes: false },
    });
    const result = emulator.simulate({ days: 8, seed: 1, signInRate: 1, completeRate: 0 });
    expect(result.snoozes).to.equal(32);
    expect(result.registrations).to.deep.equal([]);
  });

  it("prompts nobody when Authenticator is enabled only in Passwordless mode", async () => {
    await applyConfiguration(emulator, {
      ...seedScenario,
      authenticator: {
        state: "enabled",
        includeTargets: [
          { id: PILOT_GROUP, targetType: "group", authenticationMode: "deviceBasedPush" },
        ],
      },
    });
    const result = emulator.simulate({ days: 5, seed: 1, signInRate: 1, completeRate: 1 });
    expect(result.signIns).to.be.greaterThan(0);
    expect(result.prompts).to.equal(0);
  });

  it("replays exactly from the same seed", async () => {
    await applyConfiguration(emulator, { campaign: { state: "enabled" } });
    const first = emulator.simulate({ days: 7, seed: 42 });
    emulator.reset();
    await applyConfiguration(emulator, { campaign: { state: "enabled" } });
    const second = emulator.simulate({ days: 7, seed: 42 });
    const shape = (r: typeof first) => ({
      ...r,
      startDateTime: undefined,
      endDateTime: undefined,
      registrations: r.registrations.map((x) => x.userPrincipalName),
    });
    expect(shape(second)).to.deep.equal(shape(first));
    expect(first.registrations.length).to.be.greaterThan(0);
  });

  it("is a control endpoint that explains bad parameters", async () => {
    const bad = await rawRequest(emulator, {
      method: "POST",
      path: "/_emulator/simulate",
      body: { days: 0 },
    });
    expect(bad.status).to.equal(400);
    expect(JSON.stringify(bad.json)).to.include('\\"days\\" must be a whole number from 1 to 365');
    const good = await rawRequest(emulator, {
      method: "POST",
      path: "/_emulator/simulate",
      body: { days: 2, seed: 5, completeRate: 0.5 },
    });
    expect(good.status).to.equal(200);
    expect(good.json).to.include.keys(["signIns", "prompts", "snoozes", "registrations"]);
  });
});
