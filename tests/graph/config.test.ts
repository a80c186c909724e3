// Settings resolution: stack config first, then the environment; clouds; China refused; secrets
// never in the resolved settings or in an error message.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import {
  ClientSecretCredential,
  DefaultAzureCredential,
  WorkloadIdentityCredential,
} from "@azure/identity";
import { resolveSettings, SettingsError, type ConfigLookup } from "../../provider/config";

const TENANT = "8a0b7a4f-52e5-4b0e-9c37-6a3c1b0f2d11";
const CLIENT = "2f9c4c4e-1111-4a8a-9b0e-0c7d5e6f7a8b";
const SECRET = "s3cr3t-value-that-must-never-leak";

function fromMap(map: Record<string, string>): ConfigLookup {
  return (key) => map[key];
}

describe("settings (provider/config)", () => {
  it("defaults to the global cloud and DefaultAzureCredential when nothing is set", () => {
    const { settings, createCredential } = resolveSettings(() => undefined, {});
    expect(settings).to.deep.include({
      cloud: "global",
      credentialKind: "defaultAzureCredential",
      graphEndpoint: "https://graph.microsoft.com",
      authorityHost: "https://login.microsoftonline.com",
      disableInstanceDiscovery: false,
    });
    expect(settings.scopes).to.deep.equal(["https://graph.microsoft.com/.default"]);
    expect(settings.customHosts).to.deep.equal([]);
    expect(createCredential()).to.be.instanceOf(DefaultAzureCredential);
  });

  it("prefers stack config over the environment, key by key", () => {
    const { settings } = resolveSettings(fromMap({ "entra-nudge:tenantId": TENANT }), {
      AZURE_TENANT_ID: "11111111-1111-1111-1111-111111111111",
      AZURE_CLIENT_ID: CLIENT,
      AZURE_CLIENT_SECRET: SECRET,
    });
    expect(settings.tenantId).to.equal(TENANT);
    expect(settings.clientId).to.equal(CLIENT);
    expect(settings.credentialKind).to.equal("clientSecret");
  });

  it("maps the US Government clouds to their Graph and sign-in hosts and scopes", () => {
    const gov = resolveSettings(() => undefined, { ENTRA_NUDGE_CLOUD: "usgov" }).settings;
    expect(gov.graphEndpoint).to.equal("https://graph.microsoft.us");
    expect(gov.authorityHost).to.equal("https://login.microsoftonline.us");
    expect(gov.scopes).to.deep.equal(["https://graph.microsoft.us/.default"]);
    const dod = resolveSettings(fromMap({ "entra-nudge:cloud": "usgovdod" }), {}).settings;
    expect(dod.graphEndpoint).to.equal("https://dod-graph.microsoft.us");
    expect(dod.scopes).to.deep.equal(["https://dod-graph.microsoft.us/.default"]);
  });

  it("refuses the China cloud, saying why", () => {
    expect(() => resolveSettings(() => undefined, { ENTRA_NUDGE_CLOUD: "china" }))
      .to.throw(SettingsError)
      .with.property("message")
      .that.matches(
        /entra-nudge:cloud \/ ENTRA_NUDGE_CLOUD: "china" \(Microsoft Entra operated by 21Vianet\) is not supported: the registration campaign and the Microsoft Authenticator method configuration APIs do not exist/,
      );
  });

  it("treats a non-Microsoft Graph host as a custom host and keeps the cloud's scope", () => {
    const { settings } = resolveSettings(() => undefined, {
      ENTRA_NUDGE_GRAPH_ENDPOINT: "https://127.0.0.1:8443/",
      AZURE_AUTHORITY_HOST: "https://127.0.0.1:8443",
    });
    expect(settings.graphEndpoint).to.equal("https://127.0.0.1:8443");
    expect(settings.customHosts).to.deep.equal(["127.0.0.1"]);
    expect(settings.disableInstanceDiscovery).to.equal(true);
    expect(settings.scopes).to.deep.equal(["https://graph.microsoft.com/.default"]);
  });

  it("picks the credential from what is configured: secret, then certificate, then federated token", () => {
    const base = { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT };
    const secret = resolveSettings(() => undefined, { ...base, AZURE_CLIENT_SECRET: SECRET });
    expect(secret.createCredential()).to.be.instanceOf(ClientSecretCredential);
    // The certificate file is checked when settings resolve: a PEM certificate with its key.
    const pem = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-cert-")), "app.pem");
    fs.writeFileSync(
      pem,
      "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
    );
    const cert = resolveSettings(() => undefined, {
      ...base,
      AZURE_CLIENT_CERTIFICATE_PATH: pem,
    });
    expect(cert.settings.credentialKind).to.equal("clientCertificate");
    const wi = resolveSettings(() => undefined, { ...base, AZURE_FEDERATED_TOKEN_FILE: "/t" });
    expect(wi.settings.credentialKind).to.equal("workloadIdentity");
    expect(wi.createCredential()).to.be.instanceOf(WorkloadIdentityCredential);
  });

  it("never puts the secret in the resolved settings", () => {
    const { settings } = resolveSettings(fromMap({ "entra-nudge:clientSecret": SECRET }), {
      AZURE_TENANT_ID: TENANT,
      AZURE_CLIENT_ID: CLIENT,
    });
    expect(JSON.stringify(settings)).not.to.contain(SECRET);
  });

  it("reports every problem at once, naming the setting and the fix, without the secret", () => {
    let error: SettingsError | undefined;
    try {
      resolveSettings(fromMap({ "entra-nudge:clientSecret": SECRET }), {
        AZURE_TENANT_ID: "not a tenant",
        ENTRA_NUDGE_CLOUD: "mars",
        ENTRA_NUDGE_GRAPH_ENDPOINT: "http://127.0.0.1:1234",
      });
    } catch (e) {
      error = e as SettingsError;
    }
    expect(error).to.be.instanceOf(SettingsError);
    const settings = (error as SettingsError).problems.map((p) => p.property);
    expect(settings).to.include.members([
      "entra-nudge:cloud / ENTRA_NUDGE_CLOUD",
      "entra-nudge:tenantId / AZURE_TENANT_ID",
      "entra-nudge:graphEndpoint / ENTRA_NUDGE_GRAPH_ENDPOINT",
      "entra-nudge:clientId / AZURE_CLIENT_ID",
    ]);
    expect((error as SettingsError).message).to.match(/must use https:\/\//);
    expect((error as SettingsError).message).not.to.contain(SECRET);
  });
});
