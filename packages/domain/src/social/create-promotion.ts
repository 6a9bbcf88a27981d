import { sql } from "kysely";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { badRequest } from "../shared/errors.ts";
import type { PromotionDto } from "./social.dto.ts";
import { toPromotion } from "./promotion-queries.ts";
import { loadTeamAccess, requireTeamAction } from "./team-access.ts";

export interface CreatePromotionInput {
  teamSlug: string;
  startsAt: Date;
  endsAt: Date;
}

/**
 * Features the team in its game's discovery for a date window (`managePromotions`). Two
 * statements; discovery reads promotions live (its first page), so nothing to invalidate.
 */
export async function createPromotion(
  deps: DomainDeps,
  actor: Actor,
  input: CreatePromotionInput,
): Promise<PromotionDto> {
  if (input.endsAt <= input.startsAt)
    throw badRequest("The promotion must end after it starts", "BAD_WINDOW", "endsAt");
  const access = await loadTeamAccess(deps.db, actor.userId, input.teamSlug);
  requireTeamAction(access, actor, "managePromotions", "Only the team's owner and managers may promote it");
  const row = await deps.db
    .insertInto("team_promotions")
    .values({
      team_id: access.teamId,
      game_id: access.gameId,
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      created_by: actor.userId,
    })
    .returning([
      "id",
      "starts_at",
      "ends_at",
      sql<string>`(select g.slug from games g where g.id = team_promotions.game_id)`.as("game_slug"),
    ])
    .executeTakeFirstOrThrow();
  return toPromotion(row, access.slug);
}
