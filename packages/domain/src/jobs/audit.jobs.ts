import { z } from "zod";

export const auditWritePayload = z.object({
  actorId: z.number().int().nullable(),
  action: z.string().min(1),
  entityType: z.string().min(1),
  entityId: z.string().min(1),
  data: z.record(z.string(), z.unknown()).default({}),
  at: z.string().optional(),
  /**
   * Deduplication key (unique in audit_log): the job runs at least once, and a second run of the
   * same entry writes nothing. Jobs enqueued before keys existed fall back to their job id.
   */
  key: z.string().min(1).max(200).optional(),
});
export type AuditWritePayload = z.infer<typeof auditWritePayload>;

export const auditJobs = { "audit/write": auditWritePayload } as const;
