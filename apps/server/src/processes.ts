/*
 * WEB_CONCURRENCY: several API processes on one port, as gunicorn runs workers (issue 14). One
 * Node process serves from one core; node:cluster forks `count` copies of this entry, and the
 * primary hands each accepted connection to the next one (round robin), so every core serves.
 * The primary serves nothing itself: it starts the processes, restarts one that dies after it
 * served, and on SIGTERM/SIGINT passes the signal on and exits when all have finished their
 * requests (each closes as a single process does, see lifecycle.ts).
 */
import cluster, { type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import type { Logger } from "@deltacrown/ops-kit";
import { serveClusterMetrics } from "./cluster-metrics.ts";

/**
 * How many API processes: WEB_CONCURRENCY when set, else one per core — but only with Redis, which
 * keeps the processes' in-memory cache tiers and abuse-limit counters coherent. Without it each
 * process would serve its own stale copy after another one's write, so more than one is refused.
 */
export function processCount(env: { WEB_CONCURRENCY?: number | undefined; REDIS_URL?: string | undefined }): number {
  if (env.WEB_CONCURRENCY !== undefined) {
    if (env.WEB_CONCURRENCY > 1 && !env.REDIS_URL)
      throw new Error(
        "bad environment:\n  WEB_CONCURRENCY: more than one process needs REDIS_URL (cache invalidation and limits are shared through Redis)",
      );
    return env.WEB_CONCURRENCY;
  }
  return env.REDIS_URL ? availableParallelism() : 1;
}

/** A process that exits this soon after it started, before listening, means start-up fails: stop all. */
const LISTENING = "dc:listening";

/** In a forked API process: tells the primary it serves (restarts are for processes that did). */
export function reportListening(): void {
  if (cluster.isWorker) process.send?.(LISTENING);
}

/**
 * The primary: forks `count` API processes of this same entry and supervises them; resolves
 * never (it exits the process). A process that dies before it listened stops the whole set with
 * its exit code (bad configuration, unmigrated database: restarting would only repeat it).
 */
export function superviseProcesses(count: number, logger: Logger): void {
  let stopping = false;
  let exitCode = 0;
  const listening = new WeakSet<Worker>();
  const fork = () => {
    const worker = cluster.fork();
    worker.on("message", (message) => {
      if (message === LISTENING) listening.add(worker);
    });
    worker.on("exit", (code, signal) => {
      const served = listening.has(worker);
      if (stopping) {
        if (code !== 0) exitCode = 1;
      } else if (!served) {
        logger.fatal({ pid: worker.process.pid, code, signal }, "an API process failed to start: stopping all");
        exitCode = code && code > 0 ? code : 1;
        stop();
      } else {
        logger.error({ pid: worker.process.pid, code, signal }, "an API process died: starting another");
        fork();
      }
      if (stopping && Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
    });
  };
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const running = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (running.length === 0) process.exit(exitCode);
    // Each finishes its requests in flight and exits (closeOnSignals); the last exit ends the primary.
    for (const worker of running) worker.process.kill("SIGTERM");
  };
  process.on("SIGTERM", () => {
    logger.info({ processes: count }, "API stopping: every process finishes its in-flight requests");
    stop();
  });
  process.on("SIGINT", stop);
  serveClusterMetrics();
  for (let i = 0; i < count; i++) fork();
  logger.info({ processes: count, pid: process.pid }, "API primary started its processes");
}
