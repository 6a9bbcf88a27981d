import { sql } from "kysely";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import type { Page } from "../teams/teams.dto.ts";
import type { PostDto } from "./social.dto.ts";
import { idPage, postImages, toPost, type PostRow } from "./post-queries.ts";

export interface HomeFeedInput {
  cursor?: number | undefined;
  limit: number;
}

/**
 * The posts of the teams the user follows, newest first, keyset on post id, in ONE statement:
 * the followed teams (members-only feeds only for their members) are listed first; for each, a
 * LATERAL index-only scan takes at most a page of its newest post ids (index team_posts
 * (team_id, id desc)); only the page's winners are then joined to their rows, team, author and
 * images (uploads by primary key).
 * The cost grows with (teams followed × page), never with the teams' post history.
 */
export async function homeFeed(
  deps: Pick<DomainDeps, "db">,
  actor: Actor,
  input: HomeFeedInput,
): Promise<Page<PostDto>> {
  const take = input.limit + 1;
  const cursor = input.cursor ?? null;
  const { rows } = await sql<PostRow>`
    with followed as materialized (
      select f.team_id from team_follows f
      join teams t on t.id = f.team_id and t.disbanded_at is null
      where f.user_id = ${actor.userId}
        and (t.feed_visibility = 'public' or exists (
          select 1 from team_memberships m where m.team_id = t.id and m.user_id = ${actor.userId} and m.status = 'active'))
    ), top as (
      select p.id from followed
      cross join lateral (
        select p.id from team_posts p
        where p.team_id = followed.team_id and p.id < coalesce(${cursor}::int, 2147483647)
        order by p.id desc
        limit ${take}
      ) p
      order by p.id desc
      limit ${take}
    )
    select p.id, p.body, p.image_ids, p.pinned_at, p.created_at, t.slug as team_slug, t.name as team_name,
           u.id as author_id, u.username as author_username, u.display_name as author_display_name,
           ${postImages} as images
    from top join team_posts p on p.id = top.id
    join teams t on t.id = p.team_id
    join users u on u.id = p.author_id
    order by p.id desc`.execute(deps.db);
  const page = idPage(rows, input.limit);
  return { items: page.items.map(toPost), nextCursor: page.nextCursor };
}
