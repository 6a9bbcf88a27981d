export { startWorker, type WorkerOptions, type WorkerLogger } from "./runner.ts";
export { createTaskList, tasks, JOB_ITEM_BUDGET, type JobReport } from "./task-list.ts";
export type { TaskDeps } from "./task-deps.ts";
export { smtpMailer, type Mailer, type Mail } from "./mailer.ts";
