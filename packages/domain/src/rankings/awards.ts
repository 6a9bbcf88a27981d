import type { Database } from "@deltacrown/db";
import { sql, type Kysely, type Transaction } from "kysely";
import type { Cache } from "../cache/cache.ts";
import type { RankingsAwardTournamentPayload } from "../jobs/rankings.jobs.ts";
import { enqueue } from "../jobs/enqueue.ts";
import { withTransaction } from "../shared/transaction.ts";
import { applyLedger, type AppliedChange } from "./ledger.ts";
import { MATCH_WIN_CP, placementCp } from "./points.ts";

/**
 * Awards a completed tournament's CP by final placement (see points.ts). Safe to run twice:
 * the ledger's unique (source_type, source_id, team_id) turns a second award into a no-op.
 * One statement for the whole tournament; changed team pages are invalidated after commit.
 */
export async function awardTournament(
  deps: { db: Kysely<Database>; cache?: Cache | undefined },
  award: RankingsAwardTournamentPayload,
): Promise<AppliedChange[]> {
  return withTransaction(deps.db, async (trx, afterCommit) => {
    const applied = await applyLedger(
      trx,
      {
        gameId: award.gameId,
        sourceType: "tournament",
        sourceId: String(award.tournamentId),
        reason: `tournament ${award.tournamentId} (${award.tier})`,
        touchActivity: true,
      },
      award.placements.map((p) => ({ teamId: p.teamId, delta: placementCp(p.placement, award.tier) })),
    );
    // The podium's achievements, in the same transaction (a rolled-back award announces nothing);
    // the job key collapses a duplicate and the achievements' unique key makes a rerun a no-op.
    if (applied.length > 0)
      await enqueue(
        trx,
        "social/award-achievements",
        { tournament: { id: award.tournamentId, placements: award.placements } },
        { jobKey: `achievements:tournament:${award.tournamentId}`, maxAttempts: 5 },
      );
    afterCommit(() => deps.cache?.invalidateMany(applied.map((a) => ["teamDetail", a.teamSlug] as const)));
    return applied;
  });
}

export interface MatchResultInput {
  gameId: number;
  winnerTeamId: number;
  loserTeamId: number;
  /** When given, the winner also earns MATCH_WIN_CP as a ledger row keyed by this match. */
  matchId?: number | undefined;
}

/**
 * Call inside the transaction that records a match result: the winner's hot streak grows, the
 * loser's resets, both count as active (decay). One statement, two with `matchId`. Returns the
 * two teams' slugs: the caller MUST invalidate their pages after its commit (the page shows the
 * streak and CP).
 */
export async function recordMatchResult(trx: Transaction<Database>, input: MatchResultInput): Promise<string[]> {
  const { rows } = await sql<{ slug: string }>`
    insert into team_rankings as r (team_id, game_id, hot_streak)
    values (${input.winnerTeamId}, ${input.gameId}, 1), (${input.loserTeamId}, ${input.gameId}, 0)
    on conflict (team_id, game_id) do update
      set hot_streak = case when r.team_id = ${input.winnerTeamId} then r.hot_streak + 1 else 0 end,
          last_activity_at = now(),
          updated_at = now()
    returning (select t.slug from teams t where t.id = r.team_id) as slug`.execute(trx);
  if (input.matchId !== undefined)
    await applyLedger(
      trx,
      {
        gameId: input.gameId,
        sourceType: "match",
        sourceId: String(input.matchId),
        reason: "match win",
        touchActivity: true,
      },
      [{ teamId: input.winnerTeamId, delta: MATCH_WIN_CP }],
    );
  return rows.map((r) => r.slug);
}
