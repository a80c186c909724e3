// The read-only app (the identity a scheduled drift check runs with): preview and refresh work,
// and `up` fails with a message naming the permission that is missing, changing nothing.
import { expect } from "chai";
import { useEmulator } from "../support/emulator";
import {
  PILOT_GROUP_NAME,
  type SeedStack,
  diagnostics,
  exitCode,
  expectStateTruthful,
  recordedResources,
  seedStack,
  stepOps,
} from "../support/engineStack";
import { Tenant } from "../support/tenant";

describe("e2e: the reader app", function () {
  this.timeout(180_000);
  const emulator = useEmulator();
  const tenant = new Tenant(emulator);
  const stacks: SeedStack[] = [];
  after(async () => Promise.all(stacks.map((s) => s.cleanup())));

  /** Switches the stack's provider to another app of the emulator (the next operation uses it). */
  function signInAs(seed: SeedStack, app: string): void {
    Object.assign(seed.stack.workspace.envVars, emulator.env(app));
  }

  it("previews and refreshes a deployed stack; up names Policy.ReadWrite.AuthenticationMethod", async () => {
    const seed = await seedStack(emulator, { stackName: "reader" });
    stacks.push(seed);
    await seed.succeed((h) => seed.stack.up(h));
    signInAs(seed, "reader");

    await seed.succeed((h) => seed.stack.preview({ ...h, expectNoChanges: true }));
    const refresh = await seed.succeed((h) => seed.stack.refresh(h));
    expect(refresh.result.summary.resourceChanges).to.deep.equal({ same: 4 });
    await seed.succeed((h) => seed.stack.previewRefresh({ ...h, expectNoChanges: true }));

    seed.options = { snoozeDurationInDays: 5 };
    const preview = await seed.succeed((h) => seed.stack.preview(h));
    expect(stepOps(preview.events)).to.include({ campaign: "update" });

    emulator.clearRequests();
    const up = await seed.attempt((h) => seed.stack.up(h));
    expect(exitCode(up.error), String(up.error)).to.equal(1);
    const errors = diagnostics(up.events, "error").join("\n");
    expect(errors).to.match(/Could not update the registration campaign\..*403/s);
    expect(errors).to.contain("Policy.ReadWrite.AuthenticationMethod");
    // The one write attempted, refused.
    expect(tenant.writes()).to.deep.equal(["PATCH /v1.0/policies/authenticationMethodsPolicy"]);
    expect(emulator.requests().find((r) => r.method === "PATCH")?.status).to.equal(403);
    expect((await tenant.campaign()).snoozeDurationInDays).to.equal(0);
    await expectStateTruthful(seed, tenant);
  });

  it("previews a new stack; up names Group.ReadWrite.All and creates nothing", async () => {
    emulator.reset();
    const seed = await seedStack(emulator, { stackName: "reader-new", app: "reader" });
    stacks.push(seed);
    const preview = await seed.succeed((h) => seed.stack.preview(h));
    expect(stepOps(preview.events)).to.deep.equal({
      pilot: "create",
      authenticator: "create",
      campaign: "create",
    });

    const up = await seed.attempt((h) => seed.stack.up(h));
    expect(exitCode(up.error), String(up.error)).to.equal(1);
    const errors = diagnostics(up.events, "error").join("\n");
    expect(errors).to.match(/Could not create the security group "Authenticator pilot"\..*403/s);
    expect(errors).to.contain("Group.ReadWrite.All");
    expect(await tenant.groupsNamed(PILOT_GROUP_NAME)).to.deep.equal([]);
    expect([...(await recordedResources(seed)).keys()]).to.deep.equal([]);
  });
});
