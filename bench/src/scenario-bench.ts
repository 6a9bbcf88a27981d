/*
 * Every procedure, measured through the scenario its query-budget test runs: the same setup and
 * the same one measured call (packages/api/test/budgets), replayed here on the seeded bench
 * dataset many times. The setup is not timed; the call's duration is the contract middleware's
 * own measurement (input and output validation, session lookup, service, SQL), so writes, whose
 * inputs need purpose-built state (a tournament ready to start, a match to report…), get figures
 * as honest as the reads'.
 */
import { budgets } from "@deltacrown/api";
import type { Database } from "@deltacrown/db";
import { Cache, demoGames } from "@deltacrown/domain";
import type { Kysely } from "kysely";
import { createApi, saltUniqueNames, scenarios, type Scenario } from "@deltacrown/api/testing";
import { LATENCY_BUDGET_MS } from "./cases.ts";
import { round, summarize, type LatencyStats } from "./stats.ts";

export interface ScenarioResult extends LatencyStats {
  path: string;
  category: string;
  /** The procedure's budget (contract ceiling of its category or tighter). */
  budgetQueries: number;
  /** What the query-budget test asserts for this scenario. */
  expectedQueries: number;
  /** Mean statements per measured call on the bench dataset. */
  queries: number;
  latencyBudgetMs: number;
  /** Calls over budget or with an N+1 (the contract runs in "warn" mode here). */
  violations: number;
  /** Mean untimed setup per call (ms), to show where the run's time went. */
  setupMs: number;
  firstError?: string;
}

export interface ScenarioBenchOptions {
  /** Measured calls per procedure (fewer when `maxSeconds` runs out first, never fewer than `minCalls`). */
  calls: number;
  minCalls: number;
  maxSeconds: number;
  /** Unmeasured runs first (JIT, caches, pool). */
  warmupCalls: number;
  /** Only these paths (all when empty). */
  only?: string[];
  onResult?: (r: ScenarioResult) => void;
}

export async function measureScenarios(db: Kysely<Database>, options: ScenarioBenchOptions): Promise<ScenarioResult[]> {
  // The dataset's games are game-1…; scenarios name the demo games.
  await db
    .insertInto("games")
    .values(demoGames)
    .onConflict((oc) => oc.doNothing())
    .execute();
  saltUniqueNames(`b${Date.now().toString(36)}x`);
  const api = createApi({ db, cache: new Cache() }, "warn");
  const table = budgets as Record<string, { category: string; maxQueries: number }>;
  const results: ScenarioResult[] = [];
  for (const [path, scenario] of Object.entries(scenarios) as [string, Scenario][]) {
    if (options.only?.length && !options.only.includes(path)) continue;
    const latencies: number[] = [];
    let queries = 0;
    let violations = 0;
    let errors = 0;
    let firstError: string | undefined;
    let setupMs = 0;
    const started = performance.now();
    for (let i = 0; ; i++) {
      const measured = i >= options.warmupCalls;
      const done = latencies.length + errors;
      const elapsed = (performance.now() - started) / 1000;
      if (done >= options.calls || (done >= options.minCalls && elapsed > options.maxSeconds)) break;
      const t0 = performance.now();
      try {
        const { report } = await scenario.run(api);
        if (measured) {
          latencies.push(report.durationMs);
          queries += report.ledger.count;
          if (report.violations.length > 0) violations++;
          setupMs += performance.now() - t0 - report.durationMs;
        }
      } catch (error) {
        if (measured) errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
        // A scenario that cannot run on this dataset fails the same way every time.
        if (errors >= 3 && latencies.length === 0) break;
      }
      api.reports.length = 0;
    }
    const stats = summarize(latencies, errors, latencies.reduce((a, b) => a + b, 0) / 1000 || 1);
    const budget = table[path];
    const result: ScenarioResult = {
      path,
      category: budget?.category ?? "?",
      budgetQueries: budget?.maxQueries ?? Number.NaN,
      expectedQueries: scenario.queries,
      ...stats,
      queries: latencies.length ? round(queries / latencies.length, 2) : 0,
      latencyBudgetMs: LATENCY_BUDGET_MS[budget?.category ?? ""] ?? 100,
      violations,
      setupMs: latencies.length ? round(setupMs / latencies.length, 1) : 0,
      ...(firstError && errors > 0 ? { firstError } : {}),
    };
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}
