import type { Database, GameScore } from "@deltacrown/db";
import { sql, type RawBuilder, type Transaction } from "kysely";

export interface MatchOutcome {
  id: number;
  side_a_id: number | null;
  side_b_id: number | null;
  bracket: string;
  round: number;
  next_match_id: number | null;
  next_slot: "a" | "b" | null;
  loser_next_match_id: number | null;
  loser_next_slot: "a" | "b" | null;
}

export interface MatchResult {
  scoreA: number;
  scoreB: number;
  games: GameScore[];
  forfeit: boolean;
}

/**
 * Completes a match and moves its winner (and, in double elimination, its loser) on: each target
 * slot is filled and the target becomes `ready` once both its sides are known. CTEs for the
 * statement that records the result (`done` returns the completed match, and `returning` more
 * per completed row, e.g. its audit job; the targets move only if `done` has a row), so the
 * match, its targets and whatever the caller adds (webhooks) are one round trip. `when`, an SQL
 * condition, completes the match only if it holds (both reports agree). A grand final won by the
 * winners-bracket side needs no reset: the reset match is voided instead.
 */
export function completionCtes(
  m: MatchOutcome,
  result: MatchResult,
  opts: { when?: RawBuilder<boolean>; returning?: RawBuilder<unknown> } = {},
): { winnerId: number; loserId: number; ctes: RawBuilder<unknown> } {
  const winnerId = (result.scoreA > result.scoreB ? m.side_a_id : m.side_b_id)!;
  const loserId = (result.scoreA > result.scoreB ? m.side_b_id : m.side_a_id)!;
  const noReset = m.bracket === "grand_final" && m.round === 1 && winnerId === m.side_a_id;
  const targets: { id: number; slot: "a" | "b"; who: number }[] = [];
  if (m.next_match_id != null && m.next_slot != null && !noReset)
    targets.push({ id: m.next_match_id, slot: m.next_slot, who: winnerId });
  if (m.loser_next_match_id != null && m.loser_next_slot != null && !noReset)
    targets.push({ id: m.loser_next_match_id, slot: m.loser_next_slot, who: loserId });
  const rows = sql.join(targets.map((t) => sql`(${t.id}::int, ${t.slot}::text, ${t.who}::int)`));
  const ctes = sql`done as (
      update matches set score_a = ${result.scoreA}, score_b = ${result.scoreB}, games = ${JSON.stringify(result.games)}::jsonb,
        winner_id = ${winnerId}, state = 'completed', is_forfeit = ${result.forfeit}, completed_at = now()
      where id = ${m.id}${opts.when ? sql` and ${opts.when}` : sql``}
      returning id${opts.returning ? sql`, ${opts.returning}` : sql``}
    )${
      targets.length > 0
        ? sql`, advanced as (
      update matches m set
        side_a_id = case when v.slot = 'a' then v.who else m.side_a_id end,
        side_b_id = case when v.slot = 'b' then v.who else m.side_b_id end,
        state = case when (case when v.slot = 'a' then v.who else m.side_a_id end) is not null
                      and (case when v.slot = 'b' then v.who else m.side_b_id end) is not null
                 then 'ready' else m.state end
      from (values ${rows}) as v(id, slot, who)
      where m.id = v.id and exists (select 1 from done)
      returning m.id
    )`
        : sql``
    }${
      noReset && m.next_match_id != null
        ? sql`, voided as (
      update matches set state = 'void' where id = ${m.next_match_id} and exists (select 1 from done) returning id
    )`
        : sql``
    }`;
  return { winnerId, loserId, ctes };
}

/**
 * Undoes everything that depended on a match's result (a correction): every match downstream is
 * reset to pending, its reports deleted, and each slot that was filled from a reset match (or this
 * one) emptied. Two statements.
 */
export async function resetDependents(trx: Transaction<Database>, matchId: number): Promise<void> {
  const downstream = sql`
    with recursive down(id) as (
      select x.id from matches x, matches src
        where src.id = ${matchId} and x.id in (src.next_match_id, src.loser_next_match_id)
      union
      select x.id from matches x join matches d on x.id in (d.next_match_id, d.loser_next_match_id)
        join down on d.id = down.id
    )`;
  await sql`${downstream}
    delete from match_reports where match_id in (select id from down)`.execute(trx);
  await sql`${downstream}, feeders as (
      select f.next_match_id as target, f.next_slot as slot from matches f
        where f.id = ${matchId} or f.id in (select id from down)
      union
      select f.loser_next_match_id, f.loser_next_slot from matches f
        where f.id = ${matchId} or f.id in (select id from down)
    )
    update matches m set
      side_a_id = case when exists (select 1 from feeders where target = m.id and slot = 'a') then null else m.side_a_id end,
      side_b_id = case when exists (select 1 from feeders where target = m.id and slot = 'b') then null else m.side_b_id end,
      score_a = null, score_b = null, games = '[]', winner_id = null, is_forfeit = false, completed_at = null,
      state = 'pending'
    where m.id in (select id from down)`.execute(trx);
}
