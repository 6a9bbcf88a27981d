import { sql } from "kysely";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import type { Page } from "../teams/teams.dto.ts";
import type { PostDto } from "./social.dto.ts";
import { idPage, toPost, type PostRow } from "./post-queries.ts";

export interface HomeFeedInput {
  cursor?: number | undefined;
  limit: number;
}

/**
 * The posts of the teams the user follows, newest first, keyset on post id, in ONE statement:
 * for each followed team a LATERAL index scan takes at most a page of its newest posts (index
 * team_posts (team_id, id desc)), so the cost grows with (teams followed × page), never with the
 * teams' post history. Members-only feeds count only for their members.
 */
export async function homeFeed(deps: Pick<DomainDeps, "db">, actor: Actor, input: HomeFeedInput): Promise<Page<PostDto>> {
  const take = input.limit + 1;
  const cursor = input.cursor ?? null;
  const { rows } = await sql<PostRow>`
    select p.id, p.body, p.image_ids, p.pinned_at, p.created_at, t.slug as team_slug, t.name as team_name,
           u.id as author_id, u.username as author_username, u.display_name as author_display_name
    from team_follows f
    join teams t on t.id = f.team_id and t.disbanded_at is null
    cross join lateral (
      select p.* from team_posts p
      where p.team_id = f.team_id and (${cursor}::int is null or p.id < ${cursor}::int)
      order by p.id desc
      limit ${take}
    ) p
    join users u on u.id = p.author_id
    where f.user_id = ${actor.userId}
      and (t.feed_visibility = 'public' or exists (
        select 1 from team_memberships m where m.team_id = t.id and m.user_id = ${actor.userId} and m.status = 'active'))
    order by p.id desc
    limit ${take}`.execute(deps.db);
  const page = idPage(rows, input.limit);
  return { items: page.items.map(toPost), nextCursor: page.nextCursor };
}
