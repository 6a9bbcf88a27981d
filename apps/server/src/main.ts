/* Production entry: configuration only from the environment (see README), DATABASE_URL required. */
import cluster from "node:cluster";
import path from "node:path";
import { parseCommand } from "@deltacrown/ops-kit/cli";

parseCommand({
  name: "node apps/server/dist/main.js",
  summary: "run the API (HTTP, WebSocket, SSE, /health, /metrics) until SIGTERM; configured only by the environment",
  env: {
    DATABASE_URL: "Postgres (required)",
    REDIS_URL: "Redis: shared cache tier and cross-process invalidation (optional)",
    "HOST / PORT": "where to listen (127.0.0.1 / 3000)",
    LOG_LEVEL: "fatal|error|warn|info|debug|trace|silent (info); debug adds one line per procedure call",
    WEB_CONCURRENCY: "API processes on the port (default: one per core with REDIS_URL, else 1)",
    "…": "the README's configuration table lists the rest",
  },
  exitCodes: { 1: "the database is not migrated, or start-up failed", 2: "bad environment" },
});

// Loaded after the arguments are parsed: --help and a bad flag answer without loading the database layer.
const { isDatabaseUnavailable, pendingMigrations } = await import("@deltacrown/db");
const { createLogger, surviveConnectionLoss } = await import("@deltacrown/ops-kit");
const { parseEnv, storageOf } = await import("./env.ts");
const { closeOnSignals } = await import("./lifecycle.ts");
const { platformConfigOf } = await import("./platform-config.ts");
const { startPlatform } = await import("./platform.ts");
const { processCount, reportListening, superviseProcesses } = await import("./processes.ts");

let env;
let processes;
try {
  env = parseEnv(process.env);
  if (!env.DATABASE_URL)
    throw new Error("bad environment:\n  DATABASE_URL: required (or use `pnpm start` for the embedded default)");
  processes = processCount(env);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}

const logger = createLogger({ service: "api", level: env.LOG_LEVEL });
// A lost database connection that escaped every handler must not end the API: it reconnects.
surviveConnectionLoss(
  isDatabaseUnavailable,
  (err, kind) => logger.error({ err, kind }, "database connection lost (escaped its handler): serving on"),
  (err) => logger.fatal({ err }, "uncaught error"),
);
const pending = await pendingMigrations(env.DATABASE_URL).catch((err: unknown) => {
  logger.fatal({ err }, "cannot read the database's migrations: is DATABASE_URL right and Postgres up?");
  process.exit(1);
});
if (pending.length > 0) {
  logger.fatal({ pending }, "the database is not migrated: run pnpm migrate (with this DATABASE_URL) first");
  process.exit(1);
}
// Several processes: this one only supervises them (processes.ts); each of them runs what follows.
if (processes > 1 && cluster.isPrimary) superviseProcesses(processes, logger);
else await serve(env, env.DATABASE_URL);

async function serve(env: ReturnType<typeof parseEnv>, databaseUrl: string) {
  const platform = await startPlatform({
    ...platformConfigOf(env),
    databaseUrl,
    runWorker: env.RUN_WORKER,
    storage: storageOf(env, path.resolve(".data", "uploads")),
    browser: { corsOrigins: env.CORS_ORIGINS, secureCookies: env.COOKIE_SECURE ?? true },
    webhooks: { allowHttp: env.WEBHOOK_ALLOW_HTTP ?? false, allowAddresses: env.WEBHOOK_ALLOW_ADDRESSES },
    logger,
  });
  logger.info({ url: platform.url, pid: process.pid }, "DeltaCrown API listening");
  reportListening();
  closeOnSignals(platform, {
    stopping: (signal) => logger.info({ signal }, "API stopping: finishing in-flight requests and jobs"),
    stopped: () => logger.info("API stopped"),
    failed: (err) => logger.error({ err }, "API shutdown failed"),
  });
}
