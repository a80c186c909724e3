// A client secret set with `pulumi config set --secret entra-nudge:clientSecret` signs the provider
// in (nothing in the environment), and never shows up anywhere the engine writes or prints: the
// state (through `pulumi stack export` and the backend's own files), the serialized provider, the
// engine events, stdout and stderr, error messages, or any other file of the stack's workspace.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { useEmulator } from "../support/emulator";
import {
  BREAK_GLASS_GROUP_ID,
  SeedStack,
  Tenant,
  diagnostics,
  exitCode,
  recordedResources,
} from "./harness";

/** Every regular file below `dir`, with its content. */
function filesBelow(dir: string): { file: string; text: string }[] {
  return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).flatMap((entry) => {
    const file = path.join(dir, entry);
    return fs.statSync(file).isFile() ? [{ file, text: fs.readFileSync(file, "latin1") }] : [];
  });
}

describe("e2e: a client secret in stack config", function () {
  this.timeout(180_000);
  const emulator = useEmulator();
  const tenant = new Tenant(emulator);
  let seed: SeedStack;
  let secret: string;
  /** A mistyped secret is a secret too. */
  const wrongSecret = "Wr0ng~SecretValue.ForTheWriterApp_0123456789";
  /** The forms in which the secret must never appear. */
  let forms: string[];

  before(async () => {
    seed = await SeedStack.create(emulator, {
      stackName: "secret",
      withoutSecretInEnvironment: true,
    });
    const writer = emulator.info.apps.writer;
    secret = writer.clientSecret;
    forms = [secret, wrongSecret].flatMap((value) => [
      value,
      Buffer.from(value).toString("base64"),
      encodeURIComponent(value),
    ]);
    await seed.stack.setConfig("entra-nudge:clientSecret", { value: secret, secret: true });
    // The break-glass group from the project's own config, as on a real tenant.
    await seed.stack.setConfig("breakGlassGroupId", { value: BREAK_GLASS_GROUP_ID });
  });
  after(async () => seed?.cleanup());

  it("signs in with the secret from config only, through up, refresh, an update, a wrong secret and destroy", async () => {
    expect(seed.stack.workspace.envVars).not.to.have.property("AZURE_CLIENT_SECRET");
    await seed.succeed((h) => seed.stack.preview(h));
    await seed.succeed((h) => seed.stack.up(h));
    expect((await tenant.campaign()).state).to.equal("enabled");
    await seed.succeed((h) => seed.stack.refresh(h));

    seed.options = { snoozeDurationInDays: 2 };
    await seed.succeed((h) => seed.stack.up(h));
    expect((await tenant.campaign()).snoozeDurationInDays).to.equal(2);

    // A wrong secret fails the sign-in with an actionable error that does not repeat it.
    await seed.stack.setConfig("entra-nudge:clientSecret", { value: wrongSecret, secret: true });
    seed.options = { snoozeDurationInDays: 4 };
    const failed = await seed.attempt((h) => seed.stack.up(h));
    expect(exitCode(failed.error), String(failed.error)).to.equal(1);
    expect(diagnostics(failed.events, "error").join("\n")).to.match(
      /Sign-in to Microsoft Entra ID failed.*The client secret is wrong/s,
    );
    await seed.stack.setConfig("entra-nudge:clientSecret", { value: secret, secret: true });
    // Refresh configures the provider from the state (the config of the last `up`) unless it runs
    // the program: after a secret changes, drift detection needs --run-program until the next up.
    await seed.succeed((h) => seed.stack.previewRefresh({ ...h, runProgram: true }));
    await seed.succeed((h) => seed.stack.up(h));
    expect((await tenant.campaign()).snoozeDurationInDays).to.equal(4);
    await seed.succeed((h) => seed.stack.previewRefresh({ ...h, expectNoChanges: true }));
    const recorded = await recordedResources(seed);
    expect([...recorded.keys()].sort()).to.deep.equal(["authenticator", "campaign", "pilot"]);
    for (const resource of recorded.values()) {
      const provider = String(
        (resource as { inputs?: Record<string, unknown> }).inputs?.__provider,
      );
      expect(provider, "the serialized provider").to.contain(
        "pulumi-entra-nudge/internal/providers",
      );
      for (const form of forms) expect(provider).not.to.contain(form);
    }
    // `pulumi stack export`, as a user runs it: the secret is not in the state.
    const exported = execFileSync(
      seed.workspace.pulumiCommand.command,
      ["stack", "export", "--stack", seed.stack.name],
      { cwd: seed.workspace.workDir, env: { ...process.env, ...seed.stack.workspace.envVars } },
    ).toString("utf8");
    expect(exported).to.contain("entra-nudge:clientSecret");
    for (const form of forms) expect(exported, "pulumi stack export").not.to.contain(form);
    // With --show-secrets (what Automation API's exportStack runs) the engine decrypts its own copy
    // of the stack config, kept encrypted as the default dynamic provider's configuration, and
    // nothing else: none of the program's resources holds the secret.
    const shown = await seed.stack.exportStack();
    const holders = (shown.deployment.resources as { type: string; inputs?: object }[])
      .filter((r) => forms.some((form) => JSON.stringify(r).includes(form)))
      .map((r) => r.type);
    expect(holders).to.deep.equal(["pulumi:providers:pulumi-nodejs"]);

    await seed.succeed((h) => seed.stack.destroy(h));
  });

  it("never appears in engine events, stdout, stderr or any file of the workspace and backend", async () => {
    const transcript = seed.transcript.join("\n");
    expect(transcript.length, "the operations printed something").to.be.greaterThan(1000);
    for (const form of forms) expect(transcript).not.to.contain(form);

    const files = filesBelow(seed.workspace.dir);
    expect(
      files.some((f) => f.file.startsWith(path.join(seed.workspace.dir, "state"))),
      "the backend wrote state files",
    ).to.equal(true);
    const leaks = files.filter((f) => forms.some((form) => f.text.includes(form)));
    expect(leaks.map((f) => f.file)).to.deep.equal([]);
    // The stack settings hold the secret, encrypted: present, but never as plain text.
    const settings = files.find((f) => f.file.endsWith("Pulumi.secret.yaml"));
    expect(settings?.text).to.match(/clientSecret:\s*\n\s*secure: /);
  });
});
