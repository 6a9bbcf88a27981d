import { createQueryMetrics } from "@deltacrown/ops-kit";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * Procedure duration buckets (seconds). Every category's p95 budget is one of them, so the p95
 * alerts compare at a bucket edge (the alert-rule test checks it).
 */
export const DURATION_BUCKETS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2];

/**
 * Prometheus metrics of the contract (seed 000 §6.1) and of what the alerts watch: duration,
 * queries per call, errors by code, budget violations, cache hits/misses/errors, statement
 * durations and slow statements, live fan-out latency, rate-limit rejections, and the business
 * counters. One registry per process (the in-process worker adds its job metrics to it).
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    procedureDuration: new Histogram({
      name: "dc_procedure_duration_seconds",
      help: "Procedure call duration",
      labelNames: ["path", "category"],
      buckets: [...DURATION_BUCKETS],
      registers,
    }),
    procedureQueries: new Histogram({
      name: "dc_procedure_queries",
      help: "Database statements per procedure call (transaction control excluded)",
      labelNames: ["path"],
      buckets: [0, 1, 2, 3, 4, 5, 7, 10, 12, 20],
      registers,
    }),
    replicaReads: new Counter({
      name: "dc_replica_reads_total",
      help: "Replica-declared procedure calls served by a read replica",
      labelNames: ["replica"],
      registers,
    }),
    replicaFallbacks: new Counter({
      name: "dc_replica_fallbacks_total",
      help: "Replica-declared calls read on the primary: every replica down, lagging beyond the bound, or behind the session's last write",
      labelNames: ["reason"],
      registers,
    }),
    procedureErrors: new Counter({
      name: "dc_procedure_errors_total",
      help: "Procedure errors by tRPC code",
      labelNames: ["path", "code"],
      registers,
    }),
    budgetViolations: new Counter({
      name: "dc_budget_violations_total",
      help: "Calls that broke the query budget or repeated a statement shape (N+1)",
      labelNames: ["path", "kind"],
      registers,
    }),
    transactionRetries: new Counter({
      name: "dc_transaction_retries_total",
      help: "Transaction attempts rolled back on a deadlock or serialization failure and run again",
      labelNames: ["scope"],
      registers: [registry],
    }),
    rateLimitRefusals: new Counter({
      name: "dc_rate_limit_refusals_total",
      help: "Calls refused with TOO_MANY_REQUESTS, by abuse limit",
      labelNames: ["limit"],
      registers: [registry],
    }),
    rateLimitStoreErrors: new Counter({
      name: "dc_rate_limit_store_errors_total",
      help: "Limit checks the store (Redis) could not answer; the call was let through (fail open)",
      labelNames: ["limit"],
      registers: [registry],
    }),
    redisErrors: new Counter({
      name: "dc_redis_errors_total",
      help: "Error events of this process's Redis connections (each reconnect attempt while Redis is down)",
      labelNames: ["client"],
      registers: [registry],
    }),
    liveErrors: new Counter({
      name: "dc_live_errors_total",
      help: "Live-update failures survived: publishes that missed Redis, malformed messages, relay errors",
      labelNames: ["stage"],
      registers: [registry],
    }),
    cacheRequests: new Counter({
      name: "dc_cache_requests_total",
      help: "Cache lookups by key family and result",
      labelNames: ["family", "result"],
      registers,
    }),
    cacheErrors: new Counter({
      name: "dc_cache_errors_total",
      help: "Cache operations that failed against Redis (the read fell back to the database)",
      labelNames: ["operation"],
      registers,
    }),
    liveFanout: new Histogram({
      name: "dc_live_fanout_seconds",
      help: "Live event latency from publish to delivery to this process's listeners",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    teamsCreated: new Counter({ name: "dc_teams_created_total", help: "Teams created", registers }),
    registrations: new Counter({
      name: "dc_registrations_total",
      help: "Tournament registrations made, by the status they started in",
      labelNames: ["status"],
      registers,
    }),
    walletTransfers: new Counter({
      name: "dc_wallet_transfers_total",
      help: "Wallet transfers made (idempotent replays not counted)",
      registers,
    }),
    queries: createQueryMetrics(registry),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
