import { sql } from "kysely";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { notFound } from "../shared/errors.ts";
import type { FollowStateDto } from "./social.dto.ts";

/** Unfollows a team in ONE statement (the row and the precomputed count); see followTeam. */
export async function unfollowTeam(deps: DomainDeps, actor: Actor, teamSlug: string): Promise<FollowStateDto> {
  const { rows } = await sql<{ slug: string; removed: number; follower_count: number }>`
    with t as (
      select id, slug, follower_count from teams where slug = ${teamSlug} and disbanded_at is null
    ), del as (
      delete from team_follows f using t where f.team_id = t.id and f.user_id = ${actor.userId}
      returning f.team_id
    ), upd as (
      update teams set follower_count = follower_count - 1 where id in (select team_id from del)
      returning follower_count
    )
    select t.slug, (select count(*)::int from del) as removed,
           coalesce((select follower_count from upd), t.follower_count) as follower_count
    from t`.execute(deps.db);
  const row = rows[0];
  if (!row) throw notFound("Team", "teamSlug");
  if (row.removed > 0) await deps.cache.invalidate("teamDetail", row.slug, { searchRow: "unchanged" });
  return { following: false, followerCount: row.follower_count };
}
