import { z } from "zod";

/** Rows deleted per retention job; a full batch enqueues the next job. */
const batch = z.object({ batchSize: z.number().int().min(1).max(10_000).default(1000) }).default({ batchSize: 1000 });

/** Expired sessions (past expires_at), oldest first. */
export const retentionSessionsPayload = batch;
/** Wallet idempotency keys past their retention window (IDEMPOTENCY_RETENTION_HOURS). */
export const retentionIdempotencyKeysPayload = batch;

export const retentionJobs = {
  "retention/sessions": retentionSessionsPayload,
  "retention/idempotency-keys": retentionIdempotencyKeysPayload,
} as const;
