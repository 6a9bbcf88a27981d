import { social, socialAwardAchievementsPayload } from "@deltacrown/domain";
import type { TaskDeps } from "../../task-deps.ts";

/**
 * `social/award-achievements`: a tournament's podium (enqueued by the CP award with jobKey
 * `achievements:tournament:<id>`), or — from the crontab — CP milestones, tiers and hot streaks
 * of recently changed rankings. One statement; the unique (team_id, kind, key) makes retries and
 * duplicates award (and announce) nothing twice.
 */
export async function socialAwardAchievements(payload: unknown, deps: TaskDeps): Promise<void> {
  await social.awardAchievements(
    { db: deps.db, cache: deps.cache },
    socialAwardAchievementsPayload.parse(payload ?? {}),
  );
}
