// The fleet view: several --stack (one per tenant) give one table row per stack and a JSON list,
// each stack read with its own declaration; a stack that cannot be read is reported on its row and
// makes the exit code 1, the others still answer.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import type { Stack } from "@pulumi/pulumi/automation";
import { main } from "../../provider/cli";
import type { ReadinessReport } from "../../provider/readiness";
import { captureIo } from "../eligibility/support";
import { recordedState, undeployedStack, type IsolatedWorkspace } from "../support/engine";
import { useEmulator } from "../support/emulator";
import { csvRecords } from "./support";

describe("readiness with several --stack (the fleet view)", function () {
  this.timeout(180_000);
  const emulator = useEmulator();
  let workspace: IsolatedWorkspace;
  let stack: Stack;
  let env: NodeJS.ProcessEnv;
  const projectName = "entra-nudge-fleet";

  before(async () => {
    ({ workspace, stack, env } = await undeployedStack(projectName, emulator.env("reader")));
    env = { ...env, ENTRA_NUDGE_REPORT_RATE_LIMIT: "off" };
    // "dev" declares an enabled Authenticator campaign for all users, "paused" the same disabled
    // (a stack without any of this package's resources is refused).
    const declare = async (name: string, state: string) => {
      const inputs = {
        state,
        targetedAuthenticationMethod: "microsoftAuthenticator",
        snoozeDurationInDays: 1,
        includeTargets: [
          {
            id: "all_users",
            targetType: "group",
            targetedAuthenticationMethod: "microsoftAuthenticator",
          },
        ],
        excludeTargets: [],
        onDelete: "restore",
      };
      await stack.workspace.importStack(
        name,
        recordedState(projectName, name, [
          {
            kind: "RegistrationCampaign",
            name: "campaign",
            id: `${emulator.info.tenantId}/campaign`,
            inputs,
            outputs: inputs,
          },
        ]),
      );
    };
    await stack.workspace.createStack("paused");
    await declare("dev", "enabled");
    await declare("paused", "disabled");
  });
  after(async () => {
    await workspace?.cleanup();
  });

  it("one row per stack, a JSON list, a CSV with the stack first, and exit 1 for the stack that fails", async () => {
    const users = path.join(workspace.workDir, "fleet.csv");
    const out = captureIo(env, workspace.workDir);
    const args = [
      "readiness",
      "--from",
      "state",
      "--stack",
      "dev",
      "--stack",
      "paused",
      "--stack",
      "nowhere",
    ];
    const code = await main([...args, "--json", "--no-cache", "--users", users], out.io);
    expect(code, out.stderr()).to.equal(1);
    expect(out.stderr()).to.match(/^entra-nudge readiness: nowhere: /m);
    const { stacks } = JSON.parse(out.stdout()) as {
      stacks: (Partial<ReadinessReport> & { stack: string; error?: { message: string } })[];
    };
    expect(stacks.map((s) => s.stack)).to.deep.equal(["dev", "paused", "nowhere"]);
    const [dev, paused, nowhere] = stacks;
    expect(dev.phoneOnly).to.equal(paused.phoneOnly);
    expect(dev.phoneOnlyNudged).to.be.greaterThan(0);
    expect(paused.phoneOnlyNudged).to.equal(0);
    expect(paused.source).to.match(/paused/);
    expect(dev.cohorts?.map((c) => c.deadline)).to.deep.equal(["2027-02-01", "2027-07-01"]);
    expect(nowhere.error?.message).to.be.a("string");
    expect(nowhere).to.not.have.property("phoneOnly");

    const rows = csvRecords(fs.readFileSync(users, "utf8"));
    expect(rows.filter((r) => r.stack === "dev")).to.have.length(dev.phoneOnly ?? -1);
    expect(rows.filter((r) => r.stack === "paused")).to.have.length(paused.phoneOnly ?? -1);
    expect(rows.filter((r) => r.stack === "paused").every((r) => r.nudgedTo === "")).to.equal(true);

    const table = captureIo(env, workspace.workDir);
    expect(await main([...args, "--no-cache"], table.io)).to.equal(1);
    const lines = table.stdout().trimEnd().split("\n");
    expect(lines[0]).to.match(
      /^Stack\s+Phone-only\s+Nudged\s+Not reached\s+On 2027-02-01\s+On 2027-07-01\s+Exempt$/,
    );
    expect(lines[1]).to.match(new RegExp(`^dev\\s+${dev.phoneOnly}\\s+${dev.phoneOnlyNudged}\\s`));
    expect(lines[2]).to.match(
      new RegExp(`^paused\\s+${paused.phoneOnly}\\s+0\\s+${paused.phoneOnly}\\s`),
    );
    expect(lines[3]).to.match(/^nowhere\s+error$/);
  });
});
