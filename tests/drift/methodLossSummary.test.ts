// Preview summaries call a change that takes a method away dangerous: with `--impact`, from its
// `methodLoss` counts; without them, from an include target a method policy drops or an exclude
// target it adds (the "− All users" of a narrowing). Synthetic previews, no engine, no Graph.
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  findDangers,
  parsePreview,
  planChanges,
  readImpact,
  type SummaryContext,
} from "../../provider/preview";
import { methodTakenWords } from "../../provider/drift/detect";

const TYPE = "pulumi-nodejs:dynamic/entra-nudge:";
const PILOT = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31";
const TENANT = "178cc2f5-b89d-5285-a693-886d7454bd7a";
type Props = Record<string, unknown>;

const target = (id: string, mode = "any") => ({
  id,
  targetType: "group",
  authenticationMode: mode,
  isRegistrationRequired: false,
});
const authenticator = (includeTargets: Props[], excludeTargets: Props[] = []): Props => ({
  state: "enabled",
  includeTargets,
  excludeTargets,
  featureSettings: {},
  onDelete: "restore",
});

function dangers(before: Props, after: Props, context: Partial<SummaryContext> = {}): string[] {
  const urn = `urn:pulumi:dev::nudge::${TYPE}AuthenticatorPolicy::authenticator`;
  const text = JSON.stringify({
    config: {},
    steps: [
      {
        op: "update",
        urn,
        oldState: {
          type: `${TYPE}AuthenticatorPolicy`,
          urn,
          id: `${TENANT}/microsoftAuthenticator`,
          inputs: before,
          outputs: { ...before, tenantId: TENANT },
        },
        newState: { type: `${TYPE}AuthenticatorPolicy`, urn, inputs: after },
        replaceReasons: [],
        diffReasons: [],
        detailedDiff: null,
      },
    ],
    diagnostics: [],
    changeSummary: {},
  });
  const plans = planChanges(parsePreview(text, "preview.json"));
  return findDangers(plans, {
    names: new Map([[PILOT, "Authenticator pilot"]]),
    breakGlass: new Set(),
    ...context,
  }).map((d) => d.message);
}

describe("preview summaries: a method taken away is dangerous", () => {
  const everyone = authenticator([target("all_users")]);
  const pilotOnly = authenticator([target(PILOT)]);

  it("narrowing Authenticator from all users to a group is called out", () => {
    expect(dangers(everyone, pilotOnly)).to.deep.equal([
      "All users are no longer included for Microsoft Authenticator: users who have it registered and are in no other include target lose it (the preview's check counts them; `entra-nudge impact` names them).",
    ]);
  });

  it("an exclude target added is called out; widening is not", () => {
    expect(
      dangers(everyone, authenticator([target("all_users")], [{ id: PILOT, targetType: "group" }])),
    ).to.deep.equal([
      "Authenticator pilot is now excluded from Microsoft Authenticator: its users who have it registered lose it (the preview's check counts them; `entra-nudge impact` names them).",
    ]);
    expect(dangers(pilotOnly, everyone)).to.deep.equal([]);
  });

  it("with --impact, the counts of impact's methodLoss say it instead", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-loss-summary-"));
    const file = path.join(dir, "impact.json");
    fs.writeFileSync(
      file,
      JSON.stringify({
        declared: { nudged: 1 },
        current: { nudged: 0 },
        methodLoss: [
          { method: "microsoftAuthenticator", users: 8, defaultMethod: 8, onlyMfaMethod: 1 },
          { method: "passkey", users: 0, defaultMethod: 0, onlyMfaMethod: 0 },
        ],
      }),
    );
    const impact = readImpact(file, dir);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(dangers(everyone, pilotOnly, { impact })).to.deep.equal([
      "8 users who have Microsoft Authenticator registered would no longer be allowed to use it (8 use it as their default MFA method; 1 has no other MFA method).",
    ]);
  });
});

describe("drift: someone else's change that takes a method away is named", () => {
  it("the method switched off, a target dropped or excluded, push users moved to Passwordless", () => {
    expect(methodTakenWords("AuthenticatorPolicy", "state", "enabled", "disabled")).to.match(
      /^Microsoft Authenticator taken away: the stack declares it enabled, the tenant has it disabled; users who have it registered/,
    );
    expect(
      methodTakenWords(
        "AuthenticatorPolicy",
        "includeTargets[all_users]",
        target("all_users"),
        null,
      ),
    ).to.match(
      /^Microsoft Authenticator taken away: the stack includes all users, the tenant no longer does/,
    );
    expect(
      methodTakenWords("PasskeyPolicy", `excludeTargets[${PILOT}]`, null, {
        id: PILOT,
        targetType: "group",
      }),
    ).to.match(/^Passkeys taken away: the tenant excludes 6ff4ac01-/);
    expect(
      methodTakenWords(
        "AuthenticatorPolicy",
        `includeTargets[${PILOT}].authenticationMode`,
        "any",
        "deviceBasedPush",
      ),
    ).to.match(/^Push taken away: the stack declares 6ff4ac01-.* in mode "any"/);
  });

  it("a change that gives more, or another resource's, is not", () => {
    expect(methodTakenWords("AuthenticatorPolicy", "state", "disabled", "enabled")).to.equal(
      undefined,
    );
    expect(
      methodTakenWords("AuthenticatorPolicy", `includeTargets[${PILOT}]`, null, target(PILOT)),
    ).to.equal(undefined);
    expect(methodTakenWords("RegistrationCampaign", "state", "enabled", "disabled")).to.equal(
      undefined,
    );
  });
});
