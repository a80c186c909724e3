// The drift report's three forms (provider/drift/format.ts) from a report built by hand: the
// terminal table, the Markdown a CI job posts, the JSON schema (docs/commands.md), the error forms
// that are never read as a verdict, and the one-line-per-stack forms of a fleet check. No engine,
// no Graph, so the mutation run (docs/reliability.md) uses this suite as drift's tests.
import { expect } from "chai";
import {
  driftJson,
  driftMarkdown,
  driftTable,
  errorJson,
  errorMarkdown,
  fleetJson,
  fleetMarkdown,
  fleetTable,
  type DriftReport,
  type StackOutcome,
} from "../../provider/drift";
import { methodTakenWords } from "../../provider/drift/detect";
import { ReportError } from "../../provider/errors";
import type { JsonValue } from "../../provider/model";

const G1 = "3ee3a9de-0a86-4e12-a287-9769accf1ba2";
const TENANT = "178cc2f5-b89d-5285-a693-886d7454bd7a";
const urn = (name: string) => `urn:pulumi:dev::p::pulumi-nodejs:dynamic:Resource::${name}`;
const campaign = {
  resource: "campaign",
  kind: "RegistrationCampaign",
  urn: urn("campaign"),
} as const;

const drifted: DriftReport = {
  inSync: false,
  source: { stack: "dev", cwd: "." },
  tenantId: TENANT,
  resources: [
    { ...campaign, id: "t/campaign", status: "drifted" },
    { resource: "pilot", kind: "PilotGroup", urn: urn("pilot"), id: G1, status: "missing" },
    {
      resource: "authenticator",
      kind: "AuthenticatorPolicy",
      urn: urn("authenticator"),
      id: "t/a",
      status: "inSync",
    },
  ],
  differences: [
    {
      ...campaign,
      property: "targetedAuthenticationMethod",
      declared: "microsoftAuthenticator",
      actual: "fido2",
      significant: "Nudged to set up: Microsoft Authenticator → a passkey",
    },
    { ...campaign, property: "snoozeDurationInDays", declared: 3, actual: 14 },
    {
      ...campaign,
      property: `excludeTargets[${G1}]`,
      declared: null,
      actual: { id: G1, targetType: "group" },
    },
    {
      resource: "pilot",
      kind: "PilotGroup",
      urn: urn("pilot"),
      property: "exists",
      declared: true,
      actual: false,
    },
  ],
  names: new Map([
    [G1, "Pilot | users"],
    ["b", "B"],
    ["a", "A"],
  ]),
};
const inSync: DriftReport = {
  inSync: true,
  source: { file: "state.json" },
  resources: [drifted.resources[2]],
  differences: [],
  names: new Map(),
};

describe("drift report: the terminal table", () => {
  it("names the stack and tenant, calls the significant change out first, and says what differs in words", () => {
    expect(driftTable(drifted)).to.equal(
      [
        `entra-nudge drift: stack "dev", tenant ${TENANT}`,
        "",
        "Significant change: Nudged to set up: Microsoft Authenticator → a passkey (campaign)",
        "",
        "RESOURCE       KIND                  STATUS",
        "campaign       RegistrationCampaign  drifted",
        "pilot          PilotGroup            missing",
        "authenticator  AuthenticatorPolicy   in sync",
        "",
        "RESOURCE  PROPERTY                                                                        DECLARED                 ACTUAL",
        "campaign  Nudged to set up (targetedAuthenticationMethod)                                 Microsoft Authenticator  a passkey",
        "campaign  Snooze (snoozeDurationInDays)                                                   3 days                   14 days",
        `campaign  Excluded: Pilot | users (excludeTargets[${G1}])  (absent)                 group`,
        "pilot     The resource itself                                                             exists                   deleted",
        "",
        "Drift: 4 differences in 2 of 3 resources. The tenant differs from the stack's declaration.",
        "",
      ].join("\n"),
    );
  });

  it("in sync: the state file, no difference table, and the verdict", () => {
    expect(driftTable(inSync)).to.equal(
      [
        "entra-nudge drift: the state file state.json",
        "",
        "RESOURCE       KIND                 STATUS",
        "authenticator  AuthenticatorPolicy  in sync",
        "",
        "In sync: every resource matches the tenant.",
        "",
      ].join("\n"),
    );
    const one: DriftReport = {
      ...drifted,
      resources: [drifted.resources[0]],
      differences: [drifted.differences[1]],
    };
    expect(driftTable(one)).to.match(/\nDrift: 1 difference in 1 of 1 resource\. /);
  });
});

describe("drift report: Markdown for a job summary or a comment", () => {
  it("the marker, the verdict as a heading, each difference in words with its path, escaped, and the fix", () => {
    expect(driftMarkdown(drifted)).to.equal(
      [
        "<!-- entra-nudge:drift -->",
        "## entra-nudge drift: drift detected",
        "",
        "> **Significant change:** Nudged to set up: Microsoft Authenticator → a passkey (`campaign`)",
        "",
        `The tenant differs from the declaration (stack \`dev\`, tenant \`${TENANT}\`): **4 differences in 2 of 3 resources**.`,
        "",
        "| Resource | Property | Declared | Actual |",
        "| --- | --- | --- | --- |",
        "| `campaign` (registration campaign) | Nudged to set up (`targetedAuthenticationMethod`) | Microsoft Authenticator | a passkey |",
        "| `campaign` (registration campaign) | Snooze (`snoozeDurationInDays`) | 3 days | 14 days |",
        `| \`campaign\` (registration campaign) | Excluded: Pilot \\| users (\`excludeTargets[${G1}]\`) | (absent) | group |`,
        "| `pilot` (pilot group) | The resource itself | exists | deleted |",
        "",
        "Run `pulumi up --refresh` to restore the declaration, or change the program to adopt the tenant's values.",
        "",
      ].join("\n"),
    );
  });

  it("in sync: one sentence with the count", () => {
    expect(driftMarkdown(inSync)).to.equal(
      [
        "<!-- entra-nudge:drift -->",
        "## entra-nudge drift: in sync",
        "",
        "The tenant matches the declaration (the state file state.json): 1 resource, no difference.",
        "",
      ].join("\n"),
    );
    expect(driftMarkdown({ ...inSync, resources: drifted.resources })).to.contain(
      ": 3 resources, no difference.",
    );
  });
});

describe("drift report: JSON", () => {
  it("the schema's summary counts, names sorted by id, no tenant as null", () => {
    const json = driftJson(drifted);
    expect(json).to.deep.include({
      schemaVersion: 1,
      inSync: false,
      source: { stack: "dev", cwd: "." },
      tenantId: TENANT,
      summary: { resources: 3, drifted: 1, missing: 1, differences: 4 },
    });
    expect(json.differences).to.deep.equal(drifted.differences);
    expect(Object.keys(json.names)).to.deep.equal([G1, "a", "b"]);
    expect(driftJson(inSync)).to.deep.include({
      inSync: true,
      tenantId: null,
      summary: { resources: 1, drifted: 0, missing: 0, differences: 0 },
    });
  });

  it("a failed check has no verdict: its kind and message only", () => {
    const err = new ReportError("tenant", "The credentials sign in to another tenant");
    expect(errorJson(err)).to.deep.equal({
      schemaVersion: 1,
      error: { kind: "tenant", message: "The credentials sign in to another tenant" },
    });
    expect(errorJson(new Error("boom"))).to.not.have.property("inSync");
    expect(errorMarkdown(new Error("a | b"))).to.equal(
      [
        "<!-- entra-nudge:drift -->",
        "## entra-nudge drift: the check failed",
        "",
        "Drift could not be checked (error): a \\| b",
        "",
      ].join("\n"),
    );
  });
});

describe("drift report: several stacks", () => {
  const failed = new Error("cannot sign in\nAADSTS700016");
  const outcomes: StackOutcome[] = [
    { stack: "a", exitCode: 0, report: inSync },
    { stack: "b|c", exitCode: 2, report: drifted },
    { stack: "c", exitCode: 1, error: failed },
  ];

  it("one line per stack in the order given; an error on one line", () => {
    expect(fleetTable(outcomes)).to.equal(
      [
        "a: in sync",
        `b|c: drift (4 differences: targetedAuthenticationMethod, snoozeDurationInDays, excludeTargets[${G1}], exists)`,
        "c: error — cannot sign in AADSTS700016",
        "",
      ].join("\n"),
    );
  });

  it("JSON: in sync only when every stack was checked and is in sync", () => {
    const json = fleetJson(outcomes);
    expect(json.inSync).to.equal(false);
    expect(json.stacks.map((s) => [s.stack, s.exitCode, s.inSync])).to.deep.equal([
      ["a", 0, true],
      ["b|c", 2, false],
      ["c", 1, undefined],
    ]);
    expect(json.stacks[1].differences).to.have.length(4);
    expect(json.stacks[2].error).to.deep.equal({
      kind: "error",
      message: "cannot sign in\nAADSTS700016",
    });
    expect(fleetJson([outcomes[0]]).inSync).to.equal(true);
    expect(fleetJson([outcomes[0], outcomes[2]]).inSync).to.equal(false);
  });

  it("Markdown: the heading says a check failed before drift, drift before in sync", () => {
    expect(fleetMarkdown(outcomes)).to.equal(
      [
        "<!-- entra-nudge:drift -->",
        "## entra-nudge drift: a check failed",
        "",
        "| Stack | Verdict | Details |",
        "| --- | --- | --- |",
        "| a | in sync | |",
        `| b\\|c | drift | 4 differences: targetedAuthenticationMethod, snoozeDurationInDays, excludeTargets\\[${G1}\\], exists |`,
        "| c | error | error: cannot sign in AADSTS700016 |",
        "",
      ].join("\n"),
    );
    expect(fleetMarkdown(outcomes.slice(0, 2))).to.contain(
      "## entra-nudge drift: drift detected\n",
    );
    expect(fleetMarkdown([outcomes[0]])).to.contain("## entra-nudge drift: in sync\n");
  });
});

describe("drift: only a change that takes a method away is called taken", () => {
  const group = { id: G1, targetType: "group", authenticationMode: "any" };
  it("another property, another direction or a nested change is not", () => {
    const none: [string, JsonValue, JsonValue][] = [
      // A value "disabled" elsewhere, or a state that was not declared enabled.
      [`includeTargets[${G1}].authenticationMode`, "any", "disabled"],
      ["state", null, "disabled"],
      ["state", "enabled", "enabledForPilot"],
      // An include target the tenant added, or changed in a part that grants nothing.
      [`includeTargets[${G1}]`, group, { ...group, isRegistrationRequired: true }],
      [`includeTargets[${G1}].isRegistrationRequired`, false, null],
      // An exclusion the tenant dropped gives more; a nested exclusion property is not one.
      [`excludeTargets[${G1}]`, { id: G1, targetType: "group" }, null],
      [`excludeTargets[${G1}]`, { id: G1, targetType: "group" }, { id: G1, targetType: "user" }],
      [`excludeTargets[${G1}].targetType`, null, "group"],
      // Push allowed again, or the mode unchanged.
      [`includeTargets[${G1}].authenticationMode`, "deviceBasedPush", "any"],
      [`includeTargets[${G1}].authenticationMode`, "deviceBasedPush", "deviceBasedPush"],
      [`excludeTargets[${G1}].authenticationMode`, "any", "deviceBasedPush"],
      ["", "enabled", null],
    ];
    for (const [property, declared, actual] of none) {
      expect(
        methodTakenWords("AuthenticatorPolicy", property, declared, actual),
        `${property}: ${JSON.stringify(declared)} → ${JSON.stringify(actual)}`,
      ).to.equal(undefined);
    }
  });
});
