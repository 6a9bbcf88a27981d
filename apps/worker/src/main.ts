/* Operator entry: `pnpm --filter @deltacrown/worker start` runs the job worker until SIGTERM. */
import { createDb } from "@deltacrown/db";
import { Cache, defaultOutboundPolicy, parseAddressList, watchRedisErrors } from "@deltacrown/domain";
import { openLegacySource } from "@deltacrown/legacy-import";
import { Redis } from "ioredis";
import { z } from "zod";
import { smtpMailer } from "./mailer.ts";
import { createWorkerMetrics } from "./metrics.ts";
import { serveMetrics, type MetricsServer } from "./metrics-server.ts";
import { startWorker } from "./runner.ts";

const env = z
  .object({
    DATABASE_URL: z.string().url("DATABASE_URL must be a postgres:// URL"),
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
    /** When set, GET /metrics (Prometheus) on this port. */
    WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    WORKER_HEARTBEAT_MS: z.coerce.number().int().min(500).max(60_000).default(5000),
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
  })
  .safeParse(process.env);
if (!env.success) {
  for (const issue of env.error.issues)
    process.stderr.write(`bad environment: ${issue.path.join(".")}: ${issue.message}\n`);
  process.exit(2);
}

const log = (level: string) => (obj: object, msg: string) =>
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), msg, ...obj })}\n`);
const logger = { info: log("info"), warn: log("warn"), error: log("error") };

const database = createDb({
  connectionString: env.data.DATABASE_URL,
  max: env.data.WORKER_CONCURRENCY + 2,
  applicationName: "deltacrown-worker",
});
const metrics = createWorkerMetrics();
// Fail fast while Redis is away: jobs then skip the cache write instead of queueing commands.
const redis = env.data.REDIS_URL
  ? new Redis(env.data.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
  : undefined;
watchRedisErrors(redis, "cache", {
  count: (client) => metrics.redisErrors.inc({ client }),
  log: (client, err, suppressed) => logger.warn({ err: String(err), client, suppressed }, "redis connection error"),
});
const cache = redis ? new Cache({ redis }) : undefined;
const mailer = env.data.SMTP_URL ? smtpMailer(env.data.SMTP_URL, env.data.SMTP_FROM) : undefined;
const legacy = env.data.LEGACY_DATABASE_URL ? openLegacySource(env.data.LEGACY_DATABASE_URL) : undefined;
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
  metrics,
  logger,
});
const metricsServer: MetricsServer | undefined = env.data.WORKER_METRICS_PORT
  ? await serveMetrics(metrics.registry, env.data.WORKER_METRICS_PORT)
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

let stopping = false;
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
    process.exit(0);
  } catch (error) {
    logger.error({ err: String(error) }, "worker shutdown failed");
    process.exit(1);
  }
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
