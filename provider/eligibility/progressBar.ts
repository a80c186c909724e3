// Progress of a long tenant scan, on stderr (stdout carries the report). On a terminal it is one
// bar redrawn in place; elsewhere (CI logs, a test's captured stderr) a line at each quarter, so
// logs stay short. Scans that fit in one page show nothing.

export interface ProgressSink {
  /** `done` of `total` units (users) have been read; `total` may grow as the scan learns more. */
  update(done: number, total: number): void;
  /** The scan finished (or failed): clear the bar. */
  finish(): void;
}

export const silentProgress: ProgressSink = { update: () => undefined, finish: () => undefined };

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
  let drawn = false;
  return {
    update(done, total) {
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
