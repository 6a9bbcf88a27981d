import { enqueue, purgeExpiredSessions, retentionSessionsPayload } from "@deltacrown/domain";
import type { TaskDeps } from "../../task-deps.ts";

/**
 * `retention/sessions` (hourly, crontab): deletes one batch of expired sessions, oldest first, in
 * one statement on the expires_at index; a full batch enqueues the next, so each job stays within
 * the per-item budget (≤ 2 queries) however many expired. Safe to run twice.
 */
export async function retentionSessions(payload: unknown, deps: TaskDeps): Promise<void> {
  const { batchSize } = retentionSessionsPayload.parse(payload ?? undefined);
  const purged = await purgeExpiredSessions(deps.db, batchSize);
  if (purged === batchSize)
    await enqueue(deps.db, "retention/sessions", { batchSize }, { jobKey: "retention/sessions:next-batch" });
}
