// `entra-nudge readiness` as a library: one scan of the tenant (cached like `impact`; its policy GET
// brings the SMS and Voice method configurations), and, once a campaign runs, the audit records that date each move
// off SMS and voice.
import { isMissingPremiumLicence, type GraphClient } from "../graph";
import { scanTenantCached, type ScanCacheUse } from "../eligibility/cachedScan";
import type { ProgressSink } from "../eligibility/progressBar";
import { PremiumLicenceRequiredError } from "../eligibility/scan";
import { declaredConfiguration, declaredTargets, type Declaration } from "../impact/declaration";
import {
  enabledSince,
  readCampaignStateChanges,
  readNonPhoneRegistrations,
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
  const scan = await scanTenantCached(
    graph,
    {
      configurations: declaration ? [declaredTargets(declaration)] : [],
      progress: options.progress,
    },
    options.cache,
  );
  const configuration = declaration
    ? declaredConfiguration(declaration, scan.current)
    : scan.current;
  const running =
    configuration.campaign.state === "enabled" || configuration.campaign.state === "default";
  let campaignSince: string | undefined;
  let registrations;
  if (running) {
    try {
      // The campaign's start counts only for a live campaign switched to enabled; otherwise its
      // state changes are not read (a report-limited request saved, 5 / 10 s: docs/performance.md).
      campaignSince =
        scan.current.campaign.state === "enabled"
          ? enabledSince(await readCampaignStateChanges(graph))
          : undefined;
      registrations = await readNonPhoneRegistrations(
        graph,
        campaignSince ?? new Date((options.now ?? Date.now)() - 30 * 86_400_000).toISOString(),
      );
    } catch (err) {
      if (isMissingPremiumLicence(err)) throw new PremiumLicenceRequiredError(err);
      throw err;
    }
  }
  return computeReadiness(scan, {
    configuration,
    source: declaration?.source ?? "tenant",
    methodPolicies: scan.phoneMethods,
    ...(campaignSince ? { campaignSince } : {}),
    ...(registrations ? { registrations } : {}),
    now: (options.now ?? Date.now)(),
  });
}
