// failOnExternalChange in the model: validated like every argument (a clear error naming it), kept
// in the canonical inputs so that an update sees it, and never compared, sent to Graph or counted
// as a change: it only steers what an update does about settings changed outside the stack.
import {
  ExternalChangeError,
  UNKNOWN,
  authenticatorToGraphPatch,
  campaignToGraphPatch,
  checkArgs,
  describeChanges,
  diffResult,
  parseArgs,
  toCheckFailures,
  validateArgs,
  type ResourceKind,
} from "../../provider/model";
import { externalChangeWords } from "../../provider/render";
import { G1, G2, expect } from "./support";

type Args = Record<string, unknown>;

const DECLARED: Record<"RegistrationCampaign" | "AuthenticatorPolicy", Args> = {
  RegistrationCampaign: {
    state: "enabled",
    snoozeDurationInDays: 0,
    includeTargets: [{ id: G1, targetType: "group" }],
    excludeTargets: [{ id: G2, targetType: "group" }],
  },
  AuthenticatorPolicy: {
    state: "enabled",
    includeTargets: [{ id: G1, targetType: "group", authenticationMode: "any" }],
  },
};

const KINDS = Object.keys(DECLARED) as ("RegistrationCampaign" | "AuthenticatorPolicy")[];

describe("failOnExternalChange (model)", () => {
  for (const kind of KINDS) {
    describe(kind, () => {
      const args = (change: Args = {}): Args => ({ ...DECLARED[kind], ...change });

      it("accepts true, false, omission and a value unknown during preview", () => {
        for (const value of [true, false, undefined, UNKNOWN]) {
          expect(validateArgs(kind, args({ failOnExternalChange: value }))).to.deep.equal([]);
        }
      });

      it("refuses a non-boolean with one problem naming failOnExternalChange and the fix", () => {
        for (const value of [1, "yes", { enabled: true }, ["true"]]) {
          const problems = validateArgs(kind, args({ failOnExternalChange: value }));
          expect(problems, JSON.stringify(value)).to.have.length(1);
          expect(problems[0].property).to.equal("failOnExternalChange");
          expect(problems[0].message).to.match(/^failOnExternalChange: .* is not a boolean\./);
          expect(problems[0].message).to.contain("Use true to make an update fail");
          expect(problems[0].message).to.contain("false (the default)");
        }
      });

      it('says a quoted "true" is a string and the boolean is wanted', () => {
        const problems = validateArgs(kind, args({ failOnExternalChange: "true" }));
        expect(problems.map((p) => p.message)).to.deep.equal([
          'failOnExternalChange: "true" is a string. Use the boolean true (no quotes).',
        ]);
        expect(toCheckFailures(problems)[0].reason).to.match(/^failOnExternalChange: /);
        expect(() => parseArgs(kind, args({ failOnExternalChange: "true" }))).to.throw(
          /failOnExternalChange: "true" is a string/,
        );
      });

      it("is kept in the canonical inputs when declared, absent when omitted", () => {
        const declared = checkArgs(kind, args({ failOnExternalChange: true }));
        expect(declared.ok && declared.inputs).to.include({ failOnExternalChange: true });
        const omitted = checkArgs(kind, args());
        expect(omitted.ok && omitted.inputs).to.not.have.property("failOnExternalChange");
      });

      it("is never a change: declared, changed, omitted or unknown, diff says no change", () => {
        const recorded = parseArgs(kind, args()) as unknown as Args;
        for (const value of [true, false, UNKNOWN]) {
          const news = checkArgs(kind, args({ failOnExternalChange: value }));
          if (!news.ok) expect.fail(JSON.stringify(news.problems));
          const outcome = diffResult(kind, recorded, news.inputs as Args);
          expect(outcome.changes, String(value)).to.equal(false);
          expect(outcome.propertyChanges).to.deep.equal([]);
        }
        const withFlag = parseArgs(kind, args({ failOnExternalChange: true })) as unknown as Args;
        expect(
          diffResult(kind, withFlag, parseArgs(kind, args()) as unknown as Args).changes,
        ).to.equal(false);
      });

      it("is never compared with what Graph holds, so it never looks like drift", () => {
        const inputs = parseArgs(kind, args({ failOnExternalChange: true }));
        // What Graph holds: the settings without the provider-only arguments.
        const settings: Args = { ...inputs };
        delete settings.failOnExternalChange;
        delete settings.onDelete;
        expect(
          describeChanges(kind as ResourceKind, inputs as never, settings as never),
        ).to.deep.equal([]);
      });
    });
  }

  it("is never sent to Graph", () => {
    const campaign = parseArgs("RegistrationCampaign", {
      ...DECLARED.RegistrationCampaign,
      failOnExternalChange: true,
    });
    expect(JSON.stringify(campaignToGraphPatch(campaign).body)).to.not.contain("failOnExternal");
    const authenticator = parseArgs("AuthenticatorPolicy", {
      ...DECLARED.AuthenticatorPolicy,
      failOnExternalChange: true,
    });
    expect(JSON.stringify(authenticatorToGraphPatch(authenticator).body)).to.not.contain(
      "failOnExternal",
    );
  });

  it("its error names each change last applied → live, what the update would set, and the fix, in words", () => {
    const external = [
      { property: "snoozeDurationInDays", declared: 0, actual: 7 },
      {
        property: `excludeTargets[${G2}]`,
        declared: { id: G2, targetType: "group" },
        actual: null,
      },
    ];
    // The program's own change as well: Sales excluded too.
    const wouldSet = [
      { property: "snoozeDurationInDays", declared: 0, actual: 7 },
      {
        property: `excludeTargets[${G2}]`,
        declared: { id: G2, targetType: "group" },
        actual: null,
      },
      {
        property: `excludeTargets[${G1}]`,
        declared: { id: G1, targetType: "group" },
        actual: null,
      },
    ];
    const names = new Map([
      [G1, "Sales"],
      [G2, "Emergency Access Accounts"],
    ]);
    const error = new ExternalChangeError(
      "RegistrationCampaign",
      external,
      wouldSet,
      externalChangeWords("RegistrationCampaign", external, wouldSet, names),
    );
    expect(error.message.split("\n").slice(0, 7)).to.deep.equal([
      "RegistrationCampaign: the tenant's settings were changed outside this stack since it last applied or refreshed them, and failOnExternalChange is true, so nothing was written.",
      "Changed outside this stack (last applied → live):",
      "  Snooze: every sign-in → 7 days.",
      "  Excluded: − Emergency Access Accounts.",
      "This update would have set:",
      "  Snooze: 7 days → every sign-in.",
      "  Excluded: + Emergency Access Accounts.",
    ]);
    expect(error.message).to.contain("\n  Excluded: + Sales.\n");
    // The full values stay in the state (and on the error), never in the message.
    expect(error.message, "no JSON").to.not.match(/[{}"]|\(absent\)|targetType/);
    expect(error.external).to.deep.equal(external);
    expect(error.message).to.contain("run `pulumi refresh` to accept the live values");
    expect(error.message).to.contain("`pulumi up` to apply the declaration deliberately");
    expect(error.message).to.contain("set failOnExternalChange: false");
  });
});
