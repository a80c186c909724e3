// No secret ever shows: a client secret set with `pulumi config set --secret
// entra-nudge:clientSecret`, a certificate's private key (entra-nudge:clientCertificatePath), and
// every access token the emulator issued during the run are searched for, as plain text, base64
// and URL-encoded, in everything the engine and the `entra-nudge` command write or print: the
// state (`pulumi stack export` and the backend's own files), the serialized provider, the engine
// events, stdout and stderr with the engine's debug logging and Azure SDK verbose logging on, every
// output format of drift, preview-summary, impact, report and export, and the errors of forced
// failures (a 403 with the reader app, a Graph 401, sign-in failures). One stack per credential
// kind; each runs its operations once and everything they showed is scanned at the end.
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { createClientCertificate } from "../../emulator/index.js";
import { useEmulator } from "../support/emulator";
import { projectRoot } from "../support/engine";
import {
  type Handlers,
  type SeedStack,
  diagnostics,
  exitCode,
  recordedResources,
  seedStack,
} from "../support/engineStack";
import { BREAK_GLASS_GROUP_ID, Tenant } from "../support/tenant";

/** Every regular file below `dir`, with its content. */
function filesBelow(dir: string): { file: string; text: string }[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).flatMap((entry) => {
    const file = path.join(dir, entry);
    return fs.statSync(file).isFile() ? [{ file, text: fs.readFileSync(file, "latin1") }] : [];
  });
}

/** The forms a value must never appear in: as is, base64 (both alphabets) and URL-encoded. */
function formsOf(value: string): string[] {
  return [
    value,
    Buffer.from(value).toString("base64"),
    Buffer.from(value).toString("base64url"),
    encodeURIComponent(value),
  ];
}

/**
 * A private key's telltales: the PEM, its base64 body on one line (DER in base64), and each
 * 64-character line of the body, so that a fragment, or the PEM inside a JSON string, is caught.
 */
function privateKeyForms(privateKeyPem: string): string[] {
  const body = privateKeyPem
    .split("\n")
    .filter((line) => line && !line.startsWith("-----"))
    .map((line) => line.trim());
  return [
    ...formsOf(privateKeyPem),
    ...formsOf(body.join("")),
    ...body.filter((l) => l.length >= 48),
  ];
}

/** An access token: the whole JWT in each form, and its signature (the part that cannot be guessed). */
function tokenForms(token: string): string[] {
  return [...formsOf(token), token.split(".")[2]];
}

/** The engine's debug output and verbose logs, on every operation (Automation API options). */
const DEBUG = { debug: true, logToStdErr: true, logVerbosity: 9, logFlow: true } as const;

/** What a stack's operations printed, whole (chunks joined as they came, each stream apart). */
const printed = new Map<SeedStack, { stdout: string; stderr: string; events: string[] }>();

/** An operation's options: debug logging on, and every byte it prints kept for the scan. */
function debug(seed: SeedStack, h: Handlers) {
  if (!printed.has(seed)) printed.set(seed, { stdout: "", stderr: "", events: [] });
  const record = printed.get(seed) as { stdout: string; stderr: string; events: string[] };
  return {
    ...DEBUG,
    signal: h.signal,
    onEvent: (event: Parameters<Handlers["onEvent"]>[0]) => {
      record.events.push(JSON.stringify(event));
      h.onEvent(event);
    },
    onOutput: (text: string) => {
      record.stdout += text;
      h.onOutput(text);
    },
    onError: (text: string) => {
      record.stderr += text;
      h.onError(text);
    },
  };
}

/** The Azure SDK's logger (@azure/logger) at its most verbose, in the provider and CLI processes. */
const AZURE_VERBOSE = { AZURE_LOG_LEVEL: "verbose" };

const CLI = path.join(projectRoot, "dist", "provider", "cli.js");

interface Captured {
  where: string;
  text: string;
}

/** `entra-nudge ARGS` as a user runs it, in its own process; every output kept for the scan. */
function entraNudge(
  seed: SeedStack,
  captured: Captured[],
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        cwd: seed.workspace.workDir,
        env: { ...process.env, ...seed.stack.workspace.envVars, ...AZURE_VERBOSE, ...env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
        captured.push({ where: `entra-nudge ${args.join(" ")}`, text: `${stdout}\n${stderr}` });
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A command's stderr without the Azure SDK's verbose log lines, for assertion messages. */
function errorsOf(stderr: string): string {
  return stderr
    .split("\n")
    .filter((line) => line.startsWith("entra-nudge") || line.startsWith("warning"))
    .join("\n");
}

/** Runs every command in every output format against the stack; asserts each did its job. */
async function runEveryCommand(
  seed: SeedStack,
  captured: Captured[],
  outputDir: string,
  credentialEnv: Record<string, string>,
): Promise<void> {
  const stack = seed.stack.name;
  fs.mkdirSync(outputDir, { recursive: true });
  for (const format of [[], ["--json"], ["--markdown"]]) {
    const drift = await entraNudge(seed, captured, ["drift", "--stack", stack, ...format]);
    // Right after `up`: in sync (2, drift, would be a false alarm).
    expect(drift.code, `drift ${format.join(" ")}: ${errorsOf(drift.stderr)}`).to.equal(0);
    // The stack as deployed: the harness runs its program inline (Automation API), which a
    // `pulumi preview` in the project directory cannot run.
    const impact = await entraNudge(seed, captured, [
      "impact",
      "--stack",
      stack,
      "--from",
      "state",
      ...format,
    ]);
    expect(impact.code, `impact ${format.join(" ")}: ${errorsOf(impact.stderr)}`).to.equal(0);
    const report = await entraNudge(seed, captured, ["report", "--stack", stack, ...format]);
    expect(report.code, `report ${format.join(" ")}: ${errorsOf(report.stderr)}`).to.equal(0);
  }
  const html = path.join(outputDir, "progress.html");
  const page = await entraNudge(seed, captured, ["report", "--stack", stack, "--html", html]);
  expect(page.code, errorsOf(page.stderr)).to.equal(0);
  // preview-summary reads a preview's event log, as a CI job writes it.
  seed.options = { snoozeDurationInDays: 6 };
  const preview = await seed.succeed((h) => seed.stack.preview(debug(seed, h)));
  const eventLog = path.join(outputDir, "preview-events.jsonl");
  fs.writeFileSync(eventLog, preview.events.map((e) => JSON.stringify(e)).join("\n"));
  const summary = await entraNudge(seed, captured, [
    "preview-summary",
    "--input",
    eventLog,
    "--stack",
    stack,
  ]);
  expect(summary.code, errorsOf(summary.stderr)).to.equal(0);
  expect(summary.stdout).to.match(/snooze/i);
  // export reads its credential from the environment only.
  const exported = await entraNudge(
    seed,
    captured,
    ["export", "--out", path.join(outputDir, "exported")],
    credentialEnv,
  );
  expect(exported.code, errorsOf(exported.stderr)).to.equal(0);
  // Azure SDK verbose logging was really on: the scan below covers its output.
  expect(captured.map((c) => c.text).join("\n")).to.match(/azure:identity:(info|verbose)/);
}

/** The provider each resource's state names holds the implementation's name, no credential. */
async function expectProvidersSerializedWithoutSecrets(
  seed: SeedStack,
  forms: string[],
): Promise<void> {
  const recorded = await recordedResources(seed);
  expect([...recorded.keys()].sort()).to.deep.equal(["authenticator", "campaign", "pilot"]);
  for (const resource of recorded.values()) {
    const provider = String((resource as { inputs?: Record<string, unknown> }).inputs?.__provider);
    expect(provider, "the serialized provider").to.contain("pulumi-entra-nudge/internal/providers");
    for (const form of forms) expect(provider).not.to.contain(form);
  }
}

/** `pulumi stack export`, as a user runs it. */
function stackExport(seed: SeedStack): string {
  return execFileSync(
    seed.workspace.pulumiCommand.command,
    ["stack", "export", "--stack", seed.stack.name],
    { cwd: seed.workspace.workDir, env: { ...process.env, ...seed.stack.workspace.envVars } },
  ).toString("utf8");
}

/** Where a form was found: "where: form kind", for a readable failure. */
function leaks(sources: Captured[], forms: Map<string, string>): string[] {
  const found: string[] = [];
  for (const source of sources) {
    for (const [form, kind] of forms) {
      const at = source.text.indexOf(form);
      if (at < 0) continue;
      // Where it was, with the secret itself masked, so the failure says what printed it.
      const context = source.text
        .slice(Math.max(0, at - 300), at + form.length + 100)
        .replace(form, "<SECRET>");
      found.push(`${source.where}: ${kind}, in …${context}…`);
    }
  }
  return [...new Set(found)];
}

describe("e2e: no secret, private key or access token leaks", function () {
  this.timeout(600_000);
  const emulator = useEmulator();
  const tenant = new Tenant(emulator);
  /** Outside every workspace, as a key file would be on a real machine. */
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-keys-"));
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-outputs-"));
  after(() => {
    fs.rmSync(keyDir, { recursive: true, force: true });
    fs.rmSync(outputDir, { recursive: true, force: true });
  });

  /** Every secret of the run, form → what it is. */
  const secrets = new Map<string, string>();
  const addSecret = (kind: string, forms: string[]) => {
    for (const form of forms) if (form) secrets.set(form, kind);
  };
  /** Everything the stacks and commands showed or wrote, scanned at the end. */
  const captured: Captured[] = [];
  /** The errors engine operations failed with (they quote the CLI's stdout and stderr). */
  const engineErrors: Captured[] = [];
  const stacks: SeedStack[] = [];
  after(async () => Promise.all(stacks.map((s) => s.cleanup())));

  /** A mistyped secret is a secret too. */
  const wrongSecret = "Wr0ng~SecretValue.ForTheWriterApp_0123456789";

  describe("a client secret in stack config", () => {
    let seed: SeedStack;
    let secret: string;

    before(async () => {
      seed = await seedStack(emulator, {
        stackName: "secret",
        withoutSecretInEnvironment: true,
        env: AZURE_VERBOSE,
      });
      stacks.push(seed);
      secret = emulator.info.apps.writer.clientSecret;
      addSecret("the writer's client secret", formsOf(secret));
      addSecret("a wrong client secret", formsOf(wrongSecret));
      addSecret("the reader's client secret", formsOf(emulator.info.apps.reader.clientSecret));
      await seed.stack.setConfig("entra-nudge:clientSecret", { value: secret, secret: true });
      // The break-glass group from the project's own config, as on a real tenant.
      await seed.stack.setConfig("breakGlassGroupId", { value: BREAK_GLASS_GROUP_ID });
    });

    it("signs in with the secret from config only, through up, refresh, an update, a wrong secret and destroy", async () => {
      expect(seed.stack.workspace.envVars).not.to.have.property("AZURE_CLIENT_SECRET");
      await seed.succeed((h) => seed.stack.preview(debug(seed, h)));
      await seed.succeed((h) => seed.stack.up(debug(seed, h)));
      expect((await tenant.campaign()).state).to.equal("enabled");
      await seed.succeed((h) => seed.stack.refresh(debug(seed, h)));

      seed.options = { snoozeDurationInDays: 2 };
      await seed.succeed((h) => seed.stack.up(debug(seed, h)));
      expect((await tenant.campaign()).snoozeDurationInDays).to.equal(2);

      // A wrong secret fails the sign-in with an actionable error that does not repeat it.
      await seed.stack.setConfig("entra-nudge:clientSecret", { value: wrongSecret, secret: true });
      seed.options = { snoozeDurationInDays: 4 };
      const failed = await seed.attempt((h) => seed.stack.up(debug(seed, h)));
      engineErrors.push({ where: "a failed up's error", text: String(failed.error) });
      expect(exitCode(failed.error), String(failed.error)).to.equal(1);
      expect(diagnostics(failed.events, "error").join("\n")).to.match(
        /Sign-in to Microsoft Entra ID failed.*The client secret is wrong/s,
      );
      // The reader app: Graph refuses the write (403) and the error names the permission.
      await seed.stack.setConfig("entra-nudge:clientId", {
        value: emulator.info.apps.reader.clientId,
      });
      await seed.stack.setConfig("entra-nudge:clientSecret", {
        value: emulator.info.apps.reader.clientSecret,
        secret: true,
      });
      const refused = await seed.attempt((h) => seed.stack.up(debug(seed, h)));
      engineErrors.push({ where: "a refused up's error", text: String(refused.error) });
      expect(exitCode(refused.error), String(refused.error)).to.equal(1);
      expect(diagnostics(refused.events, "error").join("\n")).to.match(
        /403.*Policy\.ReadWrite\.AuthenticationMethod/s,
      );
      await seed.stack.removeConfig("entra-nudge:clientId");
      await seed.stack.setConfig("entra-nudge:clientSecret", { value: secret, secret: true });
      // Refresh configures the provider from the state (the config of the last `up`) unless it
      // runs the program: after a secret changes, drift detection needs --run-program.
      await seed.succeed((h) => seed.stack.previewRefresh({ ...debug(seed, h), runProgram: true }));
      await seed.succeed((h) => seed.stack.up(debug(seed, h)));
      expect((await tenant.campaign()).snoozeDurationInDays).to.equal(4);
      await seed.succeed((h) =>
        seed.stack.previewRefresh({ ...debug(seed, h), expectNoChanges: true }),
      );
      await expectProvidersSerializedWithoutSecrets(seed, [...secrets.keys()]);
      // `pulumi stack export`, as a user runs it: the secret is not in the state.
      const exported = stackExport(seed);
      expect(exported).to.contain("entra-nudge:clientSecret");
      captured.push({ where: "pulumi stack export (secret stack)", text: exported });
      // With --show-secrets (what Automation API's exportStack runs) the engine decrypts its own
      // copy of the stack config, kept encrypted as the default dynamic provider's configuration,
      // and nothing else: none of the program's resources holds the secret.
      const shown = await seed.stack.exportStack();
      const holders = (shown.deployment.resources as { type: string }[])
        .filter((r) => formsOf(secret).some((form) => JSON.stringify(r).includes(form)))
        .map((r) => r.type);
      expect(holders).to.deep.equal(["pulumi:providers:pulumi-nodejs"]);
    });

    it("every entra-nudge command and format, and their failures, print no secret", async () => {
      await runEveryCommand(seed, captured, path.join(outputDir, "secret"), {
        AZURE_CLIENT_SECRET: secret,
      });
      // A wrong secret: the sign-in failure, in the JSON a CI job parses.
      const file = path.join(outputDir, "secret", "state.json");
      fs.writeFileSync(file, stackExport(seed));
      const signIn = await entraNudge(seed, captured, ["drift", "--file", file, "--json"], {
        AZURE_CLIENT_SECRET: wrongSecret,
      });
      expect(signIn.code).to.equal(1);
      expect(signIn.stdout).to.match(/The client secret is wrong/);
      // Graph rejecting the token (401): the error, in every format.
      emulator.injectFault({ status: 401, pathPrefix: "/v1.0/policies" });
      const rejected = await entraNudge(seed, captured, ["drift", "--file", file, "--markdown"], {
        AZURE_CLIENT_SECRET: secret,
      });
      expect(rejected.code).to.equal(1);
      expect(rejected.stderr).to.match(/401/);
      const report = await entraNudge(seed, captured, [
        "report",
        "--stack",
        seed.stack.name,
        "--json",
      ]);
      expect(report.code).to.equal(1);
      expect(report.stdout).to.match(/"error"/);
      emulator.clearFaults();

      await seed.succeed((h) => seed.stack.destroy(debug(seed, h)));
    });
  });

  describe("a certificate credential (entra-nudge:clientCertificatePath)", () => {
    let seed: SeedStack;
    let certificatePath: string;
    let strangerPath: string;

    before(async () => {
      emulator.reset();
      const certificate = await emulator.createClientCertificate("writer");
      certificatePath = path.join(keyDir, "writer.pem");
      fs.writeFileSync(certificatePath, certificate.pem, { mode: 0o600 });
      addSecret("the writer certificate's private key", privateKeyForms(certificate.privateKeyPem));
      // A certificate the app does not have: the sign-in fails (AADSTS700027).
      const stranger = await createClientCertificate({ commonName: "stranger" });
      strangerPath = path.join(keyDir, "stranger.pem");
      fs.writeFileSync(strangerPath, stranger.pem, { mode: 0o600 });
      addSecret(
        "an unregistered certificate's private key",
        privateKeyForms(stranger.privateKeyPem),
      );

      seed = await seedStack(emulator, {
        stackName: "certificate",
        withoutSecretInEnvironment: true,
        env: AZURE_VERBOSE,
      });
      stacks.push(seed);
      await seed.stack.setConfig("entra-nudge:clientCertificatePath", { value: certificatePath });
    });

    it("signs in with the certificate through up, refresh, an update, an unknown certificate and destroy", async () => {
      await seed.succeed((h) => seed.stack.up(debug(seed, h)));
      expect((await tenant.campaign()).state).to.equal("enabled");
      // The provider's tokens came from a certificate assertion (appidacr 2), not a secret.
      const certificateSignIns = emulator
        .issuedAccessTokens()
        .map((token) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8")))
        .filter((claims: { appidacr?: string }) => claims.appidacr === "2");
      expect(certificateSignIns.length, "certificate sign-ins").to.be.greaterThan(0);
      await seed.succeed((h) => seed.stack.refresh(debug(seed, h)));
      seed.options = { snoozeDurationInDays: 3 };
      await seed.succeed((h) => seed.stack.up(debug(seed, h)));

      await seed.stack.setConfig("entra-nudge:clientCertificatePath", { value: strangerPath });
      seed.options = { snoozeDurationInDays: 5 };
      const failed = await seed.attempt((h) => seed.stack.up(debug(seed, h)));
      engineErrors.push({ where: "a failed up's error", text: String(failed.error) });
      expect(exitCode(failed.error), String(failed.error)).to.equal(1);
      expect(diagnostics(failed.events, "error").join("\n")).to.match(
        /Sign-in to Microsoft Entra ID failed.*certificate/s,
      );
      await seed.stack.setConfig("entra-nudge:clientCertificatePath", { value: certificatePath });
      await seed.succeed((h) => seed.stack.up(debug(seed, h)));
      await expectProvidersSerializedWithoutSecrets(seed, [...secrets.keys()]);
      captured.push({ where: "pulumi stack export (certificate stack)", text: stackExport(seed) });
    });

    it("every entra-nudge command and format, and a certificate the app lacks, print no key", async () => {
      await runEveryCommand(seed, captured, path.join(outputDir, "certificate"), {
        AZURE_CLIENT_CERTIFICATE_PATH: certificatePath,
      });
      const file = path.join(outputDir, "certificate", "state.json");
      fs.writeFileSync(file, stackExport(seed));
      const signIn = await entraNudge(seed, captured, ["drift", "--file", file, "--json"], {
        AZURE_CLIENT_CERTIFICATE_PATH: strangerPath,
      });
      expect(signIn.code).to.equal(1);
      expect(signIn.stdout).to.match(/AADSTS700027/);
      await seed.succeed((h) => seed.stack.destroy(debug(seed, h)));
    });
  });

  describe("everything the run showed and wrote", () => {
    it("holds none of them: engine output, state, workspace files, command output", () => {
      const tokens = emulator.issuedAccessTokens();
      expect(tokens.length, "the emulator issued tokens during the run").to.be.greaterThan(10);
      for (const token of tokens)
        addSecret("an access token the emulator issued", tokenForms(token));

      // The scan finds what it looks for: a token, a key line and a secret, each shown to it once.
      const probe = (text: string) => leaks([{ where: "probe", text }], secrets).length;
      expect(probe(`Authorization: Bearer ${tokens[0]}`), "a token").to.be.above(0);
      expect(probe(encodeURIComponent(wrongSecret)), "a URL-encoded secret").to.be.above(0);
      const keyLine =
        [...secrets].find(
          ([form, kind]) => kind.includes("private key") && /^[A-Za-z0-9+/=]{48,64}$/.test(form),
        )?.[0] ?? "";
      expect(probe(JSON.stringify({ pem: `x\n${keyLine}\ny` })), "a key line").to.be.above(0);

      const engine: Captured[] = stacks.flatMap((seed) => {
        const record = printed.get(seed) as { stdout: string; stderr: string; events: string[] };
        const name = seed.stack.name;
        return [
          { where: `engine stdout of stack ${name}`, text: record.stdout },
          { where: `engine stderr of stack ${name}`, text: record.stderr },
          { where: `engine events of stack ${name}`, text: record.events.join("\n") },
        ];
      });
      engine.push(...engineErrors);
      for (const stack of stacks) {
        const text = engine.filter((e) => e.where.endsWith(` ${stack.stack.name}`));
        expect(text.map((t) => t.text).join("").length, "the operations printed").to.be.above(
          100_000,
        );
      }
      const all = engine.map((e) => e.text).join("\n");
      // The engine's debug log (JSON lines with their verbosity "v", up to 9) was on, and so was
      // the Azure SDK's verbose logging in the provider process, which the engine passes on.
      expect(all).to.match(/"level":"[A-Z]+","msg":.*"v":9\}/);
      expect(all).to.match(/azure:identity:(info|verbose)/);

      // The Pulumi engine's own verbose log lines (-v=7 and up) are set apart: at those levels
      // engine 3.248.0 dumps the default provider's inputs ("Planner decided to create ...
      // (inputs=map[...])", "Marshaling property for RPC[...CheckConfig...]"), and those hold
      // the stack config, decrypted secrets included. Pulumi's troubleshooting guide warns that
      // verbose logs may hold secrets; docs/security.md says how to keep them out.
      const engineVerbose = (line: string) => {
        try {
          const entry = JSON.parse(line) as { v?: unknown; msg?: unknown };
          return typeof entry.v === "number" && entry.v >= 7 && typeof entry.msg === "string";
        } catch {
          return false;
        }
      };
      const split = (sources: Captured[], verbose: boolean) =>
        sources.map((source) => ({
          where: source.where,
          text: source.text
            .split("\n")
            .filter((line) => engineVerbose(line) === verbose)
            .join("\n"),
        }));
      const files = stacks.flatMap((seed) =>
        filesBelow(seed.workspace.dir).map(({ file, text }) => ({ where: file, text })),
      );
      expect(
        files.some((f) => f.where.includes(`${path.sep}state${path.sep}`)),
        "the backend wrote state files",
      ).to.equal(true);
      const outputs = filesBelow(outputDir).map(({ file, text }) => ({ where: file, text }));
      expect(outputs.some((f) => f.where.endsWith("progress.html"))).to.equal(true);

      expect(
        leaks([...split(engine, false), ...files, ...outputs, ...captured], secrets),
      ).to.deep.equal([]);
      // In the engine's verbose lines: never a token or a key; a client secret only where the
      // engine prints the stack config key entra-nudge:clientSecret with its (secret) value.
      const verboseLeaks = leaks(split(engine, true), secrets);
      for (const leak of verboseLeaks) {
        expect(leak).to.match(
          /client secret, in .*entra-nudge:clientSecret[:=]\{&\{\{<SECRET>\}\}\}/s,
        );
      }
      // The stack settings hold the secret, encrypted: present, but never as plain text.
      const settings = files.find((f) => f.where.endsWith("Pulumi.secret.yaml"));
      expect(settings?.text).to.match(/clientSecret:\s*\n\s*secure: /);
    });
  });
});
