import type { Database } from "@deltacrown/db";
import type { Kysely } from "kysely";
import { SIGNATURE_HEADER, signPayload } from "./signature.ts";

export interface DeliveryOutcome {
  status: "delivered" | "retry" | "skipped";
  statusCode?: number;
}

const RESPONSE_LOG_LIMIT = 2000;

/**
 * Sends one logged delivery, signed (HMAC-SHA256 over timestamp + body, fresh timestamp per
 * attempt), and records the attempt with its response. Two statements. A delivery already
 * delivered is skipped (a job run twice sends once after success). A non-2xx answer or a network
 * error returns "retry": the worker task throws so graphile-worker retries with exponential
 * back-off; after the last attempt the delivery stays logged as failed.
 */
export async function deliverWebhook(
  db: Kysely<Database>,
  deliveryId: number,
  opts: { maxAttempts: number; timeoutMs?: number; fetch?: typeof fetch },
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
  try {
    const res = await (opts.fetch ?? fetch)(row.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "DeltaCrown-Webhooks/1",
        [SIGNATURE_HEADER]: signPayload(row.secret, body, timestamp),
        "deltacrown-event": row.event_type,
        "deltacrown-delivery": String(row.id),
      },
      body,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
    statusCode = res.status;
    response = (await res.text()).slice(0, RESPONSE_LOG_LIMIT);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
  const final = !ok && row.attempts + 1 >= opts.maxAttempts;
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
  return ok
    ? { status: "delivered", statusCode: statusCode! }
    : { status: "retry", ...(statusCode ? { statusCode } : {}) };
}
