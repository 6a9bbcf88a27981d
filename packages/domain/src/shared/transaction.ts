import { currentLedger, type Database } from "@deltacrown/db";
import type { Kysely, Transaction } from "kysely";

export type AfterCommit = (fn: () => Promise<void> | void) => void;

/** Postgres codes that mean "the same work, run again, will succeed": serialization failure, deadlock. */
const RETRYABLE = new Set(["40001", "40P01"]);

export function isRetryable(error: unknown): boolean {
  return RETRYABLE.has((error as { code?: string } | null)?.code ?? "");
}

export interface TransactionOptions {
  /** Attempts in all (default 5); 1: no retry. */
  attempts?: number;
}

/**
 * Runs `fn` in one transaction. Work registered with `afterCommit` (cache invalidation,
 * live-event publishing) runs only once the commit succeeded, so readers never see a stale
 * cache refilled from uncommitted data and nothing fires for a rolled-back change.
 *
 * A deadlock (40P01) or serialization failure (40001) rolls the attempt back and runs `fn` again,
 * up to `attempts` times with a jittered exponential back-off, so such races never reach a user
 * as a server error. Only the committed attempt's `afterCommit` work runs. Each retry is counted
 * in the caller's query ledger (`ledger.retries`, exported as a metric), and the failed attempt's
 * statements leave its query budget. `fn` must therefore keep its side effects in the
 * transaction or in `afterCommit`.
 *
 * LOCK ORDER (so two writers never wait on each other in a cycle): a team row before its invites
 * and memberships; wallets in id order (the database function wallet_transfer too). A writer that starts from a child row (accepting an
 * invite) first reads the parent's id unlocked, locks the parent, then locks the child. Retries
 * are the safety net for what an order cannot rule out, not a substitute for one.
 */
export async function withTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Transaction<Database>, afterCommit: AfterCommit) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  let pending: (() => Promise<void> | void)[] = [];
  const result = await retryingConflicts(() => {
    pending = [];
    return db.transaction().execute((trx) => fn(trx, (cb) => pending.push(cb)));
  }, options);
  await Promise.all(pending.map(async (cb) => cb()));
  return result;
}

/**
 * Runs `fn` (a transaction, or one statement that is its own transaction) again after a
 * deadlock or serialization failure, as withTransaction describes: jittered back-off, each retry
 * counted in the query ledger and the failed attempt's statements out of the budget.
 */
export async function retryingConflicts<T>(fn: () => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    const ledger = currentLedger();
    const mark = ledger?.entries.length ?? 0;
    try {
      return await fn();
    } catch (error) {
      if (!isRetryable(error) || attempt >= attempts) throw error;
      ledger?.markRetried(mark);
      await backOff(attempt);
    }
  }
}

/** Full jitter: a random wait up to 2^attempt × 5 ms (10, 20, 40, 80 ms), so racers spread out. */
function backOff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** attempt));
}
