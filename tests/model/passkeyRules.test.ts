// The passkey policy's rules in the model alone (provider/model/passkey.ts): what a declaration of
// profiles, attestation, key restrictions and passkey types may say (each refusal names the
// property and the fix), what Graph's answer means, and the PATCH bodies a declaration becomes
// (profiles created before a target names them, the default profile kept, a profile still assigned
// deleted last). The emulator-backed suites (tests/e2e/passkeys.test.ts, tests/resources/) test the
// same writes against a tenant; these need none, so the mutation run (docs/reliability.md) uses them.
import {
  PasskeyReferenceError,
  diffPasskey,
  normalizePasskeyArgs,
  parseArgs,
  passkeyFromGraph,
  passkeyMainPatches,
  passkeyProfilesFirstPatch,
  passkeyWeakenings,
  validatePasskeyArgs,
  type GraphFido2Configuration,
  type PasskeySettings,
} from "../../provider/model";
import { G1, G2, expect } from "./support";

const DEFAULT_ID = "00000000-0000-0000-0000-000000000001";
const PILOT_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const OLD_ID = "a1b2c3d4-0000-4000-8000-0000000000aa";
const AAGUID = "de1e552d-db1d-4423-a619-566b625cdc84";
const AAGUID2 = "cb69481e-8ff7-4039-93ec-0a2729a154a8";

/** The problems for a declaration, as "property: message" lines. */
function problems(args: Record<string, unknown>): string[] {
  return validatePasskeyArgs({ state: "enabled", ...args }).map((p) => p.message);
}
const withProfile = (profile: Record<string, unknown>) =>
  problems({ passkeyProfiles: [{ name: "Pilot", passkeyTypes: ["deviceBound"], ...profile }] });

describe("passkey profiles: what a declaration may say", () => {
  it("a complete declaration has no problem", () => {
    expect(
      problems({
        isSelfServiceRegistrationAllowed: true,
        passkeyProfiles: [
          {
            name: "Pilot",
            passkeyTypes: ["deviceBound"],
            attestationEnforcement: "registrationOnly",
            keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [AAGUID] },
          },
          { name: "Everyone", passkeyTypes: ["deviceBound", "synced"] },
        ],
        includeTargets: [
          { id: G1, targetType: "group", allowedPasskeyProfiles: ["pilot", DEFAULT_ID] },
          { id: G2, targetType: "group", isRegistrationRequired: true },
        ],
      }),
    ).to.deep.equal([]);
  });

  it("the profile list: a list of at most 10 objects with unique names", () => {
    expect(problems({ passkeyProfiles: "Pilot" })).to.deep.equal([
      `passkeyProfiles: "Pilot" is not a list. Use e.g. [{ name: "Pilot", passkeyTypes: ["deviceBound", "synced"] }].`,
    ]);
    const eleven = Array.from({ length: 11 }, (_, i) => ({
      name: `P${i}`,
      passkeyTypes: ["deviceBound"],
    }));
    expect(problems({ passkeyProfiles: eleven })).to.deep.equal([
      "passkeyProfiles: declares 11 profiles; a tenant can have at most 10 (the default profile included). Merge profiles that allow the same passkeys.",
    ]);
    expect(problems({ passkeyProfiles: eleven.slice(0, 10) })).to.deep.equal([]);
    expect(problems({ passkeyProfiles: ["Pilot"] })[0]).to.match(
      /^passkeyProfiles\[0\]: "Pilot" is not a passkey profile/,
    );
    expect(withProfile({ name: "" })[0]).to.match(/^passkeyProfiles\[0\]\.name: is required/);
    expect(withProfile({ name: 3 })[0]).to.match(/^passkeyProfiles\[0\]\.name: is required/);
    expect(
      problems({
        passkeyProfiles: [
          { name: "Pilot", passkeyTypes: ["deviceBound"] },
          { name: "PILOT", passkeyTypes: ["synced"] },
        ],
      }),
    ).to.deep.equal([
      `passkeyProfiles[1].name: "PILOT" is used by another profile. Profile names must be unique.`,
    ]);
    expect(withProfile({ colour: "blue" })[0]).to.match(/^passkeyProfiles\[0\]\.colour: /);
  });

  it("passkey types: required, a non-empty list of deviceBound and synced, with a suggestion for a near miss", () => {
    const fix = `Use ["deviceBound"], ["synced"] or ["deviceBound", "synced"].`;
    expect(withProfile({ passkeyTypes: undefined })).to.deep.equal([
      `passkeyProfiles[0].passkeyTypes: is required. ${fix}`,
    ]);
    expect(withProfile({ passkeyTypes: [] })).to.deep.equal([
      `passkeyProfiles[0].passkeyTypes: [] is not a list of passkey types. ${fix}`,
    ]);
    expect(withProfile({ passkeyTypes: "synced" })[0]).to.match(/is not a list of passkey types/);
    expect(withProfile({ passkeyTypes: ["deviceBound", "Device-Bound"] })).to.deep.equal([
      `passkeyProfiles[0].passkeyTypes[1]: "Device-Bound" is not a passkey type. Did you mean "deviceBound"? ${fix}`,
    ]);
    expect(withProfile({ passkeyTypes: ["cloud"] })).to.deep.equal([
      `passkeyProfiles[0].passkeyTypes[0]: "cloud" is not a passkey type. ${fix}`,
    ]);
    expect(withProfile({ passkeyTypes: [7] })[0]).to.match(
      /^passkeyProfiles\[0\]\.passkeyTypes\[0\]: 7 is not/,
    );
  });

  it("attestation: disabled or registrationOnly, and never registrationOnly with synced passkeys", () => {
    expect(withProfile({ attestationEnforcement: "disabled" })).to.deep.equal([]);
    expect(withProfile({ attestationEnforcement: "always" })[0]).to.match(
      /^passkeyProfiles\[0\]\.attestationEnforcement: /,
    );
    expect(
      withProfile({
        passkeyTypes: ["deviceBound", "synced"],
        attestationEnforcement: "registrationOnly",
      }),
    ).to.deep.equal([
      `passkeyProfiles[0].attestationEnforcement: "registrationOnly" cannot be used with synced passkeys, which cannot be attested. Set attestationEnforcement to "disabled", or allow only passkeyTypes ["deviceBound"].`,
    ]);
    expect(
      withProfile({ passkeyTypes: ["synced"], attestationEnforcement: "disabled" }),
    ).to.deep.equal([]);
  });

  it("key restrictions: an object with an enforcement type and a list of AAGUIDs; an empty allow list is refused", () => {
    const at = "passkeyProfiles[0].keyRestrictions";
    expect(withProfile({ keyRestrictions: "yubikey" })).to.deep.equal([
      `${at}: "yubikey" is not an object. Use { enforcementType: "allow", aaGuids: ["<AAGUID>"] }.`,
    ]);
    expect(
      withProfile({ keyRestrictions: { enforcementType: "block", aaGuids: [] } }),
    ).to.deep.equal([]);
    expect(
      withProfile({ keyRestrictions: { enforcementType: "allow", aaGuids: [] } }),
    ).to.deep.equal([
      `${at}.aaGuids: is empty with enforcementType "allow", so no passkey could be registered. List the AAGUIDs to allow, or remove keyRestrictions.`,
    ]);
    expect(
      withProfile({ keyRestrictions: { enforcementType: "allow", aaGuids: AAGUID } }),
    ).to.deep.equal([
      `${at}.aaGuids: "${AAGUID}" is not a list. Use a list of AAGUIDs such as ["de1e552d-db1d-4423-a619-566b625cdc84"].`,
    ]);
    expect(
      withProfile({
        keyRestrictions: { enforcementType: "allow", aaGuids: [AAGUID, "yubikey-5", 5] },
      }),
    ).to.deep.equal([
      `${at}.aaGuids[1]: "yubikey-5" is not an AAGUID. An AAGUID is a GUID such as "de1e552d-db1d-4423-a619-566b625cdc84" (the authenticator model's id).`,
      `${at}.aaGuids[2]: 5 is not an AAGUID. An AAGUID is a GUID such as "de1e552d-db1d-4423-a619-566b625cdc84" (the authenticator model's id).`,
    ]);
    expect(withProfile({ keyRestrictions: { aaGuids: [AAGUID] } })[0]).to.match(
      new RegExp(`^${at.replace(/[[\].]/g, "\\$&")}\\.enforcementType: `),
    );
    expect(
      withProfile({
        keyRestrictions: { enforcementType: "allow", aaGuids: [AAGUID], isEnforced: "yes" },
      })[0],
    ).to.match(
      /keyRestrictions\.isEnforced: .*Use true \(the default when keyRestrictions is declared\)/,
    );
    expect(
      withProfile({
        keyRestrictions: { enforcementType: "allow", aaGuids: [AAGUID], models: [] },
      })[0],
    ).to.match(/keyRestrictions\.models: /);
  });

  it("a target's profiles: a non-empty list of declared names or ids", () => {
    const target = (allowedPasskeyProfiles: unknown) =>
      withProfile({}).concat(
        problems({
          passkeyProfiles: [{ name: "Pilot", passkeyTypes: ["deviceBound"] }],
          includeTargets: [{ id: G1, targetType: "group", allowedPasskeyProfiles }],
        }),
      );
    const at = "includeTargets[0].allowedPasskeyProfiles";
    expect(target([])[0]).to.match(
      new RegExp(
        `^${at.replace(/[[\].]/g, "\\$&")}: \\[\\] is not a list of profile names\\. Name at least one profile`,
      ),
    );
    expect(target("Pilot")[0]).to.match(/is not a list of profile names/);
    expect(target([""])).to.deep.equal([`${at}[0]: "" is not a profile name or id.`]);
    expect(target(["Pilot", "Everyone"])).to.deep.equal([
      `${at}[1]: "Everyone" names no profile in passkeyProfiles. Add a profile with this name, or name one of: pilot.`,
    ]);
    // An id is checked against the tenant before the write, not here.
    expect(target([PILOT_ID])).to.deep.equal([]);
    // Without declared profiles, any name may be the tenant's.
    expect(
      problems({
        includeTargets: [{ id: G1, targetType: "group", allowedPasskeyProfiles: ["Any"] }],
      }),
    ).to.deep.equal([]);
  });
});

describe("passkey policy: the canonical forms", () => {
  it("a declaration: types and AAGUIDs sorted and de-duplicated, restrictions enforced unless said, all users by default", () => {
    const canonical = normalizePasskeyArgs({
      state: "enabled",
      passkeyProfiles: [
        {
          name: "Pilot",
          passkeyTypes: ["synced", "deviceBound", "synced"],
          keyRestrictions: { enforcementType: "allow", aaGuids: [AAGUID.toUpperCase(), AAGUID2] },
        },
        { name: "Everyone", passkeyTypes: ["deviceBound"], attestationEnforcement: "disabled" },
      ],
    });
    expect(canonical).to.deep.include({
      isSelfServiceRegistrationAllowed: true,
      includeTargets: [{ id: "all_users", targetType: "group", isRegistrationRequired: false }],
      excludeTargets: [],
      onDelete: "restore",
    });
    expect(canonical.passkeyProfiles).to.deep.equal([
      { name: "Everyone", passkeyTypes: ["deviceBound"], attestationEnforcement: "disabled" },
      {
        name: "Pilot",
        passkeyTypes: ["deviceBound", "synced"],
        keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [AAGUID2, AAGUID] },
      },
    ]);
    const target = normalizePasskeyArgs({
      state: "enabled",
      isSelfServiceRegistrationAllowed: false,
      includeTargets: [
        {
          id: G1.toUpperCase(),
          targetType: "group",
          allowedPasskeyProfiles: ["Pilot", "Everyone"],
        },
      ],
      excludeTargets: [{ id: G2.toUpperCase(), targetType: "group" }],
    });
    expect(target).to.deep.include({
      isSelfServiceRegistrationAllowed: false,
      includeTargets: [
        {
          id: G1,
          targetType: "group",
          isRegistrationRequired: false,
          allowedPasskeyProfiles: ["Everyone", "Pilot"],
        },
      ],
      excludeTargets: [{ id: G2, targetType: "group" }],
    });
    expect(target).not.to.have.property("passkeyProfiles");
  });

  it("Graph's answer: the types string split, Graph's defaults for what it leaves out, the default profile and ids by name", () => {
    const read = passkeyFromGraph({
      state: "enabled",
      isSelfServiceRegistrationAllowed: true,
      passkeyProfiles: [
        {
          id: PILOT_ID.toUpperCase(),
          name: "Pilot",
          passkeyTypes: " synced , deviceBound",
          keyRestrictions: { aaGuids: [AAGUID.toUpperCase()] },
        },
        {
          id: DEFAULT_ID,
          name: "Default passkey profile",
          attestationEnforcement: "registrationOnly",
        },
      ],
      includeTargets: [
        {
          id: G1.toUpperCase(),
          targetType: "group",
          allowedPasskeyProfiles: [PILOT_ID.toUpperCase()],
        },
        { id: "all_users" },
      ],
      excludeTargets: [{ id: G2 }],
    } as GraphFido2Configuration);
    expect(read.passkeyProfiles).to.deep.equal([
      {
        id: DEFAULT_ID,
        name: "Default passkey profile",
        passkeyTypes: [],
        attestationEnforcement: "registrationOnly",
      },
      {
        id: PILOT_ID,
        name: "Pilot",
        passkeyTypes: ["deviceBound", "synced"],
        attestationEnforcement: "disabled",
        keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [AAGUID] },
      },
    ]);
    expect(read.includeTargets).to.deep.include.members([
      {
        id: G1,
        targetType: "group",
        isRegistrationRequired: false,
        allowedPasskeyProfiles: [PILOT_ID],
      },
      {
        id: "all_users",
        targetType: "unknownFutureValue",
        isRegistrationRequired: false,
        allowedPasskeyProfiles: [],
      },
    ]);
    expect(read.excludeTargets).to.deep.equal([{ id: G2, targetType: "unknownFutureValue" }]);
    expect(read.defaultPasskeyProfile).to.equal(DEFAULT_ID);
    expect(read.passkeyProfileIds).to.deep.equal({
      "Default passkey profile": DEFAULT_ID,
      Pilot: PILOT_ID,
    });
    expect(passkeyFromGraph({} as GraphFido2Configuration)).to.deep.include({
      state: "disabled",
      isSelfServiceRegistrationAllowed: false,
      defaultPasskeyProfile: DEFAULT_ID,
    });
  });

  it("references by name or id compare equal; restrictions that are not enforced are none", () => {
    const tenant = passkeyFromGraph({
      state: "enabled",
      isSelfServiceRegistrationAllowed: true,
      defaultPasskeyProfile: DEFAULT_ID,
      passkeyProfiles: [
        {
          id: DEFAULT_ID,
          name: "Default",
          passkeyTypes: "deviceBound",
          attestationEnforcement: "disabled",
        },
        {
          id: PILOT_ID,
          name: "Pilot",
          passkeyTypes: "deviceBound",
          attestationEnforcement: "disabled",
          keyRestrictions: { isEnforced: false, enforcementType: "allow", aaGuids: [AAGUID] },
        },
      ],
      includeTargets: [
        {
          id: G1,
          targetType: "group",
          isRegistrationRequired: false,
          allowedPasskeyProfiles: [PILOT_ID],
        },
      ],
      excludeTargets: [],
    });
    const declaration = (refs: string[], restrictions?: object) =>
      parseArgs("PasskeyPolicy", {
        state: "enabled",
        passkeyProfiles: [
          {
            name: "Pilot",
            passkeyTypes: ["deviceBound"],
            attestationEnforcement: "disabled",
            ...(restrictions ? { keyRestrictions: restrictions } : {}),
          },
        ],
        includeTargets: [{ id: G1, targetType: "group", allowedPasskeyProfiles: refs }],
      });
    expect(diffPasskey(declaration(["Pilot"]), tenant)).to.deep.equal([]);
    expect(diffPasskey(declaration([PILOT_ID.toUpperCase()]), tenant)).to.deep.equal([]);
    expect(
      diffPasskey(
        declaration(["Pilot"], { isEnforced: false, enforcementType: "block", aaGuids: [] }),
        tenant,
      ),
    ).to.deep.equal([]);
    const enforced = diffPasskey(
      declaration(["Pilot"], { enforcementType: "allow", aaGuids: [AAGUID] }),
      tenant,
    );
    expect(enforced.map((c) => c.property)).to.deep.equal([
      "passkeyProfiles[Pilot].keyRestrictions",
    ]);
    // An id resolves to the tenant's name for it.
    expect(diffPasskey(declaration([DEFAULT_ID]), tenant).map((c) => c.property)).to.deep.equal([
      `includeTargets[${G1}].allowedPasskeyProfiles[Default]`,
      `includeTargets[${G1}].allowedPasskeyProfiles[Pilot]`,
    ]);
  });
});

describe("passkey policy: the PATCH bodies", () => {
  const tenant = (): PasskeySettings =>
    passkeyFromGraph({
      state: "enabled",
      isSelfServiceRegistrationAllowed: true,
      defaultPasskeyProfile: DEFAULT_ID,
      passkeyProfiles: [
        {
          id: DEFAULT_ID,
          name: "Default",
          passkeyTypes: "deviceBound",
          attestationEnforcement: "disabled",
        },
        {
          id: OLD_ID,
          name: "Old",
          passkeyTypes: "deviceBound",
          attestationEnforcement: "registrationOnly",
          keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [AAGUID] },
        },
      ],
      includeTargets: [
        {
          id: G2,
          targetType: "group",
          isRegistrationRequired: false,
          allowedPasskeyProfiles: [OLD_ID],
        },
      ],
      excludeTargets: [],
    });
  const EVERYONE = [{ id: "all_users", targetType: "group" }];
  const declare = (profiles: object[] | undefined, includeTargets: object[]) =>
    parseArgs("PasskeyPolicy", {
      state: "enabled",
      ...(profiles ? { passkeyProfiles: profiles } : {}),
      includeTargets,
    });

  it("a new profile is written first, alone and without an id, beside every profile the tenant holds", () => {
    const settings = declare(
      [{ name: "Pilot", passkeyTypes: ["synced", "deviceBound"] }],
      [{ id: G1, targetType: "group", allowedPasskeyProfiles: ["Pilot"] }],
    );
    const first = passkeyProfilesFirstPatch(settings, tenant());
    expect(first).to.deep.equal({
      "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
      passkeyProfiles: [
        {
          id: DEFAULT_ID,
          name: "Default",
          passkeyTypes: "deviceBound",
          attestationEnforcement: "disabled",
        },
        { name: "Pilot", passkeyTypes: "deviceBound,synced", attestationEnforcement: "disabled" },
        {
          id: OLD_ID,
          name: "Old",
          passkeyTypes: "deviceBound",
          attestationEnforcement: "registrationOnly",
          keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [AAGUID] },
        },
      ],
    });
    // Every declared profile exists already: no first write.
    expect(
      passkeyProfilesFirstPatch(
        declare(
          [{ name: "old", passkeyTypes: ["deviceBound"] }],
          [{ id: G1, targetType: "group" }],
        ),
        tenant(),
      ),
    ).to.equal(undefined);
  });

  it("targets name profile ids; the default profile is kept; a profile still assigned is deleted by a last write", () => {
    const current = tenant();
    current.passkeyProfiles?.push({
      id: PILOT_ID,
      name: "Pilot",
      passkeyTypes: ["deviceBound"],
      attestationEnforcement: "disabled",
    });
    const settings = declare(
      [{ name: "pilot", passkeyTypes: ["deviceBound"] }],
      [
        { id: G1, targetType: "group", allowedPasskeyProfiles: ["Pilot", PILOT_ID] },
        { id: G2, targetType: "group" },
      ],
    );
    const { patches, after } = passkeyMainPatches(settings, current);
    expect(patches).to.have.length(2);
    expect(patches[0]).to.deep.include({
      state: "enabled",
      isSelfServiceRegistrationAllowed: true,
      includeTargets: [
        {
          id: G1,
          targetType: "group",
          isRegistrationRequired: false,
          allowedPasskeyProfiles: [PILOT_ID],
        },
        {
          id: G2,
          targetType: "group",
          isRegistrationRequired: false,
          allowedPasskeyProfiles: [DEFAULT_ID],
        },
      ],
      excludeTargets: [],
    });
    // Old is still named by the tenant's G2 target: kept by the first write, deleted by the second.
    expect(patches[0].passkeyProfiles?.map((p) => p.id)).to.deep.equal([
      DEFAULT_ID,
      PILOT_ID,
      OLD_ID,
    ]);
    expect(patches[1]).to.deep.equal({
      "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
      passkeyProfiles: [
        {
          id: DEFAULT_ID,
          name: "Default",
          passkeyTypes: "deviceBound",
          attestationEnforcement: "disabled",
        },
        {
          id: PILOT_ID,
          name: "pilot",
          passkeyTypes: "deviceBound",
          attestationEnforcement: "disabled",
        },
      ],
    });
    expect(after.passkeyProfiles?.map((p) => p.name)).to.deep.equal(["Default", "pilot"]);
    expect(after.passkeyProfileIds).to.deep.equal({ Default: DEFAULT_ID, pilot: PILOT_ID });
    expect(after.defaultPasskeyProfile).to.equal(DEFAULT_ID);
  });

  it("a declaration without profiles leaves them alone; one write", () => {
    const { patches, after } = passkeyMainPatches(
      declare(undefined, [{ id: G1, targetType: "group", allowedPasskeyProfiles: ["Old"] }]),
      tenant(),
    );
    expect(patches).to.have.length(1);
    expect(patches[0]).not.to.have.property("passkeyProfiles");
    expect(patches[0].includeTargets?.[0].allowedPasskeyProfiles).to.deep.equal([OLD_ID]);
    expect(after.passkeyProfiles?.map((p) => p.id)).to.deep.equal([DEFAULT_ID, OLD_ID]);
  });

  it("a reference to a profile the tenant does not have is refused before any write, naming the choices", () => {
    const refuse = () =>
      passkeyMainPatches(
        declare(undefined, [
          { id: G1, targetType: "group", allowedPasskeyProfiles: ["Nope", PILOT_ID] },
        ]),
        tenant(),
      );
    expect(refuse).to.throw(PasskeyReferenceError);
    expect(refuse).to.throw(/^Invalid PasskeyPolicy arguments \(2 problems\):\n/);
    expect(refuse).to.throw(
      `\n  - includeTargets[0].allowedPasskeyProfiles: "Nope" names no passkey profile of the tenant. Use the name or id of one of: "Default", "Old".`,
    );
    expect(() =>
      passkeyMainPatches(
        declare(
          [{ name: "Pilot", passkeyTypes: ["deviceBound"] }],
          [{ id: G1, targetType: "group", allowedPasskeyProfiles: [PILOT_ID] }],
        ),
        tenant(),
      ),
    ).to.throw(/\(1 problem\):\n.*" names no passkey profile of the tenant or of passkeyProfiles/);
  });

  it("weakenings: only a declared change to a profile the tenant has is named", () => {
    const current = tenant();
    expect(
      passkeyWeakenings(current, declare([{ name: "Fresh", passkeyTypes: ["synced"] }], EVERYONE)),
    ).to.deep.equal([]);
    expect(passkeyWeakenings(current, declare(undefined, EVERYONE))).to.deep.equal([]);
    expect(
      passkeyWeakenings(
        current,
        declare(
          [{ name: "OLD", passkeyTypes: ["deviceBound"], attestationEnforcement: "disabled" }],
          EVERYONE,
        ),
      ),
    ).to.deep.equal([
      `Passkey profile "OLD": attestation no longer enforced (registrationOnly → disabled): passkeys from any authenticator model can be registered, including ones whose make and model cannot be verified.`,
    ]);
    const blockList = passkeyFromGraph({
      passkeyProfiles: [
        {
          id: OLD_ID,
          name: "Old",
          passkeyTypes: "deviceBound",
          keyRestrictions: {
            isEnforced: true,
            enforcementType: "block",
            aaGuids: [AAGUID, AAGUID2],
          },
        },
      ],
    } as GraphFido2Configuration);
    expect(
      passkeyWeakenings(
        blockList,
        declare(
          [
            {
              name: "Old",
              passkeyTypes: ["deviceBound"],
              keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [] },
            },
          ],
          EVERYONE,
        ),
      ),
    ).to.deep.equal([
      `Passkey profile "Old": key restrictions dropped (were a block list of 2 authenticator models): any authenticator model can be registered.`,
    ]);
  });
});
