import { createQueryMetrics } from "@deltacrown/ops-kit";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { jobBudget, type JobReport } from "./task-list.ts";

const TRANSACTION_RETRIES = "dc_transaction_retries_total";
const REDIS_ERRORS = "dc_redis_errors_total";

/**
 * Job metrics per task: duration by outcome, queries per job, failures, retries, jobs out of
 * attempts and per-item budget breaches, and the duration of every statement a job ran (from its
 * query ledger). Pass the API's registry to serve them from the server's /metrics (RUN_WORKER);
 * without one, a registry of its own (with process metrics) for the worker's own /metrics.
 */
export function createWorkerMetrics(shared?: Registry) {
  const registry = shared ?? new Registry();
  if (!shared) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const jobDuration = new Histogram({
    name: "dc_job_duration_seconds",
    help: "Job run duration by task and outcome",
    labelNames: ["task", "outcome"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const jobQueries = new Histogram({
    name: "dc_job_queries",
    help: "Database statements per job run",
    labelNames: ["task"],
    buckets: [0, 1, 2, 3, 4, 6, 10, 20],
    registers,
  });
  const jobFailures = new Counter({
    name: "dc_job_failures_total",
    help: "Job runs that threw (each is retried until its max attempts)",
    labelNames: ["task"],
    registers,
  });
  const jobDead = new Counter({
    name: "dc_job_dead_total",
    help: "Jobs whose last attempt failed: they stay in the queue, unrun, until `pnpm jobs retry`",
    labelNames: ["task"],
    registers,
  });
  const jobRetries = new Counter({
    name: "dc_job_retries_total",
    help: "Job runs that were a retry of an earlier failed attempt",
    labelNames: ["task"],
    registers,
  });
  const jobBudgetViolations = new Counter({
    name: "dc_job_budget_violations_total",
    help: "Job runs over their task's per-item query budget (3, or as declared in JOB_BUDGETS)",
    labelNames: ["task"],
    registers,
  });
  // One family for API calls and jobs: with RUN_WORKER the API already registered it here.
  const transactionRetries =
    (registry.getSingleMetric(TRANSACTION_RETRIES) as Counter | undefined) ??
    new Counter({
      name: TRANSACTION_RETRIES,
      help: "Transaction attempts rolled back on a deadlock or serialization failure and run again",
      labelNames: ["scope"],
      registers,
    });
  const redisErrors =
    (registry.getSingleMetric(REDIS_ERRORS) as Counter | undefined) ??
    new Counter({
      name: REDIS_ERRORS,
      help: "Error events of this process's Redis connections (each reconnect attempt while Redis is down)",
      labelNames: ["client"],
      registers,
    });
  const queries = createQueryMetrics(registry);
  return {
    registry,
    redisErrors,
    /** The task list's onJob hook; returns the job's statements slower than 1 s (the runner logs them). */
    record(report: JobReport) {
      const { task } = report;
      jobDuration.observe({ task, outcome: report.ok ? "ok" : "failed" }, report.durationMs / 1000);
      jobQueries.observe({ task }, report.ledger.count);
      if (!report.ok) jobFailures.inc({ task });
      if (!report.ok && report.attempt >= report.maxAttempts) jobDead.inc({ task });
      if (report.attempt > 1) jobRetries.inc({ task });
      if (report.ledger.count > jobBudget(task)) jobBudgetViolations.inc({ task });
      if (report.ledger.retries > 0) transactionRetries.inc({ scope: `job:${task}` }, report.ledger.retries);
      return queries.observe(report.ledger, "job", `job:${task}`);
    },
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
