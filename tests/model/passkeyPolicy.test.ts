// PasskeyPolicy in the model: references by name or id compare equal, the default profile counts
// only when declared, and a profile's restrictions and types are compared as sets.
import {
  describeChanges,
  passkeyEligibility,
  passkeyFromGraph,
  passkeyProfilesFor,
  validatePasskeyArgs,
  type GraphFido2Configuration,
} from "../../provider/model";
import { G1, expect } from "./support";

const DEFAULT_ID = "00000000-0000-0000-0000-000000000001";
const PILOT_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

const tenant = (): GraphFido2Configuration => ({
  state: "enabled",
  isSelfServiceRegistrationAllowed: true,
  defaultPasskeyProfile: DEFAULT_ID,
  passkeyProfiles: [
    {
      id: DEFAULT_ID,
      name: "Default passkey profile",
      passkeyTypes: "deviceBound",
      attestationEnforcement: "disabled",
    },
    {
      id: PILOT_ID.toUpperCase(),
      name: "Pilot",
      passkeyTypes: "synced,deviceBound",
      attestationEnforcement: "disabled",
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

describe("model: PasskeyPolicy", () => {
  it("a configuration from before passkey profiles reads as its one default profile, for the resource and for eligibility alike", () => {
    const legacy: GraphFido2Configuration = {
      state: "enabled",
      isSelfServiceRegistrationAllowed: true,
      isAttestationEnforced: true,
      keyRestrictions: {
        isEnforced: true,
        enforcementType: "allow",
        aaGuids: [PILOT_ID.toUpperCase()],
      },
      includeTargets: [{ id: G1, targetType: "group", isRegistrationRequired: false }],
      excludeTargets: [],
    };
    const settings = passkeyFromGraph(legacy);
    const profile = {
      id: DEFAULT_ID,
      name: "Default passkey profile",
      passkeyTypes: ["deviceBound", "synced"],
      attestationEnforcement: "registrationOnly",
      keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [PILOT_ID] },
    };
    expect(settings.passkeyProfiles).to.deep.equal([profile]);
    expect(settings.includeTargets[0].allowedPasskeyProfiles).to.deep.equal([DEFAULT_ID]);
    expect(settings.passkeyProfileIds).to.deep.equal({ "Default passkey profile": DEFAULT_ID });
    const member = { id: "u1", groupIds: new Set([G1]) };
    expect(passkeyProfilesFor(member, passkeyEligibility(settings))).to.deep.equal([profile]);
  });

  it("a target naming a profile by name or by id is the same declaration", () => {
    const actual = passkeyFromGraph(tenant());
    for (const ref of ["Pilot", PILOT_ID.toUpperCase()]) {
      expect(
        describeChanges(
          "PasskeyPolicy",
          {
            state: "enabled",
            includeTargets: [{ id: G1, targetType: "group", allowedPasskeyProfiles: [ref] }],
          },
          actual,
        ),
        ref,
      ).to.deep.equal([]);
    }
  });

  it("the declared profile set is the whole set, except the default profile, which is never deleted", () => {
    const actual = passkeyFromGraph(tenant());
    const changes = describeChanges(
      "PasskeyPolicy",
      {
        state: "enabled",
        passkeyProfiles: [{ name: "Pilot", passkeyTypes: ["deviceBound", "synced"] }],
        includeTargets: [{ id: G1, targetType: "group", allowedPasskeyProfiles: ["Pilot"] }],
      },
      actual,
    );
    expect(changes).to.deep.equal([]);
    const fewer = describeChanges(
      "PasskeyPolicy",
      { state: "enabled", passkeyProfiles: [], includeTargets: [{ id: G1, targetType: "group" }] },
      actual,
    );
    expect(fewer.map((c) => c.property)).to.have.members([
      "passkeyProfiles[Pilot]",
      `includeTargets[${G1}].allowedPasskeyProfiles[Default passkey profile]`,
      `includeTargets[${G1}].allowedPasskeyProfiles[Pilot]`,
    ]);
  });

  it("a target without profiles means the default profile", () => {
    const graph = tenant();
    graph.includeTargets = [
      {
        id: G1,
        targetType: "group",
        isRegistrationRequired: false,
        allowedPasskeyProfiles: [DEFAULT_ID],
      },
    ];
    expect(
      describeChanges(
        "PasskeyPolicy",
        { state: "enabled", includeTargets: [{ id: G1, targetType: "group" }] },
        passkeyFromGraph(graph),
      ),
    ).to.deep.equal([]);
  });

  it("the deprecated top-level settings are refused, pointing to profiles", () => {
    const problems = validatePasskeyArgs({ state: "enabled", keyRestrictions: {} });
    expect(problems.map((p) => p.message).join("\n")).to.contain(
      "keyRestrictions: is deprecated (Microsoft removes it in October 2027)",
    );
    expect(problems.map((p) => p.message).join("\n")).to.contain("passkeyProfiles: [{");
  });
});
