import { LEGACY_IMPORT_FLAG } from "@deltacrown/legacy-import";
import { Logger, parseCrontab, run, type Runner } from "graphile-worker";
import { crontab as defaultCrontab } from "./crontab.ts";
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
}

/** A running worker: graphile-worker's runner plus the heartbeat that says it is alive. */
export interface WorkerProcess {
  runner: Runner;
  workerId: string | undefined;
  /** Takes no new jobs, waits for the in-flight ones to finish, then stops the heartbeat. */
  stop(): Promise<void>;
}

/** Starts graphile-worker on our task list and crontab, with a heartbeat and job metrics. */
export async function startWorker(options: WorkerOptions): Promise<WorkerProcess> {
  const log = options.logger;
  const tab = options.crontab ?? defaultCrontab;
  const runner = await run({
    connectionString: options.connectionString,
    concurrency: options.concurrency ?? 4,
    pollInterval: options.pollIntervalMs ?? 2000,
    noHandleSignals: true,
    gracefulShutdownAbortTimeout: options.shutdownAbortAfterMs ?? 30_000,
    parsedCronItems: tab ? parseCrontab(tab) : [],
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

  let heartbeat: Heartbeat | undefined;
  if (options.heartbeatIntervalMs !== false) {
    try {
      heartbeat = await startHeartbeat({
        db: options.deps.db,
        intervalMs: options.heartbeatIntervalMs ?? 5000,
        onError: (error) => log?.warn({ err: error }, "worker heartbeat failed"),
      });
    } catch (error) {
      await runner.stop();
      throw error;
    }
  }

  let stopping: Promise<void> | undefined;
  return {
    runner,
    workerId: heartbeat?.workerId,
    stop: () =>
      (stopping ??= (async () => {
        try {
          await runner.stop();
        } finally {
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
