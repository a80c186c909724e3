// What `report` reads from the audit log for a passkey campaign (passkeys §5; graph-contract.md
// §6.3): "User registered security info" records are sorted into Authenticator push and passkey
// registrations by their result reason or their AuthenticationMethod detail, the first per user and
// method; "Add Passkey (device-bound)" (another service) and failed or phone registrations are not
// counted. A passkey report makes exactly the requests an Authenticator report makes.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import type { TenantFile } from "../../emulator/tenants/format";
import { readCampaignRegistrations } from "../../provider/report";
import type { ProgressReport } from "../../provider/report";
import { main } from "../../provider/cli";
import {
  applyConfiguration,
  captureIo,
  enablePasskeysForAllUsers,
  graphClient,
} from "../eligibility/support";
import { useEmulator } from "../support/emulator";

const tenant = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, "../../../emulator/tenants/default.json"), "utf8"),
) as TenantFile & { directoryAudits: Record<string, unknown>[] };

const PILOT_USER = "bb1d6c17-7043-5689-a17d-aa610e2a4115";
const LEE = "73bc3780-d180-5f6d-b336-a034f8ccf6a0";
const DIEGO = "ba982ddd-67c2-5267-a415-2005cd3971c8";
const ALEX = "70d439d7-14a5-536a-baa6-f96a29ab922e";
const JONI = "0fd6cdfa-de5d-5dc5-9052-1ef8ddc44044";

let serial = 0;
function record(
  user: string,
  ago: string,
  resultReason: string,
  options: {
    activity?: string;
    service?: string;
    result?: string;
    details?: { key: string; value: string }[];
  } = {},
): Record<string, unknown> {
  serial++;
  return {
    id: `AuthMethods_t14report-${serial}`,
    category: "UserManagement",
    correlationId: `00000000-0000-4000-8000-${String(serial).padStart(12, "0")}`,
    result: options.result ?? "success",
    resultReason,
    activityDisplayName: options.activity ?? "User registered security info",
    activityDateTime: ago,
    loggedByService: options.service ?? "Authentication Methods",
    operationType: "Add",
    initiatedBy: { app: null, user: { id: user, displayName: null, userPrincipalName: null } },
    targetResources: [
      { id: user, displayName: null, type: "User", groupType: null, modifiedProperties: [] },
    ],
    additionalDetails: options.details ?? [],
  };
}

const withRecords = {
  ...tenant,
  directoryAudits: [
    ...tenant.directoryAudits,
    // Observed in a real tenant (2026-08): a passkey registration logs "User registered Passkey"
    // and "User registered Fido2 Authentication Method"; the first dates it.
    record(PILOT_USER, "-P3D", "User registered Fido2 Authentication Method"),
    record(PILOT_USER, "-P2D", "User registered Passkey", {
      details: [{ key: "AuthenticationMethod", value: "Passkey" }],
    }),
    // Only the detail says it is a passkey (passkeys §5).
    record(LEE, "-P4D", "", { details: [{ key: "AuthenticationMethod", value: "Passkey" }] }),
    record(ALEX, "-P5D", "User registered Authenticator App with Notification and Code"),
    // Not counted: another service's activity, a phone method, a failure.
    record(DIEGO, "-P1D", "", {
      activity: "Add Passkey (device-bound)",
      service: "Device Registration Service",
      details: [{ key: "AAGUID", value: "cb69481e-8ff7-4039-93ec-0a2729a154a8" }],
    }),
    record(DIEGO, "-P1D", "User registered Mobile Phone SMS"),
    record(JONI, "-P1D", "User registered Fido", { result: "failure" }),
  ],
};

describe("report: the audit records of passkey registrations", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ tenant: withRecords });

  it("sorts registrations into push and passkey, the first per user and method", async () => {
    emulator.clearRequests();
    const found = await readCampaignRegistrations(
      graphClient(emulator, "reader", { reportRateLimit: null }),
      undefined,
    );
    const mine = new Set([PILOT_USER, LEE, DIEGO, ALEX, JONI]);
    const summary = (list: { userId: string; at: string }[]) =>
      list
        .filter((r) => mine.has(r.userId))
        .map((r) => r.userId)
        .sort();
    expect(summary(found.fido2)).to.deep.equal([LEE, PILOT_USER].sort());
    expect(summary(found.microsoftAuthenticator)).to.deep.equal([ALEX]);
    const pilot = found.fido2.find((r) => r.userId === PILOT_USER);
    const lee = found.fido2.find((r) => r.userId === LEE);
    // -P3D is earlier than -P2D: the first record dates the registration.
    expect(Date.parse(pilot?.at ?? "")).to.be.below(Date.parse(lee?.at ?? "") + 2 * 86_400_000);
    expect(Date.now() - Date.parse(pilot?.at ?? "")).to.be.within(
      3 * 86_400_000 - 60_000,
      3 * 86_400_000 + 60_000,
    );
    // One read of the audit log, by service and activity.
    const audits = emulator.requests().filter((r) => r.path.includes("/auditLogs/directoryAudits"));
    expect(audits).to.have.length(1);
    expect(decodeURIComponent((audits[0].query ?? "").replace(/\+/g, " "))).to.include(
      "activityDisplayName eq 'User registered security info'",
    );
  });

  it("a passkey campaign's report makes the same requests as an Authenticator campaign's", async () => {
    const env = { ...process.env, ...emulator.env("reader"), ENTRA_NUDGE_REPORT_RATE_LIMIT: "off" };
    const report = async (): Promise<{ report: ProgressReport; paths: string[] }> => {
      emulator.clearRequests();
      const out = captureIo(env);
      expect(await main(["report", "--json"], out.io), out.stderr()).to.equal(0);
      return {
        report: JSON.parse(out.stdout()) as ProgressReport,
        paths: emulator
          .requests()
          .filter((r) => r.path.startsWith("/v1.0/") || r.path.startsWith("/beta/"))
          .map((r) => `${r.method} ${r.path}`)
          .sort(),
      };
    };
    await enablePasskeysForAllUsers(emulator);
    await applyConfiguration(emulator, { campaign: { state: "enabled" } });
    const authenticator = await report();
    await applyConfiguration(emulator, {
      campaign: { state: "enabled", targetedAuthenticationMethod: "fido2" },
    });
    const passkey = await report();
    expect(authenticator.report.countedMethods).to.deep.equal(["microsoftAuthenticator"]);
    expect(passkey.report.countedMethods).to.deep.equal(["fido2"]);
    expect(passkey.paths).to.deep.equal(authenticator.paths);
    expect(passkey.report.scan.reportRequests).to.equal(authenticator.report.scan.reportRequests);
  });
});
