// The words drift's three formats and preview-summary share (no engine, no Graph): drift's text
// table says each property as its Markdown does, and a passkey profile that stops (or starts)
// allowing a passkey type reads "no longer allowed", never the type's name against "(none)".
import { expect } from "chai";
import { driftMarkdown, driftTable, type DriftReport } from "../../provider/drift";
import { changeWords } from "../../provider/render";

const TYPE = "pulumi-nodejs:dynamic/entra-nudge:";
const SALES = "2fbb5b75-4b8e-581b-9aaa-28ef3cb88c74";
const NARROWED = "passkeyProfiles[Pilot].passkeyTypes[deviceBound]";

/** A passkey profile narrowed in the portal to synced passkeys, and Sales excluded from the campaign. */
function report(): DriftReport {
  const urn = (kind: string, name: string) => `urn:pulumi:dev::nudge::${TYPE}${kind}::${name}`;
  return {
    inSync: false,
    source: { stack: "dev", cwd: "." },
    resources: [
      {
        resource: "passkeys",
        kind: "PasskeyPolicy",
        urn: urn("PasskeyPolicy", "passkeys"),
        id: "t/p",
        status: "drifted",
      },
      {
        resource: "campaign",
        kind: "RegistrationCampaign",
        urn: urn("RegistrationCampaign", "campaign"),
        id: "t/c",
        status: "drifted",
      },
    ],
    differences: [
      {
        resource: "passkeys",
        kind: "PasskeyPolicy",
        urn: urn("PasskeyPolicy", "passkeys"),
        property: NARROWED,
        declared: "deviceBound",
        actual: null,
      },
      {
        resource: "campaign",
        kind: "RegistrationCampaign",
        urn: urn("RegistrationCampaign", "campaign"),
        property: `excludeTargets[${SALES}]`,
        declared: null,
        actual: { id: SALES, targetType: "group" },
      },
    ],
    names: new Map([[SALES, "Sales"]]),
  };
}

describe("drift and preview words", () => {
  it("drift's text table names each property in the words its Markdown uses, the path beside them", () => {
    const rows = driftTable(report()).split("\n");
    const passkeyRow = rows.find((line) => line.startsWith("passkeys ") && line.includes("["));
    expect(passkeyRow).to.match(
      /^passkeys +Device-bound passkeys in profile "Pilot" \(passkeyProfiles\[Pilot\]\.passkeyTypes\[deviceBound\]\) +allowed +not allowed *$/,
    );
    const campaignRow = rows.find((line) => line.startsWith("campaign ") && line.includes("["));
    expect(campaignRow).to.match(
      /^campaign +Excluded: Sales \(excludeTargets\[2fbb5b75-[^)]*\]\) +\(absent\) +group *$/,
    );

    const markdown = driftMarkdown(report());
    expect(markdown).to.contain(
      '| `passkeys` (passkey (FIDO2) policy) | Device-bound passkeys in profile "Pilot" (`passkeyProfiles[Pilot].passkeyTypes[deviceBound]`) | allowed | not allowed |',
    );
    expect(markdown).to.contain("| Excluded: Sales (`excludeTargets[");
    expect(`${driftTable(report())}${markdown}`).to.not.contain('"deviceBound"');
  });

  it("a passkey type taken from a profile reads 'no longer allowed'; one added, 'now allowed'", () => {
    const names = new Map<string, string>();
    expect(
      changeWords(
        "PasskeyPolicy",
        { property: NARROWED, declared: null, actual: "deviceBound" },
        names,
      ),
    ).to.deep.equal({
      label: 'Device-bound passkeys in profile "Pilot"',
      text: "no longer allowed",
    });
    expect(
      changeWords(
        "PasskeyPolicy",
        {
          property: "passkeyProfiles[Pilot].passkeyTypes[synced]",
          declared: "synced",
          actual: null,
        },
        names,
      ),
    ).to.deep.equal({ label: 'Synced passkeys in profile "Pilot"', text: "now allowed" });
  });
});
