// Reading what a write has just changed: Entra is eventually consistent, and a read right after a
// write may answer the state from before it for seconds (graph-contract.md §4.8: ~5 s observed on
// policies; new groups and memberships replicate "within seconds"). The contract's guidance is to
// retry such reads with exponential backoff; these waits (7 s in all) outlast the observed lag.

/** Seconds to wait before each read: the first at once, then with backoff. */
export const REPLICATION_WAITS_SECONDS: readonly number[] = [0, 1, 2, 4];

/**
 * Reads until `settled` accepts what was read or the waits run out, and answers the last read. A
 * read that throws ends it with that error.
 */
export async function readUntilSettled<T>(
  read: () => Promise<T>,
  settled: (value: T) => boolean,
  waitsSeconds: readonly number[] = REPLICATION_WAITS_SECONDS,
): Promise<T> {
  let value: T | undefined;
  for (const seconds of waitsSeconds) {
    if (seconds > 0) await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    value = await read();
    if (settled(value)) break;
  }
  return value as T;
}
