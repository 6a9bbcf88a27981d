import { defaultOutboundPolicy, deliverWebhook, webhooksDeliverPayload } from "@deltacrown/domain";
import type { TaskDeps } from "../../task-deps.ts";

/** Matches the max_attempts queueWebhookEvent gives each job. */
const MAX_ATTEMPTS = 10;

/**
 * `webhooks/deliver`: sends one signed delivery and logs its response (2 queries). Throws on a
 * failed attempt so graphile-worker retries it with exponential back-off; safe to run twice (a
 * delivered delivery is skipped). A target the outbound policy refuses fails at once, unretried.
 */
export async function webhooksDeliver(payload: unknown, deps: TaskDeps): Promise<void> {
  const { deliveryId } = webhooksDeliverPayload.parse(payload);
  const outcome = await deliverWebhook(deps.db, deliveryId, {
    maxAttempts: MAX_ATTEMPTS,
    policy: deps.webhooks ?? defaultOutboundPolicy,
  });
  if (outcome.status === "retry")
    throw new Error(`webhook delivery ${deliveryId} failed (${outcome.statusCode ?? "no response"}); will retry`);
}
