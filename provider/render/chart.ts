// The progress chart as inline SVG, drawn by this program: no script, font or image from the
// network, so the HTML report opens anywhere, offline, exactly as written.

export interface ChartSeries {
  label: string;
  /** Values per x position (0–100: percent of the series' users registered). */
  values: number[];
  /** The total is drawn thicker. */
  emphasis?: boolean;
}

const WIDTH = 760;
const HEIGHT = 320;
const MARGIN = { top: 16, right: 24, bottom: 40, left: 52 };
/** Colour-blind-safe palette (Okabe–Ito), total first. */
export const SERIES_COLOURS = [
  "#000000",
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#D55E00",
  "#F0E442",
];

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function round(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}

/** A line chart of percentages over days; `xLabels` are the days (first, middle and last shown). */
export function progressChartSvg(series: ChartSeries[], xLabels: string[], title: string): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const count = Math.max(1, xLabels.length);
  const x = (i: number) =>
    MARGIN.left + (count === 1 ? plotWidth / 2 : (i / (count - 1)) * plotWidth);
  const y = (value: number) =>
    MARGIN.top + plotHeight - (Math.max(0, Math.min(100, value)) / 100) * plotHeight;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-labelledby="chart-title">`,
    `<title id="chart-title">${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
  ];
  for (const tick of [0, 25, 50, 75, 100]) {
    parts.push(
      `<line x1="${MARGIN.left}" y1="${round(y(tick))}" x2="${WIDTH - MARGIN.right}" y2="${round(y(tick))}" stroke="#d0d7de" stroke-width="1"/>`,
      `<text x="${MARGIN.left - 8}" y="${round(y(tick) + 4)}" text-anchor="end" font-size="12" fill="#57606a">${tick}%</text>`,
    );
  }
  const shown = [...new Set([0, Math.floor((count - 1) / 2), count - 1])].filter(
    (i) => i >= 0 && i < xLabels.length,
  );
  for (const i of shown) {
    // The ends are anchored inwards so that no label is cut off at the edges.
    const anchor = count === 1 ? "middle" : i === 0 ? "start" : i === count - 1 ? "end" : "middle";
    parts.push(
      `<text x="${round(x(i))}" y="${HEIGHT - MARGIN.bottom + 20}" text-anchor="${anchor}" font-size="12" fill="#57606a">${escapeXml(xLabels[i])}</text>`,
    );
  }
  parts.push(
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotHeight}" x2="${WIDTH - MARGIN.right}" y2="${MARGIN.top + plotHeight}" stroke="#57606a" stroke-width="1"/>`,
  );
  // Targets first, the total last so that it stays on top.
  const ordered = series
    .map((s, index) => ({ s, colour: SERIES_COLOURS[index % SERIES_COLOURS.length] }))
    .sort((a, b) => Number(a.s.emphasis === true) - Number(b.s.emphasis === true));
  for (const { s, colour } of ordered) {
    const points = s.values.map((value, i) => `${round(x(i))},${round(y(value))}`).join(" ");
    const width = s.emphasis ? 3 : 2;
    parts.push(
      `<polyline class="series" data-label="${escapeXml(s.label)}" fill="none" stroke="${colour}" stroke-width="${width}" stroke-linejoin="round" points="${points}"><title>${escapeXml(s.label)}</title></polyline>`,
    );
    const last = s.values.length - 1;
    if (last >= 0) {
      parts.push(
        `<circle cx="${round(x(last))}" cy="${round(y(s.values[last]))}" r="${width + 1}" fill="${colour}"><title>${escapeXml(`${s.label}: ${round(s.values[last])}%`)}</title></circle>`,
      );
    }
  }
  parts.push("</svg>");
  return parts.join("\n");
}
