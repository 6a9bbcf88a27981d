import type { Actor, DomainDeps } from "../shared/deps.ts";
import { forbidden } from "../shared/errors.ts";
import type { Page } from "../teams/teams.dto.ts";
import type { PostDto } from "./social.dto.ts";
import { idPage, POST_COLUMNS, toPost } from "./post-queries.ts";
import { loadTeamAccess, maySee } from "./team-access.ts";

export interface TeamFeedInput {
  teamSlug: string;
  cursor?: number | undefined;
  limit: number;
}

/**
 * A team's posts, newest first, keyset on id (index team_posts (team_id, id desc)). A
 * members-only feed is refused to others. Two statements: access, page.
 */
export async function teamFeed(
  deps: Pick<DomainDeps, "db">,
  viewer: Actor | undefined,
  input: TeamFeedInput,
): Promise<Page<PostDto>> {
  const access = await loadTeamAccess(deps.db, viewer?.userId ?? null, input.teamSlug);
  if (!maySee(access.feedVisibility, access.actorRole, viewer?.isStaff ?? false))
    throw forbidden("This team's feed is visible to its members only");
  const rows = await deps.db
    .selectFrom("team_posts as p")
    .innerJoin("teams as t", "t.id", "p.team_id")
    .innerJoin("users as u", "u.id", "p.author_id")
    .select(POST_COLUMNS)
    .where("p.team_id", "=", access.teamId)
    .$if(input.cursor !== undefined, (q) => q.where("p.id", "<", input.cursor ?? 0))
    .orderBy("p.id", "desc")
    .limit(input.limit + 1)
    .execute();
  const page = idPage(rows, input.limit);
  return { items: page.items.map(toPost), nextCursor: page.nextCursor };
}
