import { Logger, run, type Runner } from "graphile-worker";
import { createTaskList, JOB_ITEM_BUDGET, type JobReport } from "./task-list.ts";
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
}

/** Starts graphile-worker on our task list. `runner.stop()` lets in-flight jobs finish. */
export async function startWorker(options: WorkerOptions): Promise<Runner> {
  const log = options.logger;
  return run({
    connectionString: options.connectionString,
    concurrency: options.concurrency ?? 4,
    pollInterval: options.pollIntervalMs ?? 2000,
    noHandleSignals: true,
    taskList: createTaskList({
      deps: options.deps,
      onJob(report) {
        if (report.ledger.count > JOB_ITEM_BUDGET)
          log?.warn({ task: report.task, queries: report.ledger.count }, "job over its per-item query budget");
        options.onJob?.(report);
      },
    }),
    logger: new Logger((scope) => (level, message, meta) => {
      if (!log) return;
      const entry = { scope: scope.label, ...(meta ?? {}) };
      // LogLevel is an ambient const enum; compare its string values.
      const name: string = level;
      if (name === "error") log.error(entry, message);
      else if (name === "warning") log.warn(entry, message);
    }),
  });
}
