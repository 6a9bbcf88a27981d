import type { z } from "zod";
import { auditJobs } from "./audit.jobs.ts";
import { inviteJobs } from "./invite.jobs.ts";
import { notificationJobs } from "./notification.jobs.ts";
import { rankingsJobs } from "./rankings.jobs.ts";
import { retentionJobs } from "./retention.jobs.ts";
import { socialJobs } from "./social.jobs.ts";
import { webhookJobs } from "./webhooks.jobs.ts";

/**
 * Every job the domain can enqueue, with its payload schema (shared by the code that enqueues
 * and the task that runs). One file per context; the worker must have a task for each name.
 */
export const jobPayloads = {
  ...auditJobs,
  ...notificationJobs,
  ...inviteJobs,
  ...rankingsJobs,
  ...webhookJobs,
  ...retentionJobs,
  ...socialJobs,
} as const;

export type JobName = keyof typeof jobPayloads;
export type JobPayload<N extends JobName> = z.input<(typeof jobPayloads)[N]>;
export type ParsedJobPayload<N extends JobName> = z.output<(typeof jobPayloads)[N]>;
