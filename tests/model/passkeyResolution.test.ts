// The passkey policy's profile references and writes, case by case (provider/model/passkey.ts):
// which profile a name or id resolves to (from Graph's answer or from the stack's recorded ids),
// which profiles each PATCH body keeps, deletes or renames, and the refusals a user reads. Each
// case was a surviving mutant of the mutation run (docs/reliability.md#mutation-testing): a change
// to the code that every other suite let through.
import {
  PasskeyReferenceError,
  UNKNOWN,
  diffPasskey,
  parseArgs,
  passkeyFromGraph,
  passkeyMainPatches,
  passkeyProfilesFirstPatch,
  passkeyWeakenings,
  profileIndex,
  validatePasskeyArgs,
  type GraphFido2Configuration,
  type PasskeySettings,
} from "../../provider/model";
import { G1, G2, G3, expect } from "./support";

const DEFAULT_ID = "00000000-0000-0000-0000-000000000001";
const PILOT_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const OLD_ID = "a1b2c3d4-0000-4000-8000-0000000000aa";
const SPARE_ID = "b1b2c3d4-0000-4000-8000-0000000000bb";
const ADMINS_ID = "c1b2c3d4-0000-4000-8000-0000000000cc";
const GONE_ID = "d1b2c3d4-0000-4000-8000-0000000000dd";
const ODATA = "#microsoft.graph.fido2AuthenticationMethodConfiguration";

type GraphProfile = NonNullable<GraphFido2Configuration["passkeyProfiles"]>[number];
const graphProfile = (id: string, name: string, extra: Partial<GraphProfile> = {}) => ({
  id,
  name,
  passkeyTypes: "deviceBound",
  attestationEnforcement: "disabled",
  ...extra,
});
const graphTarget = (id: string, refs: string[]) => ({
  id,
  targetType: "group",
  isRegistrationRequired: false,
  allowedPasskeyProfiles: refs,
});
/** A tenant as Graph answers it. */
const tenant = (
  profiles: GraphProfile[],
  targets: ReturnType<typeof graphTarget>[],
  defaultId = DEFAULT_ID,
): PasskeySettings =>
  passkeyFromGraph({
    state: "enabled",
    isSelfServiceRegistrationAllowed: true,
    defaultPasskeyProfile: defaultId,
    passkeyProfiles: profiles,
    includeTargets: targets,
    excludeTargets: [],
  });
const declare = (args: Record<string, unknown>) =>
  parseArgs("PasskeyPolicy", { state: "enabled", ...args });
const body = (id: string | undefined, name: string, extra: object = {}) => ({
  ...(id === undefined ? {} : { id }),
  name,
  passkeyTypes: "deviceBound",
  attestationEnforcement: "disabled",
  ...extra,
});

describe("passkey policy: which profile a reference names", () => {
  it("the index maps ids (any case) to names and names to lower-case ids, from the profiles or the recorded ids", () => {
    const fromProfiles = profileIndex({
      passkeyProfiles: [
        { id: PILOT_ID.toUpperCase(), name: "Pilot", passkeyTypes: ["deviceBound"] },
        { name: "No id yet", passkeyTypes: ["deviceBound"] },
      ],
      defaultPasskeyProfile: PILOT_ID.toUpperCase(),
    });
    expect([...fromProfiles.nameById]).to.deep.equal([[PILOT_ID, "Pilot"]]);
    expect([...fromProfiles.idByName]).to.deep.equal([["pilot", PILOT_ID]]);
    expect(fromProfiles.defaultRef).to.equal("Pilot");

    const fromIds = profileIndex({
      passkeyProfileIds: { Pilot: PILOT_ID.toUpperCase(), Broken: 3 as unknown as string },
    });
    expect([...fromIds.nameById]).to.deep.equal([[PILOT_ID, "Pilot"]]);
    expect([...fromIds.idByName]).to.deep.equal([["pilot", PILOT_ID]]);
    // No default recorded: Microsoft's default profile, by id while its name is unknown.
    expect(fromIds.defaultRef).to.equal(DEFAULT_ID);
    expect(profileIndex({ defaultPasskeyProfile: OLD_ID.toUpperCase() }).defaultRef).to.equal(
      OLD_ID,
    );
  });

  it("against the stack's recorded state (no ids in the profiles), a reference by id or by name is the same", () => {
    // What the engine hands back as the old state: the declaration plus the ids Graph gave.
    const recorded = {
      ...declare({
        passkeyProfiles: [{ name: "Pilot", passkeyTypes: ["deviceBound"] }],
        includeTargets: [{ id: G1, targetType: "group", allowedPasskeyProfiles: ["Pilot"] }],
      }),
      onDelete: "retain" as const,
      defaultPasskeyProfile: DEFAULT_ID,
      passkeyProfileIds: { Default: DEFAULT_ID, Pilot: PILOT_ID },
    };
    const declaration = (refs: string[]) =>
      ({
        ...declare({
          passkeyProfiles: [{ name: "Pilot", passkeyTypes: ["deviceBound"] }],
          includeTargets: [{ id: G1, targetType: "group", allowedPasskeyProfiles: refs }],
        }),
        onDelete: "retain" as const,
      }) as const;
    expect(diffPasskey(declaration([PILOT_ID.toUpperCase()]), recorded)).to.deep.equal([]);
    // Names compare as Graph and the writes match them: without regard to case.
    expect(diffPasskey(declaration(["pilot"]), recorded)).to.deep.equal([]);
    // The default profile's id reads as its recorded name.
    expect(diffPasskey(declaration([DEFAULT_ID]), recorded).map((c) => c.property)).to.deep.equal([
      `includeTargets[${G1}].allowedPasskeyProfiles[Default]`,
      `includeTargets[${G1}].allowedPasskeyProfiles[Pilot]`,
    ]);
    // A changed onDelete is a change of the recorded state, not a Graph difference to hide.
    expect(
      diffPasskey({ ...declaration(["Pilot"]), onDelete: "restore" }, recorded).map(
        (c) => c.property,
      ),
    ).to.deep.equal(["onDelete"]);
    // The recorded default profile: a target left without profiles names it.
    const withHouse = (refs?: string[]) =>
      declare({
        passkeyProfiles: [
          { name: "House", passkeyTypes: ["deviceBound"] },
          { name: "Pilot", passkeyTypes: ["deviceBound"] },
        ],
        includeTargets: [
          { id: G1, targetType: "group", ...(refs ? { allowedPasskeyProfiles: refs } : {}) },
        ],
      });
    const recordedHouse = {
      ...withHouse(),
      onDelete: "retain" as const,
      defaultPasskeyProfile: ADMINS_ID,
      passkeyProfileIds: { House: ADMINS_ID, Pilot: PILOT_ID },
    };
    expect(
      diffPasskey({ ...withHouse(["house"]), onDelete: "retain" }, recordedHouse),
    ).to.deep.equal([]);
  });

  it("against Graph's answer, a changed allow list of AAGUIDs is a difference", () => {
    const AAGUID = "de1e552d-db1d-4423-a619-566b625cdc84";
    const AAGUID2 = "cb69481e-8ff7-4039-93ec-0a2729a154a8";
    const graph = tenant(
      [
        graphProfile(DEFAULT_ID, "Default"),
        graphProfile(PILOT_ID, "Pilot", {
          keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [AAGUID] },
        }),
      ],
      [graphTarget(G1, [PILOT_ID])],
    );
    const declared = (aaGuids: string[]) =>
      declare({
        passkeyProfiles: [
          {
            name: "Pilot",
            passkeyTypes: ["deviceBound"],
            attestationEnforcement: "disabled",
            keyRestrictions: { enforcementType: "allow", aaGuids },
          },
        ],
        includeTargets: [{ id: G1, targetType: "group", allowedPasskeyProfiles: ["Pilot"] }],
      });
    expect(diffPasskey(declared([AAGUID]), graph)).to.deep.equal([]);
    expect(diffPasskey(declared([AAGUID2]), graph).map((c) => c.property)).to.deep.equal([
      `passkeyProfiles[Pilot].keyRestrictions.aaGuids[${AAGUID2}]`,
      `passkeyProfiles[Pilot].keyRestrictions.aaGuids[${AAGUID}]`,
    ]);
  });

  it("against Graph's answer, the provider-only onDelete and a reference's case are no difference", () => {
    const graph = tenant(
      [graphProfile(DEFAULT_ID, "Default"), graphProfile(PILOT_ID, "Pilot")],
      [graphTarget(G1, [PILOT_ID])],
    );
    const declared = declare({
      passkeyProfiles: [
        { name: "Pilot", passkeyTypes: ["deviceBound"], attestationEnforcement: "disabled" },
      ],
      includeTargets: [{ id: G1, targetType: "group", allowedPasskeyProfiles: ["Pilot"] }],
      onDelete: "restore",
    });
    expect(diffPasskey(declared, graph)).to.deep.equal([]);
    // A reference in another case than the profile's name names the same profile.
    expect(
      diffPasskey(
        {
          ...declared,
          includeTargets: [{ ...declared.includeTargets[0], allowedPasskeyProfiles: ["PILOT"] }],
        },
        graph,
      ),
    ).to.deep.equal([]);
  });
});

describe("passkey policy: what each PATCH body keeps, renames and deletes", () => {
  it("targets name ids in sorted order; a tenant default other than Microsoft's is kept and used", () => {
    const CUSTOM = ADMINS_ID;
    const current = tenant(
      [graphProfile(CUSTOM, "House default"), graphProfile(PILOT_ID, "Pilot")],
      [graphTarget(G1, [PILOT_ID])],
      CUSTOM,
    );
    const { patches, after } = passkeyMainPatches(
      declare({
        passkeyProfiles: [
          { name: "Pilot", passkeyTypes: ["deviceBound"] },
          { name: "House default", passkeyTypes: ["deviceBound"] },
        ],
        includeTargets: [
          { id: G1, targetType: "group", allowedPasskeyProfiles: ["House default", "Pilot"] },
          { id: G2, targetType: "group" },
        ],
        excludeTargets: [{ id: G3, targetType: "group" }],
      }),
      current,
    );
    expect(patches).to.deep.equal([
      {
        "@odata.type": ODATA,
        state: "enabled",
        isSelfServiceRegistrationAllowed: true,
        includeTargets: [graphTarget(G1, [PILOT_ID, CUSTOM]), graphTarget(G2, [CUSTOM])].sort(
          (a, b) => (a.id < b.id ? -1 : 1),
        ),
        excludeTargets: [{ id: G3, targetType: "group" }],
        passkeyProfiles: [body(CUSTOM, "House default"), body(PILOT_ID, "Pilot")],
      },
    ]);
    expect(after.defaultPasskeyProfile).to.equal(CUSTOM);
    // Not declared, the tenant's default profile is kept, and a target without profiles names it.
    const kept = passkeyMainPatches(
      declare({
        passkeyProfiles: [{ name: "Pilot", passkeyTypes: ["deviceBound"] }],
        includeTargets: [{ id: G2, targetType: "group" }],
      }),
      current,
    ).patches[0];
    expect(kept.passkeyProfiles?.map((p) => p.id)).to.deep.equal([CUSTOM, PILOT_ID]);
    expect(kept.includeTargets?.[0].allowedPasskeyProfiles).to.deep.equal([CUSTOM]);
  });

  it("a profile neither declared nor assigned goes in the first write; one still assigned is kept until a last write", () => {
    const current = tenant(
      [
        graphProfile(DEFAULT_ID, "Default"),
        graphProfile(OLD_ID, "Old"),
        graphProfile(SPARE_ID, "Spare"),
        graphProfile(PILOT_ID, "Pilot"),
      ],
      [graphTarget(G1, [DEFAULT_ID]), graphTarget(G2, [OLD_ID, PILOT_ID])],
    );
    const settings = declare({
      passkeyProfiles: [{ name: "Pilot", passkeyTypes: ["deviceBound"] }],
      includeTargets: [{ id: G2, targetType: "group", allowedPasskeyProfiles: ["Pilot"] }],
    });
    const { patches } = passkeyMainPatches(settings, current);
    expect(patches.map((p) => p.passkeyProfiles?.map((q) => q.name))).to.deep.equal([
      ["Default", "Pilot", "Old"],
      ["Default", "Pilot"],
    ]);
    // Nothing still assigned: a single write removes what is not declared.
    const unassigned = tenant(
      [graphProfile(DEFAULT_ID, "Default"), graphProfile(SPARE_ID, "Spare")],
      [graphTarget(G1, [DEFAULT_ID])],
    );
    const single = passkeyMainPatches(settings, {
      ...unassigned,
      passkeyProfiles: [
        ...(unassigned.passkeyProfiles ?? []),
        { id: PILOT_ID, name: "Pilot", passkeyTypes: ["deviceBound"] },
      ],
    });
    expect(single.patches.map((p) => p.passkeyProfiles?.map((q) => q.name))).to.deep.equal([
      ["Default", "Pilot"],
    ]);
  });

  it("declaring the default profile by name writes it once, as declared; the tenant's other profiles do not stand in for it", () => {
    const current = tenant(
      [graphProfile(ADMINS_ID, "Admins"), graphProfile(DEFAULT_ID, "Default")],
      [graphTarget(G1, [ADMINS_ID])],
    );
    const declared = (profiles: object[]) =>
      passkeyMainPatches(
        declare({
          passkeyProfiles: profiles,
          includeTargets: [{ id: G1, targetType: "group", allowedPasskeyProfiles: ["Admins"] }],
        }),
        current,
      ).patches[0].passkeyProfiles;
    expect(declared([{ name: "Default", passkeyTypes: ["synced"] }, ...adminsDecl])).to.deep.equal(
      [body(DEFAULT_ID, "Default", { passkeyTypes: "synced" }), body(ADMINS_ID, "Admins")].sort(
        (a, b) => (a.name < b.name ? -1 : 1),
      ),
    );
    // Not declared: the default profile itself is kept (never the first of the tenant's).
    expect(declared(adminsDecl)).to.deep.equal([
      body(DEFAULT_ID, "Default"),
      body(ADMINS_ID, "Admins"),
    ]);
  });

  it("a restore names the ids it recorded: matched by name when Graph re-created the profile, by id when it was renamed", () => {
    // The recorded original configuration names its Pilot profile by an id Graph no longer has.
    const original = tenant(
      [graphProfile(DEFAULT_ID, "Default"), graphProfile(GONE_ID, "Pilot")],
      [graphTarget(G1, [GONE_ID])],
    );
    const recreated = tenant(
      [graphProfile(DEFAULT_ID, "Default"), graphProfile(PILOT_ID, "Pilot")],
      [graphTarget(G1, [PILOT_ID])],
    );
    const restore = passkeyMainPatches(original, recreated).patches[0];
    expect(restore.includeTargets?.[0].allowedPasskeyProfiles).to.deep.equal([PILOT_ID]);
    expect(restore.passkeyProfiles?.map((p) => p.id)).to.deep.equal([DEFAULT_ID, PILOT_ID]);

    // Renamed in the portal since: the recorded id renames it back rather than adding a profile.
    const renamed = tenant(
      [graphProfile(DEFAULT_ID, "Default"), graphProfile(PILOT_ID, "Pilot (old)")],
      [graphTarget(G1, [PILOT_ID])],
    );
    const back = tenant(
      [graphProfile(DEFAULT_ID, "Default"), graphProfile(PILOT_ID, "Pilot")],
      [graphTarget(G1, [PILOT_ID])],
    );
    expect(passkeyProfilesFirstPatch(back, renamed)).to.equal(undefined);
    expect(passkeyMainPatches(back, renamed).patches[0].passkeyProfiles).to.deep.equal([
      body(DEFAULT_ID, "Default"),
      body(PILOT_ID, "Pilot"),
    ]);
    // An id the tenant never had is not sent: the profile is created first, without it.
    expect(passkeyProfilesFirstPatch(original, renamed)?.passkeyProfiles).to.deep.equal([
      body(DEFAULT_ID, "Default"),
      body(undefined, "Pilot"),
      body(PILOT_ID, "Pilot (old)"),
    ]);
  });

  it("after the writes: profiles by name, the ids Graph gave them", () => {
    const current = tenant(
      [graphProfile(DEFAULT_ID, "Default"), graphProfile(PILOT_ID, "Alpha")],
      [graphTarget(G1, [PILOT_ID])],
    );
    const { patches, after } = passkeyMainPatches(
      declare({
        passkeyProfiles: [{ name: "Alpha", passkeyTypes: ["deviceBound"] }],
        includeTargets: [{ id: G1, targetType: "group", allowedPasskeyProfiles: ["Alpha"] }],
      }),
      current,
    );
    // The default profile is written first (kept), but what Graph holds after reads by name.
    expect(patches[0].passkeyProfiles?.map((p) => p.name)).to.deep.equal(["Default", "Alpha"]);
    expect(after.passkeyProfiles?.map((p) => p.name)).to.deep.equal(["Alpha", "Default"]);
    expect(after.passkeyProfileIds).to.deep.equal({ Alpha: PILOT_ID, Default: DEFAULT_ID });
  });

  it("a kept attestation that synced passkeys cannot meet is refused before the first write, and only then", () => {
    const current = tenant(
      [
        graphProfile(DEFAULT_ID, "Default"),
        graphProfile(OLD_ID, "Old", { attestationEnforcement: "registrationOnly" }),
        graphProfile(SPARE_ID, "Spare"),
      ],
      [],
    );
    const first = (old: object) =>
      passkeyProfilesFirstPatch(
        declare({
          passkeyProfiles: [
            { name: "Old", ...old },
            { name: "Spare", passkeyTypes: ["deviceBound", "synced"] },
            { name: "New", passkeyTypes: ["deviceBound"] },
          ],
        }),
        current,
      );
    expect(() => first({ passkeyTypes: ["deviceBound", "synced"] }))
      .to.throw(PasskeyReferenceError)
      .with.property("message")
      .that.matches(/passkeyProfiles "Old": allows synced passkeys, but the tenant's profile/);
    // Turned off deliberately, or a profile that enforced nothing: written.
    expect(
      first({ passkeyTypes: ["deviceBound", "synced"], attestationEnforcement: "disabled" }),
    ).to.have.property("passkeyProfiles");
  });
});

describe("passkey policy: a tenant still on the legacy FIDO2 shape", () => {
  it("reads as one default profile allowing both passkey types, attested only if Graph says so", () => {
    const legacy = (isAttestationEnforced: boolean) =>
      passkeyFromGraph({
        state: "enabled",
        isAttestationEnforced,
        includeTargets: [{ id: G1, targetType: "group", isRegistrationRequired: false }],
      } as GraphFido2Configuration);
    expect(legacy(false).passkeyProfiles).to.deep.equal([
      {
        id: DEFAULT_ID,
        name: "Default passkey profile",
        passkeyTypes: ["deviceBound", "synced"],
        attestationEnforcement: "disabled",
      },
    ]);
    expect(legacy(true).passkeyProfiles?.[0].attestationEnforcement).to.equal("registrationOnly");
    expect(legacy(false).includeTargets[0].allowedPasskeyProfiles).to.deep.equal([DEFAULT_ID]);
  });
});

describe("passkey policy: weakenings and refusals a user reads", () => {
  it("allowing synced passkeys on a device-bound profile is named; a profile without key restrictions loses none", () => {
    const current = tenant([graphProfile(OLD_ID, "Old")], []);
    expect(
      passkeyWeakenings(
        current,
        declare({
          passkeyProfiles: [{ name: "old", passkeyTypes: ["deviceBound", "synced"] }],
        }),
      ),
    ).to.deep.equal([
      `Passkey profile "old": synced passkeys allowed (were device-bound only): passkeys kept in a cloud account (iCloud Keychain, Google Password Manager) can be registered, and they leave the device.`,
    ]);
    // Synced passkeys were allowed already: nothing is weakened.
    expect(
      passkeyWeakenings(
        tenant([graphProfile(OLD_ID, "Old", { passkeyTypes: "synced,deviceBound" })], []),
        declare({ passkeyProfiles: [{ name: "Old", passkeyTypes: ["deviceBound", "synced"] }] }),
      ),
    ).to.deep.equal([]);
  });

  it("each refusal names the property and the fix", () => {
    const problems = (args: Record<string, unknown>) =>
      validatePasskeyArgs({ state: "enabled", ...args }).map((p) => p.message);
    expect(problems({ excludeTargets: [{ id: "all_users", targetType: "group" }] })).to.deep.equal([
      `excludeTargets[0].id: "all_users" would exclude everyone. To turn passkeys off set state to "disabled"; to exclude some users, list their groups' or their own object ids.`,
    ]);
    expect(
      problems({ excludeTargets: [{ id: G1, targetType: "group", isRegistrationRequired: true }] }),
    ).to.deep.equal([
      "excludeTargets[0].isRegistrationRequired: is not a passkey target property. Valid names: id, targetType.",
    ]);
    expect(problems({ colour: 1, __provider: "x" })).to.deep.equal([
      "colour: is not a PasskeyPolicy argument. Valid names: state, isSelfServiceRegistrationAllowed, passkeyProfiles, includeTargets, excludeTargets, onDelete, failOnExternalChange, allowMethodLoss, allowMethodLossFor.",
    ]);
    expect(problems({ state: undefined })).to.deep.equal([
      `state: is required. Use "enabled" to let the targeted users set up and use passkeys, or "disabled".`,
    ]);
    expect(problems({ state: "on" })).to.deep.equal([
      `state: "on" is not a valid state. Use "enabled" or "disabled".`,
    ]);
    expect(problems({ isSelfServiceRegistrationAllowed: "yes" })).to.deep.equal([
      `isSelfServiceRegistrationAllowed: "yes" is not a boolean. Use true (the default: users can set up passkeys themselves, which a passkey campaign needs) or false.`,
    ]);
    expect(
      problems({
        includeTargets: [{ id: G1, targetType: "group", isRegistrationRequired: "yes" }],
      }),
    ).to.deep.equal([
      `includeTargets[0].isRegistrationRequired: "yes" is not a boolean. Use true or false (the default).`,
    ]);
    expect(problems({ includeTargets: [] })).to.deep.equal([
      `includeTargets: is empty while state is "enabled", so no user could use passkeys. Add a target such as { id: "all_users", targetType: "group" }, or set state to "disabled".`,
    ]);
    const profile = (extra: object) =>
      problems({ passkeyProfiles: [{ name: "P", passkeyTypes: ["deviceBound"], ...extra }] });
    expect(profile({ attestationEnforcement: "always" })).to.deep.equal([
      `passkeyProfiles[0].attestationEnforcement: "always" is not a valid attestation enforcement. Use "disabled" (the default) or "registrationOnly".`,
    ]);
    expect(profile({ keyRestrictions: { enforcementType: "deny", aaGuids: [] } })).to.deep.equal([
      `passkeyProfiles[0].keyRestrictions.enforcementType: "deny" is not a valid enforcement type. Use "allow" or "block".`,
    ]);
    expect(
      profile({ keyRestrictions: { enforcementType: "block", aaGuids: [], colour: 1 } }),
    ).to.deep.equal([
      "passkeyProfiles[0].keyRestrictions.colour: is not a key-restrictions property. Valid names: enforcementType, aaGuids, isEnforced.",
    ]);
    // Attestation asked of a profile whose passkey types are missing: the missing types, once.
    expect(
      profile({ passkeyTypes: undefined, attestationEnforcement: "registrationOnly" }),
    ).to.have.length(1);
    // Values unknown until apply (a preview) are not refused; they are checked at apply.
    expect(
      problems({
        passkeyProfiles: [
          { name: UNKNOWN, passkeyTypes: [UNKNOWN] },
          UNKNOWN,
          {
            name: "K",
            passkeyTypes: UNKNOWN,
            keyRestrictions: { enforcementType: "allow", aaGuids: UNKNOWN },
          },
          {
            name: "L",
            passkeyTypes: ["deviceBound"],
            keyRestrictions: { enforcementType: "allow", aaGuids: [UNKNOWN] },
          },
        ],
        includeTargets: [{ id: G1, targetType: "group", allowedPasskeyProfiles: [UNKNOWN] }],
      }),
    ).to.deep.equal([]);
    // A blank name or reference is no name.
    expect(profile({ name: "  " })[0]).to.match(/^passkeyProfiles\[0\]\.name: is required/);
    expect(
      problems({
        passkeyProfiles: [{ name: "P", passkeyTypes: ["deviceBound"] }],
        includeTargets: [{ id: G1, targetType: "group", allowedPasskeyProfiles: ["P", " "] }],
      }),
    ).to.have.length(1);
    // A profile may carry the id Graph gave it (a recorded configuration restored).
    expect(profile({ id: PILOT_ID })).to.deep.equal([]);
  });
});

const adminsDecl = [{ name: "Admins", passkeyTypes: ["deviceBound"] }];
