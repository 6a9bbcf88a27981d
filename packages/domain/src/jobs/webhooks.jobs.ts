import { z } from "zod";

/** Send one logged webhook delivery (retried by graphile-worker with exponential back-off). */
export const webhooksDeliverPayload = z.object({ deliveryId: z.number().int().positive() });

export const webhookJobs = { "webhooks/deliver": webhooksDeliverPayload } as const;
