// Omitted means unmanaged, never weaker (model/passkey.ts): a passkey profile declared without
// attestation or key restrictions keeps the tenant's, is no diff against them, and a change that
// weakens the policy is named in words.
import {
  diffPasskey,
  passkeyFromGraph,
  passkeyMainPatches,
  passkeyWeakenings,
  parseArgs,
} from "../../provider/model";
import { expect } from "./support";

const DEFAULT_ID = "00000000-0000-0000-0000-000000000001";
const AAGUID = "de1e552d-db1d-4423-a619-566b625cdc84";
const tenant = passkeyFromGraph({
  state: "enabled",
  isSelfServiceRegistrationAllowed: true,
  defaultPasskeyProfile: DEFAULT_ID,
  passkeyProfiles: [
    {
      id: DEFAULT_ID,
      name: "Default",
      passkeyTypes: "deviceBound",
      attestationEnforcement: "registrationOnly",
      keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [AAGUID] },
    },
  ],
  includeTargets: [{ id: "all_users", targetType: "group", allowedPasskeyProfiles: [DEFAULT_ID] }],
  excludeTargets: [],
});
const declared = (profile: Record<string, unknown> = {}) =>
  parseArgs("PasskeyPolicy", {
    state: "enabled",
    passkeyProfiles: [{ name: "Default", passkeyTypes: ["deviceBound"], ...profile }],
  });

describe("model: a passkey profile's left-out attestation and key restrictions are kept", () => {
  it("is no diff against the tenant's registrationOnly and allow list", () => {
    expect(diffPasskey(declared(), tenant)).to.deep.equal([]);
  });

  it("the PATCH body keeps them (an omitted attestation was written as disabled)", () => {
    const settings = declared();
    const { patches } = passkeyMainPatches(settings, tenant);
    const body = patches[0].passkeyProfiles?.find((p) => p.name === "Default");
    expect(body).to.deep.include({
      attestationEnforcement: "registrationOnly",
      keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [AAGUID] },
    });
  });

  it("allowing synced passkeys with the attestation left out is refused before any write", () => {
    expect(() =>
      passkeyMainPatches(declared({ passkeyTypes: ["deviceBound", "synced"] }), tenant),
    ).to.throw(
      /left out \(kept\)\. Turning attestation off weakens the profile: declare attestationEnforcement: "disabled"/,
    );
  });

  it("a declared weakening is named in words; the same declaration without it names nothing", () => {
    expect(passkeyWeakenings(tenant, declared())).to.deep.equal([]);
    const weaker = declared({
      passkeyTypes: ["deviceBound", "synced"],
      attestationEnforcement: "disabled",
      keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [] },
    });
    const findings = passkeyWeakenings(tenant, weaker);
    expect(findings).to.have.length(3);
    expect(findings[0]).to.match(/^Passkey profile "Default": attestation no longer enforced/);
    expect(findings[1]).to.match(/synced passkeys allowed \(were device-bound only\)/);
    expect(findings[2]).to.match(
      /key restrictions dropped \(were an allow list of 1 authenticator models\)/,
    );
  });
});
