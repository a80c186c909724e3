// The registration report through the handlers (graph-contract.md §5, §10 item 14).
import { expect } from "chai";
import {
  GUEST_UPN,
  PILOT_USER,
  call,
  expectGraphError,
  get,
  getAll,
  testApi,
  userId,
  type TestApi,
} from "./graph-harness";

type Json = Record<string, unknown>;
const REPORT = "/reports/authenticationMethods/userRegistrationDetails";

async function row(api: TestApi, upn: string, version: "v1.0" | "beta" = "v1.0"): Promise<Json> {
  const body = await get(
    api,
    `${REPORT}?$filter=${encodeURIComponent(`userPrincipalName eq '${upn.replace(/'/g, "''")}'`)}`,
    { version },
  );
  const rows = body.value as Json[];
  expect(rows, upn).to.have.length(1);
  return rows[0];
}

describe("graph handlers: userRegistrationDetails (§5)", () => {
  let api: TestApi;
  beforeEach(() => {
    api = testApi();
  });

  it("derives the pilot test user's row from a phone number only (the seed scenario)", async () => {
    const r = await row(api, PILOT_USER);
    expect(r).to.deep.include({
      userPrincipalName: PILOT_USER,
      userDisplayName: "Pilot Test User",
      isAdmin: false,
      isMfaRegistered: true,
      isMfaCapable: true,
      isPasswordlessCapable: false,
      isSsprRegistered: true,
      isSsprEnabled: true,
      isSsprCapable: true,
      isSystemPreferredAuthenticationMethodEnabled: true,
      userPreferredMethodForSecondaryAuthentication: "sms",
      userType: "member",
    });
    expect(r.methodsRegistered).to.deep.equal(["mobilePhone"]);
    expect(r.systemPreferredAuthenticationMethods).to.deep.equal(["sms"]);
    expect(Object.keys(r)).to.deep.equal([
      "id",
      "userPrincipalName",
      "userDisplayName",
      "isAdmin",
      "isSsprRegistered",
      "isSsprEnabled",
      "isSsprCapable",
      "isMfaRegistered",
      "isMfaCapable",
      "isPasswordlessCapable",
      "lastUpdatedDateTime",
      "methodsRegistered",
      "isSystemPreferredAuthenticationMethodEnabled",
      "systemPreferredAuthenticationMethods",
      "userPreferredMethodForSecondaryAuthentication",
      "userType",
    ]);
  });

  it("covers Authenticator push, TOTP only, nothing, guests and admins", async () => {
    expect(
      (await row(api, "AlexW@contoso.onmicrosoft.com")).systemPreferredAuthenticationMethods,
    ).to.deep.equal(["push"]);
    const totp = await row(api, "LeeG@contoso.onmicrosoft.com");
    expect(totp.methodsRegistered).to.deep.equal(["softwareOneTimePasscode"]);
    expect(totp.userPreferredMethodForSecondaryAuthentication).to.equal("oath");
    const none = await row(api, "ChristieC@contoso.onmicrosoft.com");
    expect(none).to.deep.include({
      isMfaRegistered: false,
      isMfaCapable: false,
      userPreferredMethodForSecondaryAuthentication: "",
    });
    expect(none.systemPreferredAuthenticationMethods).to.deep.equal([]);
    expect((await row(api, GUEST_UPN)).userType).to.equal("guest");
    expect((await row(api, "AdeleV@contoso.onmicrosoft.com")).isAdmin).to.equal(true);
  });

  it("applies the policy's targets: FIDO2 is enabled for the emergency-access group only", async () => {
    expect((await row(api, "breakglass01@contoso.onmicrosoft.com")).isPasswordlessCapable).to.equal(
      true,
    );
    expect((await row(api, "AdeleV@contoso.onmicrosoft.com")).isPasswordlessCapable).to.equal(
      false,
    );
  });

  it("counts Authenticator codes only when the policy allows software OATH (§3.3, §5.5)", async () => {
    expect(await row(api, "LeeG@contoso.onmicrosoft.com")).to.deep.include({
      isMfaRegistered: true,
      isMfaCapable: false,
    });
    await call(
      api,
      "PATCH",
      "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/MicrosoftAuthenticator",
      {
        body: {
          "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
          isSoftwareOathEnabled: true,
        },
      },
    );
    const lee = await row(api, "LeeG@contoso.onmicrosoft.com");
    expect(lee).to.deep.include({ isMfaCapable: true });
    expect(lee.systemPreferredAuthenticationMethods).to.deep.equal(["oath"]);
  });

  it("follows policy changes: disabling SMS leaves SMS-only users registered but not capable", async () => {
    await call(
      api,
      "PATCH",
      "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms",
      {
        body: {
          "@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration",
          state: "disabled",
        },
      },
    );
    expect(await row(api, PILOT_USER)).to.deep.include({
      isMfaRegistered: true,
      isMfaCapable: false,
    });
  });

  it("leaves out disabled users, in the list and by id (§5.3)", async () => {
    const { items } = await getAll(api, REPORT);
    expect(items).to.have.length(28);
    expect(items.map((r) => r.userPrincipalName)).not.to.include("DebraB@contoso.onmicrosoft.com");
    const debra = await userId(api, "DebraB@contoso.onmicrosoft.com");
    await expectGraphError(call(api, "GET", `${REPORT}/${debra}`), 404, "Request_ResourceNotFound");
    const pilot = await userId(api, PILOT_USER);
    const one = await get(api, `${REPORT}/${pilot}`);
    expect(one["@odata.context"]).to.match(
      /#reports\/authenticationMethods\/userRegistrationDetails\/\$entity$/,
    );
    await expectGraphError(
      call(api, "GET", `${REPORT}/${pilot}?$filter=isAdmin eq true`),
      400,
      "BadRequest",
    );
  });

  it("filters on the documented subset (§5.4, §10 item 14)", async () => {
    const count = async (filter: string) =>
      ((await get(api, `${REPORT}?$filter=${encodeURIComponent(filter)}`)).value as Json[]).length;
    expect(await count("methodsRegistered/any(m:m eq 'microsoftAuthenticatorPush')")).to.equal(8);
    expect(
      await count("methodsRegistered/any(m:m eq 'mobilePhone') and isMfaCapable eq true"),
    ).to.equal(16);
    expect(await count("userType eq 'guest'")).to.equal(4);
    expect(await count("isAdmin eq true")).to.equal(5);
    expect(await count("startsWith(userDisplayName,'Emergency')")).to.equal(2);
    expect(await count("systemPreferredAuthenticationMethods/any(m:m eq 'sms')")).to.equal(13);
    expect(await count("userPreferredMethodForSecondaryAuthentication eq 'push'")).to.equal(8);
    await expectGraphError(
      call(api, "GET", `${REPORT}?$filter=favouriteColour eq 'red'`),
      400,
      "BadRequest",
      /favouriteColour/,
    );
    await expectGraphError(
      call(api, "GET", `${REPORT}?$filter=defaultMfaMethod eq 'none'`),
      400,
      "BadRequest",
      /defaultMfaMethod/,
    );
    expect(
      (
        (await get(api, `${REPORT}?$filter=defaultMfaMethod eq 'mobilePhone'`, { version: "beta" }))
          .value as Json[]
      ).length,
    ).to.equal(13);
  });

  it("beta adds defaultMfaMethod (§5.4)", async () => {
    expect(await row(api, PILOT_USER)).not.to.have.property("defaultMfaMethod");
    expect((await row(api, PILOT_USER, "beta")).defaultMfaMethod).to.equal("mobilePhone");
    expect((await row(api, "ChristieC@contoso.onmicrosoft.com", "beta")).defaultMfaMethod).to.equal(
      "none",
    );
  });

  it("orders by userPrincipalName and pages at the service's page size (Errata 3)", async () => {
    const small = testApi({ reportPageSize: 6 });
    const { items, pages } = await getAll(small, `${REPORT}?$orderby=userPrincipalName`);
    const upns = items.map((r) => String(r.userPrincipalName));
    expect(upns).to.have.length(28);
    expect(upns).to.deep.equal([...upns].sort((a, b) => a.localeCompare(b)));
    expect(pages).to.equal(5);
    expect((await get(api, REPORT)).value).to.have.length(28);
  });

  it("refuses $top, $select and every option but $filter and $orderby (the list page, read 2026-12-07)", async () => {
    for (const query of ["$top=999", "$top=10", "$select=id,userPrincipalName", "$count=true"]) {
      await expectGraphError(
        call(api, "GET", `${REPORT}?${query}`),
        400,
        "BadRequest",
        /^Query option '(Top|Select|Count)' is not allowed\./,
      );
    }
    const filtered = await get(
      api,
      `${REPORT}?$filter=${encodeURIComponent("isAdmin eq true")}&$orderby=userPrincipalName`,
    );
    expect(filtered.value).to.be.an("array");
  });

  it("needs AuditLog.Read.All (or, higher, UserAuthenticationMethod.Read.All), then a premium licence (§5.2)", async () => {
    await expectGraphError(
      call(api, "GET", REPORT, { as: ["User.Read.All"] }),
      403,
      "Authorization_RequestDenied",
    );
    // The v1.0 page's table, read 2026-12-07, lists UserAuthenticationMethod.Read.All as higher
    // privileged (the contract's copy listed none).
    expect(
      (await call(api, "GET", REPORT, { as: ["UserAuthenticationMethod.Read.All"] })).status,
    ).to.equal(200);
    expect(
      (
        await call(api, "GET", REPORT, {
          version: "beta",
          as: ["UserAuthenticationMethod.Read.All"],
        })
      ).status,
    ).to.equal(200);
    api.configure({ premiumLicense: false });
    await expectGraphError(
      call(api, "GET", REPORT),
      403,
      "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
      "Neither tenant is B2C or tenant doesn't have premium license",
    );
  });

  it("refuses the by-method summary to an app token: the page says application permissions are not supported", async () => {
    const summary =
      "/reports/authenticationMethods/usersRegisteredByMethod(includedUserTypes='all',includedUserRoles='all')";
    for (const app of ["writer", "reader"]) {
      await expectGraphError(
        call(api, "GET", summary, { as: app }),
        403,
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
      );
    }
    await expectGraphError(
      call(api, "GET", summary, { as: { scopes: ["User.Read.All"] } }),
      403,
      "Authorization_RequestDenied",
    );
    expect(
      (await call(api, "GET", summary, { as: { scopes: ["AuditLog.Read.All"] } })).status,
    ).to.equal(200);
  });

  it("summarises by method and by feature (§5.6)", async () => {
    const byMethod = await get(
      api,
      "/reports/authenticationMethods/usersRegisteredByMethod(includedUserTypes='all',includedUserRoles='all')",
      { as: { scopes: ["AuditLog.Read.All"] } },
    );
    expect(byMethod.totalUserCount).to.equal(28);
    const counts = Object.fromEntries(
      (
        byMethod.userRegistrationMethodCounts as {
          authenticationMethod: string;
          userCount: number;
        }[]
      ).map((c) => [c.authenticationMethod, c.userCount]),
    );
    expect(counts).to.include({ password: 28, mobilePhone: 16, microsoftAuthenticatorPush: 8 });
    const guests = await get(
      api,
      "/reports/authenticationMethods/usersRegisteredByMethod(includedUserTypes='guest',includedUserRoles='all')",
      { as: { scopes: ["AuditLog.Read.All"] } },
    );
    expect(guests.totalUserCount).to.equal(4);
    const admins = await get(
      api,
      "/reports/authenticationMethods/usersRegisteredByFeature(includedUserTypes='all',includedUserRoles='privilegedAdmin')",
    );
    expect(admins.totalUserCount).to.equal(4);
    await expectGraphError(
      call(
        api,
        "GET",
        "/reports/authenticationMethods/usersRegisteredByMethod(includedUserTypes='robots')",
        { as: { scopes: ["AuditLog.Read.All"] } },
      ),
      400,
      "BadRequest",
    );
    expect(
      (await get(api, "/reports/authenticationMethods/usersRegisteredByFeature()")).userTypes,
    ).to.equal("all");
  });
});
