import { sql, type Kysely } from "kysely";

// Frozen in time: this file never imports application code.
// One row per running worker process, refreshed every few seconds; the API's /health/detailed
// reads the newest beat, so it needs no Redis to know whether a worker is alive. A handful of
// rows at most: no index beyond the key.
const statements = [
  `create table worker_heartbeats (
     worker_id text primary key,
     hostname text not null,
     pid integer not null,
     started_at timestamptz not null default now(),
     beat_at timestamptz not null default now()
   )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`drop table if exists worker_heartbeats`).execute(db);
}
