// One Graph session per job (provider/session.ts): stacks of different tenants checked at once in
// one process, as `entra-nudge drift --stack A --stack B --concurrency N` does, each with a session
// of its own. The first tenant answers slowly (every Graph call and its sign-in stalled by the
// emulator), so the other stacks start, read and finish while its reads are still in flight: each
// still reads its own tenant, with its own settings, and warns through its own sink.
import { expect } from "chai";
import type { RunningEmulator } from "../../emulator/index.js";
import type { ConfigLookup } from "../../provider/config";
import type { Declaration } from "../../provider/declaration/read";
import { detectDrift, type DriftReport } from "../../provider/drift/detect";
import { mapWithConcurrency } from "../../provider/cli/pool";
import { parseArgs } from "../../provider/model";
import { createSession } from "../../provider/session";
import { useEmulator } from "../support/emulator";
import { projectRoot } from "../support/engine";
import { ONE_RETRY } from "../support/engineStack";
import {
  BREAK_GLASS_GROUP_ID,
  ENGINEERING_GROUP_ID,
  Portal,
  tenantSettings,
  tenantWithId as tenant,
} from "../support/tenant";

type Json = Record<string, unknown>;

/** A stack's config pointing at one emulator's tenant (no AZURE_* variables are used). */
function stackConfig(emulator: RunningEmulator, extra: Record<string, string> = {}): ConfigLookup {
  const values = { ...tenantSettings(emulator), ...extra };
  const lookup: ConfigLookup = (key) => values[key];
  lookup.keys = () => Object.keys(values);
  return lookup;
}

/** The declaration a stack of that tenant recorded: the campaign, adopted in that tenant. */
function declarationOf(name: string, emulator: RunningEmulator, config: ConfigLookup): Declaration {
  const declared = parseArgs("RegistrationCampaign", {
    state: "enabled",
    snoozeDurationInDays: 0,
    includeTargets: [{ id: ENGINEERING_GROUP_ID, targetType: "group" }],
    excludeTargets: [{ id: BREAK_GLASS_GROUP_ID, targetType: "group" }],
  });
  return {
    source: { stack: name, cwd: projectRoot },
    name: `stack ${name}`,
    config,
    breakGlassGroups: [],
    resources: [
      {
        kind: "RegistrationCampaign",
        urn: `urn:pulumi:${name}::entra-nudge-sessions::pulumi-nodejs:dynamic/entra-nudge:RegistrationCampaign::campaign`,
        name: "campaign",
        id: `${emulator.info.tenantId}/registrationCampaign`,
        inputs: declared as unknown as Json,
        outputs: { ...declared, tenantId: emulator.info.tenantId },
        declared,
      },
    ],
  };
}

const snoozeOf = (report: DriftReport) =>
  report.differences.find((d) => d.property === "snoozeDurationInDays")?.actual;

describe("one Graph session per stack: several tenants checked at once in one process", function () {
  this.timeout(120_000);
  const emulators = {
    a: useEmulator({ tenant: tenant("aaaaaaaa-1111-4111-8111-111111111111") }),
    b: useEmulator({ tenant: tenant("bbbbbbbb-2222-4222-8222-222222222222") }),
    c: useEmulator({ tenant: tenant("cccccccc-3333-4333-8333-333333333333") }),
  };
  const names = ["a", "b", "c"] as const;
  /** Each tenant's own snooze, so a read of the wrong tenant shows. */
  const SNOOZE = { a: 1, b: 2, c: 3 };

  before(async () => {
    for (const name of names) {
      await new Portal(emulators[name]).editCampaign(
        (c) => (c.snoozeDurationInDays = SNOOZE[name]),
      );
      emulators[name].clearRequests();
    }
  });

  it("each stack reads its own tenant while the first tenant's answers are delayed", async () => {
    // Tenant a stalls every Graph call and its sign-in: its reads are still in flight when the
    // others start and finish. A session shared through process-wide state would point a's
    // remaining reads (or b's and c's) at another tenant.
    emulators.a.injectFault({ delayMs: 700 });
    emulators.a.injectFault({ delayMs: 700, pathPrefix: `/${emulators.a.info.tenantId}/oauth2` });
    const warnings: Record<string, string[]> = { a: [], b: [], c: [] };
    const finished: string[] = [];
    try {
      const reports = await mapWithConcurrency([...names], 4, async (name) => {
        // A misspelled key in b's config only: its warning must reach b's sink alone.
        const config = stackConfig(
          emulators[name],
          name === "b" ? { "entra-nudge:tenantID": "typo" } : {},
        );
        const session = createSession({
          config,
          env: { ...ONE_RETRY },
          warn: (message) => warnings[name].push(message),
        });
        const report = await detectDrift(declarationOf(name, emulators[name], config), session);
        finished.push(name);
        return report;
      });

      // The slow tenant finished last: the others ran while its reads were in flight.
      expect(finished[finished.length - 1]).to.equal("a");
      reports.forEach((report, i) => {
        const name = names[i];
        expect(report.tenantId, name).to.equal(emulators[name].info.tenantId);
        expect(snoozeOf(report), name).to.equal(SNOOZE[name]);
      });
      // Every tenant was read, by a caller it signed in itself (each emulator has its own keys).
      for (const name of names) {
        const graphCalls = emulators[name]
          .requests()
          .filter((r) => r.path.startsWith("/v1.0/") || r.path.startsWith("/beta/"));
        expect(graphCalls.length, name).to.be.greaterThan(0);
        expect(
          graphCalls.filter((r) => r.status !== 200),
          name,
        ).to.deep.equal([]);
      }
      expect(warnings.b.join("\n")).to.match(/tenantID is not a setting of pulumi-entra-nudge/);
      expect(warnings.a).to.deep.equal([]);
      expect(warnings.c).to.deep.equal([]);
    } finally {
      emulators.a.clearFaults();
    }
  });

  it("a session's settings are its own: creating another changes nothing in the first", async () => {
    const first = createSession({
      config: stackConfig(emulators.a),
      env: {},
      warn: () => undefined,
    });
    const second = createSession({
      config: stackConfig(emulators.b),
      env: {},
      warn: () => undefined,
    });
    expect(first.settings.graphEndpoint).to.equal(emulators.a.info.graphEndpoint);
    expect(second.settings.graphEndpoint).to.equal(emulators.b.info.graphEndpoint);
    expect(await first.tenantId()).to.equal(emulators.a.info.tenantId);
    expect(await second.tenantId()).to.equal(emulators.b.info.tenantId);
    expect(first.graph).to.not.equal(second.graph);
  });
});
