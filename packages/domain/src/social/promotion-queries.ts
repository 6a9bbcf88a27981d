import { iso, type PromotionDto } from "./social.dto.ts";

/** A promotion row as the API shows it (its team's and game's slugs read alongside). */
export function toPromotion(
  row: { id: number; starts_at: Date; ends_at: Date; game_slug: string },
  teamSlug: string,
): PromotionDto {
  return { id: row.id, teamSlug, gameSlug: row.game_slug, startsAt: iso(row.starts_at), endsAt: iso(row.ends_at) };
}
