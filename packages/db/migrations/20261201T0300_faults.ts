import { sql, type Kysely } from "kysely";

// Frozen in time: this file never imports application code.
// - audit_log.dedup_key: graphile-worker runs a job at least once, so `audit/write` may run twice;
//   each entry carries a key and a second insert of the same key does nothing. Null for rows
//   written before (nulls are distinct in a unique index).
// - worker_heartbeats.pool_id: graphile-worker 0.17 stamps `locked_by` with its worker pool's id,
//   not with our heartbeat's worker id; a dead worker's locks are released by this id.
const statements = [
  `alter table audit_log add column dedup_key text`,
  `create unique index audit_log_dedup_key_idx on audit_log (dedup_key)`,
  `alter table worker_heartbeats add column pool_id text`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`alter table worker_heartbeats drop column if exists pool_id`).execute(db);
  await sql.raw(`drop index if exists audit_log_dedup_key_idx`).execute(db);
  await sql.raw(`alter table audit_log drop column if exists dedup_key`).execute(db);
}
