import { sql } from "kysely";
import type { DomainDeps } from "../shared/deps.ts";
import { notFound } from "../shared/errors.ts";
import type { CursorPage } from "../tournaments/tournaments.dto.ts";
import { iso, type FollowerDto } from "./social.dto.ts";

export interface ListFollowersInput {
  teamSlug: string;
  /** The previous page's last follower: followed at `at` (ms), user `id`. */
  cursor?: { at: Date; id: number } | undefined;
  limit: number;
}

/**
 * A team's followers, newest first, keyset on (created_at, user_id) along the index
 * team_follows (team_id, created_at desc, user_id desc). One statement; an unknown team is a 404.
 */
export async function listFollowers(
  deps: Pick<DomainDeps, "db">,
  input: ListFollowersInput,
): Promise<CursorPage<FollowerDto>> {
  const after = input.cursor;
  const { rows } = await sql<{
    team_id: number;
    user_id: number | null;
    username: string;
    display_name: string;
    created_at: Date | null;
  }>`
    select t.id as team_id, f.user_id, u.username, u.display_name, f.created_at
    from teams t
    left join lateral (
      select f.user_id, f.created_at from team_follows f
      where f.team_id = t.id
        and (${after?.at ?? null}::timestamptz is null or (f.created_at, f.user_id) < (${after?.at ?? null}::timestamptz, ${after?.id ?? 0}::int))
      order by f.created_at desc, f.user_id desc
      limit ${input.limit + 1}
    ) f on true
    left join users u on u.id = f.user_id
    where t.slug = ${input.teamSlug} and t.disbanded_at is null
    order by f.created_at desc, f.user_id desc`.execute(deps.db);
  if (rows.length === 0) throw notFound("Team", "teamSlug");
  const found = rows.filter((r) => r.user_id != null);
  const items = found.slice(0, input.limit).map((r) => ({
    userId: r.user_id!,
    username: r.username,
    displayName: r.display_name,
    followedAt: iso(r.created_at!),
  }));
  const last = items.at(-1);
  return {
    items,
    nextCursor: found.length > input.limit && last ? `${Date.parse(last.followedAt)}:${last.userId}` : null,
  };
}
