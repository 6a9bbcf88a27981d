import { once } from "node:events";
import {
  AbuseLimits,
  createMetrics,
  createReadRouting,
  defaultLimits,
  type ContractMode,
  type LimitsConfig,
} from "@deltacrown/api";
import { createDb, ReplicaSet } from "@deltacrown/db";
import {
  Cache,
  createStorage,
  defaultDomainConfig,
  watchRedisErrors,
  type DomainConfig,
  type OutboundPolicy,
  type StorageConfig,
} from "@deltacrown/domain";
import { observePool, reportConnectionErrors, type Logger } from "@deltacrown/ops-kit";
import { createWorkerMetrics, observeJobQueue, smtpMailer, startWorker, type WorkerProcess } from "@deltacrown/worker";
import { Redis } from "ioredis";
import { buildServer, DEFAULT_BROWSER_POLICY } from "./app.ts";
import type { BrowserPolicy } from "./browser.ts";
import { trustFunction, type TrustProxy } from "./client-address.ts";
import { observeDependencies } from "./dependency-metrics.ts";
import { registerLive } from "./live/register.ts";
import { observeReplicas, replicaStatus } from "./replica-status.ts";

export interface PlatformConfig {
  databaseUrl: string;
  /**
   * Postgres without a transaction pooler in between, for what needs a session of its own: the
   * live relay's LISTEN and the in-process worker (LISTEN, advisory locks). Default: databaseUrl.
   */
  directDatabaseUrl?: string | undefined;
  redisUrl?: string | undefined;
  host: string;
  port: number;
  contractMode: ContractMode;
  scryptCost: number;
  dbPoolMax: number;
  /** Read replicas: hot public reads (declared per procedure in the budget table) go there. */
  replicaUrls?: readonly string[] | undefined;
  /** A replica lagging beyond this is skipped (default 5 s). */
  replicaMaxLagMs?: number | undefined;
  /** Named prepared statements (default on); off behind PgBouncer's transaction pooling. */
  preparedStatements?: boolean | undefined;
  /** On close, /health/ready answers 503 this long before the server stops accepting (default 0). */
  shutdownDrainMs?: number | undefined;
  /** The memory tier's lifetime per entry (CACHE_MEMORY_TTL_MS); default 60 s. */
  cacheMemoryTtlMs?: number | undefined;
  runWorker: boolean;
  /** The process's logger (ops-kit's createLogger); none: no logs. */
  logger?: Logger | undefined;
  /** SMTP for notification e-mail (in-process worker); unset: in-app only. */
  smtpUrl?: string | undefined;
  smtpFrom?: string | undefined;
  /** /health/detailed: a worker heartbeat older than this is a dead worker; false: not checked. */
  workerStaleAfterMs?: number | false | undefined;
  /** How often the in-process worker beats (default 5 s). */
  workerHeartbeatMs?: number | undefined;
  /** Abuse limits (default: `defaultLimits`); false: none. In Redis when `redisUrl` is set. */
  limits?: LimitsConfig | false | undefined;
  /** Who may set X-Forwarded-For (default: nobody). */
  trustProxy?: TrustProxy | undefined;
  bodyLimitBytes?: number | undefined;
  maxBatchCalls?: number | undefined;
  /** GET queries through the lean path (default true; LEAN_QUERIES=off). */
  leanQueries?: boolean | undefined;
  /** Counts requests the lean path answered (the differential test). */
  leanStats?: { served: number; preSerialized: number } | undefined;
  /** CORS allow-list and cookie flags (default: no other origin, Secure cookies); false: see buildServer. */
  browser?: BrowserPolicy | false | undefined;
  /** A built web app to serve from the API's origin (start.ts passes apps/web/dist). */
  webRoot?: string | undefined;
  /** Where webhooks may go (registration checks; the in-process worker delivers under it). */
  webhooks?: Partial<OutboundPolicy> | undefined;
  /** Where uploaded images are stored (POST /uploads, GET /media/…); unset: no uploads served. */
  storage?: StorageConfig | undefined;
}

export interface Platform {
  url: string;
  cache: Cache;
  close(): Promise<void>;
}

/** quit() waits for an answer (forever, for a client queueing offline): only ask a connected one. */
async function closeRedis(client: Redis | undefined): Promise<void> {
  if (!client) return;
  if (client.status === "ready") await client.quit().catch(() => client.disconnect());
  else client.disconnect();
}

const within = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** Wires one server process: pool, Redis (optional), two-tier cache, metrics, HTTP, and optionally the worker. */
export async function startPlatform(config: PlatformConfig): Promise<Platform> {
  const metrics = createMetrics();
  // Set once the app exists: reports before that go to the metrics only.
  const logRef: { current?: { warn(obj: object, msg: string): void } } = {};
  const database = createDb({
    connectionString: config.databaseUrl,
    max: config.dbPoolMax,
    applicationName: "deltacrown-api",
    onConnectionError: reportConnectionErrors(metrics.registry, "api", () => logRef.current),
    prepare: config.preparedStatements,
  });
  // Fail fast while Redis is away: the cache falls back to the database instead of queueing.
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 })
    : undefined;
  const subscriber = redis?.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
  const redisReport = {
    count: (client: string) => metrics.redisErrors.inc({ client }),
    log: (client: string, err: unknown, suppressed: number) =>
      logRef.current?.warn({ err, client, suppressed }, "redis connection error"),
  };
  watchRedisErrors(redis, "cache", redisReport);
  watchRedisErrors(subscriber, "cache-subscriber", redisReport);
  // A refused connection ends the wait at once (`once` rejects on "error"): start without the tier.
  if (redis) await Promise.race([once(redis, "ready").catch(() => undefined), within(2000)]);

  const cache = new Cache({
    redis,
    subscriber,
    memoryTtlMs: config.cacheMemoryTtlMs,
    events: {
      onHit: (family) => metrics.cacheRequests.inc({ family, result: "hit" }),
      onMiss: (family) => metrics.cacheRequests.inc({ family, result: "miss" }),
      onError: (operation) => metrics.cacheErrors.inc({ operation }),
    },
  });
  observePool(metrics.registry, "api", database.pool);
  const dependencies = observeDependencies(metrics.registry, { databaseUrl: config.databaseUrl, redis });
  observeJobQueue(metrics.registry, database.db, {
    workerStaleAfterMs: config.workerStaleAfterMs === false ? undefined : config.workerStaleAfterMs,
  });
  // With Redis away the subscription waits in the subscriber's queue: start serving anyway (the
  // cache reads through to Redis or the database, its memory tier unused until subscribed).
  const listening = cache.listen().catch(() => undefined);
  if (redis?.status === "ready") await Promise.race([listening, within(2000)]);

  const domainConfig: DomainConfig = {
    ...defaultDomainConfig,
    scryptCost: config.scryptCost,
    webhooks: { ...defaultDomainConfig.webhooks, ...config.webhooks },
  };
  const limitsConfig = config.limits ?? defaultLimits;
  let lastStoreErrorLog = -Infinity;
  const limits =
    limitsConfig === false
      ? undefined
      : new AbuseLimits({
          config: limitsConfig,
          redis,
          onRefused: (limit) => metrics.rateLimitRefusals.inc({ limit }),
          onStoreError(limit, err) {
            metrics.rateLimitStoreErrors.inc({ limit });
            if (Date.now() - lastStoreErrorLog < 30_000) return;
            lastStoreErrorLog = Date.now();
            logRef.current?.warn({ err, limit }, "abuse limit store unavailable: letting calls through");
          },
        });
  const replicas = config.replicaUrls?.length
    ? new ReplicaSet({
        urls: config.replicaUrls,
        primary: database.pool,
        maxLagMs: config.replicaMaxLagMs,
        max: config.dbPoolMax,
        prepare: config.preparedStatements,
      })
    : undefined;
  if (replicas) {
    await replicas.poll();
    observeReplicas(metrics.registry, replicas);
  }
  const reads = replicas
    ? createReadRouting({
        replicas,
        redis,
        onFallback: (reason) => metrics.replicaFallbacks.inc({ reason }),
        onReplicaRead: (replica) => metrics.replicaReads.inc({ replica }),
      })
    : undefined;
  const readiness = { draining: false };
  const storage = config.storage ? createStorage(config.storage) : undefined;
  // One set of dependencies for the HTTP procedures and the live (subscription) endpoint.
  const deps = {
    db: database.db,
    cache,
    config: domainConfig,
    contractMode: config.contractMode,
    metrics,
    limits,
    reads,
    storage,
  };
  const trust = config.trustProxy ? trustFunction(config.trustProxy) : undefined;
  const app = buildServer({
    deps,
    readiness,
    replicaStatus: replicas ? replicaStatus(replicas) : undefined,
    redis,
    logger: config.logger,
    workerStaleAfterMs: config.workerStaleAfterMs,
    trustProxy: trust ?? false,
    bodyLimitBytes: config.bodyLimitBytes,
    maxBatchCalls: config.maxBatchCalls,
    leanQueries: config.leanQueries,
    leanStats: config.leanStats,
    browser: config.browser,
    webRoot: config.webRoot,
  });
  logRef.current = app.log;
  await registerLive(app, {
    deps,
    redisUrl: config.redisUrl,
    databaseUrl: config.directDatabaseUrl ?? config.databaseUrl,
    trustProxy: trust ?? (() => false),
    maxBatchCalls: config.maxBatchCalls,
    browser: config.browser || DEFAULT_BROWSER_POLICY,
  });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;

  const mailer =
    config.runWorker && config.smtpUrl
      ? smtpMailer(config.smtpUrl, config.smtpFrom ?? "DeltaCrown <noreply@deltacrown.local>")
      : undefined;
  let worker: WorkerProcess | undefined;
  // Requests first (in-flight ones finish), then the worker's jobs, then connections. Also the
  // unwinding when the worker fails to start, so nothing opened above is left behind.
  const stopAll = async () => {
    await app.close();
    await worker?.stop();
    mailer?.close();
    await cache.flushViews();
    await Promise.all([closeRedis(redis), closeRedis(subscriber)]);
    storage?.close?.();
    await Promise.all([database.destroy(), dependencies.close(), replicas?.close()]);
  };
  try {
    worker = config.runWorker
      ? await startWorker({
          connectionString: config.directDatabaseUrl ?? config.databaseUrl,
          deps: { db: database.db, mailer, cache, webhooks: domainConfig.webhooks },
          concurrency: 2,
          logger: app.log,
          // Job metrics join the API's registry, so this process's /metrics shows both.
          metrics: createWorkerMetrics(metrics.registry),
          heartbeatIntervalMs: config.workerHeartbeatMs,
        })
      : undefined;
  } catch (error) {
    await stopAll();
    throw error;
  }

  let closed: Promise<void> | undefined;
  return {
    url: `http://${config.host}:${port}`,
    cache,
    close: () =>
      (closed ??= (async () => {
        // Behind a load balancer: fail readiness while still serving, until its checks took us out.
        readiness.draining = true;
        if (config.shutdownDrainMs) await new Promise((r) => setTimeout(r, config.shutdownDrainMs));
        await stopAll();
      })()),
  };
}
