/* Production entry: `node apps/worker/dist/main.js` (after `pnpm build`) runs the job worker until SIGTERM. */
import { parseCommand } from "@deltacrown/ops-kit/cli";
import type { MetricsServer } from "./metrics-server.ts";

parseCommand({
  name: "node apps/worker/dist/main.js",
  summary: "run the job worker (tasks and crontab) until SIGTERM; configured only by the environment",
  env: {
    DATABASE_URL: "Postgres, migrated (required)",
    REDIS_URL: "the API's Redis: leaderboard and warming jobs write the shared cache there (optional)",
    WORKER_CONCURRENCY: "jobs run at once (4)",
    WORKER_METRICS_PORT:
      "serve /metrics (Prometheus), /health and /health/ready on this port (0: any free port; unset: none)",
    WORKER_HEARTBEAT_MS: "heartbeat interval (5000)",
    WORKER_DEAD_AFTER_MS: "a worker silent this long is dead: its job locks are released (40000)",
    "SMTP_URL / SMTP_FROM": "e-mail delivery of notifications (unset: in-app only)",
    LOG_LEVEL: "fatal|error|warn|info|debug|trace|silent (info)",
    LEGACY_DATABASE_URL: "the old site's database: also run pnpm import:legacy's batches (optional)",
  },
  exitCodes: { 1: "the database is not migrated, or start-up failed", 2: "bad environment" },
});

// Loaded after the arguments are parsed: --help and a bad flag answer without loading the database layer.
const { createDb, isDatabaseUnavailable, pendingMigrations } = await import("@deltacrown/db");
const { Cache, defaultOutboundPolicy, parseAddressList, watchRedisErrors } = await import("@deltacrown/domain");
const { openLegacySource } = await import("@deltacrown/legacy-import");
const { createLogger, LOG_LEVELS, observePool, probe, reportConnectionErrors, surviveConnectionLoss } =
  await import("@deltacrown/ops-kit");
const { Redis } = await import("ioredis");
const { sql } = await import("kysely");
const { z } = await import("zod");
const { DEFAULT_DEAD_AFTER_MS } = await import("./dead-workers.ts");
const { smtpMailer } = await import("./mailer.ts");
const { createWorkerMetrics } = await import("./metrics.ts");
const { serveMetrics } = await import("./metrics-server.ts");
const { observeJobQueue } = await import("./queue-metrics.ts");
const { startWorker } = await import("./runner.ts");

const env = z
  .object({
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL"),
    /** The API's Redis: leaderboard and warming jobs write the shared cache tier there. */
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, "must be a redis:// URL")
      .optional(),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    /** smtp(s)://user:pass@host:port; unset: notifications stay in-app only. */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
      .optional(),
    SMTP_FROM: z.string().min(3).default("DeltaCrown <noreply@deltacrown.local>"),
    /** When set, GET /metrics (Prometheus), /health and /health/ready on this port; 0 picks a free one (logged). */
    WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    WORKER_HEARTBEAT_MS: z.coerce.number().int().min(500).max(60_000).default(5000),
    /** A worker silent this long is dead: its job locks are released (default 40 s). */
    WORKER_DEAD_AFTER_MS: z.coerce.number().int().min(2000).max(3_600_000).default(DEFAULT_DEAD_AFTER_MS),
    /** The old site's database: when set, this worker also runs `pnpm import:legacy`'s batches. */
    LEGACY_DATABASE_URL: z.string().url("LEGACY_DATABASE_URL must be a postgres:// URL").optional(),
    /** Development only: deliver webhooks over plain http too. */
    WEBHOOK_ALLOW_HTTP: z.enum(["true", "false"]).default("false"),
    /** Addresses/CIDRs webhooks may reach although private (a local receiver in development). */
    WEBHOOK_ALLOW_ADDRESSES: z
      .string()
      .default("")
      .transform((text, ctx) => {
        const list = parseAddressList(text);
        if (!list) ctx.addIssue({ code: "custom", message: "must be a comma list of addresses or CIDRs" });
        return list ?? z.NEVER;
      }),
    LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  })
  .safeParse(process.env);
if (!env.success) {
  for (const issue of env.error.issues)
    process.stderr.write(`bad environment: ${issue.path.join(".")}: ${issue.message}\n`);
  process.exit(2);
}

const logger = createLogger({ service: "worker", level: env.data.LOG_LEVEL });
// graphile-worker can reject unhandled while the database is away (its job-failure path): the
// worker stays up and its pools reconnect. Any other escaped error still ends the process.
surviveConnectionLoss(
  isDatabaseUnavailable,
  (err, kind) => logger.error({ err, kind }, "database connection lost (escaped its handler): working on"),
  (err) => logger.fatal({ err }, "uncaught error"),
);

// Before graphile-worker installs its own schema: on an unmigrated database, say what to do.
const pending = await pendingMigrations(env.data.DATABASE_URL).catch((err: unknown) => {
  logger.fatal({ err }, "cannot read the database's migrations: is DATABASE_URL right and Postgres up?");
  process.exit(1);
});
if (pending.length > 0) {
  logger.fatal({ pending }, "the database is not migrated: run pnpm migrate (with this DATABASE_URL) first");
  process.exit(1);
}

const metrics = createWorkerMetrics();
const database = createDb({
  connectionString: env.data.DATABASE_URL,
  max: env.data.WORKER_CONCURRENCY + 2,
  applicationName: "deltacrown-worker",
  onConnectionError: reportConnectionErrors(metrics.registry, "worker", logger),
});
// Fail fast while Redis is away: jobs then skip the cache write instead of queueing commands.
const redis = env.data.REDIS_URL
  ? new Redis(env.data.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
  : undefined;
watchRedisErrors(redis, "cache", {
  count: (client) => metrics.redisErrors.inc({ client }),
  log: (client, err, suppressed) => logger.warn({ err, client, suppressed }, "redis connection error"),
});
const cache = redis ? new Cache({ redis }) : undefined;
const mailer = env.data.SMTP_URL ? smtpMailer(env.data.SMTP_URL, env.data.SMTP_FROM) : undefined;
const legacy = env.data.LEGACY_DATABASE_URL ? openLegacySource(env.data.LEGACY_DATABASE_URL) : undefined;
observePool(metrics.registry, "worker", database.pool);
observeJobQueue(metrics.registry, database.db);
const worker = await startWorker({
  connectionString: env.data.DATABASE_URL,
  deps: {
    db: database.db,
    mailer,
    cache,
    legacy,
    webhooks: {
      ...defaultOutboundPolicy,
      allowHttp: env.data.WEBHOOK_ALLOW_HTTP === "true",
      allowAddresses: env.data.WEBHOOK_ALLOW_ADDRESSES,
    },
  },
  concurrency: env.data.WORKER_CONCURRENCY,
  heartbeatIntervalMs: env.data.WORKER_HEARTBEAT_MS,
  deadWorkerAfterMs: env.data.WORKER_DEAD_AFTER_MS,
  metrics,
  logger,
});
let stopping = false;
const metricsServer: MetricsServer | undefined =
  env.data.WORKER_METRICS_PORT !== undefined
    ? await serveMetrics(metrics.registry, env.data.WORKER_METRICS_PORT, {
        // Ready: the worker's database answers and it is not draining. Redis is optional here
        // (jobs skip the cache write without it), so it does not make the worker unready.
        ready: async () => {
          const check = await probe(() => sql`select 1`.execute(database.db));
          return { ready: !stopping && check.status === "up", checks: { database: check } };
        },
      })
    : undefined;
logger.info(
  {
    concurrency: env.data.WORKER_CONCURRENCY,
    workerId: worker.workerId,
    email: mailer ? "smtp" : "in-app only",
    cache: redis ? "redis" : "none (leaderboards are not pushed to Redis)",
    metricsPort: metricsServer?.port,
  },
  "worker started",
);

async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "worker stopping: finishing in-flight jobs");
  try {
    await worker.stop();
    await metricsServer?.close();
    mailer?.close();
    redis?.disconnect();
    await legacy?.destroy();
    await database.destroy();
    logger.info("worker stopped");
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, "worker shutdown failed");
    process.exit(1);
  }
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
