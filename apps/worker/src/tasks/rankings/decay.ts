import { enqueue, rankings, rankingsDecayPayload } from "@deltacrown/domain";
import type { TaskDeps } from "../../task-deps.ts";
import { TASK_TIMEOUTS_MS, withTimeout } from "./with-timeout.ts";

/**
 * `rankings/decay` (daily at 01:00, crontab): ONE batch of the CP decay of inactive teams, in its
 * own transaction, then enqueues the next batch of its lane until the lane is finished (≤ 3
 * queries a job, up to `batchSize` teams each). With `lanes` > 1 the crontab's job (no `lane`)
 * only enqueues one job per lane: the lanes' chains run at once, on other worker slots (issue 14:
 * one chain used one core). The run id defaults to the UTC date: a crashed or retried job resumes
 * after its lane's last committed batch and never decays a team twice the same day.
 */
export async function rankingsDecay(payload: unknown, deps: TaskDeps): Promise<void> {
  const input = rankingsDecayPayload.parse(payload ?? {});
  const runId = input.runId ?? new Date().toISOString().slice(0, 10);
  const lanes = input.lanes ?? 1;
  const settings = {
    runId,
    ...(input.inactiveDays !== undefined ? { inactiveDays: input.inactiveDays } : {}),
    ...(input.percent !== undefined ? { percent: input.percent } : {}),
    ...(input.batchSize !== undefined ? { batchSize: input.batchSize } : {}),
    ...(input.lanes !== undefined ? { lanes: input.lanes } : {}),
  };
  if (input.lane === undefined && lanes > 1) {
    for (let lane = 0; lane < lanes; lane++)
      await enqueue(
        deps.db,
        "rankings/decay",
        { ...settings, lane },
        { jobKey: `rankings/decay:next:${runId}:${lane}`, maxAttempts: 5 },
      );
    return;
  }
  const lane = input.lane ?? 0;
  const batch = await withTimeout("rankings/decay", TASK_TIMEOUTS_MS["rankings/decay"], () =>
    rankings.runDecayBatch(deps.db, {
      runId,
      lane,
      cache: deps.cache,
      config: {
        ...(input.inactiveDays !== undefined ? { inactiveDays: input.inactiveDays } : {}),
        ...(input.percent !== undefined ? { percent: input.percent } : {}),
        ...(input.batchSize !== undefined ? { batchSize: input.batchSize } : {}),
        lanes,
      },
    }),
  );
  if (!batch.finished)
    await enqueue(deps.db, "rankings/decay", lanes > 1 ? { ...settings, lane } : settings, {
      jobKey: lanes > 1 ? `rankings/decay:next:${runId}:${lane}` : `rankings/decay:next:${runId}`,
      maxAttempts: 5,
    });
}
