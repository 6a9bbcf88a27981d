import { z } from "zod";

/** Deliver already-recorded in-app notifications by e-mail (when SMTP is configured). */
export const notificationsDeliverPayload = z.object({
  notificationIds: z.array(z.number().int().positive()).min(1),
});

export const notificationJobs = { "notifications/deliver": notificationsDeliverPayload } as const;
