import { enqueue, rankings, rankingsDecayPayload } from "@deltacrown/domain";
import type { TaskDeps } from "../../task-deps.ts";
import { TASK_TIMEOUTS_MS, withTimeout } from "./with-timeout.ts";

/**
 * `rankings/decay` (daily at 01:00, crontab): ONE batch of the CP decay of inactive teams, in its
 * own transaction, then enqueues the next batch until the run is finished (≤ 3 queries a job,
 * up to `batchSize` teams each). The run id defaults to the UTC date: a crashed or retried job
 * resumes after the last committed batch and never decays a team twice the same day.
 */
export async function rankingsDecay(payload: unknown, deps: TaskDeps): Promise<void> {
  const input = rankingsDecayPayload.parse(payload ?? {});
  const runId = input.runId ?? new Date().toISOString().slice(0, 10);
  const batch = await withTimeout("rankings/decay", TASK_TIMEOUTS_MS["rankings/decay"], () =>
    rankings.runDecayBatch(deps.db, {
      runId,
      cache: deps.cache,
      config: {
        ...(input.inactiveDays !== undefined ? { inactiveDays: input.inactiveDays } : {}),
        ...(input.percent !== undefined ? { percent: input.percent } : {}),
        ...(input.batchSize !== undefined ? { batchSize: input.batchSize } : {}),
      },
    }),
  );
  if (!batch.finished)
    await enqueue(
      deps.db,
      "rankings/decay",
      {
        runId,
        ...(input.inactiveDays !== undefined ? { inactiveDays: input.inactiveDays } : {}),
        ...(input.percent !== undefined ? { percent: input.percent } : {}),
        ...(input.batchSize !== undefined ? { batchSize: input.batchSize } : {}),
      },
      { jobKey: `rankings/decay:next:${runId}`, maxAttempts: 5 },
    );
}
