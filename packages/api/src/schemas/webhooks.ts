import { WEBHOOK_EVENT_TYPES } from "@deltacrown/db";
import { z } from "zod";
import { idOf, isoDate, limit, pageOf, slug } from "./common.ts";
import { webUrl } from "./text.ts";

export const webhookEventType = z.enum(WEBHOOK_EVENT_TYPES);

export const registerWebhookInput = z
  .object({
    organizationSlug: slug.optional(),
    tournamentSlug: slug.optional(),
    url: webUrl(["https", "http"], 2000),
    eventTypes: z.array(webhookEventType).min(1).max(WEBHOOK_EVENT_TYPES.length),
  })
  .refine((v) => (v.organizationSlug === undefined) !== (v.tournamentSlug === undefined), {
    message: "give exactly one of organizationSlug or tournamentSlug",
    path: ["organizationSlug"],
  });

export const webhookEndpoint = z.object({
  id: z.number(),
  organizationSlug: z.string().nullable(),
  tournamentSlug: z.string().nullable(),
  url: z.string(),
  eventTypes: z.array(webhookEventType),
  isActive: z.boolean(),
  createdAt: isoDate,
});

export const myEndpointsInput = z
  .object({ cursor: idOf("webhook_endpoints").optional(), limit })
  .default({ limit: 20 });
export const webhookEndpointPage = pageOf(webhookEndpoint);
/** Registration answers with the signing secret, shown this once. */
export const registeredWebhook = webhookEndpoint.extend({ secret: z.string() });
