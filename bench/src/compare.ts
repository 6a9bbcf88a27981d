import type { BenchResults } from "./results.ts";

/**
 * The regression guard of `pnpm bench:check`. Timings are compared as ratios to the calibration
 * server measured in the same run (bare node:http + one primary-key select), so a slower or busier
 * machine moves both sides and does not fail the check; queries per call are compared exactly.
 */
export interface Comparison {
  tolerancePct: number;
  lines: string[];
  regressions: string[];
}

interface Metric {
  key: string;
  /** Normalized value; `higherIsBetter` for throughput. */
  value: number;
  higherIsBetter: boolean;
  exact?: boolean;
}

export function normalizedMetrics(r: BenchResults): Map<string, Metric> {
  const metrics = new Map<string, Metric>();
  const add = (m: Metric) => metrics.set(m.key, m);
  for (const p of r.procedures) {
    const sel = p.http?.bareSelect ?? r.calibration["bare-select"];
    for (const mode of ["cached", "uncached"] as const) {
      const ip = p.inProcess[mode];
      // Queries per call with the cache off (or for a procedure that never caches) are exact; with
      // the cache on they depend on a short window's hit rate, so they are not compared.
      if (ip && (mode === "uncached" || !p.inProcess.uncached)) {
        add({ key: `${p.path} in-process queries/call`, value: ip.queries, higherIsBetter: false, exact: true });
      }
      // In-process timings are for reading, not guarding: one sub-millisecond caller against an
      // HTTP calibration under 100 connections is not a stable ratio.
      const h = p.http?.[mode];
      if (h) {
        add({ key: `${p.path} http ${mode} throughput / bare-select`, value: h.rps / sel.rps, higherIsBetter: true });
        add({ key: `${p.path} http ${mode} p95 / bare-select p95`, value: h.p95 / sel.p95, higherIsBetter: false });
      }
    }
  }
  return metrics;
}

export function compareResults(baseline: BenchResults, current: BenchResults, tolerance = 0.1): Comparison {
  const before = normalizedMetrics(baseline);
  const after = normalizedMetrics(current);
  const lines: string[] = [];
  const regressions: string[] = [];
  for (const [key, now] of after) {
    const then = before.get(key);
    if (!then) {
      lines.push(`new       ${key}: ${fmt(now.value)} (no baseline)`);
      continue;
    }
    const change = then.value === 0 ? (now.value === 0 ? 0 : Infinity) : now.value / then.value - 1;
    const worse = now.exact ? now.value > then.value : now.higherIsBetter ? change < -tolerance : change > tolerance;
    const line = `${worse ? "REGRESSED" : "ok       "} ${key}: ${fmt(then.value)} → ${fmt(now.value)} (${change >= 0 ? "+" : ""}${(change * 100).toFixed(1)}%)`;
    lines.push(line);
    if (worse) regressions.push(line);
  }
  for (const key of before.keys()) if (!after.has(key)) lines.push(`gone      ${key}`);
  return { tolerancePct: Math.round(tolerance * 100), lines, regressions };
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(3) : String(n));
