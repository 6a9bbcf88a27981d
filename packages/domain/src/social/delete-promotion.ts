import type { Actor, DomainDeps } from "../shared/deps.ts";
import { forbidden, notFound } from "../shared/errors.ts";
import { canOnTeam } from "../teams/permissions.ts";

/**
 * Deletes (cancels) a promotion, running or not, for those who manage the team's promotions
 * (`managePromotions`). Two statements: the promotion with its team and the actor's role, the
 * delete. Discovery (teams.search) reads running promotions live, uncached: the team leaves the
 * promoted places with the next read, and nothing is to invalidate.
 */
export async function deletePromotion(deps: DomainDeps, actor: Actor, promotionId: number): Promise<{ ok: true }> {
  const found = await deps.db
    .selectFrom("team_promotions as p")
    .innerJoin("teams as t", "t.id", "p.team_id")
    .leftJoin("team_memberships as m", (j) =>
      j.onRef("m.team_id", "=", "t.id").on("m.user_id", "=", actor.userId).on("m.status", "=", "active"),
    )
    .select(["p.id", "m.role"])
    .where("p.id", "=", promotionId)
    .where("t.disbanded_at", "is", null)
    .executeTakeFirst();
  if (!found) throw notFound("Promotion", "promotionId");
  if (!canOnTeam(found.role, "managePromotions", actor.isStaff))
    throw forbidden("Only the team's owner and managers may cancel its promotions");
  const deleted = await deps.db.deleteFrom("team_promotions").where("id", "=", promotionId).executeTakeFirst();
  // Deleted meanwhile by another call: the same answer as a promotion that never was.
  if (deleted.numDeletedRows === 0n) throw notFound("Promotion", "promotionId");
  return { ok: true };
}
