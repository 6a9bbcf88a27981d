import type { Database } from "@deltacrown/db";
import type { Kysely } from "kysely";
import { OutboundRefused, postOutbound, type OutboundPolicy } from "./outbound.ts";
import { SIGNATURE_HEADER, signPayload } from "./signature.ts";

export interface DeliveryOutcome {
  /** refused: the target is forbidden by the outbound policy; nothing was sent, and it is not retried. */
  status: "delivered" | "retry" | "skipped" | "refused";
  statusCode?: number;
}

const RESPONSE_LOG_LIMIT = 2000;

/**
 * Sends one logged delivery, signed (HMAC-SHA256 over timestamp + body, fresh timestamp per
 * attempt), and records the attempt with its response. Two statements. A delivery already
 * delivered is skipped (a job run twice sends once after success). A non-2xx answer or a network
 * error returns "retry": the worker task throws so graphile-worker retries with exponential
 * back-off; after the last attempt the delivery stays logged as failed. A target the outbound
 * policy forbids (see outbound.ts: checked after DNS, no redirects, capped answer) fails at once.
 */
export async function deliverWebhook(
  db: Kysely<Database>,
  deliveryId: number,
  opts: { maxAttempts: number; policy: OutboundPolicy },
): Promise<DeliveryOutcome> {
  const row = await db
    .selectFrom("webhook_deliveries as d")
    .innerJoin("webhook_endpoints as e", "e.id", "d.endpoint_id")
    .select([
      "d.id",
      "d.attempts",
      "d.status",
      "d.payload",
      "d.event_type",
      "d.event_id",
      "e.url",
      "e.secret",
      "e.is_active",
    ])
    .where("d.id", "=", deliveryId)
    .executeTakeFirst();
  if (!row || row.status === "delivered" || !row.is_active) return { status: "skipped" };
  const body = JSON.stringify(row.payload);
  const timestamp = Math.floor(Date.now() / 1000);
  let statusCode: number | null = null;
  let response: string | null = null;
  let error: string | null = null;
  let refused = false;
  try {
    const res = await postOutbound(
      row.url,
      body,
      {
        "content-type": "application/json",
        "user-agent": "DeltaCrown-Webhooks/1",
        [SIGNATURE_HEADER]: signPayload(row.secret, body, timestamp),
        "deltacrown-event": row.event_type,
        "deltacrown-delivery": String(row.id),
      },
      opts.policy,
    );
    statusCode = res.status;
    response = res.body.slice(0, RESPONSE_LOG_LIMIT);
  } catch (e) {
    refused = e instanceof OutboundRefused;
    error = e instanceof Error ? e.message : String(e);
  }
  // A redirect is not followed: it counts as a failed attempt like any other non-2xx.
  const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
  const final = refused || (!ok && row.attempts + 1 >= opts.maxAttempts);
  await db
    .updateTable("webhook_deliveries")
    .set((eb) => ({
      status: ok ? "delivered" : final ? "failed" : "pending",
      attempts: eb("attempts", "+", 1),
      last_status_code: statusCode,
      last_response: response,
      last_error: error,
      last_attempt_at: new Date(),
      delivered_at: ok ? new Date() : null,
    }))
    .where("id", "=", deliveryId)
    .execute();
  if (refused) return { status: "refused" };
  return ok
    ? { status: "delivered", statusCode: statusCode! }
    : { status: "retry", ...(statusCode ? { statusCode } : {}) };
}
