// The "declared" side of `impact`: declaration files checked with the resources' own rules, a
// stack export accepted, groups that do not exist counted as empty and named, and usage errors.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { main } from "../../provider/cli";
import { declarationFromProposalFile as declarationFromFile } from "../../provider/declaration";
import { ReportError } from "../../provider/errors";
import { analyzeImpact, declaredSingletons } from "../../provider/impact";
import { captureIo, graphClient } from "../eligibility/support";
import { useEmulator } from "../support/emulator";

const PILOT_GROUP = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31";
const GONE = "0d5c3c8a-6f0e-4a6e-9d7b-1c2d3e4f5a6b";

describe("impact: declarations", function () {
  this.timeout(60_000);
  const emulator = useEmulator();
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-declaration-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function write(name: string, content: unknown): string {
    fs.writeFileSync(
      path.join(dir, name),
      typeof content === "string" ? content : JSON.stringify(content),
    );
    return name;
  }

  const failures: { name: string; content: unknown; says: string[] }[] = [
    {
      name: "arguments the resource would refuse, every problem at once",
      content: { campaign: { state: "on", snoozeDurationInDays: 20 } },
      says: ["--declaration bad.json", "state", "snoozeDurationInDays: 20 is outside 0–14"],
    },
    {
      name: "an unknown key",
      content: { campaigns: {} },
      says: ['unknown key(s) campaigns. Use "campaign"'],
    },
    {
      name: "not JSON",
      content: "{ campaign:",
      says: ["cannot be read as JSON"],
    },
    {
      name: "a break-glass entry that is not an id",
      content: { breakGlassGroups: ["Emergency Access"] },
      says: ['"Emergency Access" is not a group object id'],
    },
  ];
  for (const c of failures) {
    it(`refuses ${c.name}, saying what to fix`, () => {
      write("bad.json", c.content);
      let error: unknown;
      try {
        declarationFromFile("bad.json", dir, {});
      } catch (caught) {
        error = caught;
      }
      expect(error).to.be.instanceOf(ReportError);
      for (const words of c.says) expect((error as Error).message).to.include(words);
    });
  }

  it("accepts a `pulumi stack export` file: its campaign and Authenticator policy", () => {
    write("state.json", {
      version: 3,
      deployment: {
        resources: [
          {
            urn: "urn:pulumi:dev::p::pulumi-nodejs:dynamic/entra-nudge:RegistrationCampaign::campaign",
            type: "pulumi-nodejs:dynamic/entra-nudge:RegistrationCampaign",
            id: "t/registrationCampaign",
            inputs: {
              state: "enabled",
              snoozeDurationInDays: 0,
              includeTargets: [
                {
                  id: PILOT_GROUP,
                  targetType: "group",
                  targetedAuthenticationMethod: "microsoftAuthenticator",
                },
              ],
              excludeTargets: [],
              onDelete: "restore",
              strictEligibility: true,
            },
          },
        ],
      },
    });
    const declaration = declaredSingletons(declarationFromFile("state.json", dir, {}));
    expect(declaration.campaign).to.deep.include({ state: "enabled", snoozeDurationInDays: 0 });
    expect(declaration.campaign).to.not.have.property("strictEligibility");
    expect(declaration.authenticator).to.equal(undefined);
  });

  it("counts a group that does not exist as empty, and names it", async () => {
    write("gone.json", {
      campaign: { state: "enabled", includeTargets: [{ id: GONE, targetType: "group" }] },
    });
    const report = await analyzeImpact(
      graphClient(emulator, "reader", { reportRateLimit: null }),
      declarationFromFile("gone.json", dir, {}),
    );
    expect(report.missingGroups).to.deep.equal([GONE]);
    expect(report.declared.nudged).to.equal(0);
    expect(report.declared.byTarget[0]).to.include({ id: GONE, users: 0 });
  });

  it("explains its usage when no declaration is given", async () => {
    const out = captureIo({ ...process.env, ...emulator.env("reader") }, dir);
    expect(await main(["impact"], out.io)).to.equal(1);
    expect(out.stderr()).to.include("Give the stack with --stack NAME");
    expect(out.stderr()).to.include("Usage: entra-nudge impact");
    const both = captureIo({}, dir);
    expect(await main(["report", "--json", "--markdown"], both.io)).to.equal(1);
    expect(both.stderr()).to.include("cannot be combined");
  });
});
