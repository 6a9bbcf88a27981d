import { sql, type Kysely } from "kysely";

// Frozen in time: this file never imports application code.
// - cp_ledger.actor_id is set only on manual adjustments: decay and awards (nearly every row) have
//   none, yet each of their rows was a key in cp_ledger_actor_id_idx. The index now leaves the nulls
//   out — the referential lookups of a user's deletion (actor_id = $1) never match a null — so a
//   decay batch maintains one index fewer (issue 14: CP decay of 1,000,000 rankings).
const statements = [
  `create index cp_ledger_actor_id_notnull_idx on cp_ledger (actor_id) where actor_id is not null`,
  `drop index cp_ledger_actor_id_idx`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`create index if not exists cp_ledger_actor_id_idx on cp_ledger (actor_id)`).execute(db);
  await sql.raw(`drop index if exists cp_ledger_actor_id_notnull_idx`).execute(db);
}
