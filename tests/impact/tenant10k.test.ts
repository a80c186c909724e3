// `impact` and `report` against an emulator tenant of 10,000 users (emulator/generate.ts, seed 1):
// their numbers must match an independent count made here, from the fixture's data with plain
// code (group membership walked by hand, the rules written out per configuration; nothing from
// the eligibility model), for seven impact configurations and five campaign runs. The emulator
// throttles the reports family (5 requests per 0.5 s here, Graph's 5 per 10 s compressed to keep
// the suite fast) and the client is paced to the same limit: no request may be throttled.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { generateTenant } from "../../emulator/generate";
import type { SimulationResult } from "../../emulator/index.js";
import type { TenantFile, TenantUser } from "../../emulator/tenants/format";
import { main } from "../../provider/cli";
import { scanTenant, type TenantScan } from "../../provider/eligibility/scan";
import { declarationFromProposalFile as declarationFromFile } from "../../provider/declaration";
import { computeImpact, declaredConfiguration, declaredSingletons } from "../../provider/impact";
import { analyzeProgress, type ProgressReport } from "../../provider/report";
import type { AuthenticatorPolicyArgs, RegistrationCampaignArgs } from "../../provider/model";
import { useEmulator } from "../support/emulator";
import { applyConfiguration, captureIo, graphClient } from "../eligibility/support";

const PACE = { requests: 5, windowMs: 500 };
const DAY = 24 * 60 * 60 * 1000;

const tenant: TenantFile = generateTenant({ users: 10_000, seed: 1 });

// ---- The independent count: the fixture's data, plain code -----------------------------------

const groupByName = new Map(tenant.groups.map((g) => [g.displayName, g]));
const groupIds = new Set(tenant.groups.map((g) => g.id));
function groupId(name: string): string {
  const group = groupByName.get(name);
  if (!group) throw new Error(`the fixture has no group ${name}`);
  return group.id;
}
/** Users in a group, walking nested groups by hand. */
function usersIn(name: string): Set<string> {
  const found = new Set<string>();
  const seen = new Set<string>();
  const queue = [groupId(name)];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    const group = tenant.groups.find((g) => g.id === id);
    for (const member of group?.members ?? []) {
      if (groupIds.has(member)) queue.push(member);
      else found.add(member);
    }
  }
  return found;
}
const reported = tenant.users.filter((u) => u.accountEnabled); // the report lists enabled users only
const methods = (u: TenantUser) => u.methods ?? [];
const hasPush = (u: TenantUser) => methods(u).includes("microsoftAuthenticatorPush");
const hasSecondFactor = (u: TenantUser) => methods(u).some((m) => m !== "email");
const hasPhone = (u: TenantUser) =>
  methods(u).some((m) => ["mobilePhone", "alternateMobilePhone", "officePhone"].includes(m));
const isGuest = (u: TenantUser) => u.userType === "Guest";
const ids = (users: TenantUser[]) => new Set(users.map((u) => u.id));

const emergency = usersIn("Emergency Access Accounts");
const wave2 = usersIn("Pilot - Authenticator wave 2");
const wave3 = usersIn("Pilot - Authenticator wave 3");
const allStaff = usersIn("All Staff");
const engineering = usersIn("Engineering");
const licensed = usersIn("Licensed Users");
const partners = usersIn("External Partners");
const smsMember = reported.find(
  (u) => !isGuest(u) && methods(u).join() === "mobilePhone" && !partners.has(u.id),
) as TenantUser;
const smsGuest = reported.find(
  (u) => isGuest(u) && methods(u).join() === "mobilePhone",
) as TenantUser;

interface ImpactCase {
  name: string;
  campaign: RegistrationCampaignArgs;
  authenticator: AuthenticatorPolicyArgs;
  breakGlassGroups?: string[];
  /** Who this configuration nudges, counted here. */
  nudged: (u: TenantUser) => boolean;
  /** Some reasons' counts, counted here. */
  reasons?: Record<string, (u: TenantUser) => boolean>;
  breakGlassNudged?: number;
}

const group = (name: string) => ({ id: groupId(name), targetType: "group" as const });
const breakGlassExcluded = [group("Emergency Access Accounts")];

const IMPACT_CASES: ImpactCase[] = [
  {
    name: "the seed scenario at scale: pilot wave 2, Authenticator for the pilot",
    campaign: {
      state: "enabled",
      snoozeDurationInDays: 0,
      includeTargets: [group("Pilot - Authenticator wave 2")],
      excludeTargets: breakGlassExcluded,
    },
    authenticator: {
      state: "enabled",
      includeTargets: [{ ...group("Pilot - Authenticator wave 2"), authenticationMode: "any" }],
    },
    nudged: (u) => wave2.has(u.id) && !hasPush(u) && hasSecondFactor(u),
    reasons: { notIncluded: (u) => !wave2.has(u.id) },
  },
  {
    name: "everyone, guests included, Authenticator in push mode; the break-glass accounts are nudged",
    campaign: { state: "enabled" },
    authenticator: {
      state: "enabled",
      includeTargets: [{ id: "all_users", targetType: "group", authenticationMode: "push" }],
    },
    breakGlassGroups: [groupId("Emergency Access Accounts")],
    nudged: (u) => !hasPush(u) && hasSecondFactor(u),
    reasons: {
      alreadyRegistered: (u) => hasPush(u),
      notMfaRegistered: (u) => !hasPush(u) && !hasSecondFactor(u),
    },
    breakGlassNudged: 2,
  },
  {
    name: "nested groups: All Staff (departments, nested teams), Engineering excluded",
    campaign: {
      state: "enabled",
      includeTargets: [group("All Staff")],
      excludeTargets: [group("Engineering")],
    },
    authenticator: { state: "enabled" },
    nudged: (u) =>
      allStaff.has(u.id) && !engineering.has(u.id) && !hasPush(u) && hasSecondFactor(u),
    reasons: { excluded: (u) => allStaff.has(u.id) && engineering.has(u.id) },
  },
  {
    name: "Authenticator only in Passwordless mode: nobody",
    campaign: { state: "enabled" },
    authenticator: {
      state: "enabled",
      includeTargets: [
        { id: "all_users", targetType: "group", authenticationMode: "deviceBasedPush" },
      ],
    },
    nudged: () => false,
    reasons: { passwordlessOnly: () => true },
  },
  {
    name: "Authenticator for licensed users only, campaign for everyone but break-glass",
    campaign: { state: "enabled", excludeTargets: breakGlassExcluded },
    authenticator: { state: "enabled", includeTargets: [group("Licensed Users")] },
    nudged: (u) => licensed.has(u.id) && !emergency.has(u.id) && !hasPush(u) && hasSecondFactor(u),
    reasons: {
      notEnabledForAuthenticator: (u) => !emergency.has(u.id) && !licensed.has(u.id),
      excluded: (u) => emergency.has(u.id),
    },
  },
  {
    name: "user targets: the partners' group plus one member, one guest excluded by id",
    campaign: {
      state: "enabled",
      includeTargets: [group("External Partners"), { id: smsMember.id, targetType: "user" }],
      excludeTargets: [{ id: smsGuest.id, targetType: "user" }],
    },
    authenticator: { state: "enabled" },
    nudged: (u) =>
      (partners.has(u.id) || u.id === smsMember.id) &&
      u.id !== smsGuest.id &&
      !hasPush(u) &&
      hasSecondFactor(u),
  },
  {
    name: "Microsoft managed, everyone but break-glass: only SMS and voice users",
    campaign: { state: "default", excludeTargets: breakGlassExcluded },
    authenticator: { state: "enabled" },
    nudged: (u) => !emergency.has(u.id) && !hasPush(u) && hasPhone(u),
  },
];

/** The tenant as generated: Microsoft managed for everyone, Authenticator for everyone in mode any. */
const currentlyNudged = (u: TenantUser) => !hasPush(u) && hasPhone(u);

function count(predicate: (u: TenantUser) => boolean): number {
  return reported.filter(predicate).length;
}

function writeDeclaration(dir: string, c: ImpactCase): string {
  const file = path.join(dir, `${c.name.replace(/\W+/g, "-").slice(0, 40)}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({
      campaign: c.campaign,
      authenticator: c.authenticator,
      ...(c.breakGlassGroups ? { breakGlassGroups: c.breakGlassGroups } : {}),
    }),
  );
  return file;
}

describe("impact and report on a 10,000-user tenant", function () {
  this.timeout(120_000);
  const emulator = useEmulator({
    tenant,
    throttling: { reports: { requests: PACE.requests, windowSeconds: PACE.windowMs / 1000 } },
  });
  let dir: string;
  let env: NodeJS.ProcessEnv;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-impact-"));
    env = { ...process.env, ...emulator.env("reader"), ENTRA_NUDGE_REPORT_RATE_LIMIT: "5/0.5" };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => emulator.reset());

  function throttled(): number {
    return emulator.requests().filter((r) => r.status === 429).length;
  }

  describe("impact", () => {
    let scan: TenantScan;

    before(async () => {
      const declarations = IMPACT_CASES.map((c) =>
        declarationFromFile(writeDeclaration(dir, c), dir, {}),
      );
      scan = await scanTenant(graphClient(emulator, "reader", { reportRateLimit: PACE }), {
        configurations: declarations.map((d) => {
          const { campaign, authenticator } = declaredSingletons(d);
          return { campaign, authenticator };
        }),
        groups: [groupId("Emergency Access Accounts")],
      });
      // Measured numbers, for the record (docs/performance.md has the bench's).
      console.log(
        `      scan of ${scan.stats.users} users and ${scan.stats.groups} groups: ${scan.stats.durationMs} ms, ` +
          `${scan.stats.requests} requests (${scan.stats.reportRequests} to reports, ${scan.stats.reportWaitMs} ms paced)`,
      );
    });

    it("reads the tenant in few requests, none of them throttled", () => {
      expect(scan.stats.users).to.equal(reported.length);
      // Report pages of the service's size (the emulator's default: 1000; no count: only a
      // terminal's progress bar pays a report request for it); the policy, Authenticator and
      // passkey (FIDO2) configuration reads; one batch for every group's name and first page (6
      // groups, 12 requests), then the further pages of big groups.
      const named = [
        "Pilot - Authenticator wave 2",
        "All Staff",
        "Engineering",
        "Licensed Users",
        "External Partners",
        "Emergency Access Accounts",
      ];
      const furtherPages = named
        .map((name) => Math.max(1, Math.ceil(usersIn(name).size / 999)) - 1)
        .reduce((a, b) => a + b, 0);
      expect(scan.stats.groups).to.equal(named.length);
      expect(scan.stats.reportRequests).to.equal(Math.ceil(reported.length / 1000));
      expect(scan.stats.requests).to.equal(scan.stats.reportRequests + 3 + 1 + furtherPages);
      expect(throttled()).to.equal(0);
    });

    for (const c of IMPACT_CASES) {
      it(`counts as the fixture does: ${c.name}`, () => {
        const declaration = declarationFromFile(writeDeclaration(dir, c), dir, {});
        const report = computeImpact(scan, {
          declared: declaredConfiguration(declaration, scan.current),
          declaredSource: declaration.name,
          breakGlassGroups: declaration.breakGlassGroups,
        });
        const expected = reported.filter(c.nudged);
        expect(report.declared.nudged).to.equal(expected.length);
        expect(report.declared.nudgedGuests).to.equal(expected.filter(isGuest).length);
        expect(report.declared.nudgedMembers).to.equal(
          expected.length - expected.filter(isGuest).length,
        );
        expect(report.current.nudged).to.equal(count(currentlyNudged));
        const declaredIds = ids(expected);
        const currentIds = ids(reported.filter(currentlyNudged));
        expect(report.delta.startSeeing).to.equal(
          [...declaredIds].filter((id) => !currentIds.has(id)).length,
        );
        expect(report.delta.stopSeeing).to.equal(
          [...currentIds].filter((id) => !declaredIds.has(id)).length,
        );
        for (const [reason, predicate] of Object.entries(c.reasons ?? {})) {
          const found = report.declared.reasons.find((r) => r.reason === reason);
          expect(found?.users ?? 0, reason).to.equal(count(predicate));
        }
        if (c.breakGlassNudged !== undefined) {
          expect(report.declared.breakGlass[0].nudged).to.equal(c.breakGlassNudged);
        }
        expect(report.declared.nudged + report.declared.notNudged).to.equal(reported.length);
      });
    }

    it("by target: a group's users and how many of them are nudged", () => {
      const c = IMPACT_CASES[0];
      const declaration = declarationFromFile(writeDeclaration(dir, c), dir, {});
      const report = computeImpact(scan, {
        declared: declaredConfiguration(declaration, scan.current),
        declaredSource: declaration.name,
      });
      expect(report.declared.byTarget).to.have.length(1);
      const [target] = report.declared.byTarget;
      expect(target.displayName).to.equal("Pilot - Authenticator wave 2");
      expect(target.users).to.equal(count((u) => wave2.has(u.id)));
      expect(target.nudged).to.equal(count(c.nudged));
    });

    it("`entra-nudge impact --declaration FILE --json` prints the same numbers; --markdown a table", async () => {
      const c = IMPACT_CASES[1];
      const file = writeDeclaration(dir, c);
      const json = captureIo(env, dir);
      expect(
        await main(["impact", "--declaration", path.basename(file), "--json"], json.io),
      ).to.equal(0);
      const report = JSON.parse(json.stdout()) as {
        declared: { nudged: number; nudgedGuests: number };
        current: { nudged: number };
        delta: { summary: string };
      };
      expect(report.declared.nudged).to.equal(count(c.nudged));
      expect(report.declared.nudgedGuests).to.equal(count((u) => c.nudged(u) && isGuest(u)));
      expect(report.current.nudged).to.equal(count(currentlyNudged));
      expect(report.delta.summary).to.match(/^\+[\d,]+ users will start seeing the nudge/);
      // The scan is long: the progress shows on stderr, stdout stays JSON.
      expect(json.stderr()).to.include("Reading the registration report");
      const markdown = captureIo(env, dir);
      expect(await main(["impact", "--declaration", file, "--markdown"], markdown.io)).to.equal(0);
      expect(markdown.stdout()).to.include(
        `| Nudged | ${count(c.nudged).toLocaleString("en-US")} |`,
      );
      expect(markdown.stdout()).to.include("already registered Microsoft Authenticator for push");
      expect(throttled()).to.equal(0);
    });
  });

  describe("report", () => {
    interface RunCase {
      name: string;
      campaign?: RegistrationCampaignArgs;
      authenticator?: AuthenticatorPolicyArgs;
      days: number;
      seed: number;
      signInRate?: number;
      targeted: (u: TenantUser) => boolean;
      /** Registered for the method the campaign targets for the user (default: push). */
      registered?: (u: TenantUser) => boolean;
    }
    const RUNS: RunCase[] = [
      {
        name: "pilot wave 3 (5,000 users), prompted at every sign-in, for 7 days",
        campaign: {
          state: "enabled",
          snoozeDurationInDays: 0,
          includeTargets: [group("Pilot - Authenticator wave 3")],
          excludeTargets: breakGlassExcluded,
        },
        authenticator: {
          state: "enabled",
          includeTargets: [{ ...group("Pilot - Authenticator wave 3"), authenticationMode: "any" }],
        },
        days: 7,
        seed: 5,
        targeted: (u) => wave3.has(u.id) && !emergency.has(u.id),
      },
      {
        name: "everyone, guests included, 3 snooze days, for 10 days",
        campaign: { state: "enabled", snoozeDurationInDays: 3, excludeTargets: breakGlassExcluded },
        authenticator: { state: "enabled" },
        days: 10,
        seed: 9,
        signInRate: 0.5,
        targeted: (u) => !emergency.has(u.id),
      },
      {
        name: "Engineering (nested teams), push mode, 1 snooze day, for 14 days",
        campaign: {
          state: "enabled",
          snoozeDurationInDays: 1,
          includeTargets: [group("Engineering")],
          excludeTargets: breakGlassExcluded,
        },
        authenticator: {
          state: "enabled",
          includeTargets: [{ ...group("Engineering"), authenticationMode: "push" }],
        },
        days: 14,
        seed: 13,
        targeted: (u) => engineering.has(u.id) && !emergency.has(u.id),
      },
      {
        // Also the regression case for a registration finished in the last 90 s of the period.
        name: "All Staff but External Partners, 2 snooze days then registration required, for 6 days",
        campaign: {
          state: "enabled",
          snoozeDurationInDays: 2,
          enforceRegistrationAfterAllowedSnoozes: true,
          includeTargets: [group("All Staff")],
          excludeTargets: [...breakGlassExcluded, group("External Partners")],
        },
        authenticator: { state: "enabled" },
        days: 6,
        seed: 17,
        targeted: (u) => allStaff.has(u.id) && !emergency.has(u.id) && !partners.has(u.id),
      },
      {
        name: "Microsoft managed (the tenant as generated), for 5 days",
        days: 5,
        seed: 2,
        targeted: () => true,
        // Microsoft managed targets passkeys for members enabled for passkeys (passkeys §2): the
        // generated tenant's passkey method enables only the emergency accounts (attestation
        // enforced: an eligible profile), so they count as registered with their passkey.
        registered: (u) =>
          emergency.has(u.id) && !isGuest(u)
            ? methods(u).some((m) => /^(passkey.*|fido2securitykey|fido2)$/i.test(m))
            : hasPush(u),
      },
    ];

    async function run(
      c: RunCase,
    ): Promise<{ report: ProgressReport; sim: SimulationResult; appliedAt: number }> {
      const appliedAt = Date.now();
      if (c.campaign)
        await applyConfiguration(emulator, {
          campaign: c.campaign,
          authenticator: c.authenticator,
        });
      const sim = emulator.simulate({ days: c.days, seed: c.seed, signInRate: c.signInRate });
      const report = await analyzeProgress(
        graphClient(emulator, "reader", { reportRateLimit: PACE }),
      );
      return { report, sim, appliedAt };
    }

    for (const c of RUNS) {
      it(`counts progress as the fixture and the simulation do: ${c.name}`, async () => {
        const { report, sim, appliedAt } = await run(c);
        const targeted = reported.filter(c.targeted);
        const targetedIds = ids(targeted);
        const isRegistered = c.registered ?? hasPush;
        const before = targeted.filter(isRegistered).length;
        const converted = sim.registrations.filter((r) => targetedIds.has(r.id));
        expect(converted).to.have.length(sim.registrations.length); // the simulation nudges only targets
        expect(sim.registrations.length).to.be.greaterThan(0);
        expect(report.targeted).to.equal(targeted.length);
        expect(report.registered).to.equal(before + converted.length);
        expect(report.notYet).to.equal(targeted.length - before - converted.length);
        expect(report.byUserType.guest.targeted).to.equal(targeted.filter(isGuest).length);
        expect(throttled()).to.equal(0);
        if (!c.campaign) {
          // Microsoft managed: no start in the audit log; the last 30 days, ending at the newest record.
          expect(report.enabledSince).to.equal(null);
          expect(report.timeline[report.timeline.length - 1].registered).to.equal(
            report.registered,
          );
          return;
        }
        expect(Date.parse(report.enabledSince as string)).to.be.within(appliedAt, Date.now());
        expect(report.registeredBeforeStart).to.equal(before);
        expect(report.registeredSinceStart).to.equal(converted.length);
        // Day by day, from the day the campaign was enabled to the last simulated registration.
        const dayOf = (iso: string) => iso.slice(0, 10);
        const first = Date.parse(`${dayOf(report.enabledSince as string)}T00:00:00Z`);
        const last = Date.parse(
          `${dayOf(sim.registrations[sim.registrations.length - 1].registeredDateTime)}T00:00:00Z`,
        );
        const expected = [];
        for (let at = first; at <= Math.max(last, first); at += DAY) {
          const date = new Date(at).toISOString().slice(0, 10);
          const that = converted.filter((r) => dayOf(r.registeredDateTime) === date).length;
          const upTo = converted.filter((r) => dayOf(r.registeredDateTime) <= date).length;
          expected.push({ date, registered: before + upTo, newRegistrations: that });
        }
        expect(report.timeline.slice(0, expected.length)).to.deep.equal(expected);
        expect(report.byTarget.map((t) => t.registered)).to.deep.equal([before + converted.length]);
        // Not yet: eligible ones are being nudged; the rest have no second factor.
        const notYet = targeted.filter(
          (u) => !isRegistered(u) && !converted.some((r) => r.id === u.id),
        );
        const reasons = Object.fromEntries(report.notYetReasons.map((r) => [r.reason, r.users]));
        expect(reasons.beingNudged ?? 0).to.equal(notYet.filter(hasSecondFactor).length);
        expect(reasons.notMfaRegistered ?? 0).to.equal(
          notYet.filter((u) => !hasSecondFactor(u)).length,
        );
      });
    }

    it("`entra-nudge report --json` prints the same progress", async () => {
      const c = RUNS[0];
      await applyConfiguration(emulator, { campaign: c.campaign, authenticator: c.authenticator });
      const sim = emulator.simulate({ days: 3, seed: 1 });
      const out = captureIo(env, dir);
      expect(await main(["report", "--json"], out.io)).to.equal(0);
      const report = JSON.parse(out.stdout()) as ProgressReport;
      const targeted = reported.filter(c.targeted);
      expect(report.targeted).to.equal(targeted.length);
      expect(report.registeredSinceStart).to.equal(sim.registrations.length);
      expect(report.registered).to.equal(
        targeted.filter(hasPush).length + sim.registrations.length,
      );
    });
  });
});

describe("impact and report without an Entra ID P1/P2 licence", function () {
  this.timeout(60_000);
  const emulator = useEmulator({
    tenant: generateTenant({ users: 20, seed: 3, premiumLicense: false }),
  });

  it("say why they cannot count, and exit 1", async () => {
    const env = { ...process.env, ...emulator.env("reader") };
    for (const command of [["report"], ["impact", "--declaration", "x.json"]]) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-nopremium-"));
      fs.writeFileSync(
        path.join(dir, "x.json"),
        JSON.stringify({ campaign: { state: "enabled" } }),
      );
      const out = captureIo(env, dir);
      expect(await main(command, out.io)).to.equal(1);
      expect(out.stderr()).to.include("no Microsoft Entra ID P1 or P2 licence");
      expect(out.stderr()).to.include("Authentication_RequestFromNonPremiumTenantOrB2CTenant");
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
