import { notificationsDeliverPayload, renderNotificationEmail } from "@deltacrown/domain";
import type { TaskDeps } from "../../task-deps.ts";

/**
 * `notifications/deliver`: e-mails notifications already recorded in-app. Without SMTP it has
 * nothing to do (the in-app row is the whole notification) and runs no query. One query for the
 * whole batch; a notification deleted since (its user gone) is skipped. At-least-once: a retry
 * after a failed send may repeat an e-mail already sent, never lose one.
 */
export async function notificationsDeliver(payload: unknown, deps: TaskDeps): Promise<void> {
  const { notificationIds } = notificationsDeliverPayload.parse(payload);
  const mailer = deps.mailer;
  if (!mailer) return;
  const rows = await deps.db
    .selectFrom("notifications as n")
    .innerJoin("users as u", "u.id", "n.user_id")
    .select(["n.id", "n.kind", "n.payload", "u.email", "u.display_name"])
    .where("n.id", "in", notificationIds)
    .orderBy("n.id")
    .execute();
  for (const row of rows) {
    const mail = renderNotificationEmail(row.kind, (row.payload ?? {}) as Record<string, unknown>, {
      displayName: row.display_name,
    });
    await mailer.send({ to: row.email, ...mail });
  }
}
