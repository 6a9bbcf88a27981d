import { cacheWarmTeamsPayload, rankings } from "@deltacrown/domain";
import type { TaskDeps } from "../../task-deps.ts";
import { TASK_TIMEOUTS_MS, withTimeout } from "../rankings/with-timeout.ts";

/**
 * `cache/warm-teams` (every 15 min, crontab): rewrites the cached pages of the 100 most viewed
 * teams (views counted in Redis by teams.bySlug), with a TTL longer than the 15-min interval so a
 * warmed page never expires between runs (changes still invalidate it explicitly). One query per team.
 */
export async function cacheWarmTeams(payload: unknown, deps: TaskDeps): Promise<void> {
  cacheWarmTeamsPayload.parse(payload ?? {});
  const cache = deps.cache;
  if (!cache) return; // no shared cache tier in this process: nothing to warm
  await withTimeout("cache/warm-teams", TASK_TIMEOUTS_MS["cache/warm-teams"], () =>
    rankings.warmTopTeams({ db: deps.db, cache }, 100),
  );
}
