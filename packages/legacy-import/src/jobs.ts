import type { Database } from "@deltacrown/db";
import { sql, type Kysely } from "kysely";
import { LEGACY_IMPORT_TASK } from "./payload.ts";

/** An import job as graphile-worker's `jobs` view shows it (the chain has at most one at a time). */
export interface ImportJob {
  id: string;
  key: string | null;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  lockedBy: string | null;
  runAt: Date;
}

export async function importJobs(db: Kysely<Database>): Promise<ImportJob[]> {
  const { rows } = await sql<{
    id: string;
    key: string | null;
    attempts: number;
    max_attempts: number;
    last_error: string | null;
    locked_by: string | null;
    run_at: Date;
  }>`select id::text, key, attempts, max_attempts, last_error, locked_by, run_at
    from graphile_worker.jobs where task_identifier = ${LEGACY_IMPORT_TASK} order by id`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    lastError: r.last_error,
    lockedBy: r.locked_by,
    runAt: r.run_at,
  }));
}

/** A job that ran out of attempts gets a fresh set: the chain goes on from the batch that failed. */
export async function retryDeadJobs(db: Kysely<Database>, jobs: ImportJob[]): Promise<number> {
  const dead = jobs.filter((j) => j.attempts >= j.maxAttempts).map((j) => j.id);
  if (dead.length === 0) return 0;
  await sql`select graphile_worker.reschedule_jobs(${dead}::bigint[], run_at := now(), attempts := 0)`.execute(db);
  return dead.length;
}
