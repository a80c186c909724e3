// The passkey half of the preview check (model/eligibility.ts's checkPasskeyCoverage): a campaign
// that targets passkeys (fido2) against the program's PasskeyPolicy. Each cause is its own finding
// with its own fix; a value known only after apply is said, never failed.
import { expect } from "chai";
import {
  UNKNOWN,
  checkPasskeyCoverage,
  normalizeCampaignArgs,
  normalizePasskeyArgs,
  type CampaignLike,
  type PasskeyLike,
} from "../../provider/model";

const PILOT = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31";
const SALES = "2fbb5b75-4b8e-581b-9aaa-28ef3cb88c74";
const USER = "0f5b3b8e-3a6a-4e0c-9d7c-2b1f4a6c8d01";

const fido2 = (id: string, targetType = "group") => ({
  id,
  targetType,
  targetedAuthenticationMethod: "fido2",
});

const campaign = (change: Record<string, unknown> = {}): CampaignLike =>
  ({ state: "enabled", includeTargets: [fido2(PILOT)], ...change }) as unknown as CampaignLike;

const passkey = (change: Record<string, unknown> = {}): PasskeyLike =>
  ({
    state: "enabled",
    includeTargets: [{ id: PILOT, targetType: "group" }],
    ...change,
  }) as unknown as PasskeyLike;

function check(c: CampaignLike, p: PasskeyLike) {
  return checkPasskeyCoverage(normalizeCampaignArgs(c), normalizePasskeyArgs(p));
}

const summary = (c: CampaignLike, p: PasskeyLike) =>
  check(c, p).map((f) => `${f.kind}:${f.targetId}:${f.blocking}`);

describe("eligibility: the preview check compares a passkey campaign's targets with the PasskeyPolicy", () => {
  it("finds nothing when the PasskeyPolicy enables the target with self-service setup (the default)", () => {
    expect(summary(campaign(), passkey())).to.deep.equal([]);
    // PasskeyPolicy's default includeTargets: all users.
    expect(summary(campaign(), passkey({ includeTargets: undefined }))).to.deep.equal([]);
  });

  it("ignores Authenticator targets and campaigns that are not enabled", () => {
    const authenticatorOnly = campaign({ includeTargets: [{ id: SALES, targetType: "group" }] });
    expect(summary(authenticatorOnly, passkey({ state: "disabled" }))).to.deep.equal([]);
    expect(summary(campaign({ state: "disabled" }), passkey({ state: "disabled" }))).to.deep.equal(
      [],
    );
  });

  it("a disabled PasskeyPolicy: one sentence, the fix is its state", () => {
    const findings = check(campaign(), passkey({ state: "disabled" }));
    expect(findings.map((f) => f.message)).to.deep.equal([
      `The campaign targets passkeys (fido2) for group ${PILOT}, but the PasskeyPolicy's state is "disabled": nobody can set up a passkey, so the campaign nudges no one. Set the PasskeyPolicy's state to "enabled" (its includeTargets decide who may use passkeys).`,
    ]);
    expect(findings[0].blocking).to.equal(true);
  });

  it("self-service setup off: its own sentence and fix", () => {
    const findings = check(campaign(), passkey({ isSelfServiceRegistrationAllowed: false }));
    expect(findings.map((f) => f.message)).to.deep.equal([
      `The campaign targets passkeys (fido2) for group ${PILOT}, but the PasskeyPolicy has isSelfServiceRegistrationAllowed: false: users cannot set up a passkey themselves, so the campaign nudges no one. Set isSelfServiceRegistrationAllowed to true (or leave it out: the default is true).`,
    ]);
    expect(findings.map((f) => `${f.kind}:${f.blocking}`)).to.deep.equal(["selfServiceOff:true"]);
  });

  it("a target the PasskeyPolicy does not include, and one it excludes: each its own sentence", () => {
    const findings = check(
      campaign({ includeTargets: [fido2(PILOT), fido2(SALES)] }),
      passkey({
        includeTargets: [{ id: "all_users", targetType: "group" }],
        excludeTargets: [{ id: SALES, targetType: "group" }],
      }),
    );
    expect(findings.map((f) => `${f.kind}:${f.targetId}`)).to.deep.equal([
      `notEnabledForPasskeys:${SALES}`,
    ]);
    expect(findings[0].message).to.equal(
      `The campaign includes group ${SALES} for passkeys (fido2), but the PasskeyPolicy excludes this group, so these users cannot set up a passkey and will not be nudged. Remove the group from the PasskeyPolicy's excludeTargets, or from the campaign.`,
    );

    const notIncluded = check(campaign({ includeTargets: [fido2(SALES)] }), passkey());
    expect(notIncluded.map((f) => f.message)).to.deep.equal([
      `The campaign includes group ${SALES} for passkeys (fido2), but the PasskeyPolicy enables only group ${PILOT} and not this group: its members who are in none of those will not be nudged. Add the group to the PasskeyPolicy's includeTargets, or remove it from the campaign.`,
    ]);
  });

  it("a user target enabled only through groups: says the preview cannot see memberships", () => {
    const findings = check(campaign({ includeTargets: [fido2(USER, "user")] }), passkey());
    expect(findings.map((f) => f.kind)).to.deep.equal(["notEnabledForPasskeys"]);
    expect(findings[0].message).to.include("compares targets, not memberships");
    expect(findings[0].message).to.include("Add the user to the PasskeyPolicy's includeTargets");
  });

  it("self-service off and a target not enabled: both causes, each with its fix", () => {
    const kinds = summary(
      campaign({ includeTargets: [fido2(SALES)] }),
      passkey({ isSelfServiceRegistrationAllowed: false }),
    );
    expect(kinds).to.deep.equal(["selfServiceOff::true", `notEnabledForPasskeys:${SALES}:true`]);
  });

  it("values unknown until apply: cannot be checked yet, never blocking", () => {
    expect(summary(campaign(), passkey({ includeTargets: UNKNOWN }))).to.deep.equal([
      `cannotCheckYet:${PILOT}:false`,
    ]);
    expect(summary(campaign(), passkey({ state: UNKNOWN }))).to.deep.equal([
      "cannotCheckYet::false",
    ]);
    expect(
      summary(campaign({ includeTargets: [fido2(PILOT), { ...fido2(UNKNOWN) }] }), passkey()),
    ).to.deep.equal(["cannotCheckYet::false"]);
  });
});
