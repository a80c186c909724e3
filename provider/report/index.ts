// `entra-nudge report` as a library: the campaign's progress, from one scan of the tenant and the
// audit records of the campaign's start and of each Authenticator or passkey registration (one
// read of "User registered security info" dates both).
import type { GraphClient } from "../graph";
import { isMissingPremiumLicence } from "../graph";
import type { ProgressSink } from "../eligibility/progressBar";
import { PremiumLicenceRequiredError, scanTenant } from "../eligibility/scan";
import { enabledSince, readCampaignRegistrations, readCampaignStateChanges } from "./audits";
import { computeProgress, type ProgressReport } from "./progress";

export * from "./audits";
export * from "./progress";
export * from "./render";
export { progressChartSvg } from "../render/chart";

export async function analyzeProgress(
  graph: GraphClient,
  options: { progress?: ProgressSink; now?: () => number } = {},
): Promise<ProgressReport> {
  const started = Date.now();
  const scan = await scanTenant(graph, { progress: options.progress });
  const before = { ...graph.counters };
  let since: string | undefined;
  let registrations;
  try {
    const changes = await readCampaignStateChanges(graph);
    since = scan.current.campaign.state === "enabled" ? enabledSince(changes) : undefined;
    registrations = await readCampaignRegistrations(graph, since);
  } catch (err) {
    if (isMissingPremiumLicence(err)) throw new PremiumLicenceRequiredError(err);
    throw err;
  }
  // The audit reads belong to the report's cost too.
  const stats = {
    ...scan.stats,
    requests: scan.stats.requests + graph.counters.requests - before.requests,
    reportRequests:
      scan.stats.reportRequests + graph.counters.reportRequests - before.reportRequests,
    reportWaitMs: scan.stats.reportWaitMs + graph.counters.reportWaitMs - before.reportWaitMs,
    durationMs: Date.now() - started,
  };
  return computeProgress(
    { ...scan, stats },
    { enabledSince: since, registrations, now: (options.now ?? Date.now)() },
  );
}
