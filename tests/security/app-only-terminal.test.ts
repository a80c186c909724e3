// report, readiness and impact run by hand in a terminal with an app's own credentials, on the
// 10,000-user generated tenant (ten report pages: a long scan, so the progress bar is drawn). The
// registration summary that gave the bar its total (usersRegisteredByMethod) is "Not supported"
// for application permissions (learn.microsoft.com/graph/api/authenticationmethodsroot-usersregisteredbymethod),
// and the emulator refuses it to an app token as Graph does: before the fix, each command asked
// for it on its second page and exited 1 with that 403. Each command runs as a child process under
// a pseudo-terminal (`script`, util-linux), so stderr is a TTY as in a person's shell. A person
// signed in (a delegated token through DefaultAzureCredential) still gets the summary, and the bar
// its total.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { generateTenant } from "../../emulator/generate";
import { projectRoot } from "../support/engine";
import { getToken, rawRequest, useEmulator } from "../support/emulator";

const CLI = path.join(projectRoot, "dist", "provider", "cli.js");
const SUMMARY = /usersRegisteredByMethod/;
const PASSWORD = "correct horse battery staple";

/**
 * The 10,000-user tenant, plus an app a person signs in through (delegated permissions for the read
 * commands, public client flows) and a password for its first enabled user.
 */
function tenant(): { tenant: object; user: string } {
  const t = generateTenant({ users: 10_000, seed: 1 }) as unknown as {
    apps: object[];
    users: { userPrincipalName: string; accountEnabled: boolean; password?: string }[];
  };
  t.apps.push({
    name: "console",
    clientId: "c0a5e1e0-0000-4000-8000-000000000001",
    roles: [],
    scopes: [
      "Policy.Read.AuthenticationMethod",
      "GroupMember.Read.All",
      "User.Read.All",
      "AuditLog.Read.All",
      "Directory.Read.All",
    ],
    publicClient: true,
  });
  const user = t.users.find((u) => u.accountEnabled) as (typeof t.users)[number];
  user.password = PASSWORD;
  return { tenant: t, user: user.userPrincipalName };
}

function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

describe("app-only credentials in a terminal, on a 10,000-user tenant", function () {
  this.timeout(240_000);
  const { tenant: tenantFile, user } = tenant();
  const emulator = useEmulator({ tenant: tenantFile });
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-terminal-"));
    fs.writeFileSync(
      path.join(dir, "declaration.json"),
      JSON.stringify({ campaign: { state: "enabled", snoozeDurationInDays: 0 } }),
    );
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => emulator.reset());

  /** Signed in as a person: DefaultAzureCredential's environment link (no client secret). */
  function userEnv(): Record<string, string | undefined> {
    return {
      ...emulator.env("reader"),
      AZURE_CLIENT_ID: emulator.info.apps.console.clientId,
      AZURE_CLIENT_SECRET: undefined,
      AZURE_USERNAME: user,
      AZURE_PASSWORD: PASSWORD,
    };
  }

  /**
   * The command under a pseudo-terminal, signed in as the reader app (a client secret) unless
   * `signIn` says otherwise. Spawned asynchronously: the emulator answers from this process.
   */
  function inTerminal(
    args: string[],
    signIn: Record<string, string | undefined> = emulator.env("reader"),
  ): Promise<{ status: number | null; transcript: string }> {
    const command = ["node", CLI, ...args].map(quote).join(" ");
    const env: Record<string, string | undefined> = { ...process.env, ...signIn };
    for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
    const child = spawn("script", ["-qec", command, "/dev/null"], {
      cwd: dir,
      env: {
        ...env,
        ENTRA_NUDGE_REPORT_RATE_LIMIT: "off",
        ENTRA_NUDGE_CACHE_DIR: path.join(dir, "cache"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let transcript = "";
    child.stdout.on("data", (chunk: Buffer) => (transcript += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (transcript += chunk.toString("utf8")));
    return new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (status) => resolve({ status, transcript }));
    });
  }

  for (const args of [
    ["report"],
    ["readiness", "--no-cache"],
    ["impact", "--declaration", "declaration.json", "--no-cache"],
  ]) {
    it(`${args[0]} exits 0, draws its progress, and never asks for the summary`, async () => {
      const { status, transcript } = await inTerminal(args);
      expect(status, transcript).to.equal(0);
      // The bar is drawn only on a terminal: proof the run had one.
      expect(transcript).to.match(/users so far/);
      const requests = emulator.requests();
      expect(requests.filter((r) => SUMMARY.test(r.path)).map((r) => r.path)).to.deep.equal([]);
      expect(requests.filter((r) => r.status === 403).map((r) => r.path)).to.deep.equal([]);
      expect(
        requests.filter((r) => r.path.includes("userRegistrationDetails")).length,
        "the scan read every report page",
      ).to.be.at.least(10);
    });
  }

  it("report signed in as a person (DefaultAzureCredential) asks for the summary and draws the total", async () => {
    emulator.clearRequests();
    const { status, transcript } = await inTerminal(["report"], userEnv());
    expect(status, transcript).to.equal(0);
    const summary = emulator.requests().filter((r) => SUMMARY.test(r.path));
    expect(summary.map((r) => r.status)).to.deep.equal([200]);
    // The bar with its total (done/total), not the bare count an app's run shows.
    expect(transcript).to.match(/\] [\d,]+\/[\d,]+/);
  });

  it("the emulator answers the summary with 403 to the same app's token", async () => {
    const answer = await rawRequest(emulator, {
      path: "/v1.0/reports/authenticationMethods/usersRegisteredByMethod(includedUserTypes='all',includedUserRoles='all')",
      token: await getToken(emulator, "reader"),
    });
    expect(answer.status).to.equal(403);
    expect(answer.json).to.have.nested.property("error.code", "Authorization_RequestDenied");
  });
});
