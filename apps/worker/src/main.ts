/* Operator entry: `pnpm --filter @deltacrown/worker start` runs the job worker until SIGTERM. */
import { createDb } from "@deltacrown/db";
import { z } from "zod";
import { startWorker } from "./runner.ts";

const env = z
  .object({
    DATABASE_URL: z.string().url("DATABASE_URL must be a postgres:// URL"),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
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
  max: env.data.WORKER_CONCURRENCY + 1,
  applicationName: "deltacrown-worker",
});
const runner = await startWorker({
  connectionString: env.data.DATABASE_URL,
  deps: { db: database.db },
  concurrency: env.data.WORKER_CONCURRENCY,
  logger,
});
logger.info({ concurrency: env.data.WORKER_CONCURRENCY }, "worker started");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "worker stopping: finishing in-flight jobs");
  await runner.stop();
  await database.destroy();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
