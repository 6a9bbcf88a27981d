import type { Actor, DomainDeps } from "../shared/deps.ts";
import type { Page } from "../teams/teams.dto.ts";
import type { PromotionDto } from "./social.dto.ts";
import { toPromotion } from "./promotion-queries.ts";
import { loadTeamAccess, requireTeamAction } from "./team-access.ts";

export interface ListPromotionsInput {
  teamSlug: string;
  cursor?: number | undefined;
  limit: number;
}

/**
 * A team's promotions — past, running and to come — newest first, keyset on id, for those who
 * manage them (`managePromotions`). Two statements: access, page. A team has few promotions: the
 * page reads them through team_promotions (team_id, ends_at) and sorts that handful.
 */
export async function listPromotions(
  deps: DomainDeps,
  actor: Actor,
  input: ListPromotionsInput,
): Promise<Page<PromotionDto>> {
  const access = await loadTeamAccess(deps.db, actor.userId, input.teamSlug);
  requireTeamAction(access, actor, "managePromotions", "Only the team's owner and managers may see its promotions");
  const rows = await deps.db
    .selectFrom("team_promotions as p")
    .innerJoin("games as g", "g.id", "p.game_id")
    .select(["p.id", "p.starts_at", "p.ends_at", "g.slug as game_slug"])
    .where("p.team_id", "=", access.teamId)
    .$if(input.cursor !== undefined, (q) => q.where("p.id", "<", input.cursor ?? 0))
    .orderBy("p.id", "desc")
    .limit(input.limit + 1)
    .execute();
  const items = rows.slice(0, input.limit).map((r) => toPromotion(r, access.slug));
  return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}
