// The PasskeyPolicy provider against the emulator: adoption with a new profile and a target naming
// it (new profiles first, then the targets by id), no diff after read-back, the removal of a profile
// still assigned (unassigned first, deleted after), restore on delete to the exact original
// configuration, and bad input refused by check() with every problem and no Graph request.
import { expect } from "chai";
import { getFido2Configuration } from "../../provider/graph";
import { provider } from "../../provider/resources/providers";
import { useEmulator } from "../support/emulator";
import { checked, failure, useProviders, type Props } from "../support/providers";

const PILOT = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31";
const BREAK_GLASS = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c";
const DEFAULT_PROFILE = "00000000-0000-0000-0000-000000000001";
const AUTHENTICATOR_IOS = "90a3ccdf-635c-4729-a248-9b709135078f";

describe("PasskeyPolicy provider against the emulator", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ resetEachTest: true });
  const context = useProviders(emulator);
  const passkeys = provider("PasskeyPolicy");

  const graphCalls = () =>
    emulator
      .requests()
      .filter((r) => /^\/(v1\.0|beta)\//.test(r.path))
      .map((r) => `${r.method} ${r.path.replace(/^\/(v1\.0|beta)/, "")}`);
  const FIDO2 = "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Fido2";

  const pilotDeclaration = {
    state: "enabled",
    passkeyProfiles: [
      { name: "Default passkey profile", passkeyTypes: ["deviceBound"] },
      {
        name: "Pilot",
        passkeyTypes: ["synced", "deviceBound"],
        keyRestrictions: { enforcementType: "allow", aaGuids: [AUTHENTICATOR_IOS.toUpperCase()] },
      },
    ],
    includeTargets: [{ id: PILOT, targetType: "group", allowedPasskeyProfiles: ["Pilot"] }],
    excludeTargets: [{ id: BREAK_GLASS, targetType: "group" }],
    // Excluding the break-glass accounts takes their security keys: not under test here
    // (tests/resources/methodLoss.test.ts).
    allowMethodLoss: true,
  };

  it("adopts: the new profile is created first, then the target names it by id; refresh shows no difference", async () => {
    const before = await getFido2Configuration(context.graph);
    const start = emulator.requests().length;
    const inputs = await checked("PasskeyPolicy", pilotDeclaration);
    const { id, outs } = await passkeys.create(inputs);
    const calls = graphCalls().slice(0);
    void start;
    expect(id).to.match(/\/passkeyPolicy$/);
    const ids = outs.passkeyProfileIds as Record<string, string>;
    expect(ids["Default passkey profile"]).to.equal(DEFAULT_PROFILE);
    expect(ids.Pilot).to.match(/^[0-9a-f-]{36}$/);
    const tenant = await getFido2Configuration(context.graph);
    expect(tenant.includeTargets).to.deep.equal([
      {
        id: PILOT,
        targetType: "group",
        isRegistrationRequired: false,
        allowedPasskeyProfiles: [ids.Pilot],
      },
    ]);
    expect(calls.filter((c) => c.startsWith("PATCH"))).to.deep.equal([
      `PATCH ${FIDO2}`,
      `PATCH ${FIDO2}`,
    ]);
    expect((outs.originalSettings as Props).state).to.equal(before.state);

    // What Graph holds now is what the outputs say: read and diff find nothing.
    const read = await passkeys.read!(id, outs);
    const diff = await passkeys.diff!(id, read.props as Props, inputs);
    expect(diff.changes).to.equal(false);
  });

  it("deletes a profile a target still names only after the target stops naming it, and restores the original exactly", async () => {
    const original = await getFido2Configuration(context.graph);
    const created = await passkeys.create(await checked("PasskeyPolicy", pilotDeclaration));
    const next = await checked("PasskeyPolicy", {
      ...pilotDeclaration,
      passkeyProfiles: [pilotDeclaration.passkeyProfiles[0]],
      includeTargets: [{ id: PILOT, targetType: "group" }],
    });
    const diff = await passkeys.diff!(created.id, created.outs, next);
    expect(diff.changes).to.equal(true);
    const patchesBefore = graphCalls().filter((c) => c.startsWith("PATCH")).length;
    const updated = await passkeys.update!(created.id, created.outs, next);
    const patches = graphCalls().filter((c) => c.startsWith("PATCH")).length - patchesBefore;
    expect(patches, "unassign, then delete").to.equal(2);
    expect(Object.keys(updated.outs.passkeyProfileIds as object)).to.deep.equal([
      "Default passkey profile",
    ]);
    const tenant = await getFido2Configuration(context.graph);
    expect((tenant.passkeyProfiles as Props[]).map((p) => p.name)).to.deep.equal([
      "Default passkey profile",
    ]);

    await passkeys.delete!(created.id, updated.outs);
    const restored = await getFido2Configuration(context.graph);
    const comparable = (c: Props) => ({
      state: c.state,
      isSelfServiceRegistrationAllowed: c.isSelfServiceRegistrationAllowed,
      includeTargets: c.includeTargets,
      excludeTargets: c.excludeTargets,
      passkeyProfiles: c.passkeyProfiles,
    });
    expect(comparable(restored)).to.deep.equal(comparable(original));
  });

  it("refuses bad input at check, every problem at once, naming the property and the fix, with no Graph request", async () => {
    const result = await passkeys.check!(
      {},
      {
        state: "enabled",
        isAttestationEnforced: true,
        passkeyProfiles: [
          {
            name: "Synced",
            passkeyTypes: ["synced", "hardware"],
            attestationEnforcement: "registrationOnly",
          },
          {
            name: "Keys",
            passkeyTypes: ["deviceBound"],
            keyRestrictions: { enforcementType: "allow", aaGuids: ["not-a-guid"] },
          },
          ...Array.from({ length: 9 }, (_, i) => ({
            name: `P${i}`,
            passkeyTypes: ["deviceBound"],
          })),
        ],
        includeTargets: [{ id: PILOT, targetType: "group", allowedPasskeyProfiles: ["Missing"] }],
      },
    );
    const reasons = (result.failures ?? []).map((f) => f.reason);
    const expectOne = (text: string) =>
      expect(
        reasons.some((r) => r.includes(text)),
        `${text} in ${reasons.join("\n")}`,
      ).to.equal(true);
    expectOne("isAttestationEnforced: is deprecated");
    expectOne("passkeyProfiles: declares 11 profiles; a tenant can have at most 10");
    expectOne('passkeyProfiles[0].passkeyTypes[1]: "hardware" is not a passkey type');
    expectOne(
      'passkeyProfiles[0].attestationEnforcement: "registrationOnly" cannot be used with synced passkeys',
    );
    expectOne('passkeyProfiles[1].keyRestrictions.aaGuids[0]: "not-a-guid" is not an AAGUID');
    expectOne(
      'includeTargets[0].allowedPasskeyProfiles[0]: "Missing" names no profile in passkeyProfiles',
    );
    expect(graphCalls()).to.deep.equal([]);
  });

  it("a target naming a profile id the tenant does not have fails before any write", async () => {
    const inputs = await checked("PasskeyPolicy", {
      state: "enabled",
      includeTargets: [
        {
          id: PILOT,
          targetType: "group",
          allowedPasskeyProfiles: ["0f6c2b7e-4a1d-4e8f-9b3a-6c5d4e3f2a1b"],
        },
      ],
    });
    const error = await failure(passkeys.create(inputs));
    expect(error.message).to.contain(
      'includeTargets[0].allowedPasskeyProfiles: "0f6c2b7e-4a1d-4e8f-9b3a-6c5d4e3f2a1b" names no passkey profile of the tenant',
    );
    // A $batch envelope carries the target lookups (GETs, logged one by one): not a write.
    expect(graphCalls().filter((c) => !c.startsWith("GET") && c !== "POST /$batch")).to.deep.equal(
      [],
    );
  });
});
