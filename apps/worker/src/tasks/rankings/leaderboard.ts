import { rankings, rankingsLeaderboardPayload } from "@deltacrown/domain";
import type { TaskDeps } from "../../task-deps.ts";
import { TASK_TIMEOUTS_MS, withTimeout } from "./with-timeout.ts";

/**
 * `rankings/leaderboard`: one game's tiers, ranks and snapshot, set-based (2 statements, +2 when
 * tiers changed and owners are notified), then its top 100 written to Redis before the previous
 * entry expires. Safe to run twice (a rerun recomputes the same board).
 */
export async function rankingsLeaderboard(payload: unknown, deps: TaskDeps): Promise<void> {
  const { gameId } = rankingsLeaderboardPayload.parse(payload);
  await withTimeout("rankings/leaderboard", TASK_TIMEOUTS_MS["rankings/leaderboard"], () =>
    rankings.recomputeLeaderboard({ db: deps.db, cache: deps.cache }, gameId),
  );
}
