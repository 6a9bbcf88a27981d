import type { BenchResults, HttpRecord } from "./results.ts";

/**
 * The regression guard of `pnpm bench:check`. Timings are compared as ratios to the calibration
 * server measured next to each procedure in the same run (bare node:http + one primary-key select,
 * right before and right after it), so a slower or busier machine moves both sides and does not
 * fail the check; a timing regression must also reproduce: the check re-measures a suspect
 * procedure and judges the best of its attempts (noise does not repeat, a slower procedure does).
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
}

/** What a comparison reads of a run (a run in progress has the calibration measured before). */
export type Comparable = Pick<BenchResults, "procedures" | "scenarios" | "calibration">;

export function normalizedMetrics(r: Comparable): Map<string, Metric> {
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
  for (const p of r.procedures) {
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
      const ratios = attempts.flatMap((a) => {
        const h = a[mode];
        const sel = a.bareSelect ?? r.calibration["bare-select"];
        return h ? [{ rps: h.rps / sel.rps, p95: h.p95 / sel.p95 }] : [];
      });
      if (ratios.length === 0) continue;
      const best = (pick: (x: { rps: number; p95: number }) => number, higher: boolean) =>
        ratios.map(pick).reduce((a, b) => (higher ? Math.max(a, b) : Math.min(a, b)));
      const rps = `${p.path} http ${mode} throughput / bare-select`;
      const p95 = `${p.path} http ${mode} p95 / bare-select p95`;
      add({ key: rps, path: p.path, value: best((x) => x.rps, true), higherIsBetter: true });
      add({ key: p95, path: p.path, value: best((x) => x.p95, false), higherIsBetter: false });
    }
  }
  return metrics;
}

export function compareResults(baseline: Comparable, current: Comparable, tolerance = 0.1): Comparison {
  const before = normalizedMetrics(baseline);
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
    const worse = now.exact ? now.value > then.value : now.higherIsBetter ? change < -tolerance : change > tolerance;
    const line = `${worse ? "REGRESSED" : "ok       "} ${key}: ${fmt(then.value)} → ${fmt(now.value)} (${change >= 0 ? "+" : ""}${(change * 100).toFixed(1)}%)`;
    lines.push(line);
    if (worse) regressions.push({ line, path: now.path, timing: !now.exact });
  }
  for (const key of before.keys()) if (!after.has(key)) lines.push(`gone      ${key}`);
  return { tolerancePct: Math.round(tolerance * 100), lines, regressions };
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(3) : String(n));
