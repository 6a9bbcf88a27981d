import { z } from "zod";

/** Sweep pending invites past their expiry, one batch per job (a full batch enqueues the next). */
export const invitesExpirePayload = z
  .object({ batchSize: z.number().int().min(1).max(5000).default(500) })
  .default({ batchSize: 500 });

export const inviteJobs = { "invites/expire": invitesExpirePayload } as const;
