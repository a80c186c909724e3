// TLS: Graph and the sign-in authority are reached over HTTPS only. An http:// endpoint is refused
// unless the environment-only development switch ENTRA_NUDGE_ALLOW_HTTP=1 is set (and then it is
// warned about); the sign-in authority is https:// whatever the switch says; certificate checks
// are never switched off: a server whose certificate is not trusted fails the run at once with a
// sentence about TLS trust, and no code in the package disables the checks.
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { expect } from "chai";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { useEmulator } from "../support/emulator";
import { projectRoot } from "../support/engine";
import { newRsaKeyPair, createSelfSignedCertificate } from "../../emulator/tls.js";
import { resolveSettings, SettingsError } from "../../provider/config";
import {
  getAuthenticationMethodsPolicy,
  GraphClient,
  GraphRequestError,
} from "../../provider/graph";
import { provider, setConfig, setWarningSink } from "../../provider/resources/providers";

/** A credential that never signs in: these tests are about the Graph connection. */
const fakeCredential: TokenCredential = {
  getToken: async (): Promise<AccessToken> => ({
    token: "header.eyJ0aWQiOiJ4In0.signature",
    expiresOnTimestamp: Date.now() + 3_600_000,
  }),
};

function listen(server: http.Server | https.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );
}

describe("hostile input: TLS only, certificate checks always on", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ resetEachTest: true });
  let warnings: string[];
  beforeEach(() => {
    warnings = [];
    setWarningSink((message) => warnings.push(message));
  });
  after(() => setWarningSink(undefined));

  describe("a server whose certificate is not trusted", () => {
    let server: https.Server;
    let port: number;
    let requestsSeen = 0;
    before(async () => {
      const keys = await newRsaKeyPair();
      const cert = createSelfSignedCertificate(keys, "127.0.0.1");
      const key = keys.privateKey.export({ type: "pkcs8", format: "pem" }) as string;
      server = https.createServer({ key, cert }, (_req, res) => {
        requestsSeen++;
        res.setHeader("Content-Type", "application/json");
        res.end("{}");
      });
      port = await listen(server);
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("as the Graph endpoint: fails at once (no retry) with a sentence about TLS trust; nothing reaches the server", async () => {
      const settings = resolveSettings(() => undefined, {
        ENTRA_NUDGE_GRAPH_ENDPOINT: `https://127.0.0.1:${port}`,
        AZURE_AUTHORITY_HOST: `https://127.0.0.1:${port}`,
      });
      const retries: unknown[] = [];
      const graph = new GraphClient(settings, {
        credential: fakeCredential,
        maxRetries: 3,
        retryDelaySeconds: 0,
        onRetry: (e) => retries.push(e),
      });
      let error: unknown;
      try {
        await getAuthenticationMethodsPolicy(graph);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(GraphRequestError);
      const message = (error as Error).message;
      expect(message).to.match(
        /^Could not read the authentication methods policy\. The TLS certificate of the Graph endpoint is not trusted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\); certificate checks are never switched off \(1 attempt\)\./,
      );
      expect(message).to.contain("NODE_EXTRA_CA_CERTS");
      expect(retries).to.deep.equal([]);
      expect(requestsSeen).to.equal(0);
    });

    it("as the sign-in authority: the provider fails with a sentence about the authority's TLS certificate; no Graph call", async () => {
      setConfig(() => undefined, {
        ...emulator.env("writer"),
        AZURE_AUTHORITY_HOST: `https://127.0.0.1:${port}`,
        ENTRA_NUDGE_MAX_RETRIES: "0",
      });
      let error: unknown;
      try {
        await provider("RegistrationCampaign").create({ state: "enabled" });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(GraphRequestError);
      expect((error as Error).message).to.contain(
        "The sign-in authority could not be reached or its TLS certificate is not trusted: check AZURE_AUTHORITY_HOST (entra-nudge:authorityHost)",
      );
      expect(emulator.requests()).to.deep.equal([]);
      expect(requestsSeen).to.equal(0);
    });
  });

  describe("plain HTTP", () => {
    it("an http:// authorityHost is refused even with the development switch", () => {
      expect(() =>
        resolveSettings(() => undefined, {
          AZURE_AUTHORITY_HOST: "http://127.0.0.1:8080",
          ENTRA_NUDGE_ALLOW_HTTP: "1",
        }),
      )
        .to.throw(SettingsError)
        .with.property("message")
        .that.contains(
          'entra-nudge:authorityHost / AZURE_AUTHORITY_HOST: "http://127.0.0.1:8080" uses http://: sign-in sends the client credential, so the authority must use https://',
        );
    });

    it("the switch is read from the environment only: stack config cannot set it", () => {
      const config = (key: string) =>
        ({
          "entra-nudge:graphEndpoint": "http://127.0.0.1:8080",
          "entra-nudge:allowHttp": "1",
          ENTRA_NUDGE_ALLOW_HTTP: "1",
        })[key];
      expect(() => resolveSettings(config, {})).to.throw(SettingsError, /must use https:\/\//);
      expect(() =>
        resolveSettings(() => undefined, {
          ENTRA_NUDGE_GRAPH_ENDPOINT: "http://127.0.0.1:8080",
          ENTRA_NUDGE_ALLOW_HTTP: "true",
        }),
      ).to.throw(SettingsError, /ENTRA_NUDGE_ALLOW_HTTP=1/);
    });

    describe("with ENTRA_NUDGE_ALLOW_HTTP=1", () => {
      // A plain-HTTP local mock: it answers the policy reads with the emulator's real answer and
      // records whether an Authorization header ever reached it.
      let mock: http.Server;
      let port: number;
      let policy: string;
      const authorizations: (string | undefined)[] = [];
      before(async () => {
        const trusted = new GraphClient(resolveSettings(() => undefined, emulator.env("writer")));
        policy = JSON.stringify(await getAuthenticationMethodsPolicy(trusted));
        mock = http.createServer((req, res) => {
          authorizations.push(req.headers.authorization);
          res.setHeader("Content-Type", "application/json");
          res.end(policy);
        });
        port = await listen(mock);
      });
      after(() => new Promise<void>((resolve) => mock.close(() => resolve())));

      it("an http:// Graph endpoint is read, never with the access token, and every run warns", async () => {
        setConfig(() => undefined, {
          ...emulator.env("writer"),
          ENTRA_NUDGE_GRAPH_ENDPOINT: `http://127.0.0.1:${port}`,
          ENTRA_NUDGE_ALLOW_HTTP: "1",
        });
        const read = await provider("RegistrationCampaign").read!(
          `${emulator.info.tenantId}/registrationCampaign`,
          { state: "enabled", tenantId: emulator.info.tenantId },
        );
        expect((read.props as Record<string, unknown>).state).to.be.a("string");
        expect(authorizations.length).to.be.greaterThan(0);
        expect(authorizations.every((a) => a === undefined)).to.equal(true);
        expect(warnings).to.include(
          `entra-nudge:graphEndpoint / ENTRA_NUDGE_GRAPH_ENDPOINT is "http://127.0.0.1:${port}", plain HTTP, allowed by ENTRA_NUDGE_ALLOW_HTTP=1: requests and tenant data travel unencrypted, and no access token is sent (the Graph SDK sends it over https:// only), so only a local development mock that asks for none answers. Never use this with Microsoft Graph.`,
        );
      });
    });
  });

  it("no code in the package switches certificate checks off", () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.(ts|js|mjs|cjs)$/.test(entry.name)) {
          const text = fs.readFileSync(full, "utf8");
          if (
            /rejectUnauthorized|checkServerIdentity|env(\.|\[["'])NODE_TLS_REJECT_UNAUTHORIZED(["']\])?\s*=(?!=)|NODE_TLS_REJECT_UNAUTHORIZED["']?\s*:\s*["']?0|insecureHTTPParser/.test(
              text,
            )
          ) {
            offenders.push(path.relative(projectRoot, full));
          }
        }
      }
    };
    for (const dir of ["provider", "emulator", "scripts", "examples", "policy"]) {
      const full = path.join(projectRoot, dir);
      if (fs.existsSync(full)) walk(full);
    }
    expect(offenders).to.deep.equal([]);
  });
});
