// `entra-nudge export` against the emulator, without the engine (tests/export/roundtrip.test.ts
// runs the exported programs): the files it writes, names and their absence, read-only access,
// --no-beta, and the cases where it must refuse.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import {
  passkeyDeclaration,
  UndeclarableSettingsError,
  declarationOf,
} from "../../provider/export";
import { passkeyFromGraph } from "../../provider/model";
import { useEmulator } from "../support/emulator";
import { appEnv, compileProject, readFixture, runExport, tenantWith } from "./support";

const PILOT_GROUP = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31";
const PILOT_USER = "bb1d6c17-7043-5689-a17d-aa610e2a4115";
const DELETED_GROUP = "d1e7e7ad-0000-4000-8000-00000000dead";
const DELETED_USER = "d1e7e7ad-0000-4000-8000-0000000000ee";

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-export-"));
}

function read(dir: string, file: string): string {
  return fs.readFileSync(path.join(dir, file), "utf8");
}

/** The line after the comment line that names `id`, and the comment itself. */
function commentFor(program: string, id: string): string {
  const lines = program.split("\n");
  const at = lines.findIndex((line) => line.includes(`id: "${id}"`));
  expect(at, `a target with id ${id}`).to.be.greaterThan(0);
  return lines[at - 1].trim();
}

describe("entra-nudge export", function () {
  this.timeout(60_000);
  const policyOnlyApp = randomUUID();
  const emulator = useEmulator({
    tenant: tenantWith(readFixture("deleted-objects"), (tenant) => {
      // An identity that may read the policy but not the directory.
      (tenant.apps as object[]).push({
        name: "policyOnly",
        clientId: policyOnlyApp,
        roles: ["Policy.Read.AuthenticationMethod"],
      });
      // A display name that tries to end the comment it is written in.
      const groups = tenant.groups as { id: string; displayName: string }[];
      const pilot = groups.find((g) => g.id === PILOT_GROUP) as { displayName: string };
      pilot.displayName = "Pilot\nprocess.exit(1); // wave 1";
    }),
    resetEachTest: true,
  });
  const dirs: string[] = [];
  const newDir = () => {
    const dir = tempDir();
    dirs.push(dir);
    return path.join(dir, "out");
  };
  after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it("writes a project that compiles, naming every id, deleted objects marked", async () => {
    const out = newDir();
    const run = await runExport(["--out", out], appEnv(emulator, "reader"));
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stderr).to.equal("");
    expect(fs.readdirSync(out).sort()).to.deep.equal([
      "Pulumi.dev.yaml",
      "Pulumi.yaml",
      "README.md",
      "index.ts",
      "package.json",
      "program.ts",
      "tsconfig.json",
    ]);
    expect(run.stdout).to.include("3 target(s) name objects that no longer exist");

    const program = read(out, "program.ts");
    expect(commentFor(program, PILOT_GROUP)).to.equal(
      '// group "Pilot process.exit(1); // wave 1"',
    );
    expect(commentFor(program, DELETED_GROUP)).to.match(/^\/\/ group NOT FOUND in the directory/);
    expect(commentFor(program, DELETED_USER)).to.match(/^\/\/ user NOT FOUND in the directory/);
    expect(commentFor(program, "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c")).to.equal(
      '// group "Emergency Access Accounts"',
    );
    expect(program).to.include('onDelete: "retain"');
    expect(read(out, "README.md")).to.include(`group ${DELETED_GROUP}`);
    compileProject(out);
  });

  it("looks names up in JSON batches, reading only", async () => {
    emulator.clearRequests();
    const run = await runExport(["--out", newDir()], appEnv(emulator, "reader"));
    expect(run.code, run.stderr).to.equal(0);
    const graph = emulator.requests().filter((r) => /^\/(v1\.0|beta)\//.test(r.path));
    expect(graph.filter((r) => r.method !== "GET" && !r.path.endsWith("/$batch"))).to.deep.equal(
      [],
    );
    expect(graph.filter((r) => r.path.endsWith("/$batch"))).to.have.length(2);
  });

  it("writes only non-secret settings to the stack file", async () => {
    const out = newDir();
    const env = appEnv(emulator, "writer");
    const run = await runExport(
      ["--out", out, "--stack-name", "prod", "--project", "contoso-mfa"],
      env,
    );
    expect(run.code, run.stderr).to.equal(0);
    const stackFile = read(out, "Pulumi.prod.yaml");
    expect(stackFile).to.include(`entra-nudge:tenantId: "${emulator.info.tenantId}"`);
    expect(stackFile).to.include(`entra-nudge:graphEndpoint: "${emulator.info.graphEndpoint}"`);
    expect(stackFile).to.include(`entra-nudge:authorityHost: "${emulator.info.authorityHost}"`);
    expect(stackFile).not.to.include("clientId:");
    for (const file of fs.readdirSync(out)) {
      const text = read(out, file);
      expect(text, file).not.to.include(env.AZURE_CLIENT_SECRET as string);
      expect(text, file).not.to.include(env.AZURE_CLIENT_ID as string);
    }
    expect(read(out, "Pulumi.yaml")).to.match(/^name: contoso-mfa$/m);
    expect(JSON.parse(read(out, "package.json")).name).to.equal("contoso-mfa");
  });

  it("goes on with bare ids when Graph refuses the name lookups", async () => {
    const out = newDir();
    const env = appEnv(emulator, "reader");
    const run = await runExport(["--out", out], {
      ...env,
      AZURE_CLIENT_ID: policyOnlyApp,
      AZURE_CLIENT_SECRET: emulator.info.apps.policyOnly.clientSecret,
    });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stderr).to.match(/warning: The group names were not read/);
    expect(run.stderr).to.include("GroupMember.Read.All");
    expect(commentFor(read(out, "program.ts"), PILOT_GROUP)).to.equal(
      "// group (name not read: forbidden)",
    );
  });

  it("--no-beta reads v1.0 only and leaves the beta-only settings unmanaged", async () => {
    emulator.clearRequests();
    const out = newDir();
    const run = await runExport(["--out", out, "--no-beta"], appEnv(emulator, "reader"));
    expect(run.code, run.stderr).to.equal(0);
    expect(emulator.requests().filter((r) => r.path.startsWith("/beta/"))).to.deep.equal([]);
    const program = read(out, "program.ts");
    expect(program).not.to.include("enforceRegistrationAfterAllowedSnoozes");
    expect(program).not.to.include("companionAppAllowedState");
    expect(program).to.include("displayAppInformationRequiredState");
    expect(read(out, "README.md")).to.include("Beta-only settings were not read");
  });

  it("refuses a directory that is not empty, unless --force", async () => {
    const out = newDir();
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, "notes.txt"), "mine");
    const refused = await runExport(["--out", out], appEnv(emulator));
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.include("is not empty");
    expect(fs.readdirSync(out)).to.deep.equal(["notes.txt"]);

    const forced = await runExport(["--out", out, "--force"], appEnv(emulator));
    expect(forced.code, forced.stderr).to.equal(0);
    expect(read(out, "notes.txt")).to.equal("mine");
    expect(fs.existsSync(path.join(out, "program.ts"))).to.equal(true);
  });

  it("explains its usage", async () => {
    const help = await runExport(["--help"], appEnv(emulator));
    expect(help.code).to.equal(0);
    expect(help.stdout).to.match(/^Usage: entra-nudge export --out DIR/);
    const missing = await runExport([], appEnv(emulator));
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.include("give the directory to write with --out DIR");
    const unknown = await runExport(["--out", newDir(), "--stak", "x"], appEnv(emulator));
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.include("--stak");
    const badStack = await runExport(["--out", newDir(), "--stack-name", "a b"], appEnv(emulator));
    expect(badStack.code).to.equal(1);
    expect(badStack.stderr).to.include('--stack-name "a b"');
  });

  it("refuses --stack (which reads from a stack in every command), pointing to --stack-name, before reading Graph", async () => {
    const out = newDir();
    emulator.clearRequests();
    const run = await runExport(["--out", out, "--stack", "prod"], appEnv(emulator));
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include("use --stack-name prod");
    expect(fs.existsSync(out)).to.equal(false);
    expect(emulator.requests().filter((r) => /^\/(v1\.0|beta)\//.test(r.path))).to.deep.equal([]);
  });
});

describe("entra-nudge export of beta-only settings", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ tenant: tenantWith(readFixture("beta-only")) });
  let out: string;
  let program: string;

  before(async () => {
    out = path.join(tempDir(), "out");
    const run = await runExport(["--out", out], appEnv(emulator, "reader"));
    expect(run.code, run.stderr).to.equal(0);
    program = read(out, "program.ts");
  });
  after(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));

  it("declares them as read, with what they mean", () => {
    expect(program).to.include("// Beta only: users may snooze without limit.");
    expect(program).to.include("enforceRegistrationAfterAllowedSnoozes: false,");
    const companion = program.slice(program.indexOf("companionAppAllowedState: {"));
    expect(companion).to.match(/^companionAppAllowedState: \{\n\s+state: "enabled",/);
    expect(program).to.include("isSoftwareOathEnabled: true,");
    expect(program).not.to.include("numberMatchingRequiredState");
  });

  it("names users with their display and principal names", () => {
    expect(commentFor(program, PILOT_USER)).to.equal(
      '// user "Pilot Test User" <pilot.user@contoso.onmicrosoft.com>',
    );
  });
});

describe("entra-nudge export of settings no program can declare", function () {
  this.timeout(60_000);
  const newerState = {
    description:
      'A campaign in a state newer than this package ("enforced", an evolvable-enum member): no declaration can hold it.',
    campaign: {
      state: "enforced",
      snoozeDurationInDays: 1,
      includeTargets: [
        { id: "all_users", targetType: "group", targetedAuthenticationMethod: "Fido2" },
      ],
      excludeTargets: [],
    },
    authenticator: null,
  };
  const emulator = useEmulator({ tenant: tenantWith(newerState) });

  it("fails naming the setting, and writes nothing", async () => {
    const dir = tempDir();
    const out = path.join(dir, "out");
    try {
      const run = await runExport(["--out", out], appEnv(emulator, "reader"));
      expect(run.code).to.equal(1);
      expect(run.stderr).to.include("cannot declare");
      expect(run.stderr).to.include('RegistrationCampaign: state: "enforced" is not a valid');
      expect(fs.existsSync(out)).to.equal(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("entra-nudge export after Microsoft's move to passkeys (POST /_emulator/microsoft-migration)", function () {
  this.timeout(60_000);
  const emulator = useEmulator({
    tenant: tenantWith({ description: "the default tenant", campaign: null, authenticator: null }),
  });

  it("declares the PasskeyPolicy: its profiles by name, the targets' profiles by name, and the Microsoft managed campaign", async () => {
    expect(emulator.microsoftMigration().migrated).to.equal(true);
    const dir = tempDir();
    const out = path.join(dir, "out");
    try {
      const run = await runExport(["--out", out], appEnv(emulator, "reader"));
      expect(run.code, run.stderr).to.equal(0);
      const program = read(out, "program.ts");
      expect(program).to.include('new nudge.PasskeyPolicy("passkey", {');
      // The profile the migration added, and the default one made from the legacy settings.
      expect(program).to.include(
        '{ name: "Passkeys by default", passkeyTypes: ["deviceBound", "synced"], attestationEnforcement: "disabled" },',
      );
      expect(program).to.include(
        '{ name: "Default passkey profile", passkeyTypes: ["deviceBound"], attestationEnforcement: "registrationOnly" },',
      );
      // The SMS users' target (all users) may register passkeys of the migration's profile, named.
      expect(program).to.include(
        '{ id: "all_users", targetType: "group", isRegistrationRequired: false, allowedPasskeyProfiles: ["Passkeys by default"] },',
      );
      // No profile id: the program names profiles, the provider resolves them.
      expect(program).not.to.match(/allowedPasskeyProfiles: \[[^\]]*"[0-9a-f]{8}-/);
      expect(program).to.match(/const campaign = [^]*state: "default",/);
      compileProject(out);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("export: the passkey declaration (pure)", () => {
  const PROFILE = "6a0bd7e2-38b8-4ab5-8c8f-7ae5a8f3d0a1";
  const AAGUID = "DE1E552D-DB1D-4423-A619-566B625CDC84";
  const settings = passkeyFromGraph({
    state: "enabled",
    isSelfServiceRegistrationAllowed: false,
    isAttestationEnforced: true,
    defaultPasskeyProfile: "00000000-0000-0000-0000-000000000001",
    passkeyProfiles: [
      {
        id: "00000000-0000-0000-0000-000000000001",
        name: "Default passkey profile",
        passkeyTypes: "deviceBound,synced",
        attestationEnforcement: "disabled",
        keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [] },
      },
      {
        id: PROFILE.toUpperCase(),
        name: "Admins",
        passkeyTypes: "deviceBound",
        attestationEnforcement: "registrationOnly",
        keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [AAGUID] },
      },
    ],
    includeTargets: [
      {
        id: PILOT_GROUP,
        targetType: "group",
        isRegistrationRequired: true,
        allowedPasskeyProfiles: [PROFILE, "00000000-0000-0000-0000-000000000001"],
      },
    ],
    excludeTargets: [{ id: PILOT_USER, targetType: "user" }],
  });

  it("names profiles instead of ids, declares only enforced key restrictions, never the deprecated top-level settings", () => {
    expect(passkeyDeclaration(settings)).to.deep.equal({
      state: "enabled",
      isSelfServiceRegistrationAllowed: false,
      passkeyProfiles: [
        {
          name: "Admins",
          passkeyTypes: ["deviceBound"],
          attestationEnforcement: "registrationOnly",
          keyRestrictions: { enforcementType: "allow", aaGuids: [AAGUID.toLowerCase()] },
        },
        {
          name: "Default passkey profile",
          passkeyTypes: ["deviceBound", "synced"],
          attestationEnforcement: "disabled",
        },
      ],
      includeTargets: [
        {
          id: PILOT_GROUP,
          targetType: "group",
          isRegistrationRequired: true,
          allowedPasskeyProfiles: ["Admins", "Default passkey profile"],
        },
      ],
      excludeTargets: [{ id: PILOT_USER, targetType: "user" }],
      onDelete: "retain",
    });
  });

  it("refuses a tenant whose passkey configuration no program can declare, naming PasskeyPolicy", () => {
    const attestedSynced = passkeyFromGraph({
      state: "enabled",
      passkeyProfiles: [
        {
          id: PROFILE,
          name: "Odd",
          passkeyTypes: "deviceBound,synced",
          attestationEnforcement: "registrationOnly",
        },
      ],
      includeTargets: [{ id: "all_users", targetType: "group", allowedPasskeyProfiles: [PROFILE] }],
    });
    const campaign = {
      state: "disabled",
      snoozeDurationInDays: 1,
      includeTargets: [],
      excludeTargets: [],
    };
    const authenticator = {
      state: "disabled",
      includeTargets: [],
      excludeTargets: [],
      featureSettings: {},
    };
    expect(() => declarationOf(campaign as never, authenticator as never, attestedSynced)).to.throw(
      UndeclarableSettingsError,
      /PasskeyPolicy: passkeyProfiles\[0\]\.attestationEnforcement/,
    );
  });
});
