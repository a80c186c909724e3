// Progress of a long tenant scan, on stderr (stdout carries the report). On a terminal it is one
// bar redrawn in place; elsewhere (CI logs, a test's captured stderr) a line at each quarter, so
// logs stay short. Scans that fit in one page show nothing.

export interface ProgressSink {
  /**
   * `done` of `total` units (users) have been read in `pages` pages; `total` may grow as the scan
   * learns more, and is 0 while unknown.
   */
  update(done: number, total: number, pages?: number): void;
  /**
   * Whether the sink draws a bar that needs the total up front. Learning it costs a request to the
   * reports family, which shares the 5 requests / 10 s limit with the scan's pages (and adds a
   * whole 10-second window when the pages fill their last window exactly), so only a terminal's
   * bar asks for it.
   */
  wantsTotal?: boolean;
  /** The scan finished (or failed): clear the bar. */
  finish(): void;
}

export const silentProgress: ProgressSink = { update: () => undefined, finish: () => undefined };

/**
 * Pages of the registration report Graph lets a client read per 10-second window (its 5 requests /
 * 10 s limit). Counted in pages, not rows: the page size is the service's (Errata 3).
 */
const PAGES_PER_WINDOW = 5;

const WIDTH = 30;

function format(count: number): string {
  return count.toLocaleString("en-US");
}

export function progressBar(
  write: (text: string) => void,
  options: { tty: boolean; label: string; minimumTotal?: number },
): ProgressSink {
  const minimum = options.minimumTotal ?? 2000;
  let lastQuarter = -1;
  let lastWindow = 0;
  let drawn = false;
  return {
    wantsTotal: options.tty,
    update(done, total, pages = 0) {
      if (total === 0 && options.tty) {
        // No total (Graph lets only a signed-in user ask for it): the count, redrawn in place, once
        // the scan is long (a second page).
        if (pages < 2) return;
        write(`\r${options.label}: ${format(done)} users so far`);
        drawn = true;
        return;
      }
      if (total === 0 && !options.tty) {
        // No total (a log, not a terminal): a line per throttle window's worth of pages.
        const window = Math.floor(pages / PAGES_PER_WINDOW);
        if (window === lastWindow) return;
        lastWindow = window;
        write(`${options.label}: ${format(done)} users so far\n`);
        return;
      }
      if (total < minimum) return;
      const share = Math.min(1, total > 0 ? done / total : 0);
      if (options.tty) {
        const filled = Math.round(share * WIDTH);
        write(
          `\r${options.label} [${"#".repeat(filled)}${" ".repeat(WIDTH - filled)}] ${format(done)}/${format(total)}`,
        );
        drawn = true;
        return;
      }
      const quarter = Math.floor(share * 4);
      if (quarter === lastQuarter) return;
      lastQuarter = quarter;
      write(
        `${options.label}: ${format(done)} of ${format(total)} users (${Math.round(share * 100)}%)\n`,
      );
    },
    finish() {
      if (drawn) write(`\r${" ".repeat(options.label.length + WIDTH + 30)}\r`);
      drawn = false;
    },
  };
}
