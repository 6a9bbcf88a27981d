import { limitsOf, type Env } from "./env.ts";
import type { PlatformConfig } from "./platform.ts";

/**
 * The platform settings read from the environment the same way by the production entry (main.ts)
 * and `pnpm start` (start.ts); each adds only where they differ (database, worker, storage
 * directory, development defaults, logger). One mapping, so a new setting reaches both.
 */
export function platformConfigOf(env: Env) {
  return {
    redisUrl: env.REDIS_URL,
    host: env.HOST,
    port: env.PORT,
    contractMode: env.CONTRACT_MODE,
    scryptCost: env.SCRYPT_COST,
    dbPoolMax: env.DB_POOL_MAX,
    directDatabaseUrl: env.DATABASE_DIRECT_URL,
    replicaUrls: env.DATABASE_REPLICA_URLS,
    replicaMaxLagMs: env.DATABASE_REPLICA_MAX_LAG_MS,
    preparedStatements: env.DATABASE_PREPARED_STATEMENTS === "on",
    shutdownDrainMs: env.SHUTDOWN_DRAIN_MS,
    cacheMemoryTtlMs: env.CACHE_MEMORY_TTL_MS,
    smtpUrl: env.SMTP_URL,
    smtpFrom: env.SMTP_FROM,
    workerStaleAfterMs: env.WORKER_STALE_AFTER_MS || false,
    limits: limitsOf(env),
    trustProxy: env.TRUST_PROXY,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    maxBatchCalls: env.BATCH_MAX_CALLS,
    leanQueries: env.LEAN_QUERIES === "on",
  } satisfies Partial<PlatformConfig>;
}
