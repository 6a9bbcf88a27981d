import type { Actor, DomainDeps } from "../shared/deps.ts";
import { forbidden, notFound } from "../shared/errors.ts";
import { canOnTeam } from "../teams/permissions.ts";

/**
 * Deletes a post: its author, or a moderator of its team (`deletePosts`). Two statements (the
 * post with its team and the actor's role, the delete); a pinned post's deletion invalidates the
 * team page, which shows it.
 */
export async function deletePost(deps: DomainDeps, actor: Actor, postId: number): Promise<{ ok: true }> {
  const post = await deps.db
    .selectFrom("team_posts as p")
    .innerJoin("teams as t", "t.id", "p.team_id")
    .leftJoin("team_memberships as m", (j) =>
      j.onRef("m.team_id", "=", "t.id").on("m.user_id", "=", actor.userId).on("m.status", "=", "active"),
    )
    .select(["p.id", "p.author_id", "p.pinned_at", "t.slug", "m.role"])
    .where("p.id", "=", postId)
    .executeTakeFirst();
  if (!post) throw notFound("Post", "postId");
  if (post.author_id !== actor.userId && !canOnTeam(post.role, "deletePosts", actor.isStaff))
    throw forbidden("Only the author or the team's moderators may delete this post");
  const deleted = await deps.db
    .deleteFrom("team_posts")
    .where("id", "=", postId)
    .returning("pinned_at")
    .executeTakeFirst();
  if (deleted?.pinned_at != null) await deps.cache.invalidate("teamDetail", post.slug, { searchRow: "unchanged" });
  return { ok: true };
}
