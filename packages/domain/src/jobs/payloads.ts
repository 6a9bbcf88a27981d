import { z } from "zod";

/** Job payload schemas, shared by the code that enqueues and the task that runs. */
export const auditWritePayload = z.object({
  actorId: z.number().int().nullable(),
  action: z.string().min(1),
  entityType: z.string().min(1),
  entityId: z.string().min(1),
  data: z.record(z.string(), z.unknown()).default({}),
  at: z.string().optional(),
});
export type AuditWritePayload = z.infer<typeof auditWritePayload>;

export const jobPayloads = {
  "audit/write": auditWritePayload,
} as const;
export type JobName = keyof typeof jobPayloads;
export type JobPayload<N extends JobName> = z.input<(typeof jobPayloads)[N]>;
