import { enqueue, invitesExpirePayload } from "@deltacrown/domain";
import { sql } from "kysely";
import type { TaskDeps } from "../../task-deps.ts";

/**
 * `invites/expire` (hourly, from the crontab): marks one batch of pending invites past
 * `expires_at` as 'expired' in a single statement (partial index team_invites_pending_expiry_idx;
 * SKIP LOCKED so an invite being accepted right now is left to that transaction). A full batch
 * enqueues the next one, so each job stays within the per-item budget (≤ 2 queries) however many
 * invites expired. Safe to run twice: an expired invite is no longer pending.
 */
export async function invitesExpire(payload: unknown, deps: TaskDeps): Promise<void> {
  const { batchSize } = invitesExpirePayload.parse(payload ?? undefined);
  const expired = await deps.db
    .updateTable("team_invites")
    .set({ status: "expired" })
    .where("id", "in", (eb) =>
      eb
        .selectFrom("team_invites")
        .select("id")
        .where("status", "=", "pending")
        .where("expires_at", "<=", sql<Date>`now()`)
        .orderBy("expires_at")
        .limit(batchSize)
        .forUpdate()
        .skipLocked(),
    )
    // The outer update re-checks: a row may have changed between the subselect and the update.
    .where("status", "=", "pending")
    .returning("id")
    .execute();
  if (expired.length === batchSize)
    await enqueue(deps.db, "invites/expire", { batchSize }, { jobKey: "invites/expire:next-batch" });
}
