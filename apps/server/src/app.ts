import {
  appRouter,
  createContextFactory,
  SESSION_MODE_HEADER,
  sessionCookieFor,
  type ContextDeps,
} from "@deltacrown/api";
import { probe, type Logger } from "@deltacrown/ops-kit";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import { sql, type Kysely } from "kysely";
import type { Database } from "@deltacrown/db";
import { originTrust, registerBrowserPolicy, type BrowserPolicy } from "./browser.ts";
import type { TrustFn } from "./client-address.ts";
import { clusterMetricsOf } from "./cluster-metrics.ts";
import { registerOpenApi } from "./openapi.ts";
import { registerReadiness } from "./readiness.ts";
import { registerRequestId, requestLogOptions } from "./request-log.ts";
import { trpcHttp } from "./trpc-http.ts";
import { serveWebApp } from "./web-app.ts";
import { registerMedia } from "./media-route.ts";
import { registerUploads } from "./uploads-route.ts";

export interface ServerOptions {
  deps: ContextDeps;
  redis?: Redis | undefined;
  /** The process's logger (ops-kit's createLogger); none: no logs. */
  logger?: Logger | undefined;
  /**
   * A worker is down when its newest heartbeat (`worker_heartbeats`) is older than this; false:
   * no worker is part of this deployment, and /health/detailed does not check one.
   */
  workerStaleAfterMs?: number | false;
  /** Which peers may set X-Forwarded-For (default: none, the socket's peer is the client). */
  trustProxy?: TrustFn | false | undefined;
  /** Largest request body (default 1 MiB); larger: 413. */
  bodyLimitBytes?: number | undefined;
  /** Most calls in one batched request (default 20); more: 413, none executed. */
  maxBatchCalls?: number | undefined;
  /** GET queries skip tRPC's fetch-API layer (lean-queries.ts; default true); false: LEAN_QUERIES=off. */
  leanQueries?: boolean | undefined;
  /** Counts requests the lean path answered (tests). */
  leanStats?: { served: number; preSerialized: number } | undefined;
  /**
   * CORS allow-list and cookie flags (default: no other origin, Secure cookies). false: no CORS
   * and no helmet headers (only the middleware benchmark uses it, to measure their cost).
   */
  browser?: BrowserPolicy | false | undefined;
  /** /health/ready answers 503 while `draining` (graceful shutdown behind a load balancer). */
  readiness?: { draining: boolean } | undefined;
  /** Read replicas' state for /health/detailed (replica-status.ts); absent: none configured. */
  replicaStatus?: (() => object) | undefined;
  /** A built web app (apps/web/dist) to serve from this origin; unset: API only. */
  webRoot?: string | undefined;
}

export const DEFAULT_BROWSER_POLICY: BrowserPolicy = { corsOrigins: [], secureCookies: true };

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
export const DEFAULT_MAX_BATCH_CALLS = 20;

/** Fastify hosting the tRPC router (batched HTTP at /trpc), /health, /health/ready, /health/detailed and /metrics. */
export function buildServer(options: ServerOptions): FastifyInstance {
  // Typed as Fastify's base logger, so the instance keeps Fastify's default logger type.
  const loggerInstance: FastifyBaseLogger | undefined = options.logger;
  const app = Fastify({
    ...(loggerInstance ? { loggerInstance } : { logger: false }),
    ...requestLogOptions(),
    // Batched calls put every path in the URL. Node's header limit (16 KiB) bounds the URL; the
    // batch cap (in calls) refuses an oversized batch with a typed 413 before anything runs.
    routerOptions: { maxParamLength: 16_384 },
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    trustProxy: options.trustProxy ?? false,
  });
  const deps = { ...options.deps, logger: options.deps.logger ?? app.log };
  registerRequestId(app);
  const browser = options.browser || DEFAULT_BROWSER_POLICY;
  if (options.browser !== false) registerBrowserPolicy(app, browser);
  const trustedOrigin = originTrust(browser);
  const createContext = createContextFactory(deps);

  trpcHttp(app, {
    prefix: "/trpc",
    router: appRouter,
    createContext: ({ req, reply, info }) =>
      createContext({
        req,
        info,
        trustedOrigin: trustedOrigin(req.headers),
        sessionCookie: sessionCookieFor(req.headers[SESSION_MODE_HEADER] === "cookie", browser.secureCookies, (value) =>
          reply.header("set-cookie", value),
        ),
      }),
    maxBatchCalls: options.maxBatchCalls ?? DEFAULT_MAX_BATCH_CALLS,
    leanQueries: options.leanQueries ?? true,
    leanStats: options.leanStats,
    onError({ error, path, req }) {
      // Only our own failures are worth an operator's attention; client mistakes are not.
      if (error.code === "INTERNAL_SERVER_ERROR")
        req.log.error({ err: error.cause ?? error, path }, "procedure failed");
    },
  });

  // Graceful close: in-flight requests finish, and their keep-alive connections end with their
  // response (otherwise close() would wait out the keep-alive timeout, ~72 s, per connection).
  let closing = false;
  app.addHook("preClose", (done) => {
    closing = true;
    done();
  });
  // A callback hook, not an async one: it runs on every response, and a promise per response costs.
  app.addHook("onSend", (_req, reply, payload, done) => {
    if (closing) reply.header("connection", "close");
    done(null, payload);
  });

  // Liveness: answers while the process runs, whatever its dependencies do.
  app.get("/health", () => ({ status: "ok" }));

  // For consumers that are not TypeScript: the public reads as OpenAPI 3.1 (see openapi.ts).
  registerOpenApi(app);

  // Readiness (load balancers, orchestrators): what this process needs to serve, in readiness.ts:
  // 503 while the database is away (calls then fail as retryable 503s) or while shutting down.
  // Draining (SHUTDOWN_DRAIN_MS): still serving, but out of the balancer's rotation before it stops.
  registerReadiness(app, {
    db: deps.db,
    redis: options.redis,
    closing: () => closing || options.readiness?.draining === true,
  });

  // For humans: every dependency, the worker's heartbeat included, with its latency; 503 when one
  // is down. Never a readiness probe: a worker restart would pull every API instance out.
  // Checked one after the other on purpose: a probe's latency should not include waiting behind another's.
  const staleAfterMs = options.workerStaleAfterMs ?? 30_000;
  app.get("/health/detailed", async (_req, reply) => {
    const redis = options.redis;
    const checks = {
      database: await probe(() => sql`select 1`.execute(deps.db)),
      // Configured but unreachable is down: the shared tier and cross-process invalidation are gone.
      redis: redis ? await probe(() => redis.ping()) : { status: "disabled" as const },
      worker: staleAfterMs === false ? { status: "disabled" as const } : await workerCheck(deps.db, staleAfterMs),
    };
    const down = Object.values(checks).some((c) => c.status === "down");
    const replicas = options.replicaStatus?.();
    return reply
      .code(down ? 503 : 200)
      .send({ status: down ? "degraded" : "ok", checks, ...(replicas && { replicas }) });
  });

  // Several API processes: every scrape answers for all of them (cluster-metrics.ts).
  const wholeCluster = deps.metrics && clusterMetricsOf(deps.metrics.registry);
  app.get("/metrics", async (req, reply) => {
    const registry = deps.metrics?.registry;
    if (!registry) return reply.code(404).send("metrics disabled\n");
    if (!wholeCluster) return reply.type(registry.contentType).send(await registry.metrics());
    try {
      return reply.type(registry.contentType).send(await wholeCluster());
    } catch (err) {
      // One process's counters alone would read as resets: no answer rather than a wrong one.
      req.log.warn({ err }, "could not gather the API processes' metrics");
      return reply.code(503).header("retry-after", "5").send("metrics of the other API processes unavailable\n");
    }
  });

  // Uploads (POST /uploads) and the stored images (GET /media/…), when storage is configured.
  registerUploads(app, { deps, trustedOrigin });
  registerMedia(app, deps.storage);

  if (options.webRoot) serveWebApp(app, options.webRoot);

  return app;
}

/**
 * The worker is up when some worker beat within `staleAfterMs` (read from Postgres, so it needs
 * no Redis). Latency is the query's; `lastBeatAgeMs` says how old the newest beat is.
 */
async function workerCheck(db: Kysely<Database>, staleAfterMs: number) {
  let beat: { age_ms: number | null; workers: number } | undefined;
  const result = await probe(async () => {
    const { rows } = await sql<{ age_ms: number | null; workers: number }>`
      select (extract(epoch from now() - max(beat_at)) * 1000)::float8 as age_ms,
             count(*) filter (where beat_at > now() - make_interval(secs => ${staleAfterMs / 1000}))::int as workers
        from worker_heartbeats`.execute(db);
    beat = rows[0];
  });
  if (result.status === "down" || !beat) return result;
  const ageMs = beat.age_ms === null ? null : Math.round(beat.age_ms);
  if (ageMs === null) return { ...result, status: "down" as const, error: "no worker heartbeat recorded" };
  if (ageMs > staleAfterMs)
    return {
      ...result,
      status: "down" as const,
      lastBeatAgeMs: ageMs,
      error: `newest worker heartbeat is ${ageMs} ms old (stale after ${staleAfterMs} ms)`,
    };
  return { ...result, lastBeatAgeMs: ageMs, workers: beat.workers };
}
