/**
 * Hand-written SVG bar charts (no browser, no dependency): horizontal grouped bars, one group per
 * label, optional per-row markers (a budget) and vertical reference lines (calibration servers).
 */
export interface BarSeries {
  name: string;
  color: string;
  values: (number | undefined)[];
}

export interface BarChart {
  title: string;
  labels: string[];
  series: BarSeries[];
  /** Per-row marker, e.g. the row's budget. */
  markers?: { name: string; color: string; values: (number | undefined)[] };
  /** Whole-chart vertical lines, e.g. the calibration servers' throughput. */
  references?: { name: string; color: string; value: number }[];
  unit: string;
  log?: boolean;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const num = (n: number) => (Math.round(n * 10) / 10).toString();

export function barChartSvg(chart: BarChart): string {
  const labelWidth = 190;
  const plotWidth = 560;
  const barHeight = 7;
  const groupGap = 8;
  const groupHeight = chart.series.length * barHeight + groupGap;
  const top = 46;
  const legendHeight = 22;
  const height = top + chart.labels.length * groupHeight + 34 + legendHeight;
  const width = labelWidth + plotWidth + 30;
  const all = [
    ...chart.series.flatMap((s) => s.values),
    ...(chart.markers?.values ?? []),
    ...(chart.references ?? []).map((r) => r.value),
  ].filter((v): v is number => v !== undefined && Number.isFinite(v) && v > 0);
  const max = Math.max(1e-9, ...all);
  const min = chart.log ? Math.max(1e-3, Math.min(...all) / 1.5) : 0;
  const lo = chart.log ? Math.floor(Math.log10(min)) : 0;
  const hi = chart.log ? Math.ceil(Math.log10(max * 1.05)) : niceCeil(max * 1.08);
  const x = (v: number) =>
    labelWidth +
    (chart.log
      ? ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * plotWidth
      : (Math.max(v, 0) / hi) * plotWidth);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(chart.title)}</text>`,
  );
  const ticks = chart.log
    ? Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i))
    : Array.from({ length: 6 }, (_, i) => (hi / 5) * i);
  const axisY = top + chart.labels.length * groupHeight;
  for (const t of ticks) {
    out.push(
      `<line x1="${num(x(t))}" y1="${top - 6}" x2="${num(x(t))}" y2="${axisY}" stroke="#e3e3e3"/>`,
      `<text x="${num(x(t))}" y="${axisY + 14}" text-anchor="middle" fill="#555">${esc(fmtTick(t))}</text>`,
    );
  }
  out.push(
    `<text x="${labelWidth + plotWidth / 2}" y="${axisY + 28}" text-anchor="middle" fill="#333">${esc(chart.unit)}${chart.log ? " (log scale)" : ""}</text>`,
  );
  chart.labels.forEach((label, row) => {
    const y0 = top + row * groupHeight;
    out.push(
      `<text x="${labelWidth - 6}" y="${num(y0 + (chart.series.length * barHeight) / 2 + 4)}" text-anchor="end">${esc(label)}</text>`,
    );
    chart.series.forEach((s, i) => {
      const v = s.values[row];
      if (v === undefined || !Number.isFinite(v)) return;
      const y = y0 + i * barHeight;
      out.push(
        `<rect x="${labelWidth}" y="${y}" width="${num(Math.max(0.5, x(v) - labelWidth))}" height="${barHeight - 1}" fill="${s.color}"><title>${esc(`${label} ${s.name}: ${v}`)}</title></rect>`,
      );
    });
    const m = chart.markers?.values[row];
    if (chart.markers && m !== undefined && Number.isFinite(m)) {
      out.push(
        `<line x1="${num(x(m))}" y1="${y0 - 2}" x2="${num(x(m))}" y2="${y0 + chart.series.length * barHeight + 1}" stroke="${chart.markers.color}" stroke-width="2.5"><title>${esc(`${chart.markers.name}: ${m}`)}</title></line>`,
      );
    }
  });
  for (const r of chart.references ?? []) {
    out.push(
      `<line x1="${num(x(r.value))}" y1="${top - 8}" x2="${num(x(r.value))}" y2="${axisY}" stroke="${r.color}" stroke-width="1.5" stroke-dasharray="5,3"><title>${esc(`${r.name}: ${r.value}`)}</title></line>`,
    );
  }
  const legend = [
    ...chart.series.map((s) => ({ name: s.name, color: s.color, line: false })),
    ...(chart.markers ? [{ name: chart.markers.name, color: chart.markers.color, line: true }] : []),
    ...(chart.references ?? []).map((r) => ({ name: `${r.name} (${fmtTick(r.value)})`, color: r.color, line: true })),
  ];
  let lx = 10;
  const ly = height - 12;
  for (const item of legend) {
    out.push(
      item.line
        ? `<line x1="${lx}" y1="${ly - 4}" x2="${lx + 14}" y2="${ly - 4}" stroke="${item.color}" stroke-width="2.5"/>`
        : `<rect x="${lx}" y="${ly - 9}" width="14" height="9" fill="${item.color}"/>`,
      `<text x="${lx + 18}" y="${ly}">${esc(item.name)}</text>`,
    );
    lx +=
      26 + item.name.length * 6.2 + (item.line && chart.references?.some((r) => item.name.startsWith(r.name)) ? 10 : 0);
  }
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(v, 1e-9)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function fmtTick(t: number): string {
  if (t >= 1000) return `${Math.round(t / 100) / 10}k`;
  if (t >= 1) return `${Math.round(t * 10) / 10}`;
  return `${t}`;
}
