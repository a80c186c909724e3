// How long to wait before a retry when Graph sends no Retry-After. No SDK import: the Graph client
// loads the SDK (and its middleware) only at the first call, and $batch retries need this too.

/** RetryHandlerOptions' maximum delay (the SDK's MAX_DELAY), which caps every wait. */
export const MAX_DELAY_SECONDS = 180;

/**
 * The wait before retry number `retry` (1 for the first): the base delay doubled at each retry.
 * The SDK's own backoff adds round((2^retry - 1) / 2) whole seconds to the base whatever it is, so
 * ENTRA_NUDGE_RETRY_DELAY_SECONDS=0.2 still waited about 31 s over 5 retries (0.2 + 2.2 + 4.2 +
 * 8.2 + 16.2) plus up to a second of jitter each; now 0.2 × (1 + 2 + 4 + 8 + 16) = 6.2 s. The same
 * rule paces the retries of $batch items (client.ts) and the SDK's retries (middleware.ts).
 */
export function backoffSeconds(delay: number, retry: number): number {
  return Math.min(delay * 2 ** (retry - 1), MAX_DELAY_SECONDS);
}
