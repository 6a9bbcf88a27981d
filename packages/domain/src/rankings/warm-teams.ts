import type { Database } from "@deltacrown/db";
import type { Kysely } from "kysely";
import type { Cache } from "../cache/cache.ts";
import { viewsKey } from "../cache/cache.ts";
import { selectTeamDetail } from "../teams/team-queries.ts";

export const TEAM_VIEWS_KEY = viewsKey("teamDetail");
/** Longer than the 15-min warming interval: a warmed page never expires between runs. */
export const WARMED_TEAM_TTL_SECONDS = 20 * 60;

/**
 * Rewrites the cached pages of the most viewed teams (views counted by teams.bySlug), so they
 * never expire under readers. One query per team (the page's single statement).
 */
export async function warmTopTeams(deps: { db: Kysely<Database>; cache: Cache }, count = 100): Promise<number> {
  const slugs = await deps.cache.topViewed("teamDetail", count);
  let warmed = 0;
  for (const slug of slugs) {
    // refresh, not set: a page loaded just before a roster change commits must not overwrite it.
    const team = await deps.cache.refresh("teamDetail", slug, () => selectTeamDetail(deps.db, slug), {
      ttlSeconds: WARMED_TEAM_TTL_SECONDS,
    });
    if (team) warmed++;
  }
  return warmed;
}
