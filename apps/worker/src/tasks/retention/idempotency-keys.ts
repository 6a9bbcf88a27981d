import { enqueue, purgeExpiredKeys, retentionIdempotencyKeysPayload } from "@deltacrown/domain";
import type { TaskDeps } from "../../task-deps.ts";

/**
 * `retention/idempotency-keys` (hourly, crontab): deletes one batch of wallet idempotency keys
 * past their retention window, oldest first, in one statement on the created_at index; a full
 * batch enqueues the next (≤ 2 queries a job). Safe to run twice.
 */
export async function retentionIdempotencyKeys(payload: unknown, deps: TaskDeps): Promise<void> {
  const { batchSize } = retentionIdempotencyKeysPayload.parse(payload ?? undefined);
  const purged = await purgeExpiredKeys(deps.db, batchSize);
  if (purged === batchSize)
    await enqueue(
      deps.db,
      "retention/idempotency-keys",
      { batchSize },
      { jobKey: "retention/idempotency-keys:next-batch" },
    );
}
