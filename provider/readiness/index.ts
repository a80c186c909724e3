// `entra-nudge readiness` as a library: one scan of the tenant (cached like `impact`; its policy GET
// brings the SMS and Voice method configurations), and, once a campaign runs, the audit records that date each move
// off SMS and voice.
import { isMissingPremiumLicence, type GraphClient } from "../graph";
import { scanPartCached, scanTenantCached, type ScanCacheUse } from "../eligibility/cachedScan";
import type { ProgressSink } from "../eligibility/progressBar";
import { PremiumLicenceRequiredError } from "../eligibility/scan";
import type { Declaration } from "../declaration";
import { declaredConfiguration, declaredTargets } from "../impact/declaration";
import {
  enabledSince,
  readCampaignStateChanges,
  readNonPhoneRegistrations,
  type PushRegistration,
} from "../report/audits";
import { readPopulations } from "./populations";
import {
  computeReadiness,
  type ExemptGroup,
  type PopulationFacts,
  type ReadinessReport,
} from "./readiness";

export * from "./readiness";
export { readPopulations } from "./populations";
export * from "./render";

export interface ReadinessOptions {
  /** The stack's declaration (--stack): its campaign and method policies count instead of the tenant's. */
  declaration?: Declaration;
  /**
   * --exempt-group: object ids of groups whose users are routed to a customer-managed telephony
   * provider (counted apart, not at risk).
   */
  exemptGroups?: readonly string[];
  progress?: ProgressSink;
  cache?: ScanCacheUse;
  now?: () => number;
}

export async function analyzeReadiness(
  graph: GraphClient,
  options: ReadinessOptions = {},
): Promise<ReadinessReport> {
  const { declaration } = options;
  // The SMS and Voice configurations come with the scan: its policy GET expands them (§1.1).
  const exemptIds = [...new Set((options.exemptGroups ?? []).map((id) => id.toLowerCase()))];
  const scanOptions = {
    configurations: declaration ? [declaredTargets(declaration)] : [],
    ...(exemptIds.length > 0 ? { groups: exemptIds } : {}),
    progress: options.progress,
  };
  // Who holds the Global Administrator role and how users sign in are read beside the scan (not
  // report-limited: the report's paced pages hide them), unless a cached scan is used.
  let beside: Promise<PopulationFacts> | undefined;
  const scan = await scanTenantCached(graph, scanOptions, options.cache, () => {
    beside = readPopulations(graph);
    beside.catch(() => undefined); // awaited below; a failed scan must not leave it unhandled
  });
  const configuration = declaration
    ? declaredConfiguration(declaration, scan.current)
    : scan.current;
  const runs = (c: typeof configuration) =>
    c.campaign.state === "enabled" || c.campaign.state === "default";
  // The live campaign's record measures the forecast's rate even when the declaration stops it.
  const running = runs(configuration) || runs(scan.current);
  // Global Administrators and external users (their date is 2027-07-01), cached with the scan.
  const populations = scanPartCached(
    graph,
    scanOptions,
    options.cache,
    scan,
    "readiness-populations",
    () => beside ?? readPopulations(graph),
  );
  // Awaited below; a failure of the audit read meanwhile must not leave it unhandled.
  populations.catch(() => undefined);
  let audit: { campaignSince?: string; registrations: PushRegistration[] } | undefined;
  if (running) {
    // The campaign's start counts only for a live campaign switched to enabled; otherwise its
    // state changes are not read (a report-limited request saved, 5 / 10 s: docs/performance.md).
    const liveEnabled = scan.current.campaign.state === "enabled";
    // Cached with the scan, under its key and lifetime: a rerun reads nothing (as `impact`). The
    // part's name says what was read, so a run that needs the campaign's start never takes a
    // part read without it.
    audit = await scanPartCached(
      graph,
      scanOptions,
      options.cache,
      scan,
      liveEnabled ? "readiness-audit-since-enabled" : "readiness-audit-30-days",
      async () => {
        try {
          const campaignSince = liveEnabled
            ? enabledSince(await readCampaignStateChanges(graph))
            : undefined;
          const registrations = await readNonPhoneRegistrations(
            graph,
            campaignSince ?? new Date((options.now ?? Date.now)() - 30 * 86_400_000).toISOString(),
          );
          return { ...(campaignSince ? { campaignSince } : {}), registrations };
        } catch (err) {
          if (isMissingPremiumLicence(err)) throw new PremiumLicenceRequiredError(err);
          throw err;
        }
      },
    );
  }
  const exemptGroups: ExemptGroup[] = exemptIds.map((id) => {
    const group = scan.groups.get(id);
    return {
      id,
      ...(group?.displayName !== undefined ? { displayName: group.displayName } : {}),
      ...(group ? { userIds: group.userIds } : {}),
    };
  });
  return computeReadiness(scan, {
    populations: await populations,
    exemptGroups,
    configuration,
    source: declaration?.name ?? "tenant",
    methodPolicies: scan.phoneMethods,
    ...(audit?.campaignSince ? { campaignSince: audit.campaignSince } : {}),
    ...(audit ? { registrations: audit.registrations } : {}),
    now: (options.now ?? Date.now)(),
  });
}
export * from "./people";
