// `entra-nudge readiness` as a library: one scan of the tenant (cached like `impact`; its policy GET
// brings the SMS and Voice method configurations), and, once a campaign runs, the audit records that date each move
// off SMS and voice.
import { isMissingPremiumLicence, type GraphClient } from "../graph";
import { scanPartCached, scanTenantCached, type ScanCacheUse } from "../eligibility/cachedScan";
import type { ProgressSink } from "../eligibility/progressBar";
import { PremiumLicenceRequiredError } from "../eligibility/scan";
import { declaredConfiguration, declaredTargets, type Declaration } from "../impact/declaration";
import {
  enabledSince,
  readCampaignStateChanges,
  readNonPhoneRegistrations,
  type PushRegistration,
} from "../report/audits";
import { computeReadiness, type ReadinessReport } from "./readiness";

export * from "./readiness";
export * from "./render";

export interface ReadinessOptions {
  /** The stack's declaration (--stack): its campaign and method policies count instead of the tenant's. */
  declaration?: Declaration;
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
  const scanOptions = {
    configurations: declaration ? [declaredTargets(declaration)] : [],
    progress: options.progress,
  };
  const scan = await scanTenantCached(graph, scanOptions, options.cache);
  const configuration = declaration
    ? declaredConfiguration(declaration, scan.current)
    : scan.current;
  const running =
    configuration.campaign.state === "enabled" || configuration.campaign.state === "default";
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
  return computeReadiness(scan, {
    configuration,
    source: declaration?.source ?? "tenant",
    methodPolicies: scan.phoneMethods,
    ...(audit?.campaignSince ? { campaignSince: audit.campaignSince } : {}),
    ...(audit ? { registrations: audit.registrations } : {}),
    now: (options.now ?? Date.now)(),
  });
}
