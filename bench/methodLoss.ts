// Part `methodloss`: the method-loss check of a narrowing preview on a 100,000-user emulator tenant
// with Graph's throttling on: the AuthenticatorPolicy provider's check() (what `pulumi preview` and
// `up` run) for a declaration that narrows Authenticator from all users to one pilot group. It
// reads the configuration in force, the registration report's rows of the users who hold
// Authenticator only (one filtered query per registration value), and the pilot's members; its
// floor is those report pages through the reports limit, against the full scan's (every user's
// row) that `impact` pays.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeTenant } from "../emulator/generate";
import { startEmulator } from "../emulator/index";
import type { TenantFile } from "../emulator/tenants/format";
import { provider, setConfig, setWarningSink } from "pulumi-entra-nudge/internal/providers";
import { countCalls, log } from "./common";
import { minimumPacedMs, reportPages, scanMinimum } from "./minimums";
import { REPORT_PATH } from "./scans";

export interface MethodLossResult {
  users: number;
  /** Enabled users with Authenticator push or passwordless registered (the report's holders). */
  holders: number;
  /** Users the check found losing Authenticator. */
  losing: number;
  wallMs: number;
  requests: number;
  reportRequests: number;
  /** The report pages of the holders' two filtered queries at 999 rows. */
  minimumReportRequests: number;
  /** Those pages through the reports limit (5 / 10 s), first to last arrival. */
  minimumMs: number;
  /** A full scan of every user's row (what `impact` reads) through the same limit. */
  fullScanMinimumMs: number;
  fullScanReportRequests: number;
  throttled: number;
  /** Peak resident set size of the bench process (emulator included), MB. */
  peakRssMb: number;
}

const PUSH = "microsoftAuthenticatorPush";
const PASSWORDLESS = "microsoftAuthenticatorPasswordless";

export async function measureMethodLoss(users = 100_000): Promise<MethodLossResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-bench-loss-"));
  const file = path.join(dir, `tenant-${users}.json`);
  writeTenant({ users, seed: 1 }, file);
  const tenant = JSON.parse(fs.readFileSync(file, "utf8")) as TenantFile;
  const enabled = tenant.users.filter((u) => u.accountEnabled);
  const count = (method: string) =>
    enabled.filter((u) => (u.methods ?? []).includes(method)).length;
  const holders = enabled.filter((u) =>
    (u.methods ?? []).some((m) => m === PUSH || m === PASSWORDLESS),
  ).length;
  const pilot = tenant.groups.find((g) => g.displayName === "Pilot - Authenticator wave 2");
  if (!pilot) throw new Error('The generated tenant has no group "Pilot - Authenticator wave 2".');
  const minimumReportRequests = reportPages(count(PUSH)) + reportPages(count(PASSWORDLESS));
  const fullScan = scanMinimum(enabled.length);
  // Graph's documented limits (emulator/throttle.ts defaults): reports 5 / 10 s.
  const emulator = await startEmulator({ tenant: file, throttling: true });
  try {
    setConfig(() => undefined, {
      ...process.env,
      ...emulator.env("writer"),
      ENTRA_NUDGE_REPORT_RATE_LIMIT: "5/10",
    });
    setWarningSink(() => undefined);
    emulator.reset();
    const started = process.hrtime.bigint();
    const result = await provider("AuthenticatorPolicy").check!(
      {},
      {
        state: "enabled",
        includeTargets: [{ id: pilot.id, targetType: "group", authenticationMode: "any" }],
      },
    );
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const reason = result.failures?.[0]?.reason ?? "";
    const losing = Number(/(\d[\d,]*) users? who ha/.exec(reason)?.[1]?.replace(/,/g, "") ?? 0);
    if (losing === 0) throw new Error(`The narrowing check found no loss: ${reason}`);
    const entries = emulator.requests();
    const calls = countCalls(entries);
    const outcome: MethodLossResult = {
      users,
      holders,
      losing,
      wallMs,
      requests: calls.reads + calls.writes,
      reportRequests: entries.filter((e) => REPORT_PATH.test(e.path) && !e.batchId).length,
      minimumReportRequests,
      minimumMs: minimumPacedMs(minimumReportRequests, 5, 10_000),
      fullScanMinimumMs: fullScan.minimumMs,
      fullScanReportRequests: fullScan.reportRequests,
      throttled: calls.throttled,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
    log(
      `method-loss check, ${users} users: ${Math.round(wallMs)} ms, ${outcome.requests} requests ` +
        `(${outcome.reportRequests} reports, floor ${minimumReportRequests}), ${losing} of ${holders} holders lose it, ` +
        `${outcome.throttled} throttled`,
    );
    return outcome;
  } finally {
    setWarningSink(undefined);
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
