import { sql, type Kysely } from "kysely";

// Frozen in time: this file never imports application code.
// The import of the old Django site (`pnpm import:legacy`): which legacy row became which row here,
// which rows were refused and why, the notes kept on rows brought across, and each run's report.
// Every batch writes its rows, their mapping, refusals and notes in ONE transaction, so a crash
// leaves either all of a batch or none of it.
const ENTITIES = `('user', 'game', 'organization', 'organization_member', 'team', 'team_member',
  'ranking', 'tournament', 'registration', 'wallet')`;

const statements = [
  `create table legacy_import_runs (
     id integer generated always as identity primary key,
     source text not null,
     batch_size integer not null,
     -- The graphile-worker pool that ran this run's batches (it locks jobs under this id): a later
     -- run releases that lock if this one died, rather than wait out graphile-worker's four hours.
     worker_id text,
     status text not null default 'running' check (status in ('running', 'finished', 'failed', 'crashed')),
     started_at timestamptz not null default now(),
     finished_at timestamptz,
     report jsonb
   )`,

  // One row per legacy row brought across (or linked to an existing row, e.g. a game by slug).
  `create table legacy_import_map (
     entity text not null check (entity in ${ENTITIES}),
     old_id bigint not null,
     new_id integer not null,
     linked boolean not null default false,
     imported_at timestamptz not null default now(),
     primary key (entity, old_id)
   )`,

  // One row per legacy row refused, with the reason; re-evaluated (and removed) by a later run.
  `create table legacy_import_refusals (
     entity text not null check (entity in ${ENTITIES}),
     old_id bigint not null,
     reason text not null,
     detail text not null,
     refused_at timestamptz not null default now(),
     primary key (entity, old_id)
   )`,

  // What was odd about a row that was brought across anyway (a deactivated user, markup in a name).
  `create table legacy_import_notes (
     entity text not null check (entity in ${ENTITIES}),
     old_id bigint not null,
     note text not null,
     detail text not null,
     noted_at timestamptz not null default now(),
     primary key (entity, old_id, note)
   )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["legacy_import_notes", "legacy_import_refusals", "legacy_import_map", "legacy_import_runs"]) {
    await sql.raw(`drop table if exists ${table}`).execute(db);
  }
}
