import { notificationsDeliverPayload } from "@deltacrown/domain";
import type { TaskDeps } from "../../task-deps.ts";

const SUBJECTS: Record<string, string> = {
  "team.invite": "You are invited to a team",
  "team.invite_accepted": "Your invite was accepted",
};

/**
 * `notifications/deliver`: e-mails notifications that are already recorded in-app. Without SMTP
 * it has nothing to do (the in-app row is the notification). One query for the whole batch; a
 * retry may send an e-mail twice, never lose one.
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
    .execute();
  for (const row of rows) {
    await mailer.send({
      to: row.email,
      subject: `DeltaCrown: ${SUBJECTS[row.kind] ?? row.kind}`,
      text: `Hi ${row.display_name},\n\n${row.kind}: ${JSON.stringify(row.payload)}\n\n— DeltaCrown`,
    });
  }
}
