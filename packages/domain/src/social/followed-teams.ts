import type { Actor, DomainDeps } from "../shared/deps.ts";
import type { CursorPage } from "../tournaments/tournaments.dto.ts";
import { TEAM_SUMMARY_COLUMNS, teamSummaryFrom, toTeamSummary } from "../teams/team-queries.ts";
import { sql } from "kysely";
import { iso, type FollowedTeamDto } from "./social.dto.ts";

export interface FollowedTeamsInput {
  cursor?: { at: Date; id: number } | undefined;
  limit: number;
}

/**
 * "Teams I follow", last followed first, keyset on (created_at, team_id) along the index
 * team_follows (user_id, created_at desc, team_id desc). One statement.
 */
export async function followedTeams(
  deps: Pick<DomainDeps, "db">,
  actor: Actor,
  input: FollowedTeamsInput,
): Promise<CursorPage<FollowedTeamDto>> {
  const after = input.cursor;
  const rows = await teamSummaryFrom(deps.db)
    .innerJoin("team_follows as f", "f.team_id", "t.id")
    .select(TEAM_SUMMARY_COLUMNS)
    .select("f.created_at as followed_at")
    .where("f.user_id", "=", actor.userId)
    .$if(after !== undefined, (q) => q.where(sql<boolean>`(f.created_at, f.team_id) < (${after!.at}, ${after!.id})`))
    .orderBy("f.created_at", "desc")
    .orderBy("f.team_id", "desc")
    .limit(input.limit + 1)
    .execute();
  const items = rows.slice(0, input.limit).map((r) => ({ ...toTeamSummary(r), followedAt: iso(r.followed_at) }));
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > input.limit && last ? `${Date.parse(last.followedAt)}:${last.id}` : null,
  };
}
