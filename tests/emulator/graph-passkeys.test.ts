// The passkey (FIDO2) method configuration, passkey campaigns, the beta opt-out and Microsoft's
// 2026-09-01 migration, through the handlers (graph-contract-passkeys.md §1, §2, §4, §7).
import { expect } from "chai";
import { call, expectGraphError, get, groupId, testApi, type TestApi } from "./graph-harness";
import { MigrationRefused } from "../../emulator/graph/migration";
import { DEFAULT_PASSKEY_PROFILE_ID } from "../../emulator/graph/passkeys";
import { getToken, rawRequest, useEmulator } from "../support/emulator";

const POLICY = "/policies/authenticationMethodsPolicy";
const FIDO2 = `${POLICY}/authenticationMethodConfigurations/fido2`;
const FIDO2_TYPE = "#microsoft.graph.fido2AuthenticationMethodConfiguration";
const AUDITS = "/auditLogs/directoryAudits";

type Json = Record<string, unknown>;

interface Profile {
  id?: string;
  name: string;
  passkeyTypes: string;
  attestationEnforcement?: string;
  keyRestrictions?: Json;
}

const DEFAULT_PROFILE: Profile = {
  id: DEFAULT_PASSKEY_PROFILE_ID,
  name: "Default passkey profile",
  passkeyTypes: "deviceBound",
  attestationEnforcement: "registrationOnly",
  keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [] },
};

function patchFido2(api: TestApi, body: Json, version: "v1.0" | "beta" = "v1.0") {
  return call(api, "PATCH", FIDO2, { version, body: { "@odata.type": FIDO2_TYPE, ...body } });
}

function campaignOf(policy: Json): Json {
  return (policy.registrationEnforcement as Json).authenticationMethodsRegistrationCampaign as Json;
}

function patchCampaign(api: TestApi, campaign: Json) {
  return call(api, "PATCH", POLICY, {
    body: { registrationEnforcement: { authenticationMethodsRegistrationCampaign: campaign } },
  });
}

async function auditCount(api: TestApi): Promise<number> {
  return ((await get(api, `${AUDITS}?$top=999`)).value as unknown[]).length;
}

describe("graph handlers: the passkey (FIDO2) configuration (contract-passkeys §4)", () => {
  let api: TestApi;
  let pilot: string;
  beforeEach(async () => {
    api = testApi();
    pilot = await groupId(api, "pilot-authenticator-wave1");
  });

  for (const version of ["v1.0", "beta"] as const) {
    it(`GET on ${version}: the tenant's legacy settings migrated into the non-deletable default profile`, async () => {
      const fido2 = await get(api, FIDO2, { version });
      expect(fido2["@odata.type"]).to.equal(FIDO2_TYPE);
      expect(fido2.id).to.equal("Fido2");
      expect(fido2.defaultPasskeyProfile).to.equal(DEFAULT_PASSKEY_PROFILE_ID);
      // Attestation was enforced, which excludes synced passkeys (§4, WIKI).
      expect(fido2.passkeyProfiles).to.deep.equal([DEFAULT_PROFILE]);
      expect(fido2.isAttestationEnforced).to.equal(true);
      const targets = fido2.includeTargets as Json[];
      expect(targets).to.have.length(1);
      expect(targets[0].allowedPasskeyProfiles).to.deep.equal([DEFAULT_PASSKEY_PROFILE_ID]);
      // The same configuration inside the policy's collection.
      const policy = await get(api, POLICY, { version });
      const listed = (policy.authenticationMethodConfigurations as Json[]).find(
        (c) => c.id === "Fido2",
      ) as Json;
      expect(listed.passkeyProfiles).to.deep.equal(fido2.passkeyProfiles);
    });
  }

  it("a PATCH of passkeyProfiles replaces the whole set: a new profile gets an id, a left-out one is deleted", async () => {
    const pilotProfile: Profile = {
      name: "Pilot passkeys",
      passkeyTypes: "deviceBound,synced",
      attestationEnforcement: "disabled",
    };
    expect(
      (await patchFido2(api, { passkeyProfiles: [DEFAULT_PROFILE, pilotProfile] })).status,
    ).to.equal(204);
    const profiles = (await get(api, FIDO2)).passkeyProfiles as Profile[];
    expect(profiles.map((p) => p.name)).to.deep.equal([
      "Default passkey profile",
      "Pilot passkeys",
    ]);
    expect(profiles[1].id).to.match(/^[0-9a-f-]{36}$/);
    // Sent again without it: deleted.
    expect((await patchFido2(api, { passkeyProfiles: [DEFAULT_PROFILE] })).status).to.equal(204);
    expect((await get(api, FIDO2)).passkeyProfiles).to.deep.equal([DEFAULT_PROFILE]);
  });

  it("include targets name their profiles; a profile still assigned is refused deletion until unassigned", async () => {
    const extra: Profile = {
      name: "Pilot",
      passkeyTypes: "synced",
      attestationEnforcement: "disabled",
    };
    await patchFido2(api, { passkeyProfiles: [DEFAULT_PROFILE, extra] });
    const id = ((await get(api, FIDO2)).passkeyProfiles as Profile[])[1].id as string;
    const withTarget = [
      {
        id: pilot,
        targetType: "group",
        isRegistrationRequired: false,
        allowedPasskeyProfiles: [id],
      },
    ];
    expect((await patchFido2(api, { includeTargets: withTarget })).status).to.equal(204);
    await expectGraphError(
      patchFido2(api, { passkeyProfiles: [DEFAULT_PROFILE] }),
      400,
      "BadRequest",
      /passkey profile 'Pilot' is assigned to the include target/,
    );
    // Unassigning and deleting in one request is refused too, unless the switch allows it.
    const unassigned = [{ ...withTarget[0], allowedPasskeyProfiles: [DEFAULT_PASSKEY_PROFILE_ID] }];
    await expectGraphError(
      patchFido2(api, { passkeyProfiles: [DEFAULT_PROFILE], includeTargets: unassigned }),
      400,
      "BadRequest",
      /is assigned to the include target/,
    );
    api.configure({ passkeyProfileRemoval: "sameRequest" });
    expect(
      (await patchFido2(api, { passkeyProfiles: [DEFAULT_PROFILE], includeTargets: unassigned }))
        .status,
    ).to.equal(204);
    expect(((await get(api, FIDO2)).passkeyProfiles as Profile[]).map((p) => p.name)).to.deep.equal(
      ["Default passkey profile"],
    );
  });

  it("the documented error for an include target without profiles, and a target naming a missing profile", async () => {
    await expectGraphError(
      patchFido2(api, { includeTargets: [{ id: "all_users", targetType: "group" }] }),
      400,
      "badRequest",
      "Include conditions are missing passkey profile targets",
    );
    await expectGraphError(
      patchFido2(api, {
        includeTargets: [
          {
            id: "all_users",
            targetType: "group",
            allowedPasskeyProfiles: ["11111111-1111-1111-1111-111111111111"],
          },
        ],
      }),
      400,
      "BadRequest",
      /passkey profile '11111111-1111-1111-1111-111111111111' does not exist/,
    );
  });

  it("refuses what the service refuses, writing nothing: default profile deleted or renamed, 11 profiles, synced with attestation, unknown types, malformed AAGUIDs", async () => {
    const before = await get(api, FIDO2);
    const audits = await auditCount(api);
    const cases: [Json, RegExp][] = [
      [
        { passkeyProfiles: [{ name: "Only", passkeyTypes: "deviceBound" }] },
        /default passkey profile '00000000-0000-0000-0000-000000000001' cannot be deleted/,
      ],
      [{ passkeyProfiles: [{ ...DEFAULT_PROFILE, name: "Renamed" }] }, /cannot be renamed/],
      [
        {
          passkeyProfiles: [
            DEFAULT_PROFILE,
            ...Array.from({ length: 10 }, (_, i) => ({ name: `P${i}`, passkeyTypes: "synced" })),
          ],
        },
        /at most 10 passkey profiles, 11 were sent/,
      ],
      [
        {
          passkeyProfiles: [
            DEFAULT_PROFILE,
            { name: "Synced", passkeyTypes: "synced", attestationEnforcement: "registrationOnly" },
          ],
        },
        /synced passkeys, which cannot be used with attestationEnforcement 'registrationOnly'/,
      ],
      [
        { passkeyProfiles: [DEFAULT_PROFILE, { name: "X", passkeyTypes: "deviceBound,cloud" }] },
        /'deviceBound,cloud' is not a combination of deviceBound, synced/,
      ],
      [
        {
          passkeyProfiles: [
            DEFAULT_PROFILE,
            {
              name: "Keys",
              passkeyTypes: "deviceBound",
              keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: ["yubikey"] },
            },
          ],
        },
        /'yubikey' is not an AAGUID/,
      ],
      [
        {
          passkeyProfiles: [
            DEFAULT_PROFILE,
            { name: "default PASSKEY profile", passkeyTypes: "synced" },
          ],
        },
        /already used by another passkey profile/,
      ],
    ];
    for (const [body, message] of cases)
      await expectGraphError(patchFido2(api, body), 400, "BadRequest", message);
    expect(await get(api, FIDO2)).to.deep.equal(before);
    expect(await auditCount(api)).to.equal(audits);
  });

  it("the policy's own 20 KB budget answers the documented error with the excess in bytes", async () => {
    const targets = Array.from({ length: 200 }, (_, i) => ({
      id: `${String(i).padStart(8, "0")}-0000-4000-8000-000000000000`,
      targetType: "group",
      isRegistrationRequired: false,
      allowedPasskeyProfiles: [DEFAULT_PASSKEY_PROFILE_ID],
    }));
    const e = await expectGraphError(
      patchFido2(api, { includeTargets: targets }),
      400,
      "badRequest",
      /^Persistence of policy failed with error: Policy size is larger than allowed by \d+ bytes\. Please change your targeting to fewer groups or settings and try again\.$/,
    );
    const excess = Number(/by (\d+) bytes/.exec(e.message)?.[1]);
    expect(excess).to.be.greaterThan(0);
    // Under the budget by the same margin, it is stored.
    api.configure({ passkeyPolicySizeLimitBytes: 20480 + excess });
    expect((await patchFido2(api, { includeTargets: targets })).status).to.equal(204);
  });

  it("the deprecated top-level settings write through to the default profile and mirror it; sent beside passkeyProfiles, the profiles decide", async () => {
    expect((await patchFido2(api, { isAttestationEnforced: false })).status).to.equal(204);
    const fido2 = await get(api, FIDO2);
    expect((fido2.passkeyProfiles as Profile[])[0].attestationEnforcement).to.equal("disabled");
    expect(fido2.isAttestationEnforced).to.equal(false);
    // As Microsoft's update example sends them (answered 204): the deprecated fields disagree with
    // the default profile, which wins; they read back mirrored from it.
    const both = await patchFido2(api, {
      isAttestationEnforced: true,
      keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [] },
      passkeyProfiles: [{ ...DEFAULT_PROFILE, attestationEnforcement: "disabled" }],
    });
    expect(both.status).to.equal(204);
    const after = await get(api, FIDO2);
    expect((after.passkeyProfiles as Profile[])[0].attestationEnforcement).to.equal("disabled");
    expect(after.isAttestationEnforced).to.equal(false);
    expect(after.keyRestrictions).to.deep.equal(
      (after.passkeyProfiles as Profile[])[0].keyRestrictions,
    );
  });

  it("every accepted write is audited with the properties that changed", async () => {
    await patchFido2(api, {
      passkeyProfiles: [DEFAULT_PROFILE, { name: "Pilot", passkeyTypes: "synced" }],
    });
    const latest = ((await get(api, `${AUDITS}?$top=1`)).value as Json[])[0];
    expect(latest.activityDisplayName).to.equal("Authentication Methods Policy Update");
    const target = (latest.targetResources as Json[])[0];
    expect(target.id).to.equal("Fido2");
    const changed = (target.modifiedProperties as Json[]).map((p) => p.displayName);
    expect(changed).to.deep.equal(["passkeyProfiles"]);
  });

  it("the SMS and Voice configurations are readable with their state and scope (readiness reads them)", async () => {
    const sms = await get(api, `${POLICY}/authenticationMethodConfigurations/Sms`);
    expect(sms.state).to.equal("enabled");
    expect(sms.includeTargets).to.deep.equal([
      {
        targetType: "group",
        id: "all_users",
        isRegistrationRequired: false,
        isUsableForSignIn: false,
      },
    ]);
    const voice = await get(api, `${POLICY}/authenticationMethodConfigurations/Voice`, {
      as: "reader",
    });
    expect(voice.state).to.equal("disabled");
    expect(voice.includeTargets).to.have.length(1);
  });
});

describe("graph handlers: passkey campaigns and the beta opt-out (contract-passkeys §1, §2)", () => {
  let api: TestApi;
  beforeEach(() => {
    api = testApi();
  });

  const fido2Campaign = (method: string) => ({
    state: "enabled",
    snoozeDurationInDays: 1,
    includeTargets: [
      { id: "all_users", targetType: "group", targetedAuthenticationMethod: method },
    ],
  });

  it("the HOWTO's v1.0 example PATCH is accepted and read back as sent (open question 1: casing switchable)", async () => {
    expect((await patchCampaign(api, fido2Campaign("fido2"))).status).to.equal(200);
    const read = async () =>
      (campaignOf(await get(api, POLICY)).includeTargets as Json[])[0].targetedAuthenticationMethod;
    expect(await read()).to.equal("fido2");
    await patchCampaign(api, fido2Campaign("Fido2"));
    expect(await read()).to.equal("Fido2");
    api.configure({ campaignMethodCasing: "fido2" });
    await patchCampaign(api, fido2Campaign("FIDO2"));
    expect(await read()).to.equal("fido2");
    api.configure({ campaignMethodCasing: "Fido2" });
    await patchCampaign(api, fido2Campaign("fido2"));
    expect(await read()).to.equal("Fido2");
  });

  it("mixed methods in one campaign are refused by default and stored with the switch (open question 2)", async () => {
    const pilot = await groupId(api, "pilot-authenticator-wave1");
    const mixed = {
      includeTargets: [
        { id: "all_users", targetType: "group", targetedAuthenticationMethod: "fido2" },
        { id: pilot, targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" },
      ],
    };
    await expectGraphError(
      patchCampaign(api, mixed),
      400,
      "BadRequest",
      /same targetedAuthenticationMethod/,
    );
    api.configure({ mixedCampaignMethods: "store" });
    expect((await patchCampaign(api, mixed)).status).to.equal(200);
    const methods = (campaignOf(await get(api, POLICY)).includeTargets as Json[]).map(
      (t) => t.targetedAuthenticationMethod,
    );
    expect(methods).to.deep.equal(["fido2", "microsoftAuthenticator"]);
  });

  it("with managedCampaignEdits 'reject', a Microsoft-managed campaign's method cannot be set (open question 3)", async () => {
    api.configure({ managedCampaignEdits: "reject" });
    await expectGraphError(
      patchCampaign(api, {
        state: "default",
        includeTargets: fido2Campaign("fido2").includeTargets,
      }),
      400,
      "BadRequest",
      /targetedAuthenticationMethod 'fido2' cannot be configured while the campaign is Microsoft managed/,
    );
    // Targets naming the stored method (any casing) are still the admin's to change.
    const pilot = await groupId(api, "pilot-authenticator-wave1");
    const r = await patchCampaign(api, {
      includeTargets: [
        { id: pilot, targetType: "group", targetedAuthenticationMethod: "MicrosoftAuthenticator" },
      ],
    });
    expect(r.status).to.equal(200);
  });

  it("optOutSettings.passkeyDynamicMigration exists on beta only (open question 8)", async () => {
    expect((await get(api, POLICY, { version: "beta" })).optOutSettings).to.deep.equal({
      passkeyDynamicMigration: false,
    });
    expect(await get(api, POLICY)).not.to.have.property("optOutSettings");
    const body = { optOutSettings: { passkeyDynamicMigration: true } };
    await expectGraphError(
      call(api, "PATCH", POLICY, { body }),
      400,
      "BadRequest",
      /optOutSettings/,
    );
    const r = await call(api, "PATCH", POLICY, { version: "beta", body });
    expect(r.status).to.equal(200);
    expect((r.body as Json).optOutSettings).to.deep.equal({ passkeyDynamicMigration: true });
  });

  it("optOutSettings is updated alone, as Microsoft's only example sends it; beside the campaign it is refused unless configured", async () => {
    const body = {
      optOutSettings: { passkeyDynamicMigration: true },
      registrationEnforcement: { authenticationMethodsRegistrationCampaign: { state: "enabled" } },
    };
    await expectGraphError(
      call(api, "PATCH", POLICY, { version: "beta", body }),
      400,
      "BadRequest",
      /'optOutSettings' is updated in a PATCH of its own/,
    );
    api.configure({ optOutSettingsWithOthers: "accept" });
    expect((await call(api, "PATCH", POLICY, { version: "beta", body })).status).to.equal(200);
  });

  it("with managedCampaignEdits 'rejectSent', a Microsoft-managed campaign refuses snooze settings and methods even unchanged; targets sent without a method keep Microsoft's", async () => {
    api.microsoftMigration({});
    api.configure({ managedCampaignEdits: "rejectSent" });
    await expectGraphError(
      patchCampaign(api, { snoozeDurationInDays: 1 }),
      400,
      "BadRequest",
      /snoozeDurationInDays': it cannot be configured while the campaign is Microsoft managed/,
    );
    const pilot = await groupId(api, "pilot-authenticator-wave1");
    await expectGraphError(
      patchCampaign(api, {
        includeTargets: [{ id: pilot, targetType: "group", targetedAuthenticationMethod: "fido2" }],
      }),
      400,
      "BadRequest",
      /cannot be configured while the campaign is Microsoft managed/,
    );
    const r = await patchCampaign(api, {
      includeTargets: [{ id: pilot, targetType: "group" }],
    });
    expect(r.status).to.equal(200);
    const targets = (
      ((r.body as Json).registrationEnforcement as Json)
        .authenticationMethodsRegistrationCampaign as Json
    ).includeTargets as Json[];
    expect(targets.map((t) => String(t.targetedAuthenticationMethod).toLowerCase())).to.deep.equal([
      "fido2",
    ]);
  });
});

describe("emulator: Microsoft's 2026-09-01 migration, passkeys by default (contract-passkeys §2, §7)", () => {
  let api: TestApi;
  beforeEach(() => {
    api = testApi();
  });

  it("enables passkeys for the SMS users in a profile allowing every type and sets the campaign to Microsoft managed targeting passkeys", async () => {
    const audits = await auditCount(api);
    const result = api.microsoftMigration({});
    expect(result).to.include({
      migrated: true,
      passkeyProfileCreated: true,
      campaignChanged: true,
    });
    expect(result.enabledTargets).to.deep.equal([{ id: "all_users", targetType: "group" }]);
    const fido2 = await get(api, FIDO2);
    expect(fido2.state).to.equal("enabled");
    expect(fido2.isSelfServiceRegistrationAllowed).to.equal(true);
    const profiles = fido2.passkeyProfiles as Profile[];
    // The default profile enforces attestation (device-bound only), so a new one allows every type.
    expect(profiles[1]).to.deep.include({
      id: result.passkeyProfileId,
      name: "Passkeys by default",
      passkeyTypes: "deviceBound,synced",
      attestationEnforcement: "disabled",
    });
    const targets = fido2.includeTargets as Json[];
    expect(targets.find((t) => t.id === "all_users")).to.deep.include({
      allowedPasskeyProfiles: [result.passkeyProfileId],
    });
    const campaign = campaignOf(await get(api, POLICY, { version: "beta" }));
    expect(campaign).to.deep.include({
      state: "default",
      snoozeDurationInDays: 1,
      enforceRegistrationAfterAllowedSnoozes: false,
    });
    expect(campaign.includeTargets).to.deep.equal([
      { id: "all_users", targetType: "group", targetedAuthenticationMethod: "Fido2" },
    ]);
    // Two records: the policy (campaign) and the Fido2 configuration.
    expect(await auditCount(api)).to.equal(audits + 2);
    const latest = (await get(api, `${AUDITS}?$top=2`)).value as Json[];
    for (const record of latest) {
      expect(record.activityDisplayName).to.equal("Authentication Methods Policy Update");
      expect((record.initiatedBy as { app: Json }).app.displayName).to.equal(
        "Microsoft Entra passkeys by default",
      );
    }
  });

  it("is refused for a tenant that opted out, and changes nothing", async () => {
    await call(api, "PATCH", POLICY, {
      version: "beta",
      body: { optOutSettings: { passkeyDynamicMigration: true } },
    });
    const before = await get(api, POLICY, { version: "beta" });
    expect(() => api.microsoftMigration({})).to.throw(MigrationRefused, /opted out/);
    expect(await get(api, POLICY, { version: "beta" })).to.deep.equal(before);
  });

  it("changes nothing where no one is enabled for SMS or voice", async () => {
    await call(api, "PATCH", `${POLICY}/authenticationMethodConfigurations/Sms`, {
      body: {
        "@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration",
        state: "disabled",
      },
    });
    const before = await get(api, POLICY);
    expect(api.microsoftMigration({})).to.include({ migrated: false });
    expect(await get(api, POLICY)).to.deep.equal(before);
  });

  it("leaves a pinned campaign alone when asked to (the HOWTO's reading), still enabling passkeys", async () => {
    await patchCampaign(api, { state: "enabled" });
    const result = api.microsoftMigration({ respectPinnedCampaign: true });
    expect(result).to.include({ migrated: true, campaignChanged: false });
    expect(campaignOf(await get(api, POLICY)).state).to.equal("enabled");
    expect((await get(api, FIDO2)).state).to.equal("enabled");
  });

  it("under managedCampaignReadback 'microsoftDecides', GET shows the method Microsoft picks (open question 3)", async () => {
    api.configure({ managedCampaignReadback: "microsoftDecides" });
    // Before: passkeys are enabled only for the break-glass group and attested device-bound keys
    // are eligible, but the campaign's all_users overlaps: Microsoft targets passkeys.
    const managed = campaignOf(await get(api, POLICY, { version: "beta" }));
    expect((managed.includeTargets as Json[])[0].targetedAuthenticationMethod).to.equal("Fido2");
    expect(managed).to.include({
      snoozeDurationInDays: 1,
      enforceRegistrationAfterAllowedSnoozes: false,
    });
    // Self-service off: no one can be nudged to a passkey, so Microsoft targets Authenticator.
    await patchFido2(api, { isSelfServiceRegistrationAllowed: false });
    const authenticator = campaignOf(await get(api, POLICY, { version: "beta" }));
    expect((authenticator.includeTargets as Json[])[0].targetedAuthenticationMethod).to.equal(
      "microsoftAuthenticator",
    );
    expect(authenticator).to.include({ enforceRegistrationAfterAllowedSnoozes: true });
  });
});

describe("emulator: POST /_emulator/microsoft-migration over HTTPS", () => {
  const emulator = useEmulator({ resetEachTest: true });

  it("answers what changed, then refuses an opted-out tenant with the reason", async () => {
    const done = await rawRequest(emulator, {
      method: "POST",
      path: "/_emulator/microsoft-migration",
      body: {},
    });
    expect(done.status).to.equal(200);
    expect(done.json).to.deep.include({ migrated: true, campaignChanged: true });
    emulator.reset();
    const writer = await getToken(emulator, "writer");
    const optOut = await rawRequest(emulator, {
      method: "PATCH",
      path: "/beta/policies/authenticationMethodsPolicy",
      token: writer,
      body: { optOutSettings: { passkeyDynamicMigration: true } },
    });
    expect(optOut.status).to.equal(200);
    const refused = await rawRequest(emulator, {
      method: "POST",
      path: "/_emulator/microsoft-migration",
      body: {},
    });
    expect(refused.status).to.equal(400);
    expect((refused.json as { error: { message: string } }).error.message).to.match(
      /opted out of passkeys by default .* until 2027-02-01/,
    );
  });
});
