import { LEGACY_IMPORT_FLAG } from "@deltacrown/legacy-import";
import { EventEmitter } from "node:events";
import { Logger, parseCrontab, run, type Runner, type WorkerEvents } from "graphile-worker";
import { crontab as defaultCrontab } from "./crontab.ts";
import { DEFAULT_DEAD_AFTER_MS, reapDeadWorkers, unlockRetiredPools } from "./dead-workers.ts";
import { startHeartbeat, type Heartbeat } from "./heartbeat.ts";
import type { WorkerMetrics } from "./metrics.ts";
import { createTaskList, jobBudget, type JobReport } from "./task-list.ts";
import type { TaskDeps } from "./task-deps.ts";

export interface WorkerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface WorkerOptions {
  connectionString: string;
  deps: TaskDeps;
  concurrency?: number;
  pollIntervalMs?: number;
  logger?: WorkerLogger;
  onJob?: (report: JobReport) => void;
  /** Job durations, failures and retries per task. */
  metrics?: WorkerMetrics | undefined;
  /** How often the worker records it is alive (`worker_heartbeats`); false: no heartbeat. */
  heartbeatIntervalMs?: number | false;
  /** The recurring jobs (crontab.ts by default); false: none (tests that drive jobs themselves). */
  crontab?: string | false;
  /** After this long a stopping worker signals its jobs to abort (they still get to finish). */
  shutdownAbortAfterMs?: number;
  /**
   * A worker whose heartbeat is older than this is dead: its job locks are released (at start-up
   * and every quarter of this, at most every 15 s). Default 40 s; false: never (tests).
   */
  deadWorkerAfterMs?: number | false;
}

/** A running worker: graphile-worker's runner plus the heartbeat that says it is alive. */
export interface WorkerProcess {
  /** The current runner (a new one after graphile-worker's pool stopped on its own). */
  readonly runner: Runner;
  workerId: string | undefined;
  /** Takes no new jobs, waits for the in-flight ones to finish, then stops the heartbeat. */
  stop(): Promise<void>;
}

/**
 * Starts graphile-worker on our task list and crontab, with a heartbeat, job metrics and the
 * release of dead workers' locks. Should graphile-worker's pool stop on its own (it gives up
 * when it cannot record a job's failure while the database is away), a new runner replaces it:
 * the process keeps working without a supervisor.
 */
export async function startWorker(options: WorkerOptions): Promise<WorkerProcess> {
  const log = options.logger;
  const tab = options.crontab ?? defaultCrontab;
  // graphile-worker 0.17 stamps `locked_by` with its pool's id: the heartbeat records it.
  let poolId: string | undefined;
  const events: WorkerEvents = new EventEmitter();
  events.on("pool:create", ({ workerPool }) => {
    poolId = workerPool.id;
    // The id graphile-worker writes to `locked_by`: an operator looking at a locked job finds its pool here.
    log?.info({ poolId }, "job runner pool created");
  });
  const startRunner = () =>
    run({
      connectionString: options.connectionString,
      concurrency: options.concurrency ?? 4,
      pollInterval: options.pollIntervalMs ?? 2000,
      noHandleSignals: true,
      gracefulShutdownAbortTimeout: options.shutdownAbortAfterMs ?? 30_000,
      // Completions through graphile-worker's batcher (delay 0: the next tick), because shutdown
      // awaits the batcher: unbatched, a job that finished while stopping was recorded by a query
      // nobody awaited, and a process exiting right after stop() left the job locked.
      preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
      parsedCronItems: tab ? parseCrontab(tab) : [],
      events,
      // Import batches read the old site's database: without one, leave them to `pnpm import:legacy`.
      forbiddenFlags: options.deps.legacy ? null : [LEGACY_IMPORT_FLAG],
      taskList: createTaskList({
        deps: options.deps,
        onJob(report) {
          const budget = jobBudget(report.task);
          if (report.ledger.count > budget)
            log?.warn(
              { task: report.task, jobId: report.jobId, queries: report.ledger.count, budget },
              "job over its per-item query budget",
            );
          for (const slow of options.metrics?.record(report) ?? [])
            log?.warn({ task: report.task, jobId: report.jobId, ...slow }, "slow query");
          options.onJob?.(report);
        },
      }),
      logger: new Logger((scope) => (level, message, meta) => {
        if (!log) return;
        const entry = graphileFields(scope.label, meta);
        // LogLevel is an ambient const enum; compare its string values.
        const name: string = level;
        if (name === "error") log.error(entry, message);
        else if (name === "warning") log.warn(entry, message);
      }),
    });
  let runner = await startRunner();

  let stopping: Promise<void> | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let restarting: Promise<void> | undefined;
  // Pool ids of runners that stopped on their own, until their leftover locks are released.
  const retiredPools = new Set<string>();
  const releaseRetired = () => {
    const ids = [...retiredPools];
    return unlockRetiredPools(options.deps.db, ids).then(
      () => {
        for (const id of ids) retiredPools.delete(id);
        if (ids.length > 0) log?.warn({ pools: ids }, "released the job locks of this worker's stopped runner");
      },
      (err: unknown) => log?.warn({ err }, "could not release the stopped runner's job locks (retrying)"),
    );
  };
  const supervise = (current: Runner) => {
    const ended = (error?: unknown) => {
      if (stopping || current !== runner) return;
      if (poolId) retiredPools.add(poolId);
      log?.error({ err: error }, "job runner stopped on its own: starting a new one");
      const again = (delayMs: number) => {
        restartTimer = setTimeout(() => {
          restarting = startRunner().then(
            (next) => {
              runner = next;
              supervise(next);
              void releaseRetired();
              if (stopping) void next.stop().catch(() => undefined);
            },
            (err: unknown) => {
              log?.warn({ err }, "job runner could not start (database away?): retrying");
              if (!stopping) again(Math.min(delayMs * 2, 10_000));
            },
          );
        }, delayMs);
      };
      again(1000);
    };
    current.promise.then(() => ended(), ended);
  };
  supervise(runner);

  let heartbeat: Heartbeat | undefined;
  if (options.heartbeatIntervalMs !== false) {
    try {
      heartbeat = await startHeartbeat({
        db: options.deps.db,
        intervalMs: options.heartbeatIntervalMs ?? 5000,
        poolId: () => poolId,
        onError: (error) => log?.warn({ err: error }, "worker heartbeat failed"),
      });
    } catch (error) {
      stopping = Promise.resolve();
      await runner.stop();
      throw error;
    }
  }

  // Dead workers' locks: released at start-up (a restarted worker frees what its predecessor
  // held, once that one's silence passes the bound) and then on a timer.
  let reaper: NodeJS.Timeout | undefined;
  let reaperDone: (() => Promise<void>) | undefined;
  const deadAfterMs = options.deadWorkerAfterMs ?? DEFAULT_DEAD_AFTER_MS;
  if (deadAfterMs !== false) {
    const reap = () =>
      reapDeadWorkers(options.deps.db, {
        deadAfterMs,
        selfId: heartbeat?.workerId,
        ownPools: poolId ? [poolId] : [],
      }).then(
        ({ workers, orphanedPools }) => {
          if (workers.length > 0) log?.warn({ workers }, "released the job locks of dead workers");
          if (orphanedPools.length > 0)
            log?.warn({ pools: orphanedPools }, "released the job locks of pools no live worker claims");
          // A release that failed when the runner was replaced (the database still away) is retried here.
          return retiredPools.size > 0 ? releaseRetired() : undefined;
        },
        (err: unknown) => log?.warn({ err }, "could not release dead workers' locks"),
      );
    let reaping = reap();
    const every = Math.min(15_000, Math.max(250, Math.floor(deadAfterMs / 4)));
    const tick = () => {
      reaper = setTimeout(() => {
        reaping = reap().then(() => {
          if (!stopping) tick();
        });
      }, every);
    };
    void reaping.then(() => {
      if (!stopping) tick();
    });
    // stop() waits for a reap in flight through `reaping`.
    reaperDone = () => reaping;
  }

  return {
    get runner() {
      return runner;
    },
    workerId: heartbeat?.workerId,
    stop: () =>
      (stopping ??= (async () => {
        clearTimeout(restartTimer);
        clearTimeout(reaper);
        try {
          await restarting?.catch(() => undefined);
          await runner.stop();
        } finally {
          await reaperDone?.();
          await heartbeat?.stop();
        }
      })()),
  };
}

/**
 * graphile-worker's log metadata in our fields: the job as its id, task and attempt (never its
 * payload), and its error as `err` (serialized with its stack by the logger).
 */
function graphileFields(scope: string | undefined, meta: Record<string, unknown> | undefined): object {
  const { job, error, ...rest } = (meta ?? {}) as { job?: Record<string, unknown>; error?: unknown };
  return {
    scope,
    ...rest,
    ...(job ? { jobId: job.id, task: job.task_identifier, attempt: job.attempts, maxAttempts: job.max_attempts } : {}),
    ...(error !== undefined ? { err: error } : {}),
  };
}
