// Small text helpers for the reports: counts, aligned terminal columns and Markdown escaping.

/** A count as people read it: 12,345. */
export function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}

/** Rows as left-aligned columns separated by two spaces (no trailing spaces). */
export function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  }
  return rows.map((row) =>
    row
      .map((cell, i) =>
        i === row.length - 1 ? cell : cell + " ".repeat(widths[i] - [...cell].length),
      )
      .join("  ")
      .trimEnd(),
  );
}

/**
 * Text from the tenant or the program (display names, values) made inert in Markdown: it can
 * neither format, link, inject HTML nor break a table.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/[\\`*_{}[\]<>|#!~]/g, (char) => `\\${char}`);
}
