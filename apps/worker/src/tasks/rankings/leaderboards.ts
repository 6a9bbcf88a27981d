import { rankingsLeaderboardsPayload } from "@deltacrown/domain";
import { sql } from "kysely";
import type { TaskDeps } from "../../task-deps.ts";
import { TASK_TIMEOUTS_MS, withTimeout } from "./with-timeout.ts";

/**
 * `rankings/leaderboards` (every 5 min, crontab): fans out one `rankings/leaderboard` job per game
 * with rankings, in ONE statement. The job key per game collapses a still-pending recompute
 * instead of queueing a second one.
 */
export async function rankingsLeaderboards(payload: unknown, deps: TaskDeps): Promise<void> {
  rankingsLeaderboardsPayload.parse(payload ?? {});
  await withTimeout("rankings/leaderboards", TASK_TIMEOUTS_MS["rankings/leaderboards"], () =>
    sql`
      select graphile_worker.add_job(
        identifier => 'rankings/leaderboard',
        payload => json_build_object('gameId', g.id),
        job_key => 'leaderboard:' || g.id,
        max_attempts => 5
      )
      from games g
      where exists (select 1 from team_rankings r where r.game_id = g.id)`.execute(deps.db),
  );
}
