import { rankings as rankingRules } from "@deltacrown/domain";
import { sql } from "kysely";
import { defineSpec, type Note, type Problem } from "../spec.ts";

interface RankingRow {
  id: string;
  current_cp: number;
  tier: string;
  hot_streak: number;
  updated_at: Date;
  game_id: string;
  team_id: string;
  team_game_id: string;
}

/**
 * The old site's tier table, read off the sample (every ranking but one fits it): the tier is the
 * highest whose threshold the CP reaches. DeltaCrown derives its own tiers from CP.
 */
const LEGACY_TIERS = [
  { tier: "MASTER", minCp: 20_000 },
  { tier: "DIAMOND", minCp: 12_000 },
  { tier: "PLATINUM", minCp: 7_000 },
  { tier: "GOLD", minCp: 3_500 },
  { tier: "SILVER", minCp: 1_500 },
  { tier: "BRONZE", minCp: 0 },
] as const;

export function legacyTierFor(cp: number): string | undefined {
  return LEGACY_TIERS.find((t) => cp >= t.minCp)?.tier;
}

export const rankings = defineSpec<RankingRow>({
  entity: "ranking",
  read: (afterId, limit) => sql<RankingRow>`
    select r.id::text as id, r.current_cp, r.tier, r.hot_streak, r.updated_at, r.game_id::text as game_id,
      r.team_id::text as team_id, t.game_id::text as team_game_id
    from teams_teamranking r join teams_team t on t.id = r.team_id
    where r.id > ${afterId}::bigint order by r.id limit ${limit}`,
  refs: (row) => [
    { entity: "team", oldId: row.team_id, as: "team", reason: "team_refused" },
    { entity: "game", oldId: row.game_id, as: "game", reason: "game_refused" },
  ],
  classify(row, { newId }) {
    const problems: Problem[] = [];
    if (row.game_id !== row.team_game_id)
      problems.push({ reason: "game_mismatch", detail: `ranking game ${row.game_id}, team game ${row.team_game_id}` });
    if (row.current_cp < 0 || row.hot_streak < 0)
      problems.push({ reason: "negative_cp", detail: `${row.current_cp} CP, hot streak ${row.hot_streak}` });
    const notes: Note[] = [];
    const expected = legacyTierFor(row.current_cp);
    if (expected !== row.tier)
      notes.push({
        note: "tier_mismatch",
        detail: `team ${row.team_id}: ${row.tier} with ${row.current_cp} CP (the old table says ${expected ?? "none"}); tier here: ${rankingRules.tierFor(row.current_cp)}`,
      });
    return {
      problems,
      notes,
      values: {
        team_id: newId("team", row.team_id),
        game_id: newId("game", row.game_id),
        current_cp: row.current_cp,
        hot_streak: row.hot_streak,
        updated_at: row.updated_at,
      },
    };
  },
  columns: "team_id integer, game_id integer, current_cp integer, hot_streak integer, updated_at timestamptz",
  // CP is the sum of the team's ledger: the imported CP is one ledger row, so the books still add up.
  // The old site's last CP change is this ranking's last activity (what decay reads).
  insert: `ins as (
    insert into team_rankings (id, team_id, game_id, current_cp, tier, hot_streak, last_activity_at, updated_at)
    overriding system value
    select map.new_id, acc.team_id, acc.game_id, acc.current_cp, ${rankingRules.tierCaseSql("acc.current_cp")},
      acc.hot_streak, acc.updated_at, acc.updated_at
    from map join acc using (old_id)
    returning team_id, game_id, current_cp, updated_at
  ), ledgered as (
    insert into cp_ledger (team_id, game_id, delta, source_type, source_id, reason, created_at)
    select team_id, game_id, current_cp, 'manual', 'legacy-import', 'CP on the old site', updated_at
    from ins where current_cp <> 0
    returning 1
  )`,
});
