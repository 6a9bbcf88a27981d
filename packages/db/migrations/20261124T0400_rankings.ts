import { sql, type Kysely } from "kysely";

// Frozen in time: this file never imports application code.
const statements = [
  // Activity (awards, match results) drives decay.
  `alter table team_rankings add column last_activity_at timestamptz not null default now()`,
  `alter table team_rankings add constraint team_rankings_cp_nonnegative check (current_cp >= 0)`,

  // Every CP change is a row; team_rankings.current_cp is their precomputed sum.
  `create table cp_ledger (
     id bigint generated always as identity primary key,
     team_id integer not null references teams (id) on delete cascade,
     game_id integer not null references games (id),
     delta integer not null,
     source_type text not null check (source_type in ('tournament', 'match', 'decay', 'manual')),
     source_id text not null,
     reason text not null default '',
     actor_id integer references users (id) on delete set null,
     created_at timestamptz not null default now()
   )`,
  // Awarding twice for the same source is impossible (tournament id, match id, decay run id).
  `create unique index cp_ledger_source_team_key on cp_ledger (source_type, source_id, team_id)`,
  // Per-team history (newest first) and the team_id foreign key.
  `create index cp_ledger_team_id_idx on cp_ledger (team_id, id desc)`,
  `create index cp_ledger_game_id_idx on cp_ledger (game_id)`,
  `create index cp_ledger_actor_id_idx on cp_ledger (actor_id)`,

  // The leaderboard snapshot, rewritten set-based by the leaderboard job.
  // A team plays one game, so team_id alone keys its entry (and backs the team_id foreign key).
  `create table leaderboard_entries (
     team_id integer primary key references teams (id) on delete cascade,
     game_id integer not null references games (id),
     rank integer not null,
     previous_rank integer,
     cp integer not null,
     tier text not null,
     computed_at timestamptz not null
   )`,
  `create index leaderboard_entries_game_rank_idx on leaderboard_entries (game_id, rank, team_id)`,
  `create index leaderboard_entries_game_tier_rank_idx on leaderboard_entries (game_id, tier, rank, team_id)`,

  // Decay progress: a crashed run resumes after the last committed batch.
  `create table rankings_decay_runs (
     run_id text primary key,
     last_ranking_id integer not null default 0,
     decayed integer not null default 0,
     started_at timestamptz not null default now(),
     finished_at timestamptz
   )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `drop table if exists rankings_decay_runs`,
    `drop table if exists leaderboard_entries`,
    `drop table if exists cp_ledger`,
    `alter table team_rankings drop constraint if exists team_rankings_cp_nonnegative`,
    `alter table team_rankings drop column if exists last_activity_at`,
  ])
    await sql.raw(statement).execute(db);
}
