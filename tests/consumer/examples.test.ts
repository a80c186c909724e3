// Every runnable example and the root Pulumi.yaml through the `pulumi` CLI and its Node.js
// language host, as their READMEs say to run them (the repository built, `pulumi` in the
// project's directory), against the emulator: a preview for each, up and destroy for the seed
// scenario (root), the staged rollout (pilot, then everyone) and the move from Authenticator to
// passkeys (stages 1, 2, 3), and a preview of each fleet
// stack from its own Pulumi.<tenant>.yaml. Credentials come from the AZURE_* environment, as
// the examples' READMEs allow. examples/azuread-interop is not run: its @pulumi/azuread provider
// plugin cannot be obtained here (the Go module proxy refuses the pulumi-azuread modules).
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { useEmulator } from "../support/emulator";
import { CAMPAIGN_PATH, Tenant } from "../support/tenant";
import { ConsumerProject, markdownBlockAfter } from "../support/consumer";
import { projectRoot } from "../support/engine";

const BREAK_GLASS_GROUP = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c";
const PILOT_USER = "pilot.user@contoso.onmicrosoft.com";
const PILOT_USER_ID = "bb1d6c17-7043-5689-a17d-aa610e2a4115";

describe("the examples and the root Pulumi.yaml through the pulumi CLI", function () {
  this.timeout(600_000);
  const emulator = useEmulator({ resetEachTest: true });
  let tenant: Tenant;
  const projects: ConsumerProject[] = [];

  before(() => {
    tenant = new Tenant(emulator);
  });
  after(async () => Promise.all(projects.map((project) => project.cleanup())));

  async function project(relativeDir: string): Promise<ConsumerProject> {
    // The emulator's sign-in, except its CA: the test run trusts it along with the machine's own.
    const env = emulator.env("writer");
    delete env.NODE_EXTRA_CA_CERTS;
    const created = await ConsumerProject.fromRepository(relativeDir, { env });
    projects.push(created);
    return created;
  }

  /**
   * The `pulumi` lines of an example README's "Run it" block, run in the example's directory with
   * the emulator's objects for the placeholders (its `npm install` and `cd` are this test's setup).
   */
  async function runReadmeBlock(example: ConsumerProject, relativeDir: string): Promise<void> {
    const block = markdownBlockAfter(path.join(projectRoot, relativeDir, "README.md"), "## Run it");
    const lines = block
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line.startsWith("pulumi "));
    expect(lines[0]).to.equal("pulumi stack init dev");
    expect(lines.at(-1)).to.match(/^pulumi preview\b/);
    for (const line of lines) {
      await example.run(
        line
          .replace("<object id of the break-glass group>", BREAK_GLASS_GROUP)
          .replace("<object id of a user never to nudge>", PILOT_USER_ID)
          .replace("adele.vance@contoso.com", PILOT_USER),
      );
    }
  }

  it("the root Pulumi.yaml (the seed scenario): preview, up, no drift, destroy", async () => {
    const root = await project(".");
    await root.run("pulumi stack init pilot");
    const preview = await root.run("pulumi preview");
    expect(preview.stdout).to.match(/\+ 4 to create/);
    await root.run("pulumi up");
    const campaign = await tenant.campaign();
    expect(campaign).to.include({ state: "enabled", snoozeDurationInDays: 0 });
    expect(campaign.excludeTargets.map((t) => t.id)).to.deep.equal([BREAK_GLASS_GROUP]);
    await root.run("pulumi refresh --preview-only --expect-no-changes --run-program");
    await root.run("pulumi destroy");
    expect(await tenant.groupsNamed("Authenticator pilot")).to.deep.equal([]);
  });

  it("examples/staged-rollout: its README's commands, up for the pilot, then for everyone, destroy", async () => {
    const rollout = await project("examples/staged-rollout");
    await runReadmeBlock(rollout, "examples/staged-rollout");
    await rollout.run("pulumi up");
    const [pilot] = await tenant.groupsNamed("Authenticator pilot");
    expect((await tenant.campaign()).includeTargets.map((t) => t.id)).to.deep.equal([pilot.id]);

    await rollout.run("pulumi config set stage all");
    const next = await rollout.run("pulumi preview");
    expect(next.stdout).to.match(/~ 1 to update/);
    await rollout.run("pulumi up");
    expect((await tenant.campaign()).includeTargets.map((t) => t.id)).to.deep.equal(["all_users"]);
    await rollout.run("pulumi destroy");
    expect(await tenant.groupsNamed("Authenticator pilot")).to.deep.equal([]);
  });

  it("examples/authenticator-to-passkeys: its README's commands, up for stages 1, 2 and 3, destroy", async () => {
    const move = await project("examples/authenticator-to-passkeys");
    await runReadmeBlock(move, "examples/authenticator-to-passkeys");
    const nudged = async () =>
      (await tenant.campaign()).includeTargets.map((t) => [
        t.id,
        String((t as { targetedAuthenticationMethod?: string }).targetedAuthenticationMethod),
      ]);
    const passkeyTargets = async () =>
      (
        await tenant.get<{ includeTargets: { id: string }[] }>(
          `${CAMPAIGN_PATH}/authenticationMethodConfigurations/Fido2`,
        )
      ).includeTargets
        .map((t) => t.id)
        .sort();

    await move.run("pulumi up");
    const [pilot] = await tenant.groupsNamed("Passkey pilot");
    // The break-glass group keeps its security keys through a target of its own.
    expect(await passkeyTargets()).to.deep.equal([BREAK_GLASS_GROUP, pilot.id].sort());
    expect(await nudged()).to.deep.equal([["all_users", "microsoftAuthenticator"]]);

    await move.run("pulumi config set stage 2");
    const second = await move.run("pulumi preview --diff");
    expect(second.stdout).to.match(/~ 1 to update/);
    expect(second.stdout).to.match(
      /targetedAuthenticationMethod\s*:\s*"microsoftAuthenticator"\s*=>\s*"fido2"/,
    );
    await move.run("pulumi up");
    expect((await nudged()).map(([id, method]) => [id, method.toLowerCase()])).to.deep.equal([
      [pilot.id, "fido2"],
    ]);

    await move.run("pulumi config set stage 3");
    const third = await move.run("pulumi preview");
    expect(third.stdout).to.match(/~ 2 to update/);
    await move.run("pulumi up");
    expect(await passkeyTargets()).to.deep.equal([BREAK_GLASS_GROUP, "all_users"].sort());
    expect((await nudged()).map(([id, method]) => [id, method.toLowerCase()])).to.deep.equal([
      ["all_users", "fido2"],
    ]);
    await move.run("pulumi destroy");
    expect(await tenant.groupsNamed("Passkey pilot")).to.deep.equal([]);
  });

  it("examples/microsoft-managed-pinned-exclusions: its README's commands", async () => {
    const pinned = await project("examples/microsoft-managed-pinned-exclusions");
    await runReadmeBlock(pinned, "examples/microsoft-managed-pinned-exclusions");
  });

  it("examples/fleet: a preview of each tenant's stack signs in as its own stack file says", async () => {
    const fleet = await project("examples/fleet");
    for (const stack of ["contoso", "fabrikam", "northwind"]) {
      await fleet.run(`pulumi stack init ${stack}`);
      // A preview checks the declared targets against the tenant (they must exist), so it signs in:
      // each stack as the tenant and app its own Pulumi.<stack>.yaml names. The emulator knows none
      // of those identities, so each preview stops at sign-in, naming them, before any Graph read.
      const file = fs.readFileSync(path.join(fleet.dir, `Pulumi.${stack}.yaml`), "utf8");
      const tenantId = /entra-nudge:tenantId: (\S+)/.exec(file)?.[1] as string;
      const clientId = /entra-nudge:clientId: (\S+)/.exec(file)?.[1] as string;
      const preview = await fleet.run(`pulumi preview --stack ${stack}`, { expectCode: 1 });
      const output = preview.stdout + preview.stderr;
      expect(output, stack).to.match(/Sign-in to Microsoft Entra ID failed/);
      expect(
        output.includes(clientId) || output.includes(tenantId),
        `${stack} names its identity`,
      ).to.equal(true);
    }
    expect(emulator.requests().filter((r) => /^\/(v1\.0|beta)\//.test(r.path))).to.deep.equal([]);
  });
});
