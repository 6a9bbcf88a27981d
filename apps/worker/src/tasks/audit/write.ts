import { auditWritePayload } from "@deltacrown/domain";
import type { TaskDeps } from "../../task-deps.ts";

/**
 * `audit/write`: appends one audit-log row. Payload parsed with zod (old jobs may carry old
 * shapes). Safe to run twice only in the sense that a retry after a failed insert writes once;
 * audit rows are append-only, so the job key is the enqueuing transaction's concern.
 */
export async function auditWrite(payload: unknown, deps: TaskDeps): Promise<void> {
  const entry = auditWritePayload.parse(payload);
  await deps.db
    .insertInto("audit_log")
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      data: JSON.stringify(entry.data),
      ...(entry.at ? { created_at: new Date(entry.at) } : {}),
    })
    .execute();
}
