import type { Database } from "@deltacrown/db";
import type { Transaction } from "kysely";
import { enqueue } from "../jobs/enqueue.ts";

export interface NotificationInput {
  userId: number;
  /** e.g. "team.invite", "team.member_removed": the client renders by kind. */
  kind: string;
  payload: Record<string, unknown>;
}

/**
 * Records in-app notifications and enqueues their delivery, in the caller's transaction: a
 * rolled-back change notifies nobody. Two statements whatever the number of recipients.
 */
export async function notify(trx: Transaction<Database>, notifications: readonly NotificationInput[]): Promise<void> {
  if (notifications.length === 0) return;
  const rows = await trx
    .insertInto("notifications")
    .values(notifications.map((n) => ({ user_id: n.userId, kind: n.kind, payload: JSON.stringify(n.payload) })))
    .returning("id")
    .execute();
  await enqueue(trx, "notifications/deliver", { notificationIds: rows.map((r) => r.id) });
}
