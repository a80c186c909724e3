// Issue 23's first "done when", through the real engine against the emulator's default tenant
// (Microsoft Authenticator enabled for all users; 8 of its 28 enabled users have Authenticator push
// registered, all 8 as their default MFA method, one with no other MFA method): a program that
// narrows Authenticator from all users to one group none of them is in fails at `pulumi preview`
// naming the 8, writes nothing, and succeeds with allowMethodLoss: true; `impact --json` gives the
// same counts. A group created in the same program is known only after apply: the preview says it
// cannot check yet, and `pulumi up` stops before Authenticator's first write.
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { AuthenticatorPolicy, PilotGroup } from "../../provider";
import { getAuthenticatorConfiguration } from "../../provider/graph";
import { docBlock } from "../support/docBlocks";
import { useEmulator } from "../support/emulator";
import { isolatedWorkspace, type IsolatedWorkspace } from "../support/engine";
import { entraNudge } from "../support/cli";
import { EngineStack, ONE_RETRY } from "../support/engineStack";
import { PILOT_USER_UPN, Portal } from "../support/tenant";

/** "Finance": four members, none with Authenticator registered. */
const FINANCE_GROUP_ID = "cfb1e018-a781-5ff9-82c8-4ba8abe91a97";
const AUTHENTICATOR_PATH =
  "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/MicrosoftAuthenticator";

const LOSS = [
  /8 users who have Microsoft Authenticator registered would no longer be allowed to use it/,
  /8 use it as their default MFA method/,
  /1 has no other MFA method registered/,
  /JoniS@contoso\.onmicrosoft\.com \(no other MFA method, default MFA method\)/,
];

describe("method loss through the engine: narrowing Authenticator on the default tenant", function () {
  this.timeout(300_000);
  const emulator = useEmulator();
  let workspace: IsolatedWorkspace;
  let portal: Portal;
  let output = "";

  before(async () => {
    workspace = await isolatedWorkspace();
    portal = new Portal(emulator);
  });
  after(async () => workspace?.cleanup());
  beforeEach(() => {
    emulator.reset();
    output = "";
  });

  async function stackOf(name: string, program: () => void): Promise<Stack> {
    const engine = await EngineStack.create({
      stackName: name,
      projectName: "entra-nudge-method-loss",
      workspace,
      program,
      emulator,
      env: ONE_RETRY,
    });
    return engine.stack;
  }

  const show = { onOutput: (text: string) => void (output += text) };
  const failed = (p: Promise<unknown>) =>
    p.then(
      () => expect.fail("the operation should have failed"),
      (error: unknown) => String(error),
    );
  const authenticatorWrites = () =>
    emulator.requests().filter((r) => r.method !== "GET" && r.path.startsWith(AUTHENTICATOR_PATH));

  it("fails at preview naming who loses it, writes nothing; allowMethodLoss: true lets it through; impact --json agrees", async () => {
    const before = await getAuthenticatorConfiguration(portal.graph);
    const narrowed = (allowMethodLoss?: boolean) => () =>
      void new AuthenticatorPolicy("authenticator", {
        state: "enabled",
        includeTargets: [{ id: FINANCE_GROUP_ID, targetType: "group", authenticationMode: "any" }],
        ...(allowMethodLoss === undefined ? {} : { allowMethodLoss }),
      });

    const refused = await stackOf("narrowed", narrowed());
    const error = await failed(refused.preview(show));
    for (const pattern of LOSS) expect(error + output).to.match(pattern);
    expect(error + output).to.contain("allowMethodLoss: true");
    // docs/resources.md shows this error.
    const shown = (error + output).replace(/\s+/g, " ");
    for (const piece of docBlock("docs/resources.md", "method-loss-error")
      .text.replace(/\s+/g, " ")
      .split("…")) {
      expect(shown).to.contain(piece.trim());
    }
    // The second attempt is `up`: the same check stops it before anything is written.
    const upError = await failed(refused.up(show));
    for (const pattern of LOSS) expect(upError).to.match(pattern);
    expect(
      emulator.requests().filter((r) => r.method === "PATCH"),
      "no PATCH at all",
    ).to.deep.equal([]);
    expect(await getAuthenticatorConfiguration(portal.graph)).to.deep.equal(before);

    // The same counts from `impact --json` for the same declaration.
    const file = path.join(workspace.workDir, "narrowed.json");
    fs.writeFileSync(
      file,
      JSON.stringify({
        authenticator: {
          state: "enabled",
          includeTargets: [
            { id: FINANCE_GROUP_ID, targetType: "group", authenticationMode: "any" },
          ],
        },
      }),
    );
    const impact = await entraNudge(["impact", "--declaration", file, "--json"], {
      ...process.env,
      ...emulator.env("reader"),
      ...ONE_RETRY,
    });
    expect(impact.code, impact.stderr).to.equal(0);
    const report = JSON.parse(impact.stdout) as { methodLoss: Record<string, unknown>[] };
    expect(
      report.methodLoss.map(({ method, users, defaultMethod, onlyMfaMethod }) => ({
        method,
        users,
        defaultMethod,
        onlyMfaMethod,
      })),
    ).to.deep.equal([
      { method: "microsoftAuthenticator", users: 8, defaultMethod: 8, onlyMfaMethod: 1 },
      { method: "passkey", users: 0, defaultMethod: 0, onlyMfaMethod: 0 },
    ]);

    // Accepted: the preview passes and still says who loses it; up applies it.
    const accepted = await stackOf("accepted", narrowed(true));
    output = "";
    await accepted.preview(show);
    expect(output).to.match(/allowMethodLoss is true, so this change goes on: 8 users/);
    await accepted.up();
    const after = await getAuthenticatorConfiguration(portal.graph);
    expect(after.includeTargets?.map((t) => t.id)).to.deep.equal([FINANCE_GROUP_ID]);
    await accepted.destroy();
  });

  it("a group created in the same program: the preview cannot check yet, up stops before Authenticator's first write", async () => {
    const stack = await stackOf("new-group", () => {
      const pilot = new PilotGroup("pilot", {
        displayName: "Method loss pilot",
        members: [PILOT_USER_UPN],
      });
      new AuthenticatorPolicy("authenticator", {
        state: "enabled",
        includeTargets: [{ id: pilot.id, targetType: "group", authenticationMode: "any" }],
      });
    });
    await stack.preview(show);
    expect(output).to.match(/who would lose Microsoft Authenticator cannot be checked yet/);
    const error = await failed(stack.up(show));
    for (const pattern of LOSS) expect(error).to.match(pattern);
    expect(authenticatorWrites(), "no write to the Authenticator configuration").to.deep.equal([]);
    await stack.destroy();
  });
});
