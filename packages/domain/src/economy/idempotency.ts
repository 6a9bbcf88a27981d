import { createHash } from "node:crypto";
import type { Database } from "@deltacrown/db";
import { sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import { conflict } from "../shared/errors.ts";

/** Keys are answered from the store for at least this long (the issue asks for ≥ 24 h). */
export const IDEMPOTENCY_RETENTION_HOURS = 24;

export const requestHash = (request: unknown) => createHash("sha256").update(JSON.stringify(request)).digest("hex");

export type Claim<R> = { kind: "claimed" } | { kind: "replay"; response: R };

/** A retryable error (serialization-failure code): the retry then sees the winner's stored result. */
class KeyRace extends Error {
  readonly code = "40001";
}

/** A claim's row: the advisory lock taken or not, and the key's stored request and result, if any. */
export interface ClaimRow<R> {
  got: boolean;
  request_hash: string | null;
  response: R | null;
}

/**
 * The claim of `key` as SQL pieces, for a statement that may do more in the same round trip:
 * `lock` takes a transaction-scoped advisory lock on (user, key) — visible to every session at
 * once, released at commit or rollback, and by Postgres if the client dies — and `stored` is the
 * key's unexpired stored result. Read them with `readClaim`.
 */
export function claimSql(userId: number, key: string) {
  return {
    lock: sql<boolean>`pg_try_advisory_xact_lock(${userId}, hashtext(${key}))`,
    stored: sql`select k.request_hash, k.response from wallet_idempotency_keys k
      where k.user_id = ${userId} and k.key = ${key}
        and k.created_at > now() - make_interval(hours => ${IDEMPOTENCY_RETENTION_HOURS})`,
  };
}

/**
 * A lock held by another session means the same key is in flight: refused, not run twice. A
 * stored result answers a same-request replay; a different request under the key is a CONFLICT.
 */
export function readClaim<R>(row: ClaimRow<R> | undefined, hash: string): Claim<R> {
  if (!row?.got)
    throw conflict("A request with this idempotency key is still in flight", "IN_FLIGHT", "idempotencyKey");
  if (row.request_hash === null) return { kind: "claimed" };
  if (row.request_hash !== hash)
    throw conflict("This idempotency key was used for a different request", "IDEMPOTENCY_KEY_REUSED", "idempotencyKey");
  return { kind: "replay", response: row.response as R };
}

/** Claims `key` inside the caller's transaction in ONE statement (claimSql + readClaim). */
export async function claimKey<R>(
  trx: Transaction<Database>,
  userId: number,
  key: string,
  hash: string,
): Promise<Claim<R>> {
  const claim = claimSql(userId, key);
  const { rows } = await sql<ClaimRow<R>>`
    select ${claim.lock} as got, k.request_hash, k.response
      from (select 1) one left join (${claim.stored}) k on true`.execute(trx);
  return readClaim(rows[0], hash);
}

/**
 * Stores the result with the key as a statement to run in the transaction that made the movement
 * (so the key exists exactly when the transfer does); `response` is SQL for the stored jsonb (it
 * may name the movement's columns). A key past retention is replaced. If another request with the
 * key committed between our snapshot and our lock, it returns no row: the caller throws
 * `keyRace()`, the transaction is rolled back and retried, and the retry replays that request's
 * result.
 */
export function storeKeySql(
  userId: number,
  key: string,
  hash: string,
  stored: { transactionId: RawBuilder<unknown>; response: RawBuilder<unknown>; from?: RawBuilder<unknown> },
) {
  return sql`insert into wallet_idempotency_keys as k (user_id, key, request_hash, status, transaction_id, response, locked_until)
    select ${userId}, ${key}, ${hash}, 'completed', ${stored.transactionId}, ${stored.response}, now() ${stored.from ?? sql``}
    on conflict (user_id, key) do update
      set request_hash = excluded.request_hash, transaction_id = excluded.transaction_id,
          response = excluded.response, created_at = now(), locked_until = now()
      where k.created_at <= now() - make_interval(hours => ${IDEMPOTENCY_RETENTION_HOURS})
    returning key`;
}

/** The retryable error of a key completed concurrently (see storeKeySql). */
export const keyRace = () => new KeyRace("idempotency key completed concurrently");

/** Stores the result with the key in its own statement (storeKeySql). */
export async function completeKey(
  trx: Transaction<Database>,
  userId: number,
  key: string,
  hash: string,
  transactionId: number,
  response: unknown,
): Promise<void> {
  const { rows } = await storeKeySql(userId, key, hash, {
    transactionId: sql`${transactionId}::bigint`,
    response: sql`${JSON.stringify(response)}::jsonb`,
  }).execute(trx);
  if (rows.length === 0) throw keyRace();
}

/**
 * Drops up to `batchSize` keys past retention, oldest first (index on created_at), in one
 * statement; returns how many (the retention job enqueues another batch after a full one).
 */
export async function purgeExpiredKeys(db: Kysely<Database>, batchSize: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    with gone as (
      delete from wallet_idempotency_keys
      where (user_id, key) in (
        select user_id, key from wallet_idempotency_keys
        where created_at < now() - make_interval(hours => ${IDEMPOTENCY_RETENTION_HOURS})
        order by created_at limit ${batchSize})
      returning 1
    )
    select count(*)::int as n from gone`.execute(db);
  return rows[0]?.n ?? 0;
}
