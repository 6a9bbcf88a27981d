import { rankings, rankingsAwardTournamentPayload } from "@deltacrown/domain";
import type { TaskDeps } from "../../task-deps.ts";
import { TASK_TIMEOUTS_MS, withTimeout } from "./with-timeout.ts";

/**
 * `rankings/award-tournament`: CP by final placement × tournament tier (domain points.ts), one
 * statement for the whole tournament. Enqueued by the tournaments context with jobKey
 * `award:tournament:<id>`; a second run awards nothing (unique ledger source).
 */
export async function rankingsAwardTournament(payload: unknown, deps: TaskDeps): Promise<void> {
  const award = rankingsAwardTournamentPayload.parse(payload);
  await withTimeout("rankings/award-tournament", TASK_TIMEOUTS_MS["rankings/award-tournament"], () =>
    rankings.awardTournament({ db: deps.db, cache: deps.cache }, award),
  );
}
