// The method-loss check of the AuthenticatorPolicy and PasskeyPolicy providers against the
// emulator's default tenant (emulator/tenants/default.json): 8 of its 28 enabled users have
// Authenticator push registered, all 8 as their default MFA method, and one (JoniS) has no other
// MFA method; the two break-glass accounts' only method is a FIDO2 security key. check() (what
// every preview and `up` run first) refuses a change that takes a method away unless
// allowMethodLoss is true, reads only the users who hold the method, writes nothing, and says so
// when it cannot read the report.
import { expect } from "chai";
import { useEmulator } from "../support/emulator";
import { provider, setConfig, setWarningSink } from "../../provider/resources/providers";

type Props = Record<string, unknown>;
/** "Finance": 4 members, none with Authenticator registered. */
const FINANCE_GROUP = "cfb1e018-a781-5ff9-82c8-4ba8abe91a97";
const BREAK_GLASS_GROUP = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c";
const NARROWED = {
  state: "enabled",
  includeTargets: [{ id: FINANCE_GROUP, targetType: "group", authenticationMode: "any" }],
};

describe("method loss: the providers' check against the emulator", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ resetEachTest: true });
  let warnings: string[];

  function configure(app = "writer", extra: Record<string, string> = {}) {
    setConfig(() => undefined, {
      ...emulator.env(app),
      ENTRA_NUDGE_RETRY_DELAY_SECONDS: "0",
      ENTRA_NUDGE_MAX_RETRIES: "0",
      ...extra,
    });
  }
  beforeEach(() => {
    configure();
    warnings = [];
    setWarningSink((message) => warnings.push(message));
  });
  after(() => setWarningSink(undefined));

  const check = (kind: "AuthenticatorPolicy" | "PasskeyPolicy", news: Props, olds: Props = {}) =>
    provider(kind).check!(olds, news);

  function requests() {
    return emulator.requests().filter((r) => /^\/(v1\.0|beta)\//.test(r.path));
  }

  it("refuses narrowing Authenticator from all users to a group none of them is in: 8 lose it, 8 by default, 1 with no other MFA method", async () => {
    const result = await check("AuthenticatorPolicy", NARROWED);
    expect(result.failures).to.have.length(1);
    const [failure] = result.failures!;
    expect(failure.property).to.equal("allowMethodLoss");
    expect(failure.reason).to.match(
      /^This change takes a sign-in method away\. 8 users who have Microsoft Authenticator registered/,
    );
    expect(failure.reason).to.contain("8 use it as their default MFA method");
    expect(failure.reason).to.contain("1 has no other MFA method registered");
    // The user with no other method is named first.
    expect(failure.reason).to.match(
      /complete MFA\. JoniS@contoso\.onmicrosoft\.com \(no other MFA method, default MFA method\), /,
    );
    expect(failure.reason).to.contain("and 3 more");
    expect(failure.reason).to.contain("allowMethodLoss: true");
    // Only the holders were read (the documented filter), and nothing was written.
    const reports = requests()
      .filter((r) => r.path.endsWith("/userRegistrationDetails"))
      .map((r) => new URLSearchParams(r.query ?? "").get("$filter"));
    expect(reports).to.have.members([
      "methodsRegistered/any(m:m eq 'microsoftAuthenticatorPush')",
      "methodsRegistered/any(m:m eq 'microsoftAuthenticatorPasswordless')",
    ]);
    expect(
      requests().filter((r) => r.method !== "GET" && !r.path.endsWith("/$batch")),
    ).to.deep.equal([]);
  });

  it("lets the change go on with allowMethodLoss: true, still saying who loses it", async () => {
    const result = await check("AuthenticatorPolicy", { ...NARROWED, allowMethodLoss: true });
    expect(result.failures ?? []).to.deep.equal([]);
    expect((result.inputs as Props).allowMethodLoss).to.equal(true);
    expect(warnings.join("\n")).to.match(
      /allowMethodLoss is true, so this change goes on: 8 users .* 1 has no other MFA method/,
    );
  });

  it("reads nothing from the report when the declaration keeps everyone (all users, mode any)", async () => {
    const result = await check("AuthenticatorPolicy", { state: "enabled" });
    expect(result.failures ?? []).to.deep.equal([]);
    expect(requests().filter((r) => r.path.includes("userRegistrationDetails"))).to.deep.equal([]);
  });

  it("passwordless only (deviceBasedPush) takes push from the push users", async () => {
    const result = await check("AuthenticatorPolicy", {
      state: "enabled",
      includeTargets: [
        { id: "all_users", targetType: "group", authenticationMode: "deviceBasedPush" },
      ],
    });
    expect(result.failures?.[0].reason).to.match(
      /8 users who have Microsoft Authenticator registered/,
    );
  });

  it("an update that changes nothing reads nothing", async () => {
    const olds = (await check("AuthenticatorPolicy", { ...NARROWED, allowMethodLoss: true }))
      .inputs as Props;
    emulator.clearRequests();
    const result = await check("AuthenticatorPolicy", NARROWED, olds);
    expect(result.failures ?? []).to.deep.equal([]);
    expect(requests()).to.deep.equal([]);
  });

  it("says it could not check when the report cannot be read (no AuditLog.Read.All)", async () => {
    emulator.injectFault({ status: 403, count: 10, pathPrefix: "/v1.0/reports" });
    const result = await check("AuthenticatorPolicy", NARROWED);
    expect(result.failures ?? []).to.deep.equal([]);
    expect(warnings.join("\n")).to.match(/could not check who would lose Microsoft Authenticator/);
  });

  it("passkeys: excluding the break-glass group fails even with allowMethodLoss, unless allowMethodLossFor names them", async () => {
    configure("writer", { ENTRA_NUDGE_BREAK_GLASS_GROUPS: BREAK_GLASS_GROUP });
    const declared = {
      state: "enabled",
      includeTargets: [{ id: "all_users", targetType: "group" }],
      excludeTargets: [{ id: BREAK_GLASS_GROUP, targetType: "group" }],
    };
    const refused = await check("PasskeyPolicy", declared);
    expect(refused.failures?.map((f) => f.property)).to.deep.equal([
      "allowMethodLoss",
      "allowMethodLossFor",
    ]);
    expect(refused.failures?.[0].reason).to.match(
      /2 users who have their passkey \(FIDO2\) registered .*2 break-glass accounts among them\. breakglass01@contoso\.onmicrosoft\.com \(break-glass, no other MFA method\), breakglass02/,
    );
    const stillRefused = await check("PasskeyPolicy", { ...declared, allowMethodLoss: true });
    expect(stillRefused.failures?.map((f) => f.property)).to.deep.equal(["allowMethodLossFor"]);
    expect(stillRefused.failures?.[0].reason).to.match(
      /2 break-glass accounts .* would be left with no MFA method: breakglass01@contoso\.onmicrosoft\.com/,
    );
    const accepted = await check("PasskeyPolicy", {
      ...declared,
      allowMethodLoss: true,
      allowMethodLossFor: [
        "BreakGlass01@contoso.onmicrosoft.com",
        "breakglass02@contoso.onmicrosoft.com",
      ],
    });
    expect(accepted.failures ?? []).to.deep.equal([]);
  });

  it("refuses a malformed allowMethodLossFor with the fix", async () => {
    const result = await check("AuthenticatorPolicy", {
      state: "enabled",
      allowMethodLossFor: ["nobody"],
    });
    expect(result.failures?.[0].reason).to.contain("allowMethodLossFor");
    expect(result.failures?.[0].reason).to.match(
      /neither an object id \(GUID\) nor a user principal name/,
    );
  });
});
