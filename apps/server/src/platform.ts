import { once } from "node:events";
import { createMetrics, type ContractMode } from "@deltacrown/api";
import { createDb } from "@deltacrown/db";
import { Cache, defaultDomainConfig, type DomainConfig } from "@deltacrown/domain";
import { startWorker } from "@deltacrown/worker";
import type { FastifyServerOptions } from "fastify";
import { Redis } from "ioredis";
import { buildServer } from "./app.ts";

export interface PlatformConfig {
  databaseUrl: string;
  redisUrl?: string | undefined;
  host: string;
  port: number;
  contractMode: ContractMode;
  scryptCost: number;
  dbPoolMax: number;
  runWorker: boolean;
  logger?: FastifyServerOptions["logger"];
}

export interface Platform {
  url: string;
  cache: Cache;
  close(): Promise<void>;
}

/** Wires one server process: pool, Redis (optional), two-tier cache, metrics, HTTP, and optionally the worker. */
export async function startPlatform(config: PlatformConfig): Promise<Platform> {
  const database = createDb({
    connectionString: config.databaseUrl,
    max: config.dbPoolMax,
    applicationName: "deltacrown-api",
  });
  const metrics = createMetrics();
  // Fail fast while Redis is away: the cache falls back to the database instead of queueing.
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 })
    : undefined;
  const subscriber = redis?.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
  redis?.on("error", () => undefined);
  subscriber?.on("error", () => undefined);
  if (redis) await Promise.race([once(redis, "ready"), new Promise((r) => setTimeout(r, 2000).unref())]);

  const cache = new Cache({
    redis,
    subscriber,
    events: {
      onHit: (family) => metrics.cacheRequests.inc({ family, result: "hit" }),
      onMiss: (family) => metrics.cacheRequests.inc({ family, result: "miss" }),
    },
  });
  // A resubscribe may have missed invalidations: drop the memory tier rather than serve stale data.
  subscriber?.on("ready", () => cache.clearMemory());
  await cache.listen().catch(() => undefined);

  const domainConfig: DomainConfig = { ...defaultDomainConfig, scryptCost: config.scryptCost };
  const app = buildServer({
    deps: { db: database.db, cache, config: domainConfig, contractMode: config.contractMode, metrics },
    redis,
    logger: config.logger,
  });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;

  const worker = config.runWorker
    ? await startWorker({
        connectionString: config.databaseUrl,
        deps: { db: database.db },
        concurrency: 2,
        logger: app.log,
      })
    : undefined;

  let closed = false;
  return {
    url: `http://${config.host}:${port}`,
    cache,
    async close() {
      if (closed) return;
      closed = true;
      // Stop taking requests and let in-flight ones finish, then the worker's jobs, then connections.
      await app.close();
      await worker?.stop();
      await Promise.all([redis?.quit().catch(() => undefined), subscriber?.quit().catch(() => undefined)]);
      await database.destroy();
    },
  };
}
