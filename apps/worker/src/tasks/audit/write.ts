import { auditWritePayload } from "@deltacrown/domain";
import type { TaskDeps } from "../../task-deps.ts";

/**
 * `audit/write`: appends one audit-log row. Payload parsed with zod (old jobs may carry old
 * shapes). Safe to run twice: the row carries the entry's deduplication key (the job id for
 * entries enqueued before keys existed, stable across a job's retries), unique in audit_log, and
 * a second insert of the same key does nothing — graphile-worker runs a job at least once (a
 * worker killed after the insert but before marking the job done runs it again).
 */
export async function auditWrite(payload: unknown, deps: TaskDeps, job?: { id: string }): Promise<void> {
  const entry = auditWritePayload.parse(payload);
  const key = entry.key ?? (job ? `job:${job.id}` : null);
  await deps.db
    .insertInto("audit_log")
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      data: JSON.stringify(entry.data),
      dedup_key: key,
      ...(entry.at ? { created_at: new Date(entry.at) } : {}),
    })
    .onConflict((oc) => oc.column("dedup_key").doNothing())
    .execute();
}
