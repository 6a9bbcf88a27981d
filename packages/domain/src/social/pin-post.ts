import { sql } from "kysely";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { notFound } from "../shared/errors.ts";
import { withTransaction } from "../shared/transaction.ts";
import { loadTeamAccess, requireTeamAction } from "./team-access.ts";

export interface PinPostInput {
  teamSlug: string;
  postId: number;
  pinned: boolean;
}

/**
 * Pins a post (replacing the team's pinned one) or unpins it: the team's moderators
 * (`deletePosts`). The team row is locked so two pins cannot race into the one-pinned-post
 * unique index; unpin-then-pin are two statements because Postgres checks a unique index per row.
 */
export async function pinPost(deps: DomainDeps, actor: Actor, input: PinPostInput): Promise<{ ok: true }> {
  await withTransaction(deps.db, async (trx, afterCommit) => {
    const access = await loadTeamAccess(trx, actor.userId, input.teamSlug, { lock: true });
    requireTeamAction(access, actor, "deletePosts", "Only the team's moderators may pin posts");
    const unpinned = await trx
      .updateTable("team_posts")
      .set({ pinned_at: null })
      .where("team_id", "=", access.teamId)
      .where("pinned_at", "is not", null)
      .$if(input.pinned, (q) => q.where("id", "<>", input.postId))
      .$if(!input.pinned, (q) => q.where("id", "=", input.postId))
      .returning("id")
      .execute();
    if (input.pinned) {
      const pinned = await trx
        .updateTable("team_posts")
        .set({ pinned_at: sql<Date>`coalesce(pinned_at, now())` })
        .where("id", "=", input.postId)
        .where("team_id", "=", access.teamId)
        .returning("id")
        .executeTakeFirst();
      if (!pinned) throw notFound("Post", "postId");
    } else if (unpinned.length === 0) {
      const exists = await trx
        .selectFrom("team_posts")
        .select("id")
        .where("id", "=", input.postId)
        .where("team_id", "=", access.teamId)
        .executeTakeFirst();
      if (!exists) throw notFound("Post", "postId");
      return; // already unpinned: nothing changed, nothing to invalidate
    }
    afterCommit(() => deps.cache.invalidate("teamDetail", access.slug, { searchRow: "unchanged" }));
  });
  return { ok: true };
}
