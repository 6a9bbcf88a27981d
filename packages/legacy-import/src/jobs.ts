import type { Database } from "@deltacrown/db";
import { sql, type Kysely, type RawBuilder } from "kysely";
import {
  jobKey,
  LEGACY_IMPORT_FLAG,
  LEGACY_IMPORT_TASK,
  MAX_ATTEMPTS,
  type LegacyImportBatchPayload,
} from "./payload.ts";

/**
 * The `add_job` call of a batch. No named queue: the chain itself keeps batches in order (a batch
 * exists only once the one before committed), and graphile-worker 0.17 unlocks a named queue only
 * after its job completes, which it does asynchronously — the next batch would wait a poll.
 */
export function addBatchJob(p: LegacyImportBatchPayload): RawBuilder<unknown> {
  return sql`graphile_worker.add_job(${LEGACY_IMPORT_TASK}, payload => ${JSON.stringify(p)}::json,
    max_attempts => ${MAX_ATTEMPTS}, job_key => ${jobKey(p)}, flags => array[${LEGACY_IMPORT_FLAG}]::text[])`;
}

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
