import { sql } from "kysely";
import { gameBySlug } from "../games/games.service.ts";
import { fillDb, type DomainDeps } from "../shared/deps.ts";
import { badRequest, notFound } from "../shared/errors.ts";
import { LEADERBOARD_TOP, type LeaderboardEntryDto, type LeaderboardPage } from "./leaderboard.dto.ts";
import { selectLeaderboardTop } from "./leaderboard.job.ts";

export interface LeaderboardInput {
  gameSlug: string;
  tier?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

function parseCursor(cursor: string): { rank: number; teamId: number } {
  const match = /^(\d+)\.(\d+)$/.exec(cursor);
  if (!match) throw badRequest("Bad cursor", "BAD_CURSOR", "cursor");
  return { rank: Number(match[1]), teamId: Number(match[2]) };
}

const cursorOf = (e: LeaderboardEntryDto) => `${e.rank}.${e.teamId}`;

/**
 * A game's board, pages of ≤ 50 keyset on (rank, team_id). Without a tier filter, pages inside
 * the top 100 are served from the cached top (written by the leaderboard job): 0 queries on a
 * hit, 2 on a miss (game + top). Tier filters and pages beyond the top read the snapshot:
 * game (cached) + 1 query.
 */
export async function leaderboard(deps: DomainDeps, input: LeaderboardInput): Promise<LeaderboardPage> {
  const game = await gameBySlug(deps, input.gameSlug);
  if (input.tier === undefined) {
    const top = await deps.cache.getOrLoad("leaderboard", game.id, () => selectLeaderboardTop(fillDb(deps), game.id));
    const start = input.cursor === undefined ? 0 : top.entries.findIndex((e) => cursorOf(e) === input.cursor) + 1;
    const wholeBoard = top.entries.length < LEADERBOARD_TOP;
    if (start > 0 || input.cursor === undefined) {
      const entries = top.entries.slice(start, start + input.limit);
      if (entries.length === input.limit || wholeBoard) {
        const last = entries.at(-1);
        const more = start + entries.length < top.entries.length || !wholeBoard;
        return {
          gameSlug: game.slug,
          computedAt: top.entries.length > 0 ? top.computedAt : null,
          entries,
          nextCursor: more && last ? cursorOf(last) : null,
        };
      }
    }
  }
  const after = input.cursor === undefined ? undefined : parseCursor(input.cursor);
  const rows = await deps.db
    .selectFrom("leaderboard_entries as e")
    .innerJoin("teams as t", "t.id", "e.team_id")
    .select(["e.rank", "e.previous_rank", "e.team_id", "t.slug", "t.name", "t.tag", "e.cp", "e.tier", "e.computed_at"])
    .where("e.game_id", "=", game.id)
    .$if(input.tier !== undefined, (q) => q.where("e.tier", "=", input.tier ?? ""))
    .$if(after !== undefined, (q) =>
      q.where((eb) => eb(eb.refTuple("e.rank", "e.team_id"), ">", eb.tuple(after?.rank ?? 0, after?.teamId ?? 0))),
    )
    .orderBy("e.rank")
    .orderBy("e.team_id")
    .limit(input.limit + 1)
    .execute();
  const entries = rows.slice(0, input.limit).map((r): LeaderboardEntryDto => ({
    rank: r.rank,
    previousRank: r.previous_rank,
    teamId: r.team_id,
    teamSlug: r.slug,
    teamName: r.name,
    teamTag: r.tag,
    cp: r.cp,
    tier: r.tier,
  }));
  const last = entries.at(-1);
  return {
    gameSlug: game.slug,
    computedAt: rows[0] ? new Date(rows[0].computed_at).toISOString() : null,
    entries,
    nextCursor: rows.length > input.limit && last ? cursorOf(last) : null,
  };
}

export interface TeamRankDto {
  teamSlug: string;
  gameSlug: string;
  /** Null while the team has not been through a leaderboard recompute yet. */
  entry: LeaderboardEntryDto | null;
  /** Up to two teams above and two below in board order, the team itself included. */
  neighbourhood: LeaderboardEntryDto[];
}

/** One team's place on its game's board and its neighbours: one query from the snapshot. */
export async function teamRank(deps: DomainDeps, teamSlug: string): Promise<TeamRankDto> {
  // `me` always yields the team (when it exists); the neighbours come from the snapshot by
  // keyset on (rank, team_id) around it, two each side.
  const result = await sql<{
    me_id: number;
    game_slug: string;
    rank: number | null;
    previous_rank: number | null;
    team_id: number | null;
    slug: string | null;
    name: string | null;
    tag: string | null;
    cp: number | null;
    tier: string | null;
  }>`
    with me as (
      select t.id as team_id, t.game_id, g.slug as game_slug, e.rank
      from teams t join games g on g.id = t.game_id
      left join leaderboard_entries e on e.team_id = t.id
      where t.slug = ${teamSlug}
    ), near as (
      select e.* from me cross join lateral (
        (select * from leaderboard_entries b where b.game_id = me.game_id and (b.rank, b.team_id) < (me.rank, me.team_id)
         order by b.rank desc, b.team_id desc limit 2)
        union all
        (select * from leaderboard_entries s where s.team_id = me.team_id and me.rank is not null)
        union all
        (select * from leaderboard_entries a where a.game_id = me.game_id and (a.rank, a.team_id) > (me.rank, me.team_id)
         order by a.rank, a.team_id limit 2)
      ) e
    )
    select me.team_id as me_id, me.game_slug, n.rank, n.previous_rank, n.team_id, t.slug, t.name, t.tag, n.cp, n.tier
    from me left join near n on true left join teams t on t.id = n.team_id
    order by n.rank, n.team_id`.execute(deps.db);
  const rows = result.rows;
  const first = rows[0];
  if (!first) throw notFound("Team", "teamSlug");
  const neighbourhood: LeaderboardEntryDto[] = [];
  for (const r of rows)
    if (r.team_id != null && r.rank != null && r.slug != null && r.name != null && r.cp != null && r.tier != null)
      neighbourhood.push({
        rank: r.rank,
        previousRank: r.previous_rank ?? null,
        teamId: r.team_id,
        teamSlug: r.slug,
        teamName: r.name,
        teamTag: r.tag ?? null,
        cp: r.cp,
        tier: r.tier,
      });
  return {
    teamSlug,
    gameSlug: first.game_slug,
    entry: neighbourhood.find((n) => n.teamId === first.me_id) ?? null,
    neighbourhood,
  };
}

export interface HistoryInput {
  teamSlug: string;
  cursor?: number | undefined;
  limit: number;
}

export interface CpHistoryEntryDto {
  id: number;
  delta: number;
  sourceType: string;
  sourceId: string;
  reason: string;
  at: string;
}

export interface CpHistoryPage {
  entries: CpHistoryEntryDto[];
  nextCursor: number | null;
}

/** A team's CP history (the ledger), newest first, keyset on id: 1 query (2 when empty, to tell "no team"). */
export async function history(deps: DomainDeps, input: HistoryInput): Promise<CpHistoryPage> {
  const rows = await deps.db
    .selectFrom("cp_ledger as l")
    .innerJoin("teams as t", "t.id", "l.team_id")
    .select(["l.id", "l.delta", "l.source_type", "l.source_id", "l.reason", "l.created_at"])
    .where("t.slug", "=", input.teamSlug)
    .$if(input.cursor !== undefined, (q) => q.where("l.id", "<", String(input.cursor)))
    .orderBy("l.id", "desc")
    .limit(input.limit + 1)
    .execute();
  if (rows.length === 0 && input.cursor === undefined) {
    const team = await deps.db.selectFrom("teams").select("id").where("slug", "=", input.teamSlug).executeTakeFirst();
    if (!team) throw notFound("Team", "teamSlug");
  }
  const entries = rows.slice(0, input.limit).map((r) => ({
    id: Number(r.id),
    delta: r.delta,
    sourceType: r.source_type,
    sourceId: r.source_id,
    reason: r.reason,
    at: new Date(r.created_at).toISOString(),
  }));
  const last = entries.at(-1);
  return { entries, nextCursor: rows.length > input.limit && last ? last.id : null };
}
