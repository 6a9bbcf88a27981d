/** Latency summary of one measured case; times in milliseconds. */
export interface LatencyStats {
  count: number;
  errors: number;
  /** Requests (or calls) per second over the measurement window. */
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

export function summarize(latencies: number[], errors: number, seconds: number): LatencyStats {
  const sorted = Float64Array.from(latencies).sort();
  const pick = (q: number) =>
    sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const sum = latencies.reduce((a, b) => a + b, 0);
  return {
    count: latencies.length,
    errors,
    rps: round(latencies.length / seconds),
    p50: round(pick(0.5)),
    p95: round(pick(0.95)),
    p99: round(pick(0.99)),
    mean: round(latencies.length ? sum / latencies.length : 0),
  };
}

export const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Mean of two measurements of one server (before and after the procedures). */
export function meanStats(a: LatencyStats, b: LatencyStats): LatencyStats {
  const m = (x: number, y: number) => Math.round(((x + y) / 2) * 1000) / 1000;
  return {
    count: a.count + b.count,
    errors: a.errors + b.errors,
    rps: m(a.rps, b.rps),
    p50: m(a.p50, b.p50),
    p95: m(a.p95, b.p95),
    p99: m(a.p99, b.p99),
    mean: m(a.mean, b.mean),
  };
}
