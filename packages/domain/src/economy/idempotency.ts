import { createHash } from "node:crypto";
import type { Database } from "@deltacrown/db";
import { sql, type Kysely } from "kysely";
import { conflict } from "../shared/errors.ts";

/** Keys are answered from the store for at least this long (the issue asks for ≥ 24 h). */
export const IDEMPOTENCY_RETENTION_HOURS = 24;

export const requestHash = (request: unknown) => createHash("sha256").update(JSON.stringify(request)).digest("hex");

export type Claim<R> = { kind: "claimed" } | { kind: "replay"; response: R };

/** A claim's row: the advisory lock taken or not, and the key's stored request and result, if any. */
export interface ClaimRow<R> {
  got: boolean;
  request_hash: string | null;
  response: R | null;
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
