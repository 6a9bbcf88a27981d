import { QueryLedger, runWithLedger } from "@deltacrown/db";
import type { JobName } from "@deltacrown/domain";
import type { LEGACY_IMPORT_TASK } from "@deltacrown/legacy-import";
import type { TaskList } from "graphile-worker";
import { storableError } from "./job-errors.ts";
import type { TaskDeps } from "./task-deps.ts";
import { auditWrite } from "./tasks/audit/write.ts";
import { invitesExpire } from "./tasks/invites/expire.ts";
import { notificationsDeliver } from "./tasks/notifications/deliver.ts";
import { cacheWarmTeams } from "./tasks/cache/warm-teams.ts";
import { rankingsAwardTournament } from "./tasks/rankings/award-tournament.ts";
import { rankingsDecay } from "./tasks/rankings/decay.ts";
import { rankingsLeaderboard } from "./tasks/rankings/leaderboard.ts";
import { rankingsLeaderboards } from "./tasks/rankings/leaderboards.ts";
import { retentionIdempotencyKeys } from "./tasks/retention/idempotency-keys.ts";
import { retentionSessions } from "./tasks/retention/sessions.ts";
import { webhooksDeliver } from "./tasks/webhooks/deliver.ts";
import { socialAwardAchievements } from "./tasks/social/award-achievements.ts";
import { socialSponsors } from "./tasks/social/sponsors.ts";
import { socialAnalytics } from "./tasks/social/analytics.ts";
import { legacyImportBatch } from "./tasks/legacy-import/batch.ts";

/** A task; `job` identifies the job (stable across its retries), for tasks that key on it. */
type Task = (payload: unknown, deps: TaskDeps, job: { id: string }) => Promise<void>;

/**
 * One file per task, named as the task. Every job name the domain can enqueue must be here, and
 * the batches of `pnpm import:legacy`.
 */
export const tasks: Record<JobName | typeof LEGACY_IMPORT_TASK, Task> = {
  "audit/write": auditWrite,
  "notifications/deliver": notificationsDeliver,
  "invites/expire": invitesExpire,
  "rankings/award-tournament": rankingsAwardTournament,
  "rankings/leaderboards": rankingsLeaderboards,
  "rankings/leaderboard": rankingsLeaderboard,
  "rankings/decay": rankingsDecay,
  "cache/warm-teams": cacheWarmTeams,
  "webhooks/deliver": webhooksDeliver,
  "legacy-import/batch": legacyImportBatch,
  "retention/sessions": retentionSessions,
  "retention/idempotency-keys": retentionIdempotencyKeys,
  "social/award-achievements": socialAwardAchievements,
  "social/sponsors": socialSponsors,
  "social/analytics": socialAnalytics,
};

/** Contract: a job item costs at most 3 queries, unless its task declares more below, with the reason. */
export const JOB_ITEM_BUDGET = 3;

/** Tasks whose item needs more than JOB_ITEM_BUDGET statements, each with why (reviewed like a procedure budget). */
export const JOB_BUDGETS: Readonly<Partial<Record<JobName, { maxQueries: number; reason: string }>>> = {
  "rankings/leaderboard": {
    maxQueries: 4,
    reason:
      "a recompute whose tiers changed notifies the teams' owners in its own transaction: the notification rows " +
      "and their delivery job are 2 statements on top of the recompute's 2, whatever the number of teams",
  },
};

/** The per-item query budget of a task. */
export function jobBudget(task: string): number {
  return JOB_BUDGETS[task as JobName]?.maxQueries ?? JOB_ITEM_BUDGET;
}

export interface JobReport {
  task: string;
  jobId: string;
  ledger: QueryLedger;
  durationMs: number;
  ok: boolean;
  /** 1 on the first run; more on a retry of a job that failed before. */
  attempt: number;
  /** A failed run with attempt = maxAttempts was the job's last: it will not run again by itself. */
  maxAttempts: number;
}

export interface TaskListOptions {
  deps: TaskDeps;
  /** Sees every job's ledger (tests assert the per-item budget; production logs and counts). */
  onJob?: (report: JobReport) => void;
}

/** Wraps each task in its own query ledger, like a procedure call. */
export function createTaskList({ deps, onJob }: TaskListOptions): TaskList {
  return Object.fromEntries(
    Object.entries(tasks).map(([name, task]) => [
      name,
      async (payload: unknown, helpers: { job: { id: string; attempts: number; max_attempts: number } }) => {
        const ledger = new QueryLedger(`job:${name}`);
        const started = performance.now();
        let ok = false;
        try {
          await runWithLedger(ledger, () => task(payload, deps, helpers.job));
          ok = true;
        } catch (error) {
          throw storableError(error);
        } finally {
          onJob?.({
            task: name,
            jobId: helpers.job.id,
            ledger,
            durationMs: performance.now() - started,
            ok,
            attempt: helpers.job.attempts,
            maxAttempts: helpers.job.max_attempts,
          });
        }
      },
    ]),
  );
}
