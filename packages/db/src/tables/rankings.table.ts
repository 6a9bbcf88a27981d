import type { Generated, Selectable } from "kysely";

export type CpSourceType = "tournament" | "match" | "decay" | "manual";

/** One row per CP change; `team_rankings.current_cp` is their sum, kept in the same transaction. */
export interface CpLedgerTable {
  id: Generated<string>;
  team_id: number;
  game_id: number;
  delta: number;
  source_type: CpSourceType;
  source_id: string;
  reason: Generated<string>;
  actor_id: number | null;
  created_at: Generated<Date>;
}
export type CpLedgerEntry = Selectable<CpLedgerTable>;

/** The leaderboard snapshot of a game, rewritten by the leaderboard job. */
export interface LeaderboardEntriesTable {
  game_id: number;
  team_id: number;
  rank: number;
  previous_rank: number | null;
  cp: number;
  tier: string;
  computed_at: Date;
}

export interface RankingsDecayRunsTable {
  run_id: string;
  last_ranking_id: Generated<number>;
  decayed: Generated<number>;
  started_at: Generated<Date>;
  finished_at: Date | null;
}

export interface RankingsTables {
  cp_ledger: CpLedgerTable;
  leaderboard_entries: LeaderboardEntriesTable;
  rankings_decay_runs: RankingsDecayRunsTable;
}
