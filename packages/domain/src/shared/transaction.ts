import type { Database } from "@deltacrown/db";
import type { Kysely, Transaction } from "kysely";

export type AfterCommit = (fn: () => Promise<void> | void) => void;

/**
 * Runs `fn` in one transaction. Work registered with `afterCommit` (cache invalidation,
 * live-event publishing) runs only once the commit succeeded, so readers never see a stale
 * cache refilled from uncommitted data and nothing fires for a rolled-back change.
 */
export async function withTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Transaction<Database>, afterCommit: AfterCommit) => Promise<T>,
): Promise<T> {
  const pending: (() => Promise<void> | void)[] = [];
  const result = await db.transaction().execute((trx) => fn(trx, (cb) => pending.push(cb)));
  await Promise.all(pending.map(async (cb) => cb()));
  return result;
}
