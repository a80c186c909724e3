// Timestamps in the forms Graph prints them, and the tenant file's relative times.

let subMillisecond = 0;

/** ISO 8601 UTC with 7 fractional digits, as real policy and audit data carry (§1.4, §9.7). */
export function graphTimestamp(ms: number): string {
  // The extra digits only keep same-millisecond events distinct and ordered.
  subMillisecond = (subMillisecond + 1) % 10000;
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 23)}${String(subMillisecond).padStart(4, "0")}Z`;
}

/** ISO 8601 UTC without fractional seconds, as directory objects print createdDateTime (§4.1). */
export function secondsTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

const DURATION =
  /^-P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Resolves a tenant-file time: an absolute ISO 8601 timestamp is kept as written; a negative
 * duration ("-P3DT4H") becomes that long before `loadMs`, so seeded audit records stay inside the
 * retention window however old the file is. Returns undefined when the text is neither.
 */
export function resolveTenantTime(
  text: string,
  loadMs: number,
  render: (ms: number) => string = graphTimestamp,
): string | undefined {
  if (TIMESTAMP.test(text)) return Number.isNaN(Date.parse(text)) ? undefined : text;
  const m = DURATION.exec(text);
  if (!m || text === "-P" || text.endsWith("T")) return undefined;
  const [weeks, days, hours, minutes, seconds] = m.slice(1).map((v) => Number(v ?? 0));
  const ms = ((((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
  return render(loadMs - ms);
}
