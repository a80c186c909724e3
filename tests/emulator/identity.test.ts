// The emulator's Entra side through the real @azure/identity credentials: client secret,
// certificate and federated (workload identity) sign-in, and ESTS-shaped errors.
import {
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  WorkloadIdentityCredential,
} from "@azure/identity";
import { expect } from "chai";
import {
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  sign,
  verify,
  type JsonWebKey,
} from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../../emulator/index.js";
import { createClientCertificate } from "../../emulator/tls.js";
import { createFakeGraphApi, getToken, rawRequest, useEmulator } from "../support/emulator.js";

const GRAPH_SCOPE = "https://graph.microsoft.com/.default";
const credentialOptions = (authorityHost: string) => ({
  authorityHost,
  disableInstanceDiscovery: true,
});

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8")) as Record<
    string,
    unknown
  >;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the promise to reject");
}

function tokenForm(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

describe("emulator identity: discovery", () => {
  const emulator = useEmulator({ graphApi: createFakeGraphApi() });

  it("serves the v2.0 OpenID configuration with endpoints on the emulator", async () => {
    const { tenantId, authorityHost } = emulator.info;
    const res = await rawRequest(emulator, {
      path: `/${tenantId}/v2.0/.well-known/openid-configuration`,
    });
    expect(res.status).to.equal(200);
    const doc = res.json as Record<string, unknown>;
    expect(doc.issuer).to.equal(`${authorityHost}/${tenantId}/v2.0`);
    expect(doc.token_endpoint).to.equal(`${authorityHost}/${tenantId}/oauth2/v2.0/token`);
    expect(doc.authorization_endpoint).to.equal(
      `${authorityHost}/${tenantId}/oauth2/v2.0/authorize`,
    );
    expect(doc.jwks_uri).to.equal(`${authorityHost}/${tenantId}/discovery/v2.0/keys`);
    expect(doc.token_endpoint_auth_methods_supported).to.include("private_key_jwt");
  });

  it("answers an unknown tenant with AADSTS90002 (invalid_tenant)", async () => {
    const res = await rawRequest(emulator, {
      path: `/${randomUUID()}/v2.0/.well-known/openid-configuration`,
    });
    expect(res.status).to.equal(400);
    const body = res.json as Record<string, unknown>;
    expect(body.error).to.equal("invalid_tenant");
    expect(body.error_codes).to.deep.equal([90002]);
    expect(String(body.error_description)).to.match(
      /^AADSTS90002: Tenant '[0-9a-f-]+' not found\./,
    );
  });

  it("publishes the key that verifies the access tokens it issues", async () => {
    const token = await getToken(emulator);
    const [h, p, s] = token.split(".");
    const header = JSON.parse(Buffer.from(h, "base64url").toString()) as Record<string, string>;
    const res = await rawRequest(emulator, {
      path: `/${emulator.info.tenantId}/discovery/v2.0/keys`,
    });
    const keys = (res.json as { keys: (JsonWebKey & { kid: string; x5c: string[] })[] }).keys;
    const jwk = keys.find((k) => k.kid === header.kid);
    expect(jwk, "the token's kid is in the JWKS").to.not.equal(undefined);
    expect(jwk?.x5c).to.have.length(1);
    const key = createPublicKey({ key: jwk as JsonWebKey, format: "jwk" });
    expect(verify("sha256", Buffer.from(`${h}.${p}`), key, Buffer.from(s, "base64url"))).to.equal(
      true,
    );
  });

  it("answers MSAL's instance discovery with the emulator as the only alias", async () => {
    const res = await rawRequest(emulator, {
      path: `/common/discovery/instance?api-version=1.1&authorization_endpoint=x`,
    });
    expect(res.status).to.equal(200);
    const host = new URL(emulator.info.authorityHost).host;
    expect((res.json as { metadata: { aliases: string[] }[] }).metadata[0].aliases).to.deep.equal([
      host,
    ]);
  });

  it("answers a GET on the token endpoint with AADSTS900561", async () => {
    const res = await rawRequest(emulator, {
      path: `/${emulator.info.tenantId}/oauth2/v2.0/token`,
    });
    expect(res.status).to.equal(400);
    expect((res.json as { error_codes: number[] }).error_codes).to.deep.equal([900561]);
  });
});

describe("emulator identity: client secret", () => {
  const graphApi = createFakeGraphApi();
  const emulator = useEmulator({ graphApi });

  it("issues a Graph token with the app's application permissions to ClientSecretCredential", async () => {
    const { tenantId, apps, authorityHost } = emulator.info;
    const credential = new ClientSecretCredential(
      tenantId,
      apps.writer.clientId,
      apps.writer.clientSecret,
      credentialOptions(authorityHost),
    );
    const token = await credential.getToken(GRAPH_SCOPE);
    expect(token.expiresOnTimestamp - Date.now()).to.be.within(55 * 60_000, 61 * 60_000);
    const claims = claimsOf(token.token);
    expect(claims).to.include({
      aud: "https://graph.microsoft.com",
      iss: `https://sts.windows.net/${tenantId}/`,
      tid: tenantId,
      appid: apps.writer.clientId,
      idtyp: "app",
      ver: "1.0",
      appidacr: "1",
    });
    expect(claims.roles).to.deep.equal(graphApi.apps[0].roles);
    expect(claims.oid).to.equal(claims.sub);
    expect(Number(claims.exp) - Number(claims.iat)).to.be.within(3600, 3600 + 300);
  });

  it("gives the reader app only its read permissions", async () => {
    expect(claimsOf(await getToken(emulator, "reader")).roles).to.deep.equal([
      "Policy.Read.All",
      "AuditLog.Read.All",
    ]);
  });

  it("accepts the national clouds' Graph scopes and sets the audience to the one asked for", async () => {
    for (const resource of ["https://graph.microsoft.us", "https://dod-graph.microsoft.us"]) {
      expect(claimsOf(await getToken(emulator, "writer", `${resource}/.default`)).aud).to.equal(
        resource,
      );
    }
  });

  it("generates a client secret in Entra's format when the tenant gives none", () => {
    expect(emulator.info.apps.writer.clientSecret).to.match(
      /^[A-Za-z0-9_.~-]{3}8Q~[A-Za-z0-9_.~-]{34}$/,
    );
    expect(emulator.info.apps.writer.clientSecret).to.not.equal(
      emulator.info.apps.reader.clientSecret,
    );
  });

  it("rejects a wrong secret with AADSTS7000215 (401 invalid_client), never echoing the secret", async () => {
    const { tenantId, apps, authorityHost } = emulator.info;
    const wrong = "wrong-secret-value-0123456789";
    const credential = new ClientSecretCredential(
      tenantId,
      apps.writer.clientId,
      wrong,
      credentialOptions(authorityHost),
    );
    const err = await rejection(credential.getToken(GRAPH_SCOPE));
    expect(err.message).to.include("AADSTS7000215");

    const res = await rawRequest(emulator, {
      method: "POST",
      path: `/${tenantId}/oauth2/v2.0/token`,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: tokenForm({
        client_id: apps.writer.clientId,
        client_secret: wrong,
        scope: GRAPH_SCOPE,
        grant_type: "client_credentials",
      }),
    });
    expect(res.status).to.equal(401);
    const body = res.json as Record<string, unknown>;
    expect(body).to.have.keys([
      "error",
      "error_description",
      "error_codes",
      "timestamp",
      "trace_id",
      "correlation_id",
      "error_uri",
    ]);
    expect(body.error).to.equal("invalid_client");
    expect(body.error_codes).to.deep.equal([7000215]);
    expect(String(body.error_description)).to.match(
      /^AADSTS7000215: Invalid client secret provided\./,
    );
    expect(String(body.timestamp)).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    expect(res.text).to.not.include(wrong);
    expect(res.text).to.not.include(apps.writer.clientSecret);
  });

  it("rejects an unknown client with AADSTS700016 (400 unauthorized_client)", async () => {
    const { tenantId, authorityHost } = emulator.info;
    const clientId = randomUUID();
    const credential = new ClientSecretCredential(
      tenantId,
      clientId,
      "x",
      credentialOptions(authorityHost),
    );
    const err = await rejection(credential.getToken(GRAPH_SCOPE));
    expect(err.message).to.include("AADSTS700016");
    expect(err.message).to.include(clientId);
  });

  it("fails sign-in to an unknown tenant", async () => {
    const { apps, authorityHost } = emulator.info;
    const credential = new ClientSecretCredential(
      randomUUID(),
      apps.writer.clientId,
      apps.writer.clientSecret,
      credentialOptions(authorityHost),
    );
    const res = await rawRequest(emulator, {
      method: "POST",
      path: `/${randomUUID()}/oauth2/v2.0/token`,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: tokenForm({
        client_id: apps.writer.clientId,
        client_secret: "x",
        scope: GRAPH_SCOPE,
        grant_type: "client_credentials",
      }),
    });
    expect((res.json as { error_codes: number[] }).error_codes).to.deep.equal([90002]);
    // MSAL cannot even discover the authority's endpoints.
    await rejection(credential.getToken(GRAPH_SCOPE));
  });

  it("rejects a scope without /.default with AADSTS1002012 and an unknown resource with AADSTS500011", async () => {
    const { tenantId, apps, authorityHost } = emulator.info;
    const credential = new ClientSecretCredential(
      tenantId,
      apps.writer.clientId,
      apps.writer.clientSecret,
      credentialOptions(authorityHost),
    );
    expect((await rejection(credential.getToken("Policy.Read.All"))).message).to.include(
      "AADSTS1002012",
    );
    expect((await rejection(credential.getToken(`${authorityHost}/.default`))).message).to.include(
      "AADSTS500011",
    );
  });

  it("rejects two resources in one scope with AADSTS70011 and a missing grant_type with AADSTS900144", async () => {
    const { tenantId, apps } = emulator.info;
    const post = (fields: Record<string, string>) =>
      rawRequest(emulator, {
        method: "POST",
        path: `/${tenantId}/oauth2/v2.0/token`,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: tokenForm(fields),
      });
    const twoScopes = await post({
      client_id: apps.writer.clientId,
      client_secret: apps.writer.clientSecret,
      grant_type: "client_credentials",
      scope: `${GRAPH_SCOPE} https://graph.microsoft.us/.default`,
    });
    expect(twoScopes.status).to.equal(400);
    expect(twoScopes.json).to.include({ error: "invalid_scope" });
    expect((twoScopes.json as { error_codes: number[] }).error_codes).to.deep.equal([70011]);
    const noGrant = await post({
      client_id: apps.writer.clientId,
      client_secret: apps.writer.clientSecret,
    });
    expect((noGrant.json as { error_codes: number[] }).error_codes).to.deep.equal([900144]);
  });

  it("accepts client_secret_basic and echoes the client's correlation id", async () => {
    const { tenantId, apps } = emulator.info;
    const correlation = randomUUID();
    const basic = Buffer.from(
      `${encodeURIComponent(apps.reader.clientId)}:${encodeURIComponent(apps.reader.clientSecret)}`,
    ).toString("base64");
    const res = await rawRequest(emulator, {
      method: "POST",
      path: `/${tenantId}/oauth2/v2.0/token`,
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Authorization: `Basic ${basic}`,
        "client-request-id": correlation,
      },
      body: tokenForm({ grant_type: "client_credentials", scope: GRAPH_SCOPE }),
    });
    expect(res.status).to.equal(200);
    expect(res.json).to.include({ token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599 });
    expect(res.headers["client-request-id"]).to.equal(correlation);
  });

  it("logs token requests with the client id, without the secret", async () => {
    emulator.clearRequests();
    await getToken(emulator, "reader");
    const entry = emulator.requests().find((e) => e.path.endsWith("/oauth2/v2.0/token"));
    expect(entry).to.include({
      method: "POST",
      path: `/${emulator.info.tenantId}/oauth2/v2.0/token`,
      status: 200,
      clientId: emulator.info.apps.reader.clientId,
    });
    expect(JSON.stringify(emulator.requests())).to.not.include(
      emulator.info.apps.reader.clientSecret,
    );
  });
});

describe("emulator identity: certificate credential", () => {
  const emulator = useEmulator({ graphApi: createFakeGraphApi() });
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "entra-nudge-cert-"));
  });

  it("signs in ClientCertificateCredential with a registered certificate (PS256, x5t#S256)", async () => {
    const cert = await emulator.createClientCertificate("writer");
    const certificatePath = join(dir, "writer.pem");
    writeFileSync(certificatePath, cert.pem);
    const { tenantId, apps, authorityHost } = emulator.info;
    const credential = new ClientCertificateCredential(
      tenantId,
      apps.writer.clientId,
      { certificatePath },
      credentialOptions(authorityHost),
    );
    const claims = claimsOf((await credential.getToken(GRAPH_SCOPE)).token);
    expect(claims).to.include({ appid: apps.writer.clientId, appidacr: "2" });
    // MSAL reuses its assertion for ten minutes: a second token request must work too.
    const again = new ClientCertificateCredential(
      tenantId,
      apps.writer.clientId,
      { certificate: cert.pem },
      {
        ...credentialOptions(authorityHost),
        sendCertificateChain: true,
      },
    );
    expect((await again.getToken(GRAPH_SCOPE)).token).to.be.a("string");
  });

  it("rejects a certificate the app does not have with AADSTS700027, naming its thumbprint", async () => {
    const stranger = await createClientCertificate();
    const { tenantId, apps, authorityHost } = emulator.info;
    const credential = new ClientCertificateCredential(
      tenantId,
      apps.reader.clientId,
      { certificate: stranger.pem },
      credentialOptions(authorityHost),
    );
    const err = await rejection(credential.getToken(GRAPH_SCOPE));
    expect(err.message).to.include("AADSTS700027");
    expect(err.message).to.include(stranger.thumbprintSha256);
  });

  it("rejects an assertion signed by another key under a registered certificate's thumbprint", async () => {
    const registered = await emulator.createClientCertificate("reader");
    const impostor = await createClientCertificate();
    const { tenantId, apps, authorityHost } = emulator.info;
    // The registered certificate (its thumbprint goes in the header) with the wrong private key.
    const credential = new ClientCertificateCredential(
      tenantId,
      apps.reader.clientId,
      { certificate: registered.certificatePem + impostor.privateKeyPem },
      credentialOptions(authorityHost),
    );
    const err = await rejection(credential.getToken(GRAPH_SCOPE));
    expect(err.message).to.include("AADSTS700027");
    expect(err.message).to.include("did not match the expected signature value");
  });
});

describe("emulator identity: federated credentials (workload identity)", () => {
  const emulator = useEmulator({ graphApi: createFakeGraphApi() });
  const subject = "repo:contoso/policies:environment:production";

  before(() => {
    emulator.addFederatedCredential("writer", { name: "github-production", subject });
  });

  it("exchanges an emulator-minted token through ClientAssertionCredential", async () => {
    const { tenantId, apps, authorityHost } = emulator.info;
    const credential = new ClientAssertionCredential(
      tenantId,
      apps.writer.clientId,
      () => emulator.mintFederatedToken(subject),
      credentialOptions(authorityHost),
    );
    const claims = claimsOf((await credential.getToken(GRAPH_SCOPE)).token);
    expect(claims).to.include({ appid: apps.writer.clientId, appidacr: "2" });
  });

  it("exchanges a token file through WorkloadIdentityCredential", async () => {
    const tokenFilePath = join(mkdtempSync(join(tmpdir(), "entra-nudge-fic-")), "token");
    writeFileSync(tokenFilePath, await emulator.mintFederatedToken(subject));
    const { tenantId, apps, authorityHost } = emulator.info;
    const credential = new WorkloadIdentityCredential({
      tenantId,
      clientId: apps.writer.clientId,
      tokenFilePath,
      ...credentialOptions(authorityHost),
    });
    expect(claimsOf((await credential.getToken(GRAPH_SCOPE)).token).appid).to.equal(
      apps.writer.clientId,
    );
  });

  it("mints through the control endpoint too, and publishes the issuer's keys", async () => {
    const minted = await rawRequest(emulator, {
      method: "POST",
      path: "/_emulator/federatedTokens",
      body: { subject },
    });
    expect(minted.status).to.equal(200);
    const { token, issuer } = minted.json as { token: string; issuer: string };
    expect(issuer).to.equal(emulator.federationIssuer);
    expect(claimsOf(token)).to.include({
      iss: issuer,
      sub: subject,
      aud: "api://AzureADTokenExchange",
    });
    const discovery = await rawRequest(emulator, {
      path: "/_emulator/oidc/.well-known/openid-configuration",
    });
    expect(discovery.json).to.include({ issuer, jwks_uri: `${issuer}/keys` });
  });

  const cases: { what: string; assertion: () => Promise<string>; code: string }[] = [
    {
      what: "another subject",
      assertion: () => emulator.mintFederatedToken("repo:contoso/policies:ref:refs/heads/main"),
      code: "AADSTS700213",
    },
    {
      what: "a subject that differs only in case",
      assertion: () => emulator.mintFederatedToken(subject.toUpperCase()),
      code: "AADSTS7002138",
    },
    {
      what: "another audience",
      assertion: () => emulator.mintFederatedToken(subject, { audience: "api://something-else" }),
      code: "AADSTS700212",
    },
    {
      what: "an expired token",
      assertion: () => emulator.mintFederatedToken(subject, { lifetimeSeconds: -3600 }),
      code: "AADSTS700024",
    },
  ];
  for (const c of cases) {
    it(`rejects ${c.what} with ${c.code}`, async () => {
      const { tenantId, apps, authorityHost } = emulator.info;
      const credential = new ClientAssertionCredential(
        tenantId,
        apps.writer.clientId,
        c.assertion,
        credentialOptions(authorityHost),
      );
      expect((await rejection(credential.getToken(GRAPH_SCOPE))).message).to.include(c.code);
    });
  }

  it("rejects a token from an issuer the app does not trust with AADSTS700211", async () => {
    const { tenantId, apps, authorityHost } = emulator.info;
    const credential = new ClientAssertionCredential(
      tenantId,
      apps.reader.clientId,
      () => emulator.mintFederatedToken(subject),
      credentialOptions(authorityHost),
    );
    expect((await rejection(credential.getToken(GRAPH_SCOPE))).message).to.include("AADSTS700211");
  });

  it("trusts another issuer through the keys given with the credential (ES256)", async () => {
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const issuer = "https://token.actions.githubusercontent.com";
    emulator.addFederatedCredential("reader", {
      issuer,
      subject: "repo:contoso/policies:ref:refs/heads/main",
      jwks: { keys: [{ ...publicKey.export({ format: "jwk" }), kid: "gh-1" }] },
    });
    const now = Math.floor(Date.now() / 1000);
    const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const input = `${encode({ alg: "ES256", typ: "JWT", kid: "gh-1" })}.${encode({
      iss: issuer,
      sub: "repo:contoso/policies:ref:refs/heads/main",
      aud: "api://AzureADTokenExchange",
      iat: now,
      exp: now + 300,
    })}`;
    const signature = sign("sha256", Buffer.from(input), {
      key: privateKey,
      dsaEncoding: "ieee-p1363",
    });
    const { tenantId, apps, authorityHost } = emulator.info;
    const credential = new ClientAssertionCredential(
      tenantId,
      apps.reader.clientId,
      async () => `${input}.${signature.toString("base64url")}`,
      credentialOptions(authorityHost),
    );
    expect(claimsOf((await credential.getToken(GRAPH_SCOPE)).token).appid).to.equal(
      apps.reader.clientId,
    );
  });

  it("fetches a loopback issuer's keys from its discovery document", async () => {
    // Another emulator plays the external OIDC issuer (a CI system's token service).
    const other = await startEmulator({ graphApi: createFakeGraphApi() });
    try {
      emulator.addFederatedCredential("reader", {
        issuer: other.federationIssuer,
        subject: "ci-job-42",
      });
      const { tenantId, apps, authorityHost } = emulator.info;
      const credential = new ClientAssertionCredential(
        tenantId,
        apps.reader.clientId,
        () => other.mintFederatedToken("ci-job-42"),
        credentialOptions(authorityHost),
      );
      expect(claimsOf((await credential.getToken(GRAPH_SCOPE)).token).appid).to.equal(
        apps.reader.clientId,
      );
    } finally {
      await other.close();
    }
  });

  it("rejects a tampered federated token's signature with AADSTS700027", async () => {
    const { tenantId, apps, authorityHost } = emulator.info;
    const credential = new ClientAssertionCredential(
      tenantId,
      apps.writer.clientId,
      async () => {
        const [h, , s] = (await emulator.mintFederatedToken(subject)).split(".");
        const forged = Buffer.from(
          JSON.stringify({
            iss: emulator.federationIssuer,
            sub: subject,
            aud: "api://AzureADTokenExchange",
            exp: Math.floor(Date.now() / 1000) + 600,
          }),
        ).toString("base64url");
        return `${h}.${forged}.${s}`;
      },
      credentialOptions(authorityHost),
    );
    expect((await rejection(credential.getToken(GRAPH_SCOPE))).message).to.include("AADSTS700027");
  });
});
