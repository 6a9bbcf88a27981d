import type { Database } from "@deltacrown/db";
import { sql, type Kysely } from "kysely";
import type { Cache } from "../cache/cache.ts";
import { notify } from "../notifications/notify.ts";
import { withTransaction } from "../shared/transaction.ts";
import { LEADERBOARD_TOP, type LeaderboardEntryDto, type LeaderboardTop } from "./leaderboard.dto.ts";
import { tierCaseSql } from "./points.ts";

export interface LeaderboardRecompute {
  gameId: number;
  teams: number;
  tierChanges: number;
  top: LeaderboardTop;
}

const NOTIFY_CHUNK = 5000;

interface TopRow {
  rank: number;
  previous_rank: number | null;
  team_id: number;
  slug: string;
  name: string;
  tag: string | null;
  cp: number;
  tier: string;
  teams: number;
}

const toEntry = (r: Omit<TopRow, "teams">): LeaderboardEntryDto => ({
  rank: r.rank,
  previousRank: r.previous_rank,
  teamId: r.team_id,
  teamSlug: r.slug,
  teamName: r.name,
  teamTag: r.tag,
  cp: r.cp,
  tier: r.tier,
});

/**
 * Recomputes one game's board set-based: tiers (notifying owners of teams whose tier changed),
 * ranks (ties share a rank: `rank()`), and the snapshot with the previous rank, in one
 * transaction of 2 statements (+2 for notifications), whatever the number of teams. Then writes
 * the top 100 to the cache, replacing the entry before it expires, and invalidates the page of
 * every team whose tier or rank changed (the page shows both).
 */
export async function recomputeLeaderboard(
  deps: { db: Kysely<Database>; cache?: Cache | undefined },
  gameId: number,
): Promise<LeaderboardRecompute> {
  const computedAt = new Date();
  const result = await withTransaction(deps.db, async (trx, afterCommit) => {
    const changed = await sql<{
      team_id: number;
      owner_id: number;
      slug: string;
      name: string;
      old_tier: string;
      tier: string;
    }>`
      with computed as (
        select r.id, r.team_id, r.tier as old_tier, ${sql.raw(tierCaseSql("r.current_cp"))} as tier
        from team_rankings r where r.game_id = ${gameId}
      ), changed as (
        update team_rankings r set tier = c.tier, updated_at = now()
        from computed c where r.id = c.id and c.tier <> c.old_tier
        returning r.team_id, c.old_tier, c.tier
      )
      select c.team_id, t.owner_id, t.slug, t.name, c.old_tier, c.tier
      from changed c join teams t on t.id = c.team_id`.execute(trx);
    // Chunked: a threshold change can move thousands of teams, and one INSERT has ≤ 65535 parameters.
    for (let i = 0; i < changed.rows.length; i += NOTIFY_CHUNK)
      await notify(
        trx,
        changed.rows.slice(i, i + NOTIFY_CHUNK).map((r) => ({
          userId: r.owner_id,
          kind: "rankings.tier_changed",
          payload: { teamSlug: r.slug, teamName: r.name, from: r.old_tier, to: r.tier },
        })),
      );
    // Snapshot upsert, stale-row delete and rank write-back read `ranked`; the final select
    // returns the top from the same computation (a CTE's writes are invisible to its select).
    // Rows with `moved` carry only a slug (a team whose rank changed); the others are the top.
    const top = await sql<TopRow & { moved: boolean }>`
      with ranked as (
        select r.team_id, r.current_cp as cp, r.tier,
               (rank() over (order by r.current_cp desc))::int as rank
        from team_rankings r join teams t on t.id = r.team_id
        where r.game_id = ${gameId} and t.disbanded_at is null
      ), snap as (
        insert into leaderboard_entries as e (game_id, team_id, rank, previous_rank, cp, tier, computed_at)
        select ${gameId}, team_id, rank, null, cp, tier, ${computedAt} from ranked
        on conflict (team_id) do update
          set game_id = excluded.game_id, previous_rank = case when e.game_id = excluded.game_id then e.rank end,
              rank = excluded.rank, cp = excluded.cp, tier = excluded.tier, computed_at = excluded.computed_at
      ), stale as (
        delete from leaderboard_entries e
        where e.game_id = ${gameId} and not exists (select 1 from ranked where ranked.team_id = e.team_id)
      ), ranks as (
        update team_rankings r set rank = ranked.rank
        from ranked where r.team_id = ranked.team_id and r.game_id = ${gameId} and r.rank is distinct from ranked.rank
        returning r.team_id
      )
      (select false as moved, ranked.rank, e.rank as previous_rank, ranked.team_id, t.slug, t.name, t.tag, ranked.cp,
              ranked.tier, (select count(*) from ranked)::int as teams
      from ranked
      join teams t on t.id = ranked.team_id
      left join leaderboard_entries e on e.game_id = ${gameId} and e.team_id = ranked.team_id
      order by ranked.rank, ranked.team_id
      limit ${LEADERBOARD_TOP})
      union all
      -- The teams whose rank moved, for their page's invalidation (slug only).
      select true, null, null, ranks.team_id, t.slug, null, null, null, null, null
      from ranks join teams t on t.id = ranks.team_id`.execute(trx);
    const moved = new Set([...changed.rows, ...top.rows.filter((r) => r.moved)].map((r) => r.slug));
    afterCommit(() => deps.cache?.invalidateMany([...moved].map((slug) => ["teamDetail", slug] as const)));
    return { changed: changed.rows.length, top: top.rows.filter((r) => !r.moved) };
  });
  const top: LeaderboardTop = {
    gameId,
    computedAt: computedAt.toISOString(),
    entries: result.top.map(toEntry),
  };
  await deps.cache?.set("leaderboard", gameId, top);
  return { gameId, teams: result.top[0]?.teams ?? 0, tierChanges: result.changed, top };
}

/** The top from the snapshot (a cache miss): one query. */
export async function selectLeaderboardTop(db: Kysely<Database>, gameId: number): Promise<LeaderboardTop> {
  const rows = await db
    .selectFrom("leaderboard_entries as e")
    .innerJoin("teams as t", "t.id", "e.team_id")
    .select(["e.rank", "e.previous_rank", "e.team_id", "t.slug", "t.name", "t.tag", "e.cp", "e.tier", "e.computed_at"])
    .where("e.game_id", "=", gameId)
    .orderBy("e.rank")
    .orderBy("e.team_id")
    .limit(LEADERBOARD_TOP)
    .execute();
  return {
    gameId,
    computedAt: rows[0] ? new Date(rows[0].computed_at).toISOString() : new Date(0).toISOString(),
    entries: rows.map(toEntry),
  };
}
