// The emulator's own sign-in rules (emulator/graph/signin.ts) and campaign simulation, checked
// against hand counts on the seed tenant (emulator/tenants/default.json, listed user by user in
// the comments), never against the product's model.
import { expect } from "chai";
import { call, get, getAll, groupId, testApi, type TestApi } from "./graph-harness";
import { DEFAULT_PASSKEY_PROFILE_ID } from "../../emulator/graph/passkeys";
import { rawRequest, useEmulator } from "../support/emulator";
import { generateTenant } from "../../emulator/generate";

const POLICY = "/policies/authenticationMethodsPolicy";
const FIDO2 = `${POLICY}/authenticationMethodConfigurations/fido2`;
const AUTHENTICATOR = `${POLICY}/authenticationMethodConfigurations/MicrosoftAuthenticator`;
const REPORT = "/reports/authenticationMethods/userRegistrationDetails";
const DAY = 24 * 60 * 60 * 1000;
const at = (upn: string) => `${upn}@contoso.onmicrosoft.com`;

type Json = Record<string, unknown>;

/**
 * Enabled members with a second factor and no passkey. Left out: AdeleV and both break-glass
 * accounts (FIDO2 security keys), ChristieC, EnricoC, BrianJ (no second factor; email is not
 * one), DebraB and BenW (disabled), the four guests.
 */
const MEMBERS_WITHOUT_PASSKEY = [
  "AlexW",
  "conor.o'brien",
  "DiegoS",
  "GradyA",
  "HenriettaM",
  "IrvinS",
  "IsaiahL",
  "JohannaL",
  "JoniS",
  "LeeG",
  "LidiaH",
  "LynneR",
  "MeganB",
  "MiriamG",
  "NestorW",
  "PattiF",
  "pilot.user",
  "PradeepG",
].map(at);

/** Guests whose default MFA method is SMS and who have no Authenticator push. */
const SMS_GUESTS = [
  "alex_fabrikam.com#EXT#@contoso.onmicrosoft.com",
  "pat.o'neil@contoso.onmicrosoft.com",
];

function patchCampaign(api: TestApi, campaign: Json) {
  return call(api, "PATCH", POLICY, {
    version: "beta",
    body: { registrationEnforcement: { authenticationMethodsRegistrationCampaign: campaign } },
  });
}

/** Passkeys for everyone through the default profile, self-service on (the campaign's prerequisite). */
async function enablePasskeysForAll(api: TestApi, passkeyTypes = "deviceBound,synced") {
  const r = await call(api, "PATCH", FIDO2, {
    body: {
      "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
      state: "enabled",
      isSelfServiceRegistrationAllowed: true,
      passkeyProfiles: [
        {
          id: DEFAULT_PASSKEY_PROFILE_ID,
          name: "Default passkey profile",
          passkeyTypes,
          attestationEnforcement: "disabled",
        },
      ],
      includeTargets: [
        {
          id: "all_users",
          targetType: "group",
          isRegistrationRequired: false,
          allowedPasskeyProfiles: [DEFAULT_PASSKEY_PROFILE_ID],
        },
      ],
    },
  });
  expect(r.status).to.equal(204);
}

function passkeyCampaign(extra: Json = {}): Json {
  return {
    state: "enabled",
    snoozeDurationInDays: 0,
    enforceRegistrationAfterAllowedSnoozes: true,
    includeTargets: [
      { id: "all_users", targetType: "group", targetedAuthenticationMethod: "fido2" },
    ],
    excludeTargets: [],
    ...extra,
  };
}

function prompted(api: TestApi, method?: string): string[] {
  return api
    .forecastPrompts()
    .prompted.filter((p) => !method || p.method === method)
    .map((p) => p.userPrincipalName)
    .sort();
}

const sorted = (list: string[]) => list.slice().sort();

describe("emulator: who a sign-in prompts, by the emulator's own rules (signin.ts)", () => {
  let api: TestApi;
  beforeEach(() => {
    api = testApi();
  });

  it("the out-of-the-box Microsoft-managed campaign prompts SMS users to set up Authenticator, never a TOTP-default user", () => {
    // Passkeys are enabled only for the break-glass group, who already have keys, so Microsoft
    // targets Authenticator for everyone else, after SMS or voice MFA only (§2.8).
    const forecast = api.forecastPrompts();
    const expected = [
      ...[
        "conor.o'brien",
        "DiegoS",
        "GradyA",
        "HenriettaM",
        "IrvinS",
        "LynneR",
        "MiriamG",
        "NestorW",
        "PattiF", // phone and TOTP, SMS set as the default method
        "pilot.user",
        "PradeepG",
      ].map(at),
      ...SMS_GUESTS,
    ];
    expect(prompted(api)).to.deep.equal(sorted(expected));
    expect(forecast.prompted.every((p) => p.method === "microsoftAuthenticator")).to.equal(true);
    expect(forecast.notPrompted).to.deep.include({
      mfaNotBySmsOrVoice: 1, // LeeG: TOTP
      alreadyHasPasskey: 2, // the break-glass accounts
      noMfaMethod: 4, // ChristieC, EnricoC, BrianJ, the guest sam.rivera
    });
  });

  it("an enabled passkey campaign prompts every member with MFA and no passkey; guests and passkey holders never", async () => {
    await enablePasskeysForAll(api);
    await patchCampaign(api, passkeyCampaign());
    const forecast = api.forecastPrompts();
    expect(prompted(api, "fido2")).to.deep.equal(sorted(MEMBERS_WITHOUT_PASSKEY));
    expect(forecast.prompted).to.have.length(18);
    expect(forecast.notPrompted).to.deep.equal({
      alreadyHasPasskey: 3,
      noMfaMethod: 4,
      guestNoPasskeyNudge: 3,
    });
  });

  it("a passkey campaign needs self-service setup and the user in the passkey policy's scope", async () => {
    await enablePasskeysForAll(api);
    await patchCampaign(api, passkeyCampaign());
    await call(api, "PATCH", FIDO2, {
      body: {
        "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
        isSelfServiceRegistrationAllowed: false,
      },
    });
    // Self-service is checked before "already has a passkey": 18 + AdeleV and the break-glass pair.
    expect(api.forecastPrompts().notPrompted.passkeySelfServiceOff).to.equal(21);
    const pilot = await groupId(api, "pilot-authenticator-wave1");
    await call(api, "PATCH", FIDO2, {
      body: {
        "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
        isSelfServiceRegistrationAllowed: true,
        excludeTargets: [{ id: pilot, targetType: "group" }],
      },
    });
    // The pilot's members: pilot.user, LeeG, DiegoS, IsaiahL (members with MFA and no passkey)
    // and the guest alex (a guest: never a passkey nudge).
    expect(api.forecastPrompts().notPrompted.passkeysNotEnabled).to.equal(4);
    expect(prompted(api)).not.to.include.members(
      ["DiegoS", "IsaiahL", "LeeG", "pilot.user"].map(at),
    );
  });

  it("after Microsoft's 2026-09-01 migration: passkeys for members, Authenticator for SMS guests", () => {
    api.microsoftMigration({});
    expect(prompted(api, "fido2")).to.deep.equal(sorted(MEMBERS_WITHOUT_PASSKEY));
    expect(prompted(api, "microsoftAuthenticator")).to.deep.equal(sorted(SMS_GUESTS));
  });

  it("an enabled Authenticator campaign shows the nudge after any MFA, or only after SMS or voice with the 2026 switch", async () => {
    await patchCampaign(api, { state: "enabled" });
    expect(prompted(api)).to.include(at("LeeG"));
    api.configure({ authenticatorNudgeAfter: "smsOrVoiceMfa" });
    expect(prompted(api)).not.to.include(at("LeeG"));
    // LeeG (TOTP) and the break-glass accounts (security keys only) do MFA without SMS or voice.
    expect(api.forecastPrompts().notPrompted.mfaNotBySmsOrVoice).to.equal(3);
  });

  it("deviceBasedPush alone makes users ineligible for an Authenticator nudge", async () => {
    await patchCampaign(api, { state: "enabled" });
    await call(api, "PATCH", AUTHENTICATOR, {
      body: {
        "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
        includeTargets: [
          { id: "all_users", targetType: "group", authenticationMode: "deviceBasedPush" },
        ],
      },
    });
    expect(api.forecastPrompts().prompted).to.deep.equal([]);
    expect(api.forecastPrompts().notPrompted.authenticatorPasswordlessOnly).to.be.greaterThan(0);
  });
});

describe("emulator: the campaign simulation (simulate.ts)", () => {
  let api: TestApi;
  beforeEach(() => {
    api = testApi();
  });

  it("a passkey campaign with limited snoozes: 3 snoozes, then a required passkey registration, reported and audited", async () => {
    await enablePasskeysForAll(api);
    await patchCampaign(api, passkeyCampaign());
    const result = api.simulate({ days: 6, seed: 2, signInRate: 1, completeRate: 0 });
    // 0 snooze days, a sign-in a day: snoozed on days 1–3, registered on day 4.
    expect(result.promptsByMethod).to.deep.equal({ microsoftAuthenticator: 0, fido2: 18 * 4 });
    expect(result.snoozes).to.equal(18 * 3);
    expect(result.registrations.map((r) => r.userPrincipalName).sort()).to.deep.equal(
      sorted(MEMBERS_WITHOUT_PASSKEY),
    );
    expect(result.registrations.every((r) => r.required && r.method === "fido2")).to.equal(true);
    const kinds = new Set(result.registrations.map((r) => r.registeredMethod));
    for (const kind of kinds)
      expect([
        "passKeySynced",
        "passKeyDeviceBoundAuthenticator",
        "passKeyDeviceBoundWindowsHello",
        "fido2SecurityKey",
      ]).to.include(kind);
    expect(kinds.size).to.be.greaterThan(1);
    // The report shows the passkey, and the SMS default stays the user's preferred method.
    const rows = (await getAll(api, REPORT)).items;
    const pilot = rows.find((r) => r.userPrincipalName === at("pilot.user")) as Json;
    const registered = result.registrations.find((r) => r.userPrincipalName === at("pilot.user"));
    expect(pilot.methodsRegistered).to.include.members([
      "mobilePhone",
      registered?.registeredMethod,
    ]);
    expect(pilot.userPreferredMethodForSecondaryAuthentication).to.equal("sms");
    // Audits: a "User registered security info" with AuthenticationMethod Passkey for each, and
    // an "Add Passkey (device-bound)" with the AAGUID for each device-bound one.
    const audits = (await getAll(api, "/auditLogs/directoryAudits")).items;
    const registeredInfo = audits.filter(
      (a) =>
        a.activityDisplayName === "User registered security info" &&
        (a.additionalDetails as Json[]).some(
          (d) => d.key === "AuthenticationMethod" && d.value === "Passkey",
        ),
    );
    expect(registeredInfo).to.have.length(18);
    const deviceBound = audits.filter(
      (a) => a.activityDisplayName === "Add Passkey (device-bound)",
    );
    expect(deviceBound).to.have.length(
      result.registrations.filter((r) => r.registeredMethod !== "passKeySynced").length,
    );
    for (const a of deviceBound) {
      expect(a.loggedByService).to.equal("Device Registration Service");
      expect((a.additionalDetails as Json[])[0]).to.deep.include({ key: "AAGUID" });
    }
    // Registered users are not prompted again.
    expect(api.forecastPrompts().prompted).to.deep.equal([]);
  });

  it("a device-bound-only profile with an AAGUID allow-list registers an allowed device-bound passkey", async () => {
    await enablePasskeysForAll(api, "deviceBound");
    await call(api, "PATCH", FIDO2, {
      body: {
        "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
        passkeyProfiles: [
          {
            id: DEFAULT_PASSKEY_PROFILE_ID,
            name: "Default passkey profile",
            passkeyTypes: "deviceBound",
            attestationEnforcement: "registrationOnly",
            keyRestrictions: {
              isEnforced: true,
              enforcementType: "allow",
              aaGuids: ["90a3ccdf-635c-4729-a248-9b709135078f"],
            },
          },
        ],
      },
    });
    await patchCampaign(api, passkeyCampaign());
    const result = api.simulate({ days: 1, seed: 1, signInRate: 1, completeRate: 1 });
    expect(result.registrations).to.have.length(18);
    expect(new Set(result.registrations.map((r) => r.registeredMethod))).to.deep.equal(
      new Set(["passKeyDeviceBound"]),
    );
  });

  it("Microsoft managed: passkey nudges have 1 snooze day and unlimited snoozes, Authenticator nudges stay limited", () => {
    api.microsoftMigration({});
    const result = api.simulate({ days: 10, seed: 5, signInRate: 1, completeRate: 0 });
    // No member is ever forced to a passkey; the two SMS guests, nudged to Authenticator, are
    // after their third snooze (§2.8: limited snoozes for a Microsoft-managed Authenticator nudge).
    expect(result.promptsByMethod.fido2).to.be.greaterThan(18 * 4);
    expect(
      result.registrations.map((r) => [r.userPrincipalName, r.method, r.required]),
    ).to.have.deep.members(SMS_GUESTS.map((upn) => [upn, "microsoftAuthenticator", true]));
    expect(result.snoozes).to.equal(result.prompts - 2);
  });

  it("Microsoft managed: an Authenticator fallback snoozes 1 day at a time, and its fourth prompt is required (HOWTO 2026-09-02)", () => {
    api.microsoftMigration({});
    // The HOWTO's "Microsoft managed state" table: 1 snooze day for either method; Authenticator
    // limited to 3 snoozes, passkeys unlimited.
    const rules = new Map(
      api
        .forecastPrompts()
        .prompted.map((p) => [p.userPrincipalName, [p.method, p.snoozeDays, p.snoozeLimit]]),
    );
    for (const upn of SMS_GUESTS)
      expect(rules.get(upn), upn).to.deep.equal(["microsoftAuthenticator", 1, 3]);
    expect(rules.get(at("pilot.user"))).to.deep.equal(["fido2", 1, null]);
    // A prompt on day d snoozes until at most the start of day d + 2, so with 1-day snoozes the
    // fourth prompt comes by day 7 whatever the sign-in times; with 3-day snoozes (the rule before
    // September 2026) it could not come before day 10.
    const result = api.simulate({ days: 7, seed: 11, signInRate: 1, completeRate: 0 });
    expect(
      result.registrations
        .filter((r) => r.method === "microsoftAuthenticator")
        .map((r) => [r.userPrincipalName, r.required]),
    ).to.have.deep.members(SMS_GUESTS.map((upn) => [upn, true]));
    // Passkey nudges are never required: every other prompt was snoozed.
    expect(result.registrations.filter((r) => r.method === "fido2")).to.deep.equal([]);
    expect(result.snoozes).to.equal(result.prompts - SMS_GUESTS.length);
  });

  it("the snooze count persists across a change of method: 3 Authenticator snoozes make the first passkey prompt required", async () => {
    await patchCampaign(api, { state: "enabled", snoozeDurationInDays: 0 });
    api.simulate({ days: 3, seed: 1, signInRate: 1, completeRate: 0 });
    await enablePasskeysForAll(api);
    await patchCampaign(api, passkeyCampaign());
    const result = api.simulate({ days: 1, seed: 1, signInRate: 1, completeRate: 0 });
    const required = result.registrations.filter((r) => r.required).map((r) => r.userPrincipalName);
    // Snoozed three times under the Authenticator campaign: the members it prompted (no
    // Authenticator push yet, enabled for Authenticator): the phone and TOTP users.
    expect(required).to.include.members([at("pilot.user"), at("LeeG"), at("PattiF")]);
    // Authenticator push users were never prompted before: their first passkey prompt is skippable.
    expect(required).not.to.include(at("AlexW"));
    expect(result.snoozes).to.be.greaterThan(0);
  });

  it("a simulated day's records lie inside the simulated period and the clock moves on", async () => {
    await enablePasskeysForAll(api);
    await patchCampaign(api, passkeyCampaign());
    const before = Date.now();
    const result = api.simulate({ days: 2, seed: 9, signInRate: 1, completeRate: 1 });
    for (const r of result.registrations)
      expect(Date.parse(r.registeredDateTime)).to.be.within(before, before + 2 * DAY);
    const policy = await get(api, POLICY);
    expect(policy).to.have.property("registrationEnforcement");
  });
});

describe("emulator: POST /_emulator/prompts over HTTPS", () => {
  const emulator = useEmulator({ resetEachTest: true });

  it("answers whom the campaign would prompt, and honours snoozes only when asked", async () => {
    const all = await rawRequest(emulator, {
      method: "POST",
      path: "/_emulator/prompts",
      body: {},
    });
    expect(all.status).to.equal(200);
    const forecast = all.json as { prompted: { method: string }[] };
    expect(forecast.prompted).to.have.length(13);
    emulator.simulate({ days: 1, seed: 1, signInRate: 1, completeRate: 0 });
    const snoozed = await rawRequest(emulator, {
      method: "POST",
      path: "/_emulator/prompts",
      body: { honourSnoozes: true },
    });
    const left = snoozed.json as { prompted: unknown[]; notPrompted: { snoozed?: number } };
    expect(left.notPrompted.snoozed).to.be.greaterThan(0);
    expect(left.prompted.length + (left.notPrompted.snoozed ?? 0)).to.equal(13);
    const bad = await rawRequest(emulator, {
      method: "POST",
      path: "/_emulator/prompts",
      body: { honorSnoozes: true },
    });
    expect(bad.status).to.equal(400);
  });
});

describe("emulator: whom the campaign prompts on the 10,000-user generated tenant, walked from the fixture", () => {
  const tenant = generateTenant({ users: 10_000, seed: 1 });
  type User = (typeof tenant.users)[number];
  const methodsOf = (u: User) => u.methods ?? [];
  const secondFactor = (u: User) =>
    methodsOf(u).some((m) => !["email", "securityQuestion"].includes(m));
  const hasPasskey = (u: User) =>
    methodsOf(u).some((m) => /^passKey/.test(m) || m === "fido2SecurityKey");
  const hasPush = (u: User) => methodsOf(u).includes("microsoftAuthenticatorPush");
  /** The default method: the tenant's preferred one, else push > TOTP > SMS > voice (§5.4). */
  const defaultsToPhone = (u: User) => {
    if (u.preferredMethod) return /^(sms|voice)/.test(u.preferredMethod);
    const m = methodsOf(u);
    if (m.includes("microsoftAuthenticatorPush") || m.includes("softwareOneTimePasscode"))
      return false;
    return ["mobilePhone", "alternateMobilePhone", "officePhone"].some((p) => m.includes(p));
  };
  const upns = (users: User[]) => users.map((u) => u.userPrincipalName).sort();
  let api: TestApi;
  before(() => {
    api = testApi({}, tenant);
  });

  it("as generated (Microsoft managed, passkeys only for break-glass): Authenticator for SMS/voice users without push", () => {
    const expected = tenant.users.filter(
      // A passkey does not matter here: these users are not enabled for passkeys, so Microsoft
      // targets Authenticator, and a phone + passkey user still does MFA by SMS.
      (u) => u.accountEnabled && secondFactor(u) && !hasPush(u) && defaultsToPhone(u),
    );
    expect(prompted(api, "microsoftAuthenticator")).to.deep.equal(upns(expected));
    expect(prompted(api, "fido2")).to.deep.equal([]);
    expect(expected.length).to.be.greaterThan(2500);
  });

  it("after Microsoft's migration: a passkey for members without one, Authenticator for SMS/voice guests", () => {
    api.microsoftMigration({});
    const members = tenant.users.filter(
      (u) => u.accountEnabled && u.userType === "Member" && secondFactor(u) && !hasPasskey(u),
    );
    const guests = tenant.users.filter(
      (u) =>
        u.accountEnabled &&
        u.userType === "Guest" &&
        secondFactor(u) &&
        !hasPush(u) &&
        defaultsToPhone(u),
    );
    expect(prompted(api, "fido2")).to.deep.equal(upns(members));
    expect(prompted(api, "microsoftAuthenticator")).to.deep.equal(upns(guests));
  });
});
