import { sql } from "kysely";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { notFound } from "../shared/errors.ts";
import type { FollowStateDto } from "./social.dto.ts";

/**
 * Follows a team in ONE statement: the follow row and the precomputed follower count change
 * together. Concurrent follows serialize on the team row's update (each re-reads the committed
 * count under READ COMMITTED), and a second follow by the same user conflicts on the primary key
 * and adds nothing, so the count always equals the rows. The team page shows the count: it is
 * invalidated when the count changed.
 */
export async function followTeam(deps: DomainDeps, actor: Actor, teamSlug: string): Promise<FollowStateDto> {
  const { rows } = await sql<{ slug: string; added: number; follower_count: number }>`
    with t as (
      select id, slug, follower_count from teams where slug = ${teamSlug} and disbanded_at is null
    ), ins as (
      insert into team_follows (team_id, user_id) select id, ${actor.userId} from t
      on conflict do nothing returning team_id
    ), upd as (
      update teams set follower_count = follower_count + 1 where id in (select team_id from ins)
      returning follower_count
    )
    select t.slug, (select count(*)::int from ins) as added,
           coalesce((select follower_count from upd), t.follower_count) as follower_count
    from t`.execute(deps.db);
  const row = rows[0];
  if (!row) throw notFound("Team", "teamSlug");
  if (row.added > 0) await deps.cache.invalidate("teamDetail", row.slug, { searchRow: "unchanged" });
  return { following: true, followerCount: row.follower_count };
}
