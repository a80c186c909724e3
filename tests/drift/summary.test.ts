// Preview summaries from synthetic previews in both input shapes (no engine, no Graph): the words
// a reviewer reads, every kind of dangerous change called out (and harmless ones not), creates,
// deletes and replacements, and the two input shapes giving the same summary.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import {
  findDangers,
  parsePreview,
  planChanges,
  previewMarkdown,
  type SummaryContext,
} from "../../provider/preview";
import { changeWords } from "../../provider/render";
import { entraNudge } from "../support/cli";

const TYPE = "pulumi-nodejs:dynamic/entra-nudge:";
const PILOT = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31";
const BREAK_GLASS = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c";
const SALES = "2fbb5b75-4b8e-581b-9aaa-28ef3cb88c74";
const TENANT = "178cc2f5-b89d-5285-a693-886d7454bd7a";

type Props = Record<string, unknown>;
type Kind = "RegistrationCampaign" | "AuthenticatorPolicy" | "PilotGroup";

function campaign(over: Props = {}): Props {
  return {
    state: "enabled",
    snoozeDurationInDays: 1,
    includeTargets: [
      { id: PILOT, targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" },
    ],
    excludeTargets: [{ id: BREAK_GLASS, targetType: "group" }],
    onDelete: "restore",
    ...over,
  };
}

function authenticator(over: Props = {}): Props {
  return {
    state: "enabled",
    includeTargets: [
      { id: PILOT, targetType: "group", authenticationMode: "any", isRegistrationRequired: false },
    ],
    excludeTargets: [],
    featureSettings: {},
    onDelete: "restore",
    ...over,
  };
}

/** A step of `pulumi preview --json`. */
function step(
  op: string,
  kind: Kind,
  name: string,
  before?: { inputs: Props; outputs?: Props; id?: string },
  after?: Props,
  replaceReasons: string[] = [],
): Props {
  const urn = `urn:pulumi:dev::nudge::${TYPE}${kind}::${name}`;
  return {
    op,
    urn,
    oldState: before && {
      type: `${TYPE}${kind}`,
      urn,
      id: before.id ?? `${TENANT}/x`,
      inputs: { ...before.inputs, __provider: "exports.handler = ..." },
      outputs: { ...before.inputs, tenantId: TENANT, ...before.outputs },
    },
    newState: after && { type: `${TYPE}${kind}`, urn, inputs: after },
    replaceReasons,
    diffReasons: [],
    detailedDiff: null,
  };
}

function previewJson(steps: Props[], diagnostics: Props[] = []): string {
  return JSON.stringify({ config: {}, steps, diagnostics, changeSummary: {} });
}

/** The same steps as an event log, the way the engine streams them. */
function eventLog(steps: Props[]): string {
  return steps
    .map((s, sequence) =>
      JSON.stringify({
        sequence,
        timestamp: 1,
        resourcePreEvent: {
          metadata: {
            op: s.op,
            urn: s.urn,
            type: ((s.newState ?? s.oldState) as Props).type,
            old: s.oldState,
            new: s.newState,
            keys: s.replaceReasons,
            diffs: [],
          },
        },
      }),
    )
    .join("\n");
}

const names = new Map([
  [PILOT, "Authenticator pilot"],
  [BREAK_GLASS, "Break-glass accounts"],
  [SALES, "Sales"],
]);

function summarize(steps: Props[], context: Partial<SummaryContext> = {}) {
  const preview = parsePreview(previewJson(steps), "preview.json");
  const plans = planChanges(preview);
  const full: SummaryContext = { names, breakGlass: new Set(), ...context };
  const dangers = findDangers(plans, full);
  return {
    dangers: dangers.map((d) => d.message),
    markdown: previewMarkdown(preview, plans, dangers, full, new Map()),
  };
}

const update = (kind: Kind, name: string, before: Props, after: Props) =>
  step("update", kind, name, { inputs: before }, after);

describe("preview summaries", () => {
  it("says what changes in words: snooze values and target names", () => {
    expect(
      changeWords(
        "RegistrationCampaign",
        { property: "snoozeDurationInDays", declared: 0, actual: 1 },
        names,
      ),
    ).to.deep.equal({ label: "Snooze", text: "1 day → every sign-in" });
    expect(
      changeWords(
        "RegistrationCampaign",
        {
          property: `excludeTargets[${BREAK_GLASS}]`,
          declared: { id: BREAK_GLASS, targetType: "group" },
          actual: null,
        },
        names,
      ),
    ).to.deep.equal({ label: "Excluded", text: "+ Break-glass accounts" });
    const { markdown, dangers } = summarize([
      update("RegistrationCampaign", "campaign", campaign(), campaign({ snoozeDurationInDays: 0 })),
    ]);
    expect(dangers).to.deep.equal([]);
    expect(markdown).to.contain(
      "#### `campaign` (registration campaign): update\n\n- **Snooze**: 1 day → every sign-in\n",
    );
    expect(markdown).to.not.contain("Dangerous");
  });

  const dangerous: {
    what: string;
    steps: Props[];
    breakGlass?: string[];
    danger: RegExp;
    /** Other dangers the same change brings (default none). */
    also?: RegExp[];
  }[] = [
    {
      what: "the campaign disabled",
      steps: [
        update("RegistrationCampaign", "campaign", campaign(), campaign({ state: "disabled" })),
      ],
      danger:
        /^The registration campaign is disabled: nobody is nudged to set up Microsoft Authenticator any more/,
    },
    {
      // The words name the method the campaign nudged to (they said Microsoft Authenticator).
      what: "a passkey campaign disabled",
      steps: [
        update(
          "RegistrationCampaign",
          "campaign",
          campaign({
            targetedAuthenticationMethod: "fido2",
            includeTargets: [
              { id: PILOT, targetType: "group", targetedAuthenticationMethod: "fido2" },
            ],
          }),
          campaign({
            state: "disabled",
            targetedAuthenticationMethod: "fido2",
            includeTargets: [
              { id: PILOT, targetType: "group", targetedAuthenticationMethod: "fido2" },
            ],
          }),
        ),
      ],
      danger:
        /^The registration campaign is disabled: nobody is nudged to set up a passkey any more/,
    },
    {
      what: "the campaign set back to Microsoft managed",
      steps: [
        update(
          "RegistrationCampaign",
          "campaign",
          campaign(),
          campaign({ state: "default", snoozeDurationInDays: 1 }),
        ),
      ],
      danger: /set back to Microsoft managed/,
    },
    {
      what: "a break-glass exclusion removed (known by its name)",
      steps: [
        update("RegistrationCampaign", "campaign", campaign(), campaign({ excludeTargets: [] })),
      ],
      danger:
        /^The break-glass group Break-glass accounts is no longer excluded from the registration campaign/,
    },
    {
      what: "a break-glass exclusion removed (named with --break-glass)",
      steps: [
        update(
          "RegistrationCampaign",
          "campaign",
          campaign({ excludeTargets: [{ id: SALES, targetType: "group" }] }),
          campaign({ excludeTargets: [] }),
        ),
      ],
      breakGlass: [SALES],
      danger: /^The break-glass group Sales is no longer excluded/,
    },
    {
      what: "Authenticator disabled",
      steps: [
        update(
          "AuthenticatorPolicy",
          "authenticator",
          authenticator(),
          authenticator({ state: "disabled" }),
        ),
      ],
      danger: /^Microsoft Authenticator is disabled/,
    },
    {
      what: "Authenticator switched to Passwordless for a target",
      steps: [
        update(
          "AuthenticatorPolicy",
          "authenticator",
          authenticator(),
          authenticator({
            includeTargets: [
              {
                id: PILOT,
                targetType: "group",
                authenticationMode: "deviceBasedPush",
                isRegistrationRequired: false,
              },
            ],
          }),
        ),
      ],
      danger: /^Microsoft Authenticator is switched to Passwordless for Authenticator pilot/,
    },
    {
      what: "a new Passwordless target",
      steps: [
        update(
          "AuthenticatorPolicy",
          "authenticator",
          authenticator(),
          authenticator({
            includeTargets: [
              ...(authenticator().includeTargets as Props[]),
              {
                id: SALES,
                targetType: "group",
                authenticationMode: "deviceBasedPush",
                isRegistrationRequired: false,
              },
            ],
          }),
        ),
      ],
      danger: /switched to Passwordless for Sales/,
    },
    {
      what: "a tenant switch",
      steps: [
        step("replace", "RegistrationCampaign", "campaign", { inputs: campaign() }, campaign(), [
          "tenantId",
        ]),
      ],
      danger: /^Tenant switch: the registration campaign is replaced/,
    },
    {
      what: "the campaign removed, restoring a Microsoft-managed campaign",
      steps: [
        step("delete", "RegistrationCampaign", "campaign", {
          inputs: campaign(),
          outputs: {
            originalSettings: {
              state: "default",
              snoozeDurationInDays: 1,
              enforceRegistrationAfterAllowedSnoozes: true,
              includeTargets: [
                {
                  id: "all_users",
                  targetType: "group",
                  targetedAuthenticationMethod: "microsoftAuthenticator",
                },
              ],
              excludeTargets: [],
            },
          },
        }),
      ],
      danger: /set back to Microsoft managed/,
      // The restored settings had no exclusion: the break-glass group loses its own.
      also: [/^The break-glass group Break-glass accounts is no longer excluded/],
    },
  ];

  for (const c of dangerous) {
    it(`calls out ${c.what} at the top`, () => {
      const { dangers, markdown } = summarize(c.steps, { breakGlass: new Set(c.breakGlass ?? []) });
      const expected = [c.danger, ...(c.also ?? [])];
      expect(dangers, dangers.join("\n")).to.have.length(expected.length);
      for (const pattern of expected)
        expect(
          dangers.some((d) => pattern.test(d)),
          String(pattern),
        ).to.equal(true);
      const top = markdown.indexOf("### ⚠️ Dangerous changes");
      expect(top).to.be.greaterThan(0);
      expect(top).to.be.lessThan(markdown.indexOf("### Changes"));
    });
  }

  it("does not call the removal of an ordinary exclusion dangerous", () => {
    const { dangers, markdown } = summarize([
      update(
        "RegistrationCampaign",
        "campaign",
        campaign({
          excludeTargets: [
            { id: BREAK_GLASS, targetType: "group" },
            { id: SALES, targetType: "group" },
          ],
        }),
        campaign(),
      ),
    ]);
    expect(dangers).to.deep.equal([]);
    expect(markdown).to.contain("- **Excluded**: − Sales\n");
  });

  it("a delete restores the adopted settings (or keeps them with onDelete retain); a group is deleted", () => {
    const original = { ...campaign({ snoozeDurationInDays: 4 }) };
    delete original.onDelete;
    const { markdown } = summarize([
      step("delete", "RegistrationCampaign", "campaign", {
        inputs: campaign(),
        outputs: { originalSettings: original },
      }),
      step("delete", "AuthenticatorPolicy", "authenticator", {
        inputs: authenticator({ onDelete: "retain" }),
        outputs: { onDelete: "retain" },
      }),
      step("delete", "PilotGroup", "pilot", {
        id: PILOT,
        inputs: {
          displayName: "Authenticator pilot",
          description: "",
          mailNickname: "authenticator-pilot",
        },
      }),
    ]);
    expect(markdown).to.contain(
      "Removed from the program: the settings found when it was adopted are restored:\n\n- **Snooze**: 1 day → 4 days\n",
    );
    expect(markdown).to.contain("the tenant's settings stay as they are (onDelete: retain)");
    expect(markdown).to.contain(`Deletes the group "Authenticator pilot" (${PILOT})`);
    expect(markdown).to.contain("3 to delete.");
  });

  it("creates, summarized offline, list the declared settings; the event log gives the same summary", async () => {
    const steps = [
      step("create", "PilotGroup", "pilot", undefined, {
        displayName: "Authenticator pilot",
        description: "",
        mailNickname: "authenticator-pilot",
        members: ["pilot.user@contoso.onmicrosoft.com"],
      }),
      step(
        "create",
        "RegistrationCampaign",
        "campaign",
        undefined,
        campaign({
          snoozeDurationInDays: 0,
          includeTargets: [
            {
              id: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
              targetType: "group",
              targetedAuthenticationMethod: "microsoftAuthenticator",
            },
          ],
        }),
      ),
      step(
        "same",
        "AuthenticatorPolicy",
        "authenticator",
        { inputs: authenticator() },
        authenticator(),
      ),
    ];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-summary-"));
    try {
      fs.writeFileSync(path.join(dir, "preview.json"), previewJson(steps));
      fs.writeFileSync(path.join(dir, "events.jsonl"), eventLog(steps));
      const fromJson = await entraNudge(
        ["preview-summary", "--input", "preview.json", "--offline"],
        {},
        dir,
      );
      const fromEvents = await entraNudge(
        ["preview-summary", "--input", "events.jsonl", "--offline"],
        {},
        dir,
      );
      expect(fromJson.code, fromJson.stderr).to.equal(0);
      expect(fromEvents.stdout).to.equal(fromJson.stdout);
      const markdown = fromJson.stdout;
      expect(markdown).to.contain("2 to create.");
      expect(markdown).to.contain(
        '#### `pilot` (pilot group): create\n\nCreates the security group:\n\n- **Name**: "Authenticator pilot"\n- **Mail nickname**: "authenticator-pilot"\n- **Members**: + pilot.user@contoso.onmicrosoft.com\n',
      );
      expect(markdown).to.contain("- **Snooze**: every sign-in\n");
      expect(markdown).to.contain("- **Included**: + a new object (id known after apply)\n");
      expect(markdown).to.contain(`- **Excluded**: + ${BREAK_GLASS}\n`);
      expect(markdown).to.not.contain("authenticator`");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a failed preview is said first; no change is said plainly", () => {
    const failed = parsePreview(
      previewJson(
        [],
        [{ severity: "error", message: "RegistrationCampaign: Invalid arguments\n  - state: ..." }],
      ),
      "preview.json",
    );
    const context: SummaryContext = { names, breakGlass: new Set() };
    const markdown = previewMarkdown(failed, planChanges(failed), [], context, new Map());
    expect(markdown).to.contain(
      "### ⛔ The preview failed\n\n- RegistrationCampaign: Invalid arguments\n",
    );
    const same = summarize([
      step(
        "same",
        "AuthenticatorPolicy",
        "authenticator",
        { inputs: authenticator() },
        authenticator(),
      ),
    ]);
    expect(same.markdown).to.contain(
      "No change to the registration campaign, the Microsoft Authenticator policy or the pilot groups.",
    );
  });
});
