// A declared PasskeyPolicy applied to the tenant's passkey configuration (declaredPasskey, through
// declaredConfiguration): what eligibility sees after `pulumi up`, from a stack's recorded inputs,
// a state file or a declaration file, with the resource's own validation.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import {
  declarationFromProposalFile as declarationFromFile,
  declarationFromState,
  type Declaration,
} from "../../provider/declaration";
import { ReportError } from "../../provider/errors";
import { declaredConfiguration, declaredSingletons } from "../../provider/impact";
import { computeImpact } from "../../provider/impact/impact";
import type { FullConfiguration, TenantScan } from "../../provider/eligibility/scan";
import {
  evaluateUser,
  parseArgs,
  passkeyEligibility,
  passkeyFromGraph,
  type PasskeySettings,
  type UserFacts,
} from "../../provider/model";

const PILOT = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31";
const OTHER = "2fbb5b75-4b8e-581b-9aaa-28ef3cb88c74";
const DEFAULT_PROFILE = "00000000-0000-0000-0000-000000000001";
const PILOT_PROFILE = "7d9c3b1e-5a2f-4c8e-9b1d-2e3f4a5b6c7d";
/** An AAGUID that is no qualifying passkey provider (a YubiKey 5). */
const YUBIKEY = "cb69481e-8ff7-4039-93ec-0a2729a154a8";

/** The tenant: passkeys disabled, the default profile and a "Pilot" profile Graph gave an id. */
function tenant(state = "disabled", campaignState = "enabled"): FullConfiguration {
  return {
    campaign: {
      state: campaignState,
      snoozeDurationInDays: 1,
      includeTargets: [
        {
          id: "all_users",
          targetType: "group",
          ...(campaignState === "enabled" ? { targetedAuthenticationMethod: "fido2" } : {}),
        },
      ],
      excludeTargets: [],
    },
    authenticator: {
      state: "enabled",
      includeTargets: [
        {
          id: "all_users",
          targetType: "group",
          authenticationMode: "any",
          isRegistrationRequired: false,
        },
      ],
      excludeTargets: [],
    },
    passkey: passkeyEligibility(
      passkeyFromGraph({
        state,
        isSelfServiceRegistrationAllowed: true,
        defaultPasskeyProfile: DEFAULT_PROFILE,
        passkeyProfiles: [
          {
            id: DEFAULT_PROFILE,
            name: "Default passkey profile",
            passkeyTypes: "deviceBound,synced",
          },
          { id: PILOT_PROFILE, name: "Pilot", passkeyTypes: "synced" },
        ],
        includeTargets: [
          { id: "all_users", targetType: "group", allowedPasskeyProfiles: [DEFAULT_PROFILE] },
        ],
        excludeTargets: [],
      }),
    ),
  } as unknown as FullConfiguration;
}

/** A stack "dev" declaring the PasskeyPolicy, with the outputs (profile ids) `up` recorded. */
function declaring(passkey: unknown, outputs: Partial<PasskeySettings> = {}): Declaration {
  const declared = parseArgs("PasskeyPolicy", passkey);
  return {
    source: { stack: "dev", cwd: "." },
    name: "stack dev",
    resources: [
      {
        kind: "PasskeyPolicy",
        urn: "urn:pulumi:dev::p::pulumi-nodejs:dynamic/entra-nudge:PasskeyPolicy::passkeys",
        name: "passkeys",
        id: "t/fido2",
        inputs: declared as unknown as Record<string, unknown>,
        outputs: { ...declared, ...outputs },
        declared,
      },
    ],
    breakGlassGroups: [],
    config: () => undefined,
  };
}

/** A phone-only member of the pilot group, and one of another group. */
const inPilot: UserFacts = {
  id: "bb1d6c17-7043-5689-a17d-aa610e2a4115",
  userType: "member",
  groupIds: new Set([PILOT]),
  methodsRegistered: ["mobilePhone"],
  isMfaRegistered: true,
};
const elsewhere: UserFacts = { ...inPilot, id: "1", groupIds: new Set([OTHER]) };

function outcome(user: UserFacts, declaration: Declaration, current = tenant()) {
  const result = evaluateUser(user, declaredConfiguration(declaration, current));
  return result.nudged ? result.method : result.reason;
}

describe("impact/readiness --stack: a declared PasskeyPolicy applied to the tenant", () => {
  it("enables passkeys for the declared group only: its members are nudged to a passkey, no one else", () => {
    const declaration = declaring({
      state: "enabled",
      includeTargets: [{ id: PILOT, targetType: "group" }],
    });
    // The tenant's own configuration (disabled) nudges nobody to a passkey.
    expect(evaluateUser(inPilot, tenant()).nudged).to.equal(false);
    expect(outcome(inPilot, declaration)).to.equal("fido2");
    expect(outcome(elsewhere, declaration)).to.equal("notEnabledForPasskeys");
    const passkey = declaredConfiguration(declaration, tenant()).passkey;
    // Profiles are not declared: the tenant's stay; the target gets the default profile.
    expect(passkey?.passkeyProfiles.map((p) => p.id)).to.deep.equal([
      DEFAULT_PROFILE,
      PILOT_PROFILE,
    ]);
    expect(passkey?.includeTargets).to.deep.equal([
      { id: PILOT, targetType: "group", allowedPasskeyProfiles: [DEFAULT_PROFILE] },
    ]);
  });

  it("impact --json's configuration shows the passkey part of each side: state, self-service, targets, profiles", () => {
    const declaration = declaring({
      state: "enabled",
      includeTargets: [{ id: PILOT, targetType: "group" }],
    });
    const current = tenant();
    const scan = {
      current,
      phoneMethods: {
        sms: { state: "enabled", includeTargets: [], excludeTargets: [] },
        voice: { state: "disabled", includeTargets: [], excludeTargets: [] },
      },
      users: [],
      groups: new Map(),
      scannedAt: "2026-12-03T20:00:00.000Z",
      stats: {
        users: 0,
        groups: 0,
        requests: 0,
        reportRequests: 0,
        reportWaitMs: 0,
        durationMs: 0,
      },
    } as TenantScan;
    const report = computeImpact(scan, {
      declared: declaredConfiguration(declaration, current),
      declaredSource: "file declared.json",
    });
    const declared = report.declared.configuration.passkey;
    expect(declared.state).to.equal("enabled");
    expect(declared.isSelfServiceRegistrationAllowed).to.equal(
      current.passkey.isSelfServiceRegistrationAllowed,
    );
    expect(declared.includeTargets).to.deep.equal([
      { id: PILOT, targetType: "group", allowedPasskeyProfiles: [DEFAULT_PROFILE] },
    ]);
    expect(declared.passkeyProfiles.map((p) => p.id)).to.deep.equal([
      DEFAULT_PROFILE,
      PILOT_PROFILE,
    ]);
    expect(declared.defaultPasskeyProfile).to.equal(DEFAULT_PROFILE);
    expect(report.current.configuration.passkey.state).to.equal("disabled");
    // JSON as printed: no Set or undefined that would vanish.
    expect(JSON.parse(JSON.stringify(declared))).to.deep.equal(declared);
  });

  it("the reverse: declared disabled, or self-service setup off, stops the tenant's passkey nudges", () => {
    const current = tenant("enabled");
    expect(evaluateUser(inPilot, current)).to.deep.include({ nudged: true, method: "fido2" });
    expect(outcome(inPilot, declaring({ state: "disabled" }), current)).to.equal(
      "notEnabledForPasskeys",
    );
    expect(
      outcome(
        inPilot,
        declaring({ state: "enabled", isSelfServiceRegistrationAllowed: false }),
        current,
      ),
    ).to.equal("selfServiceOff");
    // Excluding the group.
    expect(
      outcome(
        inPilot,
        declaring({ state: "enabled", excludeTargets: [{ id: PILOT, targetType: "group" }] }),
        current,
      ),
    ).to.equal("notEnabledForPasskeys");
  });

  it("resolves profile names to the tenant's ids, and keeps the default profile when the set is declared", () => {
    const declaration = declaring({
      state: "enabled",
      passkeyProfiles: [{ name: "Pilot", passkeyTypes: ["synced"] }],
      includeTargets: [{ id: PILOT, targetType: "group", allowedPasskeyProfiles: ["Pilot"] }],
    });
    const passkey = declaredConfiguration(declaration, tenant()).passkey;
    expect(passkey?.includeTargets[0].allowedPasskeyProfiles).to.deep.equal([PILOT_PROFILE]);
    expect(passkey?.passkeyProfiles.map((p) => [p.id, p.passkeyTypes])).to.have.deep.members([
      [PILOT_PROFILE, ["synced"]],
      [DEFAULT_PROFILE, ["deviceBound", "synced"]],
    ]);
    expect(outcome(inPilot, declaration)).to.equal("fido2");
  });

  it("a profile Graph has not created yet counts by its declared settings (Microsoft managed: an allow-list of no qualifying provider falls back to Authenticator)", () => {
    const restricted = declaring({
      state: "enabled",
      passkeyProfiles: [
        {
          name: "Keys only",
          passkeyTypes: ["deviceBound"],
          keyRestrictions: { enforcementType: "allow", aaGuids: [YUBIKEY] },
        },
      ],
      includeTargets: [{ id: PILOT, targetType: "group", allowedPasskeyProfiles: ["Keys only"] }],
    });
    const managed = tenant("disabled", "default");
    expect(outcome(inPilot, restricted, managed)).to.equal("microsoftAuthenticator");
    // The same profile unrestricted is eligible under Microsoft management.
    const open = declaring({
      state: "enabled",
      passkeyProfiles: [{ name: "Keys only", passkeyTypes: ["deviceBound"] }],
      includeTargets: [{ id: PILOT, targetType: "group", allowedPasskeyProfiles: ["Keys only"] }],
    });
    expect(outcome(inPilot, open, managed)).to.equal("fido2");
    // An enabled campaign checks no profile eligibility (HOWTO): nudged either way.
    expect(outcome(inPilot, restricted)).to.equal("fido2");
  });

  it("uses the ids a stack recorded for its profiles (passkeyProfileIds)", () => {
    const declaration = declaring(
      {
        state: "enabled",
        passkeyProfiles: [{ name: "Wave 2", passkeyTypes: ["synced"] }],
        includeTargets: [{ id: PILOT, targetType: "group", allowedPasskeyProfiles: ["Wave 2"] }],
      },
      { passkeyProfileIds: { "Wave 2": "AB3C1E2D-0000-4000-8000-000000000002" } },
    );
    expect(
      declaredConfiguration(declaration, tenant()).passkey?.includeTargets[0]
        .allowedPasskeyProfiles,
    ).to.deep.equal(["ab3c1e2d-0000-4000-8000-000000000002"]);
  });

  it("refuses a reference to no profile, naming the property and the fix", () => {
    const declaration = declaring({
      state: "enabled",
      includeTargets: [{ id: PILOT, targetType: "group", allowedPasskeyProfiles: ["Wave 3"] }],
    });
    expect(() => declaredConfiguration(declaration, tenant()))
      .to.throw(ReportError)
      .with.property("message")
      .that.includes("stack dev: PasskeyPolicy includeTargets[0].allowedPasskeyProfiles")
      .and.includes('"Wave 3" names no passkey profile of the tenant')
      .and.includes('"Default passkey profile", "Pilot"');
  });
});

describe("declarations of a PasskeyPolicy: files and stack exports", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-passkey-declaration-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: unknown) => {
    fs.writeFileSync(path.join(dir, name), JSON.stringify(content));
    return name;
  };

  it("a file's \"passkey\" key holds PasskeyPolicy arguments, checked with the resource's rules", () => {
    const file = write("ok.json", {
      passkey: { state: "enabled", includeTargets: [{ id: PILOT, targetType: "group" }] },
    });
    const declaration = declarationFromFile(file, dir, {});
    expect(declaredSingletons(declaration).passkey).to.deep.include({
      state: "enabled",
      isSelfServiceRegistrationAllowed: true,
    });
    expect(declaredSingletons(declaration).passkey).to.not.have.property("onDelete");
    const bad = write("bad.json", {
      passkey: { state: "on", passkeyProfiles: [{ name: "P", passkeyTypes: ["cloud"] }] },
    });
    let error: unknown;
    try {
      declarationFromFile(bad, dir, {});
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(ReportError);
    expect((error as Error).message)
      .to.include("--declaration bad.json")
      .and.include("passkeyProfiles[0].passkeyTypes[0]")
      .and.include('Use ["deviceBound"], ["synced"] or ["deviceBound", "synced"]');
    write("typo.json", { passkeys: {} });
    expect(() => declarationFromFile("typo.json", dir, {})).to.throw(
      /unknown key\(s\) passkeys\. .*"passkey" \(PasskeyPolicy arguments\)/,
    );
  });

  it("a stack export's PasskeyPolicy: its canonical inputs, with the profile ids its outputs record", () => {
    const type = "pulumi-nodejs:dynamic/entra-nudge:PasskeyPolicy";
    const inputs = {
      state: "enabled",
      isSelfServiceRegistrationAllowed: true,
      passkeyProfiles: [
        { name: "Pilot", passkeyTypes: ["synced"], attestationEnforcement: "disabled" },
      ],
      includeTargets: [
        {
          id: PILOT,
          targetType: "group",
          isRegistrationRequired: false,
          allowedPasskeyProfiles: ["Pilot"],
        },
      ],
      excludeTargets: [],
      onDelete: "restore",
    };
    const declaration = declarationFromState(
      {
        deployment: {
          resources: [
            {
              urn: `urn:pulumi:dev::p::${type}::passkeys`,
              type,
              id: "t/fido2",
              inputs,
              outputs: {
                ...inputs,
                passkeyProfileIds: {
                  "Default passkey profile": DEFAULT_PROFILE,
                  Pilot: PILOT_PROFILE,
                },
                defaultPasskeyProfile: DEFAULT_PROFILE,
              },
            },
          ],
        },
      },
      { stack: "dev", cwd: "." },
    );
    expect(declaredSingletons(declaration).passkey).to.deep.include({ state: "enabled" });
    expect(declaredSingletons(declaration).passkey?.passkeyProfileIds).to.deep.include({
      Pilot: PILOT_PROFILE,
    });
    expect(outcome(inPilot, declaration)).to.equal("fido2");
    expect(outcome(elsewhere, declaration)).to.equal("notEnabledForPasskeys");
  });
});
