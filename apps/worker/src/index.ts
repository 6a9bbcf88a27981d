export { startWorker, type WorkerOptions, type WorkerLogger, type WorkerProcess } from "./runner.ts";
export { createTaskList, tasks, JOB_ITEM_BUDGET, JOB_BUDGETS, jobBudget, type JobReport } from "./task-list.ts";
export type { TaskDeps } from "./task-deps.ts";
export { smtpMailer, type Mailer, type Mail } from "./mailer.ts";
export { createWorkerMetrics, type WorkerMetrics } from "./metrics.ts";
export { startHeartbeat, type Heartbeat, type HeartbeatOptions } from "./heartbeat.ts";
export { crontab, crontabLines, parsedCronItems } from "./crontab.ts";
export { serveMetrics, type MetricsServer, type MetricsServerOptions, type Readiness } from "./metrics-server.ts";
export { observeJobQueue, BACKLOG_COUNT_CAP } from "./queue-metrics.ts";
