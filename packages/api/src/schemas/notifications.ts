import { z } from "zod";
import { idOf, isoDate, limit, pageOf } from "./common.ts";

export const notification = z.object({
  id: z.number(),
  kind: z.string(),
  payload: z.record(z.string(), z.unknown()),
  readAt: isoDate.nullable(),
  createdAt: isoDate,
});

export const listNotificationsInput = z
  .object({ cursor: idOf("notifications").optional(), limit, unreadOnly: z.boolean().optional() })
  .default({ limit: 20 });

export const notificationPage = pageOf(notification);

/** Either some ids (at most one page's worth) or `all: true`. */
export const markReadInput = z.union([
  z.object({ ids: z.array(idOf("notifications")).min(1).max(50) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);

export const markReadOutput = z.object({ updated: z.number() });
export const unreadCountOutput = z.object({ count: z.number() });
