import type { InvalidateOptions } from "../cache/cache.ts";
import type { CacheFamily } from "../cache/families.ts";
import { liveChannels } from "../live/channels.ts";
import { publishLive } from "../live/registry.ts";
import type { DomainDeps } from "../shared/deps.ts";

/** The live event a team's members receive when its roster or profile changed (live.team). */
export const ROSTER_CHANGED = "team.roster_changed";

/**
 * After commit: drop the cached reads first, then tell the team's live listeners, so a listener
 * that reads again on the event gets the new roster, never the cached old one.
 */
export async function invalidateAndAnnounce(
  deps: DomainDeps,
  entries: readonly (readonly [CacheFamily, string | number])[],
  team: { id: number; slug: string },
  options: InvalidateOptions = {},
): Promise<void> {
  await deps.cache.invalidateMany(entries, options);
  await publishLive(liveChannels.team(team.id), { type: ROSTER_CHANGED, data: { teamSlug: team.slug } });
}
