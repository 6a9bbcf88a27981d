import { sql } from "kysely";
import type { Actor, DomainDeps } from "../shared/deps.ts";

/** One in-app notification as its recipient sees it; the client renders by `kind`. */
export interface NotificationDto {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  readAt: string | null;
  createdAt: string;
}

export interface NotificationPage {
  items: NotificationDto[];
  nextCursor: number | null;
}

/**
 * The signed-in user's notifications, newest first, keyset-paged by id (index
 * notifications_user_id_idx). One statement; never cached: it is an inbox. Every statement here
 * filters on the actor's id, so no one reads or marks another user's rows.
 */
export async function listNotifications(
  deps: DomainDeps,
  actor: Actor,
  input: { cursor?: number | undefined; limit: number; unreadOnly?: boolean | undefined },
): Promise<NotificationPage> {
  let query = deps.db
    .selectFrom("notifications")
    .select(["id", "kind", "payload", "read_at", "created_at"])
    .where("user_id", "=", actor.userId);
  if (input.cursor !== undefined) query = query.where("id", "<", input.cursor);
  if (input.unreadOnly) query = query.where("read_at", "is", null);
  // One extra row tells whether another page exists.
  const rows = await query
    .orderBy("id", "desc")
    .limit(input.limit + 1)
    .execute();
  const page = rows.slice(0, input.limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      kind: r.kind,
      payload: (r.payload ?? {}) as Record<string, unknown>,
      readAt: r.read_at?.toISOString() ?? null,
      createdAt: r.created_at.toISOString(),
    })),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** Marks the given notifications (or all of them) read; ids of other users are silently ignored. */
export async function markRead(
  deps: DomainDeps,
  actor: Actor,
  input: { ids?: readonly number[] | undefined; all?: boolean | undefined },
): Promise<{ updated: number }> {
  if (!input.all && (input.ids?.length ?? 0) === 0) return { updated: 0 };
  let query = deps.db
    .updateTable("notifications")
    .set({ read_at: sql<Date>`now()` })
    .where("user_id", "=", actor.userId)
    .where("read_at", "is", null);
  if (!input.all) query = query.where("id", "in", [...(input.ids ?? [])]);
  const result = await query.executeTakeFirst();
  return { updated: Number(result.numUpdatedRows) };
}

/** How many unread notifications the user has (partial index notifications_user_unread_idx). */
export async function unreadCount(deps: DomainDeps, actor: Actor): Promise<{ count: number }> {
  const row = await deps.db
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where("user_id", "=", actor.userId)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count) };
}
