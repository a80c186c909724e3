// Tenant files: the loader's checks and messages, and the synthetic tenant generator.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { generateTenant, writeTenant } from "../../emulator/generate";
import { DEFAULT_TENANT_FILE } from "../../emulator/graph";
import { TenantFileError, loadTenant } from "../../emulator/graph/tenant";
import { get, getAll, testApi } from "./graph-harness";

type Json = Record<string, unknown>;
const seed = (): Json => JSON.parse(readFileSync(DEFAULT_TENANT_FILE, "utf8"));

function problemsOf(tenant: unknown): string[] {
  try {
    loadTenant(tenant as object);
  } catch (e) {
    expect(e).to.be.instanceOf(TenantFileError);
    return (e as TenantFileError).problems;
  }
  return [];
}

describe("tenant files: loading", () => {
  it("loads the seed tenant: the writer and reader apps, users, groups, policy", () => {
    const tenant = loadTenant(DEFAULT_TENANT_FILE);
    expect(tenant.apps.map((a) => a.name)).to.deep.equal(["writer", "reader"]);
    expect(tenant.users.length).to.be.within(20, 40);
    expect(
      tenant.authenticationMethodsPolicy.registrationEnforcement
        .authenticationMethodsRegistrationCampaign.state,
    ).to.equal("default");
  });

  it("resolves relative times against the load time", () => {
    const loadMs = Date.parse("2026-11-29T12:00:00Z");
    const tenant = loadTenant(DEFAULT_TENANT_FILE, loadMs);
    expect(tenant.reportRefreshedDateTime).to.match(/^2026-11-29T09:00:00\.000\d{4}Z$/);
    expect(tenant.users[0].createdDateTime).to.equal("2021-06-01T08:00:00Z");
  });

  it("lists every problem with its path and what to do", () => {
    const t = seed() as {
      users: Json[];
      groups: Json[];
      apps: Json[];
      directoryAudits: Json[];
      tenantId: string;
    };
    t.tenantId = "contoso";
    t.users[0].userType = "member";
    t.users[1].methods = ["sms"];
    t.users[2].userPrincipalName = t.users[3].userPrincipalName;
    t.groups[0].members = ["4f4ad0b5-59d5-4b4b-9d5b-000000000000"];
    t.apps[0].clientSecret = "s3cret";
    t.directoryAudits[0].activityDateTime = "2999-01-01T00:00:00Z";
    const problems = problemsOf(t);
    expect(problems).to.include.members([
      "tenant.tenantId: 'contoso' is not a GUID",
      'users[0].userType: expected "Member" or "Guest" (capitalised, §4.7), found "member"',
      "groups[0].members: 4f4ad0b5-59d5-4b4b-9d5b-000000000000 is neither a user nor a group of this file",
      "apps[0].clientSecret: remove it: the emulator generates secrets at start",
      "directoryAudits[0].activityDateTime: '2999-01-01T00:00:00Z' is in the future",
    ]);
    expect(problems.some((p) => p.startsWith("users[1].methods: unknown method 'sms'"))).to.equal(
      true,
    );
    expect(
      problems.some((p) => p.startsWith("users[3].userPrincipalName: duplicate UPN")),
    ).to.equal(true);
  });

  it("checks the policy and configurations with the rules a PATCH must pass", () => {
    const t = seed() as {
      authenticationMethodsPolicy: Json;
      authenticationMethodConfigurations: Json[];
    };
    const campaign = (t.authenticationMethodsPolicy.registrationEnforcement as Json)
      .authenticationMethodsRegistrationCampaign as Json;
    campaign.snoozeDurationInDays = 30;
    t.authenticationMethodConfigurations = t.authenticationMethodConfigurations.filter(
      (c) => c.id !== "MicrosoftAuthenticator",
    );
    const problems = problemsOf(t);
    expect(
      problems.some((p) =>
        /authenticationMethodsPolicy: .*snoozeDurationInDays.*outside the range 0\.\.14/.test(p),
      ),
    ).to.equal(true);
    expect(problems).to.include(
      "authenticationMethodConfigurations: the MicrosoftAuthenticator configuration is required (§3)",
    );
  });

  it("explains unreadable files", () => {
    expect(() => loadTenant("/nonexistent/tenant.json")).to.throw(
      TenantFileError,
      /tenant\.json is invalid.*cannot be read/s,
    );
  });
});

describe("tenant files: the synthetic generator", () => {
  it("is deterministic: same seed, same tenant; another seed, another tenant", () => {
    const a = generateTenant({ users: 500, seed: 7 });
    const b = generateTenant({ users: 500, seed: 7 });
    const c = generateTenant({ users: 500, seed: 8 });
    expect(JSON.stringify(a)).to.equal(JSON.stringify(b));
    expect(a.users[10].id).not.to.equal(c.users[10].id);
  });

  it("writes the same data it builds, and the CLI writes identical files", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "entra-tenant-"));
    try {
      const file = path.join(dir, "t.json");
      const written = writeTenant({ users: 300, seed: 3 }, file);
      expect(written.users).to.equal(300);
      expect(JSON.parse(readFileSync(file, "utf8"))).to.deep.equal(
        JSON.parse(JSON.stringify(generateTenant({ users: 300, seed: 3 }))),
      );
      const cli = path.resolve(__dirname, "../../emulator/generate.js");
      const out = path.join(dir, "cli.json");
      const run = spawnSync(
        process.execPath,
        [cli, "--users", "300", "--seed", "3", "--out", out],
        { encoding: "utf8" },
      );
      expect(run.status, run.stderr).to.equal(0);
      expect(JSON.parse(run.stdout)).to.include({ users: 300, out });
      expect(readFileSync(out, "utf8")).to.equal(readFileSync(file, "utf8"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("mixes guests, disabled users, registration states, nesting and group sizes", () => {
    const t = generateTenant({ users: 5000, seed: 1 });
    const guests = t.users.filter((u) => u.userType === "Guest").length;
    expect(guests / 5000).to.be.within(0.05, 0.11);
    expect(t.users.some((u) => !u.accountEnabled)).to.equal(true);
    const smsOnly = t.users.filter((u) => JSON.stringify(u.methods) === '["mobilePhone"]').length;
    const push = t.users.filter((u) => u.methods?.includes("microsoftAuthenticatorPush")).length;
    expect(smsOnly / 5000).to.be.within(0.25, 0.35);
    expect(push / 5000).to.be.within(0.28, 0.4);
    const groupIds = new Set(t.groups.map((g) => g.id));
    expect(t.groups.some((g) => (g.members ?? []).some((m) => groupIds.has(m)))).to.equal(true);
    const sizes = t.groups.map((g) => (g.members ?? []).length);
    expect(Math.max(...sizes)).to.be.greaterThan(4000);
    expect(Math.min(...sizes)).to.be.lessThan(20);
  });

  it("holds the users the SMS/voice retirement is about: phone-only (SMS and voice), TOTP-only, Authenticator, passkey, guests", () => {
    const t = generateTenant({ users: 10_000, seed: 1 });
    const share = (test: (u: (typeof t.users)[number]) => boolean) =>
      t.users.filter(test).length / t.users.length;
    const only =
      (...methods: string[]) =>
      (u: (typeof t.users)[number]) =>
        JSON.stringify(u.methods ?? []) === JSON.stringify(methods);
    expect(share((u) => only("mobilePhone")(u) && u.preferredMethod === undefined)).to.be.within(
      0.18,
      0.26,
    );
    expect(
      share((u) => only("mobilePhone")(u) && u.preferredMethod === "voiceMobile"),
    ).to.be.within(0.02, 0.06);
    expect(share(only("officePhone"))).to.be.within(0.01, 0.03);
    expect(share(only("softwareOneTimePasscode"))).to.be.within(0.04, 0.08);
    expect(share((u) => (u.methods ?? []).includes("microsoftAuthenticatorPush"))).to.be.within(
      0.28,
      0.4,
    );
    const passkey = (u: (typeof t.users)[number]) =>
      (u.methods ?? []).some((m) => /^passKey/.test(m) || m === "fido2SecurityKey");
    expect(share(passkey)).to.be.within(0.05, 0.1);
    for (const kind of [
      "passKeySynced",
      "passKeyDeviceBoundAuthenticator",
      "passKeyDeviceBoundWindowsHello",
    ])
      expect(
        share((u) => (u.methods ?? []).includes(kind)),
        kind,
      ).to.be.greaterThan(0.005);
    expect(share((u) => u.userType === "Guest" && only("mobilePhone")(u))).to.be.greaterThan(0.01);
    // Voice users can use voice: the Voice method is enabled for everyone, office phones included.
    const voice = t.authenticationMethodConfigurations.find((c) => c.id === "Voice");
    expect(voice).to.include({ state: "enabled", isOfficePhoneAllowed: true });
  });

  it("generates a 10,000-user tenant the emulator loads and pages through", async () => {
    const api = testApi({}, generateTenant({ users: 10_000, seed: 1 }));
    const { items, pages } = await getAll(api, "/users?$top=999&$select=id");
    expect(items).to.have.length(10_000);
    expect(pages).to.equal(11);
    const licensed = (await get(api, "/groups?$filter=mailNickname eq 'licensed-users'&$select=id"))
      .value as Json[];
    const members = await getAll(api, `/groups/${licensed[0].id}/members?$top=999&$select=id`);
    expect(new Set(members.items.map((m) => m.id)).size).to.equal(members.items.length);
    const report = await getAll(
      api,
      "/reports/authenticationMethods/userRegistrationDetails?$filter=isMfaRegistered eq false",
    );
    expect(report.items.length).to.be.within(1500, 2500);
  });
});
