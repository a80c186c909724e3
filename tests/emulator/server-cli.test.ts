// The emulator as users start it: `npm run emulator` (the CLI) printing the ready line, and
// startEmulator() with the built-in Graph handlers and the default tenant, end to end.
import { ClientSecretCredential } from "@azure/identity";
import { Client, GraphError } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js";
import { expect } from "chai";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { request } from "node:https";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { ReadyInfo } from "../../emulator/index.js";
import { getToken, rawRequest, useEmulator } from "../support/emulator.js";

const CLI = join(__dirname, "..", "..", "emulator", "cli.js");

function post(
  url: string,
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" } },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(text) as Record<string, unknown>,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(new URLSearchParams(form).toString());
  });
}

function get(
  url: string,
  token: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
      );
    })
      .on("error", reject)
      .end();
  });
}

describe("emulator CLI", function () {
  this.timeout(30_000);
  let child: ChildProcessWithoutNullStreams | undefined;
  let stderr = "";
  afterEach(() => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    child = undefined;
  });

  it("prints the ready line first, serves a token and Graph, logs to stderr, stops on SIGTERM", async () => {
    child = spawn(process.execPath, [CLI, "--port", "0"], { env: process.env });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const firstLine = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: (child as ChildProcessWithoutNullStreams).stdout });
      lines.once("line", resolve);
      child?.once("exit", (code) => reject(new Error(`the emulator exited (${code}): ${stderr}`)));
    });
    const info = JSON.parse(firstLine) as ReadyInfo;
    expect(Object.keys(info)).to.deep.equal([
      "graphEndpoint",
      "authorityHost",
      "tenantId",
      "caCertPath",
      "controlEndpoint",
      "apps",
    ]);
    expect(info.graphEndpoint).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(info.authorityHost).to.equal(info.graphEndpoint);
    expect(info.controlEndpoint).to.equal(`${info.graphEndpoint}/_emulator`);
    // The tests trust it (scripts/run-tests.js adds it to the certificates trusted before).
    expect(readFileSync(process.env.NODE_EXTRA_CA_CERTS ?? "", "utf8")).to.include(
      readFileSync(info.caCertPath, "utf8").trim(),
    );
    expect(Object.keys(info.apps)).to.include.members(["writer", "reader"]);

    const token = await post(`${info.authorityHost}/${info.tenantId}/oauth2/v2.0/token`, {
      grant_type: "client_credentials",
      client_id: info.apps.writer.clientId,
      client_secret: info.apps.writer.clientSecret,
      scope: "https://graph.microsoft.com/.default",
    });
    expect(token.status).to.equal(200);
    const policy = await get(
      `${info.graphEndpoint}/v1.0/policies/authenticationMethodsPolicy`,
      String(token.body.access_token),
    );
    expect(policy.status).to.equal(200);
    expect(policy.body.id).to.equal("authenticationMethodsPolicy");

    const exited = new Promise<number | null>((resolve) =>
      child?.once("exit", (code) => resolve(code)),
    );
    child.kill("SIGTERM");
    expect(await exited).to.equal(0);
    expect(stderr).to.match(/GET \/v1\.0\/policies\/authenticationMethodsPolicy 200 client=/);
    expect(stderr).to.not.include(info.apps.writer.clientSecret);
    expect(stderr).to.not.include(String(token.body.access_token));
  });

  it("stops cleanly on SIGINT (Ctrl-C)", async () => {
    child = spawn(process.execPath, [CLI, "--port", "0", "--quiet"]);
    await new Promise((resolve) => child?.stdout.once("data", resolve));
    const exited = new Promise<number | null>((resolve) =>
      child?.once("exit", (code) => resolve(code)),
    );
    child.kill("SIGINT");
    expect(await exited).to.equal(0);
  });

  it("refuses an unknown option with a usage line", async () => {
    child = spawn(process.execPath, [CLI, "--bogus"]);
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child?.once("exit", resolve));
    expect(code).to.equal(2);
    expect(err).to.include("Unknown option '--bogus'").and.include("usage:");
  });
});

describe("emulator with the built-in Graph handlers (default tenant)", () => {
  const emulator = useEmulator();

  it("lets the writer read the policy and refuses the reader's PATCH with 403", async () => {
    const env = emulator.env("writer");
    expect(env).to.have.keys([
      "AZURE_TENANT_ID",
      "AZURE_CLIENT_ID",
      "AZURE_CLIENT_SECRET",
      "AZURE_AUTHORITY_HOST",
      "ENTRA_NUDGE_GRAPH_ENDPOINT",
      "NODE_EXTRA_CA_CERTS",
    ]);
    const writer = await getToken(emulator, "writer");
    const read = await rawRequest(emulator, {
      path: "/v1.0/policies/authenticationMethodsPolicy",
      token: writer,
    });
    expect(read.status, read.text).to.equal(200);
    expect(read.json).to.have.property("id", "authenticationMethodsPolicy");

    const readerEnv = emulator.env("reader");
    const credential = new ClientSecretCredential(
      readerEnv.AZURE_TENANT_ID,
      readerEnv.AZURE_CLIENT_ID,
      readerEnv.AZURE_CLIENT_SECRET,
      { authorityHost: readerEnv.AZURE_AUTHORITY_HOST, disableInstanceDiscovery: true },
    );
    const client = Client.initWithMiddleware({
      authProvider: new TokenCredentialAuthenticationProvider(credential, {
        scopes: ["https://graph.microsoft.com/.default"],
      }),
      baseUrl: readerEnv.ENTRA_NUDGE_GRAPH_ENDPOINT,
      customHosts: new Set([new URL(readerEnv.ENTRA_NUDGE_GRAPH_ENDPOINT).hostname]),
    });
    const policy = (await client.api("/policies/authenticationMethodsPolicy").get()) as {
      id: string;
    };
    expect(policy.id).to.equal("authenticationMethodsPolicy");
    const err = await client
      .api("/policies/authenticationMethodsPolicy")
      .patch({
        registrationEnforcement: {
          authenticationMethodsRegistrationCampaign: { state: "disabled" },
        },
      })
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(GraphError);
    expect((err as GraphError).statusCode).to.equal(403);
  });

  it("batches against the real handlers", async () => {
    const writer = await getToken(emulator, "writer");
    const res = await rawRequest(emulator, {
      method: "POST",
      path: "/v1.0/$batch",
      token: writer,
      body: {
        requests: [
          { id: "1", method: "GET", url: "/policies/authenticationMethodsPolicy" },
          { id: "2", method: "GET", url: "/groups?$top=1", dependsOn: ["1"] },
        ],
      },
    });
    expect(res.status).to.equal(200);
    const statuses = (res.json as { responses: { id: string; status: number }[] }).responses.map(
      (r) => r.status,
    );
    expect(statuses).to.deep.equal([200, 200]);
  });
});
