import type { TestServices } from "@deltacrown/test-harness";
import { runOnce, type RunnerOptions } from "graphile-worker";

type Pool = TestServices["pool"];

const ready = new WeakSet<Pool>();

/**
 * The test file's own pool, for graphile-worker's runOnce. Its private pool (from a connection
 * string) can still be closing when the harness drops the database, and the drop's termination
 * then surfaces as an uncaught error; the harness closes this one first. graphile-worker wants
 * error handlers on the pool and on each client (a terminated idle client must not crash us).
 */
export function workerPool(pool: Pool): Pool {
  if (!ready.has(pool)) {
    ready.add(pool);
    pool.on("error", () => undefined);
    pool.on("connect", (client) => client.on("error", () => undefined));
  }
  return pool;
}

/**
 * graphile-worker's runOnce, resolving only once every job it ran is recorded as done or failed.
 * By default (batch delay -1) graphile-worker 0.17 fires a job's `complete_job`/`fail_job` update
 * without awaiting it, and runOnce can resolve first: on a busy machine a test then reads a job
 * with no `last_error`, still locked, or pushes `run_at` back to now() only for the late failure
 * to move it into the back-off again. With a batch delay of 0 the updates go through a batcher
 * that the pool flushes and awaits before its promise resolves.
 */
export function runJobsOnce(options: RunnerOptions): Promise<void> {
  return runOnce({ ...options, preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } } });
}
