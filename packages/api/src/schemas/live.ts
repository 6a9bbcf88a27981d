import { z } from "zod";
import { slug } from "./common.ts";

/** Sent back by the client on reconnect (tRPC does it from the last `tracked` id it received). */
export const lastEventId = z
  .string()
  .regex(/^\d{1,16}-\d{1,10}$/, "an event id")
  .nullish();

export const notificationsStreamInput = z.object({ lastEventId }).default({});
export const teamStreamInput = z.object({ teamSlug: slug, lastEventId });
export const tournamentStreamInput = z.object({ tournamentSlug: slug, lastEventId });
