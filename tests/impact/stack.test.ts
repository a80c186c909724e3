// `impact --stack` and `report --stack` on a stack the real engine deployed against the emulator
// (the seed scenario's shape: a pilot group, Authenticator for it, the campaign for it), and the
// summaries the `npm start` demo ends with, built from the Automation API's exported state.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import type { Stack } from "@pulumi/pulumi/automation";
import { AuthenticatorPolicy, PilotGroup, RegistrationCampaign } from "../../provider";
import { main } from "../../provider/cli";
import { declarationFromState } from "../../provider/declaration";
import { analyzeImpact, impactSummary } from "../../provider/impact";
import { analyzeProgress, progressSummary } from "../../provider/report";
import { captureIo, graphClient } from "../eligibility/support";
import { type IsolatedWorkspace } from "../support/engine";
import { EngineStack } from "../support/engineStack";
import { useEmulator } from "../support/emulator";

const BREAK_GLASS = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c";
/** pilot.user (SMS), DiegoS (SMS), LeeG (TOTP), the Fabrikam guest (SMS): nudged; IsaiahL has push. */
const MEMBERS = [
  "pilot.user@contoso.onmicrosoft.com",
  "DiegoS@contoso.onmicrosoft.com",
  "LeeG@contoso.onmicrosoft.com",
  "IsaiahL@contoso.onmicrosoft.com",
  "alex_fabrikam.com#EXT#@contoso.onmicrosoft.com",
];

function program(): void {
  const pilot = new PilotGroup("pilot", { displayName: "Authenticator pilot", members: MEMBERS });
  const authenticator = new AuthenticatorPolicy("authenticator", {
    state: "enabled",
    includeTargets: [{ id: pilot.id, targetType: "group", authenticationMode: "any" }],
    allowMethodLoss: true, // narrowing to the pilot takes Authenticator from its other users
  });
  new RegistrationCampaign(
    "campaign",
    {
      state: "enabled",
      snoozeDurationInDays: 0,
      includeTargets: [{ id: pilot.id, targetType: "group" }],
      excludeTargets: [{ id: BREAK_GLASS, targetType: "group" }],
    },
    { dependsOn: [authenticator] },
  );
}

describe("impact and report on a deployed stack", function () {
  this.timeout(300_000);
  const emulator = useEmulator();
  let workspace: IsolatedWorkspace;
  let stack: Stack;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    ({ stack, workspace } = await EngineStack.create({
      stackName: "pilot",
      projectName: "entra-nudge-impact-stack",
      program,
      emulator,
    }));
    await stack.setConfig("entra-nudge:breakGlassGroups", { value: BREAK_GLASS });
    await stack.up();
    // The commands read the stack through the pulumi CLI, signed in as the read-only app.
    env = {
      ...process.env,
      ...workspace.envVars,
      ...emulator.env("reader"),
      ENTRA_NUDGE_REPORT_RATE_LIMIT: "off",
    };
  });
  after(async () => {
    await stack?.destroy().catch(() => undefined);
    await workspace?.cleanup();
  });

  it("`impact --stack` counts the pilot: deployed, so the declaration is what the tenant holds", async () => {
    const out = captureIo(env, workspace.workDir);
    const code = await main(["impact", "--stack", "pilot", "--from", "state", "--json"], out.io);
    expect(code, out.stderr()).to.equal(0);
    const report = JSON.parse(out.stdout()) as {
      declared: {
        source: string;
        nudged: number;
        nudgedGuests: number;
        byTarget: { displayName: string }[];
      };
      current: { nudged: number };
      delta: { startSeeing: number; stopSeeing: number; summary: string };
    };
    expect(report.declared.source).to.equal("stack pilot");
    expect(report.declared.nudged).to.equal(4);
    expect(report.declared.nudgedGuests).to.equal(1);
    expect(report.declared.byTarget[0].displayName).to.equal("Authenticator pilot");
    expect(report.current.nudged).to.equal(4);
    expect(report.delta.summary).to.equal("No change: the same 4 users are nudged either way.");
  });

  it("`impact --stack --declaration` shows what a proposed change would do", async () => {
    const out = captureIo(env, workspace.workDir);
    fs.writeFileSync(
      path.join(workspace.workDir, "everyone.json"),
      JSON.stringify({ campaign: { state: "enabled", snoozeDurationInDays: 0 } }),
    );
    const code = await main(
      ["impact", "--stack", "pilot", "--declaration", "everyone.json"],
      out.io,
    );
    expect(code, out.stderr()).to.equal(0);
    // All users in the campaign, but Authenticator is still for the pilot only.
    expect(out.stdout()).to.include("No change: the same 4 users are nudged either way.");
    expect(out.stdout()).to.include("not enabled for Microsoft Authenticator");
    // The break-glass group comes from the stack's config; all_users would reach it, but
    // Authenticator is not enabled for it, so it is not nudged and nothing is said.
    expect(out.stdout()).to.not.include("Warning: break-glass");
  });

  it("ends the demo: the impact and progress summaries, after the campaign ran", async () => {
    emulator.simulate({ days: 7, seed: 3, signInRate: 1, completeRate: 0.5 });
    const graph = graphClient(emulator, "reader", { reportRateLimit: null });
    const declaration = declarationFromState(await stack.exportStack(), {
      stack: "the seed scenario",
      cwd: ".",
    });
    const impact = impactSummary(await analyzeImpact(graph, declaration));
    const progress = progressSummary(await analyzeProgress(graph));
    // After 7 days at every sign-in the limited snoozes ran out: all four registered.
    expect(impact).to.match(/^Impact: 0 of 28 users will be nudged/);
    expect(progress).to.match(/^Progress: 5 of 5 targeted users \(100%\)/);
    expect(progress).to.include("4 since the campaign was enabled, 1 before");
    const out = captureIo(env, workspace.workDir);
    expect(await main(["report", "--stack", "pilot", "--markdown"], out.io)).to.equal(0);
    expect(out.stdout()).to.include("| Authenticator pilot | 5 | 5 | 4 | 0 | 100% |");
  });
});
