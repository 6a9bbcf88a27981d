import { z } from "zod";

export const auditWritePayload = z.object({
  actorId: z.number().int().nullable(),
  action: z.string().min(1),
  entityType: z.string().min(1),
  entityId: z.string().min(1),
  data: z.record(z.string(), z.unknown()).default({}),
  at: z.string().optional(),
});
export type AuditWritePayload = z.infer<typeof auditWritePayload>;

export const auditJobs = { "audit/write": auditWritePayload } as const;
