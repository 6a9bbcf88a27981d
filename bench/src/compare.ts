import type { BenchResults, HttpRecord } from "./results.ts";

/**
 * The regression guard of `pnpm bench:check`. HTTP throughput is compared as a ratio to the
 * calibration server (bare node:http + one primary-key select) measured around each procedure in
 * the same run, so a slower or busier machine moves both sides and does not fail the check. One
 * 1.5 s calibration sample varies by ±8% on a shared machine, so a procedure's calibration is the
 * median of the samples around it (its own and its neighbours'), which still follows a load that
 * comes and goes over minutes. A throughput regression must also reproduce: the check re-measures
 * a suspect and judges its best attempt (noise does not repeat, a slower procedure does), against
 * the mean of the baseline's two passes (one lucky sample does not set the bar). p95 at a
 * fixed 100 connections is 100 ÷ throughput plus the tail's noise: shown, not judged.
 * Queries per call are compared exactly, for every procedure's scenario and every hot read.
 */
export interface Comparison {
  tolerancePct: number;
  lines: string[];
  regressions: Regression[];
}

export interface Regression {
  line: string;
  path: string;
  /** Timing regressions are re-measured before they count; query counts are exact. */
  timing: boolean;
}

interface Metric {
  key: string;
  path: string;
  /** Normalized value; `higherIsBetter` for throughput. */
  value: number;
  higherIsBetter: boolean;
  exact?: boolean;
  /** Printed for the reader, never a regression. */
  shownOnly?: boolean;
}

/** What a comparison reads of a run (a run in progress has the calibration measured before). */
export type Comparable = Pick<BenchResults, "procedures" | "scenarios" | "calibration">;

/** Neighbours on each side whose calibration samples join a procedure's median. */
const WINDOW = 3;

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * The bare-select throughput to divide procedure `i`'s attempt by: the median of the samples taken
 * around it in the same pass (its own and its neighbours' that were measured in that pass).
 */
function calibrationOf(r: Comparable): (i: number, attempt: number) => number {
  const fallback = r.calibration["bare-select"].rps;
  const sample = (p: Comparable["procedures"][number], attempt: number) =>
    (attempt === 0 ? p.http : p.httpRetries?.[attempt - 1])?.bareSelect?.rps;
  return (i, attempt) => {
    const near = r.procedures
      .slice(Math.max(0, i - WINDOW), i + WINDOW + 1)
      .map((p) => sample(p, attempt))
      .filter((x): x is number => x !== undefined);
    return near.length > 0 ? median(near) : fallback;
  };
}

/**
 * A run's metrics. `best` of several attempts for the run under check (a regression must show in
 * every one); the `mean` for a baseline measured twice, so one lucky sample does not become the bar.
 */
export function normalizedMetrics(r: Comparable, combine: "best" | "mean" = "best"): Map<string, Metric> {
  const metrics = new Map<string, Metric>();
  const add = (m: Metric) => metrics.set(m.key, m);
  for (const s of r.scenarios ?? []) {
    if (s.count > 0)
      add({
        key: `${s.path} scenario queries/call`,
        path: s.path,
        value: s.queries,
        higherIsBetter: false,
        exact: true,
      });
  }
  const calibration = calibrationOf(r);
  r.procedures.forEach((p, i) => {
    const attempts: HttpRecord[] = [...(p.http ? [p.http] : []), ...(p.httpRetries ?? [])];
    for (const mode of ["cached", "uncached"] as const) {
      const ip = p.inProcess[mode];
      // Queries per call with the cache off (or for a procedure that never caches) are exact; with
      // the cache on they depend on a short window's hit rate, so they are not compared.
      if (ip && (mode === "uncached" || !p.inProcess.uncached)) {
        add({
          key: `${p.path} in-process queries/call`,
          path: p.path,
          value: ip.queries,
          higherIsBetter: false,
          exact: true,
        });
      }
      // In-process timings are for reading, not guarding: one sub-millisecond caller against an
      // HTTP calibration under 100 connections is not a stable ratio.
      const ratios = attempts.flatMap((a, attempt) => {
        const h = a[mode];
        const sel = calibration(i, attempt);
        return h ? [{ rps: h.rps / sel, p95: h.p95 }] : [];
      });
      if (ratios.length === 0) continue;
      add({
        key: `${p.path} http ${mode} throughput / bare-select`,
        path: p.path,
        value: combine === "best" ? Math.max(...ratios.map((x) => x.rps)) : mean(ratios.map((x) => x.rps)),
        higherIsBetter: true,
      });
      add({
        key: `${p.path} http ${mode} p95 ms (shown, not judged)`,
        path: p.path,
        value: combine === "best" ? Math.min(...ratios.map((x) => x.p95)) : mean(ratios.map((x) => x.p95)),
        higherIsBetter: false,
        shownOnly: true,
      });
    }
  });
  return metrics;
}

export function compareResults(baseline: Comparable, current: Comparable, tolerance = 0.1): Comparison {
  const before = normalizedMetrics(baseline, "mean");
  const after = normalizedMetrics(current);
  const lines: string[] = [];
  const regressions: Regression[] = [];
  for (const [key, now] of after) {
    const then = before.get(key);
    if (!then) {
      lines.push(`new       ${key}: ${fmt(now.value)} (no baseline)`);
      continue;
    }
    const change = then.value === 0 ? (now.value === 0 ? 0 : Infinity) : now.value / then.value - 1;
    const worse = now.shownOnly
      ? false
      : now.exact
        ? now.value > then.value
        : now.higherIsBetter
          ? change < -tolerance
          : change > tolerance;
    const line = `${worse ? "REGRESSED" : now.shownOnly ? "shown    " : "ok       "} ${key}: ${fmt(then.value)} → ${fmt(now.value)} (${change >= 0 ? "+" : ""}${(change * 100).toFixed(1)}%)`;
    lines.push(line);
    if (worse) regressions.push({ line, path: now.path, timing: !now.exact });
  }
  for (const key of before.keys()) if (!after.has(key)) lines.push(`gone      ${key}`);
  return { tolerancePct: Math.round(tolerance * 100), lines, regressions };
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(3) : String(n));
