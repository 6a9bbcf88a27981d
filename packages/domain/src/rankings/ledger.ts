import type { CpSourceType, Database } from "@deltacrown/db";
import { sql, type Kysely, type Transaction } from "kysely";

export interface LedgerChange {
  teamId: number;
  delta: number;
}

export interface LedgerSource {
  gameId: number;
  sourceType: CpSourceType;
  sourceId: string;
  reason?: string;
  actorId?: number | null;
  /** Awards and match results count as activity (decay does not). */
  touchActivity: boolean;
}

export interface AppliedChange {
  teamId: number;
  teamSlug: string;
  delta: number;
  currentCp: number;
}

/**
 * Writes ledger rows and adds them to `team_rankings.current_cp` in ONE statement, so the sum
 * and its rows always commit together. A source already recorded for a team is skipped by the
 * unique (source_type, source_id, team_id): applying the same award twice changes nothing.
 */
export async function applyLedger(
  trx: Transaction<Database>,
  source: LedgerSource,
  changes: readonly LedgerChange[],
): Promise<AppliedChange[]> {
  if (changes.length === 0) return [];
  const teamIds = changes.map((c) => c.teamId);
  const deltas = changes.map((c) => c.delta);
  const result = await sql<{ team_id: number; slug: string; delta: number; current_cp: number }>`
    with input as (
      select * from unnest(${teamIds}::int[], ${deltas}::int[]) as i(team_id, delta)
    ), ins as (
      insert into cp_ledger (team_id, game_id, delta, source_type, source_id, reason, actor_id)
      select team_id, ${source.gameId}, delta, ${source.sourceType}, ${source.sourceId}, ${source.reason ?? ""},
             ${source.actorId ?? null}::int
      from input
      on conflict (source_type, source_id, team_id) do nothing
      returning team_id, delta
    ), upd as (
      update team_rankings r
      set current_cp = r.current_cp + ins.delta,
          updated_at = now(),
          last_activity_at = case when ${source.touchActivity} then now() else r.last_activity_at end
      from ins where r.team_id = ins.team_id and r.game_id = ${source.gameId}
      returning r.team_id, r.current_cp
    ), created as (
      -- Teams get their ranking row at creation; this covers rows made before that rule.
      insert into team_rankings (team_id, game_id, current_cp)
      select team_id, ${source.gameId}, delta from ins where not exists (select 1 from upd where upd.team_id = ins.team_id)
      returning team_id, current_cp
    ), up as (
      select * from upd union all select * from created
    )
    select up.team_id, t.slug, ins.delta, up.current_cp
    from up join ins on ins.team_id = up.team_id join teams t on t.id = up.team_id`.execute(trx);
  return result.rows.map((r) => ({ teamId: r.team_id, teamSlug: r.slug, delta: r.delta, currentCp: r.current_cp }));
}

export interface CpDrift {
  teamId: number;
  gameId: number;
  currentCp: number;
  ledgerCp: number;
}

/**
 * Recomputes every team's CP from the ledger and returns the rankings whose precomputed sum
 * disagrees (an empty list means the precomputation is sound). One set-based query.
 */
export async function recomputeAndCompare(db: Kysely<Database>, options: { gameId?: number } = {}): Promise<CpDrift[]> {
  const gameId = options.gameId ?? null;
  const result = await sql<{ team_id: number; game_id: number; current_cp: number; ledger_cp: number }>`
    select r.team_id, r.game_id, r.current_cp, coalesce(l.sum, 0)::int as ledger_cp
    from team_rankings r
    left join (
      select team_id, game_id, sum(delta) as sum from cp_ledger
      where ${gameId}::int is null or game_id = ${gameId}::int
      group by team_id, game_id
    ) l on l.team_id = r.team_id and l.game_id = r.game_id
    where (${gameId}::int is null or r.game_id = ${gameId}::int) and r.current_cp <> coalesce(l.sum, 0)
    order by r.team_id`.execute(db);
  return result.rows.map((r) => ({
    teamId: r.team_id,
    gameId: r.game_id,
    currentCp: r.current_cp,
    ledgerCp: r.ledger_cp,
  }));
}
