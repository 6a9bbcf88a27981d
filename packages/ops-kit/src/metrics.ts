import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/**
 * Metrics both the API and the worker export. When the worker runs inside the API process
 * (RUN_WORKER) they share one registry, so every metric here is created once per registry.
 */
export function once<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/** What the pool gauges read of a pg Pool. */
export interface PoolLike {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  readonly options: { max?: number | undefined };
}

const pools = new WeakMap<Registry, Map<string, PoolLike>>();

/**
 * Connections of a named pg pool, read at each scrape: open (`dc_db_pool_size`), idle, callers
 * waiting for one, and the pool's maximum. In use = size − idle; exhausted when in use = max
 * and callers wait.
 */
export function observePool(registry: Registry, name: string, pool: PoolLike): void {
  let named = pools.get(registry);
  if (!named) {
    const map = new Map<string, PoolLike>();
    named = map;
    pools.set(registry, map);
    const gauge = (metric: string, help: string, read: (p: PoolLike) => number) =>
      new Gauge({
        name: metric,
        help,
        labelNames: ["pool"],
        registers: [registry],
        collect() {
          this.reset();
          for (const [poolName, p] of map) this.set({ pool: poolName }, read(p));
        },
      });
    gauge("dc_db_pool_size", "Open connections of the pg pool", (p) => p.totalCount);
    gauge("dc_db_pool_idle", "Idle connections of the pg pool", (p) => p.idleCount);
    gauge("dc_db_pool_waiting", "Callers waiting for a connection of the pg pool", (p) => p.waitingCount);
    gauge("dc_db_pool_max", "Maximum connections of the pg pool", (p) => p.options.max ?? 10);
  }
  named.set(name, pool);
}

/** A statement slower than this is a slow query (contract alert: slow queries > 1 s). */
export const SLOW_QUERY_MS = 1000;

/** What the query metrics read of a query ledger (@deltacrown/db's QueryLedger). */
export interface LedgerLike {
  readonly scope: string;
  readonly entries: readonly { durationMs: number; control: boolean; fingerprint: string }[];
}

export interface SlowQuery {
  scope: string;
  fingerprint: string;
  durationMs: number;
}

/**
 * Statement durations from the query ledgers of procedure calls and jobs (transaction control
 * excluded, as in the budgets): a histogram by source, and a count of slow statements by the
 * procedure or task that ran them.
 */
export function createQueryMetrics(registry: Registry) {
  const duration = once(
    registry,
    "dc_db_query_duration_seconds",
    () =>
      new Histogram({
        name: "dc_db_query_duration_seconds",
        help: "Duration of each database statement of a procedure call or job (transaction control excluded)",
        labelNames: ["source"],
        buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers: [registry],
      }),
  );
  const slow = once(
    registry,
    "dc_db_slow_queries_total",
    () =>
      new Counter({
        name: "dc_db_slow_queries_total",
        help: `Statements slower than ${SLOW_QUERY_MS} ms, by the procedure path or job task that ran them`,
        labelNames: ["scope"],
        registers: [registry],
      }),
  );
  return {
    /** Records a finished ledger; returns its slow statements (the caller logs them). */
    observe(ledger: LedgerLike, source: "procedure" | "job", scope = ledger.scope): SlowQuery[] {
      let slowOnes: SlowQuery[] | undefined;
      for (const e of ledger.entries) {
        if (e.control) continue;
        duration.observe({ source }, e.durationMs / 1000);
        if (e.durationMs > SLOW_QUERY_MS) {
          slow.inc({ scope });
          (slowOnes ??= []).push({ scope, fingerprint: e.fingerprint, durationMs: Math.round(e.durationMs) });
        }
      }
      return slowOnes ?? [];
    },
  };
}

export type QueryMetrics = ReturnType<typeof createQueryMetrics>;
