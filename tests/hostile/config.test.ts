// Malformed stack config: every entra-nudge:* setting with a wrong type or value fails with a
// sentence that names the key and the fix, before any request reaches Graph or the sign-in
// authority (the emulator's request log stays empty), through the provider methods and through the
// real engine. A key that is no setting is a warning that names it and the known ones.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { useEmulator } from "../support/emulator";
import { resolveSettings, SettingsError, type ConfigLookup } from "../../provider/config";
import { provider, setConfig, setWarningSink } from "../../provider/resources/providers";
import { type SeedStack, diagnostics, seedStack } from "../support/engineStack";

type Config = Record<string, unknown>;

/** A lookup over a config map whose values may be of any type (as the engine may hand them). */
function lookup(values: Config): ConfigLookup {
  const fn = ((key: string) => values[key] as string | undefined) as ConfigLookup;
  fn.keys = () => Object.keys(values);
  return fn;
}

const DECLARED = { state: "enabled", snoozeDurationInDays: 0 };

describe("hostile input: malformed stack config", function () {
  this.timeout(120_000);
  const emulator = useEmulator({ resetEachTest: true });
  let dir: string;
  let warnings: string[];

  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-hostile-config-"))));
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    setWarningSink(undefined);
  });
  beforeEach(() => {
    warnings = [];
    setWarningSink((message) => warnings.push(message));
  });

  function file(name: string, text: string): string {
    const full = path.join(dir, name);
    fs.writeFileSync(full, text);
    return full;
  }

  /** The emulator's environment with the retry knobs fast; config overrides per case. */
  function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { ...emulator.env("writer"), ENTRA_NUDGE_MAX_RETRIES: "0", ...extra };
  }

  const cases: {
    what: string;
    config?: Config;
    env?: () => Record<string, string>;
    says: RegExp[];
  }[] = [
    {
      what: "a tenantId that is not a GUID",
      config: { "entra-nudge:tenantId": "contoso tenant" },
      says: [/entra-nudge:tenantId \/ AZURE_TENANT_ID: "contoso tenant" is neither a directory/],
    },
    {
      what: "an unknown cloud",
      config: { "entra-nudge:cloud": "azurestack" },
      says: [/entra-nudge:cloud \/ ENTRA_NUDGE_CLOUD: "azurestack" is not a supported cloud/],
    },
    {
      what: "a graphEndpoint that is not a URL",
      config: { "entra-nudge:graphEndpoint": "graph.microsoft.com" },
      says: [
        /entra-nudge:graphEndpoint .*"graph\.microsoft\.com" is not a URL\. Give an https:\/\//,
      ],
    },
    {
      what: "a graphEndpoint with the version in its path",
      config: { "entra-nudge:graphEndpoint": "https://graph.microsoft.com/v1.0" },
      says: [/has the path "\/v1\.0"; give only the scheme and host .*adds the version/],
    },
    {
      what: "a graphEndpoint with a query",
      config: { "entra-nudge:graphEndpoint": "https://graph.microsoft.com/?x=1" },
      says: [
        /entra-nudge:graphEndpoint .*"https:\/\/graph\.microsoft\.com\/\.\.\." has a query or fragment; remove it/,
      ],
    },
    {
      what: "a graphEndpoint with a password in it",
      config: { "entra-nudge:graphEndpoint": "https://admin:hunter2@graph.microsoft.com" },
      says: [/entra-nudge:graphEndpoint .*the URL carries a user name or password; remove it/],
    },
    {
      what: "an http:// graphEndpoint with a password in it (never echoed)",
      config: { "entra-nudge:graphEndpoint": "http://admin:hunter2@graph.microsoft.com" },
      says: [/"http:\/\/\*\*\*@graph\.microsoft\.com" uses http:\/\/, but it must use https:\/\//],
    },
    {
      what: "an authorityHost with the tenant in its path",
      config: { "entra-nudge:authorityHost": "https://login.microsoftonline.com/contoso.com" },
      says: [/entra-nudge:authorityHost .*has the path .*the tenant goes in entra-nudge:tenantId/],
    },
    {
      what: "an authorityHost that is not https",
      config: { "entra-nudge:authorityHost": "ftp://login.microsoftonline.com" },
      says: [/entra-nudge:authorityHost .*uses ftp:, not https:/],
    },
    {
      what: "a boolean where a string belongs",
      config: { "entra-nudge:tenantId": true },
      says: [
        /entra-nudge:tenantId \/ AZURE_TENANT_ID: is the boolean true, but it must be a string/,
      ],
    },
    {
      what: "a number where a string belongs",
      config: { "entra-nudge:cloud": 3 },
      says: [/entra-nudge:cloud \/ ENTRA_NUDGE_CLOUD: is the number 3, but it must be a string/],
    },
    {
      what: "an object where a string belongs",
      config: { "entra-nudge:graphEndpoint": { url: "https://graph.microsoft.com" } },
      says: [/entra-nudge:graphEndpoint .*is an object \{"url":.*must be a string/],
    },
    {
      what: "malformed breakGlassGroups (not a JSON list)",
      config: { "entra-nudge:breakGlassGroups": '["6dbc0cdd-bcd1-5384-8dce-41a981a21b4c"' },
      says: [/entra-nudge:breakGlassGroups: .* is not a JSON list/],
    },
    {
      what: "breakGlassGroups naming a group by its display name",
      config: { "entra-nudge:breakGlassGroups": ["Emergency access"] },
      says: [/entra-nudge:breakGlassGroups: "Emergency access" is not a group object id \(GUID\)/],
    },
    {
      what: "a clientCertificatePath that does not exist",
      config: { "entra-nudge:clientCertificatePath": "/nonexistent/app.pem" },
      env: () => ({ AZURE_CLIENT_SECRET: "" }),
      says: [/entra-nudge:clientCertificatePath .*"\/nonexistent\/app\.pem" does not exist/],
    },
    {
      what: "a clientCertificatePath that is a directory",
      config: { "entra-nudge:clientCertificatePath": os.tmpdir() },
      env: () => ({ AZURE_CLIENT_SECRET: "" }),
      says: [/is a directory, not a file/],
    },
    {
      what: "a clientCertificatePath that is not PEM",
      config: { "entra-nudge:clientCertificatePath": "NOT_PEM" },
      env: () => ({ AZURE_CLIENT_SECRET: "" }),
      says: [/holds no PEM certificate .*openssl pkcs12/],
    },
    {
      what: "a certificate file without its private key",
      config: { "entra-nudge:clientCertificatePath": "CERT_ONLY" },
      env: () => ({ AZURE_CLIENT_SECRET: "" }),
      says: [/holds a certificate but no private key/],
    },
    {
      what: "an http:// graphEndpoint without the development switch",
      config: { "entra-nudge:graphEndpoint": "http://127.0.0.1:8080" },
      says: [/must use https:\/\/ .*set the environment variable ENTRA_NUDGE_ALLOW_HTTP=1/],
    },
    {
      what: "TLS certificate checks switched off in the environment",
      env: () => ({ NODE_TLS_REJECT_UNAUTHORIZED: "0" }),
      says: [/NODE_TLS_REJECT_UNAUTHORIZED=0 turns off TLS certificate checks/],
    },
  ];

  /** The test's files stand in for the placeholders NOT_PEM and CERT_ONLY. */
  function materialize(config: Config = {}): Config {
    const out: Config = {};
    for (const [key, value] of Object.entries(config)) {
      if (value === "NOT_PEM") out[key] = file("app.der", "0\x82\x03\x0b0\x82\x01\xf3 binary");
      else if (value === "CERT_ONLY")
        out[key] = file(
          "cert.pem",
          "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        );
      else out[key] = value;
    }
    return out;
  }

  for (const c of cases) {
    it(`${c.what}: every provider method fails naming the key and the fix; nothing is sent`, async () => {
      const config = materialize(c.config);
      setConfig(lookup(config), env(c.env?.()));
      const calls: [string, () => Promise<unknown>][] = [
        ["create", () => provider("RegistrationCampaign").create(DECLARED)],
        ["read", () => provider("AuthenticatorPolicy").read!("x/authenticator", {})],
        ["create PilotGroup", () => provider("PilotGroup").create({ displayName: "Pilot" })],
      ];
      for (const [name, call] of calls) {
        let error: unknown;
        try {
          await call();
        } catch (e) {
          error = e;
        }
        expect(error, name).to.be.instanceOf(SettingsError);
        const message = (error as Error).message;
        expect(message, name).to.match(
          /^Invalid entra-nudge settings \(\d problems?\); nothing was sent to Microsoft Graph:/,
        );
        for (const says of c.says) expect(message, name).to.match(says);
        // Never a secret in the sentence, never a stack trace.
        expect(message).not.to.contain(emulator.info.apps.writer.clientSecret);
        expect(message).not.to.contain("hunter2");
        expect(message).not.to.match(/\n\s+at /);
      }
      expect(emulator.requests(), "requests sent").to.deep.equal([]);
    });
  }

  it("never prints the client secret when it has the wrong type", () => {
    const secret = { value: "s3cr3t-object-value" };
    let error: unknown;
    try {
      resolveSettings(lookup({ "entra-nudge:clientSecret": secret }), env());
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).to.match(
      /entra-nudge:clientSecret .*is an object, but it must be a string/,
    );
    expect((error as Error).message).not.to.contain("s3cr3t");
  });

  it("an entra-nudge: key that is no setting is a warning naming it, the likely one and all known ones; the run goes on", async () => {
    setConfig(
      lookup({ "entra-nudge:tenantID": emulator.info.tenantId, "entra-nudge:grahpEndpoint": "x" }),
      env(),
    );
    const read = await provider("RegistrationCampaign").create(DECLARED);
    expect(read.id).to.match(/registrationCampaign$/);
    expect(warnings).to.include.members([
      `entra-nudge:tenantID is not a setting of pulumi-entra-nudge and is ignored. Did you mean entra-nudge:tenantId? The settings are: entra-nudge:tenantId, entra-nudge:clientId, entra-nudge:clientSecret, entra-nudge:clientCertificatePath, entra-nudge:authorityHost, entra-nudge:cloud, entra-nudge:graphEndpoint, entra-nudge:breakGlassGroups.`,
    ]);
    expect(warnings.join("\n")).to.contain(
      "entra-nudge:grahpEndpoint is not a setting of pulumi-entra-nudge and is ignored. Did you mean entra-nudge:graphEndpoint?",
    );
    // Once per settings, not once per call.
    await provider("RegistrationCampaign").read!(read.id, read.outs as Record<string, unknown>);
    expect(warnings.filter((w) => w.includes("tenantID"))).to.have.length(1);
  });

  describe("through the real engine", () => {
    let seed: SeedStack;
    before(async function () {
      this.timeout(120_000);
      seed = await seedStack(emulator, { stackName: "hostile-config" });
    });
    after(async () => seed?.cleanup());

    it("a preview with a graphEndpoint that carries /v1.0 fails with the sentence and writes nothing", async () => {
      await seed.stack.setAllConfig({
        "entra-nudge:graphEndpoint": { value: `${emulator.info.graphEndpoint}/v1.0` },
        "entra-nudge:tenantID": { value: emulator.info.tenantId },
      });
      emulator.clearRequests();
      const preview = await seed.attempt((h) => seed.stack.preview({ ...h }));
      expect(preview.error, "the preview must fail").to.not.equal(undefined);
      const shown = `${preview.stdout}\n${preview.stderr}\n${diagnostics(preview.events, "error").join("\n")}`;
      expect(shown, shown).to.contain("entra-nudge:graphEndpoint / ENTRA_NUDGE_GRAPH_ENDPOINT");
      expect(shown).to.match(/has the path "\/v1\.0"; give only the scheme and host/);
      expect(emulator.requests().filter((r) => r.method !== "GET")).to.deep.equal([]);
      expect(emulator.requests()).to.deep.equal([]);
    });

    it("with the setting fixed, the misspelled key is still a warning in the engine's output", async () => {
      await seed.stack.removeConfig("entra-nudge:graphEndpoint");
      const preview = await seed.succeed((h) => seed.stack.preview({ ...h }));
      expect(diagnostics(preview.events, "warning").join("\n")).to.contain(
        "entra-nudge:tenantID is not a setting of pulumi-entra-nudge and is ignored. Did you mean entra-nudge:tenantId?",
      );
      expect(
        emulator
          .requests()
          .filter(
            (r) => r.method !== "GET" && !r.path.endsWith("$batch") && !r.path.includes("oauth2"),
          ),
      ).to.deep.equal([]);
    });
  });
});
