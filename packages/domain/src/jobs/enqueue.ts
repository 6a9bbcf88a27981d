import type { Database } from "@deltacrown/db";
import { sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import { jsonOf, type SqlJson } from "../shared/sql-json.ts";
import type { JobName, JobPayload } from "./payloads.ts";

export interface EnqueueOptions {
  /** graphile-worker job key: a second add with the same key replaces the pending job instead of duplicating it. */
  jobKey?: string | RawBuilder<string>;
  runAt?: Date;
  maxAttempts?: number;
  queueName?: string;
}

/**
 * The `graphile_worker.add_job(…)` call as an SQL expression, so a statement that writes a row
 * can enqueue the job about it in the same round trip (in an insert's RETURNING, or a select over
 * a CTE's rows): the job exists exactly when the row does. Payload leaves may be SQL expressions.
 */
export function addJob<N extends JobName>(
  name: N,
  payload: SqlJson<JobPayload<N>>,
  options: EnqueueOptions = {},
): RawBuilder<unknown> {
  return sql`graphile_worker.add_job(
      identifier => ${name},
      payload => ${jsonOf(payload)},
      queue_name => ${options.queueName ?? null},
      run_at => ${options.runAt ?? null},
      max_attempts => ${options.maxAttempts ?? null},
      job_key => ${options.jobKey ?? null}
    )`;
}

/**
 * Adds a graphile-worker job through the caller's own connection, so inside a transaction the
 * job commits or rolls back with the change that caused it.
 */
export async function enqueue<N extends JobName>(
  db: Transaction<Database> | Kysely<Database>,
  name: N,
  payload: JobPayload<N>,
  options: EnqueueOptions = {},
): Promise<void> {
  await sql`select ${addJob(name, payload as SqlJson<JobPayload<N>>, options)}`.execute(db);
}
