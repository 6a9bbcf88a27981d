import type { Database } from "@deltacrown/db";
import { sql, type Kysely, type Transaction } from "kysely";
import type { JobName, JobPayload } from "./payloads.ts";

export interface EnqueueOptions {
  /** graphile-worker job key: a second add with the same key replaces the pending job instead of duplicating it. */
  jobKey?: string;
  runAt?: Date;
  maxAttempts?: number;
  queueName?: string;
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
  await sql`select graphile_worker.add_job(
      identifier => ${name},
      payload => ${JSON.stringify(payload)}::json,
      queue_name => ${options.queueName ?? null},
      run_at => ${options.runAt ?? null},
      max_attempts => ${options.maxAttempts ?? null},
      job_key => ${options.jobKey ?? null}
    )`.execute(db);
}
