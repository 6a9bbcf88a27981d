/* Production entry: configuration only from the environment (see README), DATABASE_URL required. */
import { limitsOf, parseEnv } from "./env.ts";
import { closeOnSignals } from "./lifecycle.ts";
import { startPlatform } from "./platform.ts";

let env;
try {
  env = parseEnv(process.env);
  if (!env.DATABASE_URL)
    throw new Error("bad environment:\n  DATABASE_URL: required (or use `pnpm start` for the embedded default)");
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}

const platform = await startPlatform({
  databaseUrl: env.DATABASE_URL,
  redisUrl: env.REDIS_URL,
  host: env.HOST,
  port: env.PORT,
  contractMode: env.CONTRACT_MODE,
  scryptCost: env.SCRYPT_COST,
  dbPoolMax: env.DB_POOL_MAX,
  runWorker: env.RUN_WORKER,
  smtpUrl: env.SMTP_URL,
  smtpFrom: env.SMTP_FROM,
  workerStaleAfterMs: env.WORKER_STALE_AFTER_MS || false,
  limits: limitsOf(env),
  trustProxy: env.TRUST_PROXY,
  bodyLimitBytes: env.BODY_LIMIT_BYTES,
  maxBatchCalls: env.BATCH_MAX_CALLS,
  webhooks: { allowHttp: env.WEBHOOK_ALLOW_HTTP ?? false, allowAddresses: env.WEBHOOK_ALLOW_ADDRESSES },
  logger: { level: env.LOG_LEVEL },
});
process.stdout.write(`${JSON.stringify({ level: "info", msg: "DeltaCrown API listening", url: platform.url })}\n`);
closeOnSignals(platform);
