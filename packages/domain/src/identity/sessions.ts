import type { Database } from "@deltacrown/db";
import { sql, type Kysely, type Transaction } from "kysely";
import type { Actor } from "../shared/deps.ts";
import { hashToken, newToken } from "./tokens.ts";

/** Replace a user's password hash (compare-and-set on the old one) in the session's own statement. */
export interface Rehash {
  from: string;
  to: string;
}

export async function createSession(
  db: Kysely<Database> | Transaction<Database>,
  userId: number,
  ttlDays: number,
  rehash?: Rehash,
): Promise<{ token: string; expiresAt: string }> {
  const { token, hash } = newToken("dcs");
  const values = {
    user_id: userId,
    token_hash: hash,
    expires_at: sql<Date>`now() + make_interval(days => ${ttlDays})`,
  };
  const row = await (
    rehash
      ? db
          .with("rehash", (w) =>
            w
              .updateTable("users")
              .set({ password_hash: rehash.to, updated_at: sql<Date>`now()` })
              .where("id", "=", userId)
              .where("password_hash", "=", rehash.from),
          )
          .insertInto("sessions")
          .values(values)
      : db.insertInto("sessions").values(values)
  )
    .returning("expires_at")
    .executeTakeFirstOrThrow();
  return { token, expiresAt: row.expires_at.toISOString() };
}

/**
 * Resolves a bearer token to its user in ONE statement, live from the database (sessions are
 * never cached). Sliding expiry: a session lasts `ttlDays` from last use; the touch is written
 * at most once a minute so hot reads do not turn into writes.
 */
export async function resolveSession(db: Kysely<Database>, token: string, ttlDays: number): Promise<Actor | undefined> {
  const result = await sql<{
    session_id: number;
    user_id: number;
    username: string;
    display_name: string;
    is_staff: boolean;
    created_at: Date;
  }>`
    with s as (
      select s.id as session_id, u.id as user_id, u.username, u.display_name, u.is_staff, u.created_at, s.last_used_at
      from sessions s join users u on u.id = s.user_id
      where s.token_hash = ${hashToken(token)} and s.expires_at > now()
    ), touched as (
      update sessions set last_used_at = now(), expires_at = now() + make_interval(days => ${ttlDays})
      where id = (select session_id from s where last_used_at < now() - interval '1 minute')
    )
    select session_id, user_id, username, display_name, is_staff, created_at from s`.execute(db);
  const row = result.rows[0];
  return (
    row && {
      sessionId: row.session_id,
      userId: row.user_id,
      username: row.username,
      displayName: row.display_name,
      isStaff: row.is_staff,
      createdAt: row.created_at.toISOString(),
    }
  );
}

/**
 * Deletes up to `batchSize` expired sessions, oldest first (index on expires_at), in one
 * statement; returns how many (the retention job enqueues another batch after a full one).
 */
export async function purgeExpiredSessions(db: Kysely<Database>, batchSize: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    with gone as (
      delete from sessions
      where id in (select id from sessions where expires_at <= now() order by expires_at limit ${batchSize})
      returning 1
    )
    select count(*)::int as n from gone`.execute(db);
  return rows[0]?.n ?? 0;
}

export async function deleteSession(db: Kysely<Database>, sessionId: number): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", sessionId).execute();
}
