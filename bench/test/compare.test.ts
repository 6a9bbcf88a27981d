import { describe, expect, it } from "vitest";
import { compareResults } from "../src/compare.ts";
import type { BenchResults, ProcedureResult } from "../src/results.ts";
import { summarize, type LatencyStats } from "../src/stats.ts";

const stats = (rps: number, p50: number, p95: number): LatencyStats => ({
  count: 100,
  errors: 0,
  rps,
  p50,
  p95,
  p99: p95 * 1.2,
  mean: p50,
});

function run(
  selectRps: number,
  selectP95: number,
  detail: { rps: number; p95: number; queries: number },
): BenchResults {
  const procedure: ProcedureResult = {
    path: "teams.bySlug",
    type: "query",
    category: "detail",
    budgetQueries: 2,
    latencyBudgetMs: 50,
    note: "",
    inProcess: { uncached: { ...stats(1000, 1, 2), queries: detail.queries } },
    http: { uncached: stats(detail.rps, 5, detail.p95) },
  };
  return {
    version: 1,
    startedAt: "",
    commands: [],
    machine: { node: "", cpus: 2, cpuModel: "", platform: "" },
    dataset: {
      teams: 1,
      users: 1,
      memberships: 1,
      games: 1,
      organizations: 1,
      sessions: 1,
      invites: 1,
      rankings: 1,
      notifications: 1,
      seedSeconds: 1,
      server: "",
    },
    settings: { httpSeconds: 5, warmupSeconds: 1, concurrency: 100, inProcessSeconds: 1 },
    calibration: { "bare-select": stats(selectRps, 1, selectP95), "bare-const": stats(selectRps * 4, 1, 1) },
    procedures: [procedure],
    skipped: [],
    aims: [],
  };
}

describe("bench:check regression guard", () => {
  const baseline = run(10_000, 10, { rps: 6000, p95: 20, queries: 1 });

  it("passes a slower machine: everything halves, ratios to the calibration stay", () => {
    expect(compareResults(baseline, run(5000, 20, { rps: 3000, p95: 40, queries: 1 })).regressions).toEqual([]);
  });

  it("fails a throughput drop beyond 10% relative to the calibration server", () => {
    const result = compareResults(baseline, run(10_000, 10, { rps: 5000, p95: 20, queries: 1 }));
    expect(result.regressions).toEqual([
      expect.objectContaining({
        line: expect.stringContaining("teams.bySlug http uncached throughput / bare-select"),
        path: "teams.bySlug",
        timing: true,
      }),
    ]);
  });

  it("judges a re-measured procedure by its best attempt: noise that does not repeat passes", () => {
    const current = run(10_000, 10, { rps: 5000, p95: 20, queries: 1 });
    const p = current.procedures[0]!;
    // The retry measured its own calibration: the machine got busier, the ratio recovered.
    p.httpRetries = [{ uncached: stats(2900, 5, 40), bareSelect: stats(5000, 1, 20) }];
    expect(compareResults(baseline, current).regressions).toEqual([]);
  });

  it("divides by the median calibration around a procedure: one high sample next to it does not fail it", () => {
    const many = (ownSelect: number) => {
      const r = run(10_000, 10, { rps: 3000, p95: 30, queries: 1 });
      r.procedures = Array.from({ length: 7 }, (_, i) => ({
        ...r.procedures[0]!,
        path: `p${i}`,
        http: { uncached: stats(3000, 5, 30), bareSelect: stats(i === 3 ? ownSelect : 10_000, 1, 10) },
      }));
      return r;
    };
    expect(compareResults(many(10_000), many(13_000)).regressions).toEqual([]);
  });

  it("sets the bar at the mean of the baseline's two passes, not at its luckier one", () => {
    const twice = run(10_000, 10, { rps: 6000, p95: 20, queries: 1 });
    twice.procedures[0]!.httpRetries = [{ uncached: stats(5000, 5, 20), bareSelect: stats(10_000, 1, 10) }];
    const now = run(10_000, 10, { rps: 5200, p95: 20, queries: 1 });
    expect(compareResults(twice, now).regressions).toEqual([]);
    expect(compareResults(run(10_000, 10, { rps: 6000, p95: 20, queries: 1 }), now).regressions).toHaveLength(1);
  });

  it("fails a slowdown that reproduces in every attempt", () => {
    const current = run(10_000, 10, { rps: 5000, p95: 20, queries: 1 });
    current.procedures[0]!.httpRetries = [
      { uncached: stats(2400, 5, 20), bareSelect: stats(5000, 1, 10) },
      { uncached: stats(5100, 5, 20), bareSelect: stats(10_000, 1, 10) },
    ];
    const result = compareResults(baseline, current);
    expect(result.regressions.map((r) => r.line)).toEqual([
      expect.stringMatching(/^REGRESSED teams.bySlug http uncached throughput \/ bare-select: 0.600 → 0.510/),
    ]);
  });

  it("tolerates noise within 10%", () => {
    expect(compareResults(baseline, run(10_000, 10, { rps: 5600, p95: 21.5, queries: 1 })).regressions).toEqual([]);
  });

  it("fails any extra query per call", () => {
    const result = compareResults(baseline, run(10_000, 10, { rps: 6000, p95: 20, queries: 2 }));
    expect(result.regressions).toEqual([
      expect.objectContaining({
        line: expect.stringContaining("teams.bySlug in-process queries/call: 1.000 → 2.000"),
        timing: false,
      }),
    ]);
  });

  it("fails a procedure whose scenario runs one more statement than the baseline's", () => {
    const scenario = (queries: number) => ({
      ...stats(100, 1, 2),
      path: "teams.create",
      category: "write",
      budgetQueries: 5,
      expectedQueries: 5,
      queries,
      latencyBudgetMs: 100,
      violations: 0,
      setupMs: 1,
    });
    const before = { ...baseline, scenarios: [scenario(5)] };
    const same = { ...run(5000, 20, { rps: 3000, p95: 40, queries: 1 }), scenarios: [scenario(5)] };
    const more = { ...same, scenarios: [scenario(6)] };
    expect(compareResults(before, same).regressions).toEqual([]);
    expect(compareResults(before, more).regressions.map((r) => r.line)).toEqual([
      expect.stringContaining("teams.create scenario queries/call: 5.000 → 6.000"),
    ]);
  });
});

describe("latency summary", () => {
  it("takes percentiles from the sorted latencies and throughput from the window", () => {
    const s = summarize(
      Array.from({ length: 100 }, (_, i) => 100 - i),
      2,
      2,
    );
    expect(s).toMatchObject({ count: 100, errors: 2, rps: 50, p50: 51, p95: 96, p99: 100 });
  });
});
