// Delegated tokens: a tenant user signs in (the password grant, as @azure/identity's
// EnvironmentCredential does with AZURE_USERNAME and AZURE_PASSWORD, the first link of
// DefaultAzureCredential) and gets a token whose `scp` holds the delegated permissions consented for
// the app. Graph then reads the Delegated row of the permission table
// (emulator/graph/permissionTable.ts), so a call whose page says application permissions are "Not
// supported" works for the user and is refused to an app, with Graph's 403 shape.
import { UsernamePasswordCredential } from "@azure/identity";
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { projectRoot } from "../support/engine";
import { getToken, rawRequest, useEmulator } from "../support/emulator";
import { resolveSettings } from "../../provider/config";
import { GraphClient, registrationReportUserCount } from "../../provider/graph";

const SUMMARY =
  "/v1.0/reports/authenticationMethods/usersRegisteredByMethod(includedUserTypes='all',includedUserRoles='all')";
const SUMMARY_BETA = SUMMARY.replace("/v1.0/", "/beta/");
const AUDITS = "/v1.0/auditLogs/directoryAudits";
const GRAPH_SCOPE = "https://graph.microsoft.com/.default";

/** A user of the default tenant, given a password. */
const USER = "MeganB@contoso.onmicrosoft.com";
const PASSWORD = "correct horse battery staple";
/** A disabled account of the default tenant, also given one. */
const DISABLED_USER = "DebraB@contoso.onmicrosoft.com";

const PUBLIC_APPS: Record<string, { scopes: string[]; publicClient?: boolean }> = {
  // What docs/real-tenant.md asks a person's sign-in app to hold for the read commands.
  console: {
    scopes: [
      "Policy.Read.AuthenticationMethod",
      "GroupMember.Read.All",
      "User.Read.All",
      "AuditLog.Read.All",
      "Directory.Read.All",
    ],
  },
  "audit only": { scopes: ["AuditLog.Read.All"] },
  "directory only": { scopes: ["Directory.Read.All"] },
  confidential: { scopes: ["AuditLog.Read.All"], publicClient: false },
};

function tenant(): object {
  const file = path.join(projectRoot, "emulator", "tenants", "default.json");
  const t = JSON.parse(fs.readFileSync(file, "utf8")) as {
    apps: object[];
    users: { userPrincipalName: string; password?: string }[];
  };
  let n = 0;
  for (const [name, app] of Object.entries(PUBLIC_APPS)) {
    n += 1;
    t.apps.push({
      name,
      clientId: `de1e9a7e-0000-4000-8000-00000000000${n}`,
      roles: [],
      scopes: app.scopes,
      publicClient: app.publicClient ?? true,
    });
  }
  t.apps.push({
    name: "app audit only",
    clientId: "de1e9a7e-0000-4000-8000-0000000000a1",
    roles: ["AuditLog.Read.All"],
  });
  for (const u of t.users) {
    if (u.userPrincipalName === USER || u.userPrincipalName === DISABLED_USER)
      u.password = PASSWORD;
  }
  return t;
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8")) as Record<
    string,
    unknown
  >;
}

describe("emulator: delegated tokens (a user's sign-in) and the Delegated row", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ tenant: tenant() });

  function userCredential(appName: string, username = USER, password = PASSWORD) {
    return new UsernamePasswordCredential(
      emulator.info.tenantId,
      emulator.info.apps[appName].clientId,
      username,
      password,
      { authorityHost: emulator.info.authorityHost, disableInstanceDiscovery: true },
    );
  }

  async function userToken(appName: string, scope = GRAPH_SCOPE): Promise<string> {
    return (await userCredential(appName).getToken(scope)).token;
  }

  async function get(pathAndQuery: string, token: string) {
    return rawRequest(emulator, { path: pathAndQuery, token });
  }

  it("issues a user's token: scp holds the app's consented delegated permissions, no roles", async () => {
    const claims = claimsOf(await userToken("console"));
    expect(claims.idtyp).to.equal("user");
    expect(claims.upn).to.equal(USER);
    expect(claims.oid).to.equal("fd910649-87ef-50dd-aa01-0fe6b8e354a0");
    expect(claims.appidacr).to.equal("0");
    expect(String(claims.scp).split(" ")).to.have.members(PUBLIC_APPS.console.scopes);
    expect(claims).to.not.have.property("roles");
  });

  it("grants only the permissions asked for by name, and refuses one not consented (AADSTS65001)", async () => {
    const claims = claimsOf(
      await userToken("console", "https://graph.microsoft.com/User.Read.All"),
    );
    expect(claims.scp).to.equal("User.Read.All");
    const err = await userCredential("audit only")
      .getToken("https://graph.microsoft.com/Directory.Read.All")
      .then(
        () => undefined,
        (e: Error) => e,
      );
    expect(err?.message).to.match(/AADSTS65001/);
  });

  it("refuses a wrong password, a disabled account and a confidential app without its secret", async () => {
    const failure = (credential: UsernamePasswordCredential) =>
      credential.getToken(GRAPH_SCOPE).then(
        () => "signed in",
        (e: Error) => e.message,
      );
    expect(await failure(userCredential("console", USER, "wrong"))).to.match(/AADSTS50126/);
    expect(await failure(userCredential("console", DISABLED_USER))).to.match(/AADSTS50057/);
    expect(await failure(userCredential("confidential"))).to.match(/AADSTS7000218/);
    expect(await failure(userCredential("console", "nobody@contoso.onmicrosoft.com"))).to.match(
      /AADSTS50034/,
    );
  });

  it("answers the registration summary to a user with AuditLog.Read.All, on v1.0 and beta", async () => {
    const token = await userToken("audit only");
    for (const url of [SUMMARY, SUMMARY_BETA]) {
      const answer = await get(url, token);
      expect(answer.status, url).to.equal(200);
      expect(answer.json).to.have.property("totalUserCount").that.is.above(0);
    }
  });

  it("refuses the summary to an app's token and to a user without AuditLog.Read.All, in Graph's 403 shape", async () => {
    for (const token of [await getToken(emulator, "reader"), await userToken("directory only")]) {
      const answer = await get(SUMMARY, token);
      expect(answer.status).to.equal(403);
      expect(answer.json).to.have.nested.property("error.code", "Authorization_RequestDenied");
      expect(answer.json).to.have.nested.property(
        "error.message",
        "Insufficient privileges to complete the operation.",
      );
      expect(answer.json).to.have.nested.property("error.innerError.request-id");
    }
  });

  it("needs AuditLog.Read.All and Directory.Read.All together for the audit log, for a user as for an app", async () => {
    const outcomes: Record<string, number> = {};
    for (const app of ["audit only", "directory only", "console"])
      outcomes[`user via ${app}`] = (await get(AUDITS, await userToken(app))).status;
    for (const app of ["app audit only", "reader"])
      outcomes[app] = (await get(AUDITS, await getToken(emulator, app))).status;
    expect(outcomes).to.deep.equal({
      "user via audit only": 403,
      "user via directory only": 403,
      "user via console": 200,
      "app audit only": 403,
      reader: 200,
    });
  });

  it("reaches the product: DefaultAzureCredential signs the user in and the scan's summary gets its total", async () => {
    const env = {
      AZURE_TENANT_ID: emulator.info.tenantId,
      AZURE_CLIENT_ID: emulator.info.apps.console.clientId,
      AZURE_USERNAME: USER,
      AZURE_PASSWORD: PASSWORD,
      AZURE_AUTHORITY_HOST: emulator.info.authorityHost,
      ENTRA_NUDGE_GRAPH_ENDPOINT: emulator.info.graphEndpoint,
    };
    // EnvironmentCredential reads the process's environment when DefaultAzureCredential is built.
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    const secret = process.env.AZURE_CLIENT_SECRET;
    Object.assign(process.env, env);
    delete process.env.AZURE_CLIENT_SECRET;
    try {
      const settings = resolveSettings(() => undefined, env);
      expect(settings.settings.credentialKind).to.equal("defaultAzureCredential");
      emulator.clearRequests();
      const total = await registrationReportUserCount(new GraphClient(settings));
      expect(total).to.equal(28); // the default tenant's enabled users
      const summary = emulator.requests().filter((r) => r.path.includes("usersRegisteredByMethod"));
      expect(summary.map((r) => r.status)).to.deep.equal([200]);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      if (secret !== undefined) process.env.AZURE_CLIENT_SECRET = secret;
    }
  });
});
