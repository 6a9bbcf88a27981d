import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * Prometheus metrics of the contract (seed 000 §6.1): duration, queries per call, errors by
 * code, budget violations, cache hits and misses. One registry per process.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    procedureDuration: new Histogram({
      name: "dc_procedure_duration_seconds",
      help: "Procedure call duration",
      labelNames: ["path", "category"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2],
      registers: [registry],
    }),
    procedureQueries: new Histogram({
      name: "dc_procedure_queries",
      help: "Database statements per procedure call (transaction control excluded)",
      labelNames: ["path"],
      buckets: [0, 1, 2, 3, 4, 5, 7, 10, 12, 20],
      registers: [registry],
    }),
    procedureErrors: new Counter({
      name: "dc_procedure_errors_total",
      help: "Procedure errors by tRPC code",
      labelNames: ["path", "code"],
      registers: [registry],
    }),
    budgetViolations: new Counter({
      name: "dc_budget_violations_total",
      help: "Calls that broke the query budget or repeated a statement shape (N+1)",
      labelNames: ["path", "kind"],
      registers: [registry],
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
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
