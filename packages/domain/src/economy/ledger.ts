import type { Database, WalletTransactionKind } from "@deltacrown/db";
import { sql, type Transaction } from "kysely";
import { preconditionFailed } from "../shared/errors.ts";

export interface Leg {
  walletId: number;
  /** Positive credits the wallet, negative debits it; the legs of one movement sum to zero. */
  amount: number;
}

export interface Movement {
  kind: WalletTransactionKind;
  /** Unique when set: a movement with a reference already in the ledger is not written again. */
  reference?: string | null;
  actorId: number | null;
  memo?: string;
  legs: readonly Leg[];
  /** More for the movement's audit row (who, why), beside its kind, memo, reference and legs. */
  audit?: Record<string, unknown>;
}

export interface LockedWallet {
  id: number;
  kind: "user" | "system";
  userId: number | null;
  balance: number;
}

/**
 * Locks wallets in ascending id order, the one order every writer uses, so two movements over
 * the same wallets can wait for each other but never deadlock. Returns their current balances.
 */
export async function lockWallets(trx: Transaction<Database>, walletIds: readonly number[]): Promise<LockedWallet[]> {
  const rows = await trx
    .selectFrom("wallets")
    .select(["id", "kind", "user_id", "balance"])
    .where("id", "in", [...new Set(walletIds)])
    .orderBy("id")
    .forUpdate()
    .execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, userId: r.user_id, balance: Number(r.balance) }));
}

/** The refusal of a movement a user wallet cannot pay (here, and from the wallet_transfer function). */
export const insufficientFunds = () => preconditionFailed("Not enough coins in the wallet", "INSUFFICIENT_FUNDS");

/** Refuses a movement that would take a user wallet below zero (the CHECK constraint is the last line). */
export function assertFunds(locked: readonly LockedWallet[], legs: readonly Leg[]): void {
  for (const leg of legs) {
    const wallet = locked.find((w) => w.id === leg.walletId);
    if (wallet?.kind === "user" && wallet.balance + leg.amount < 0) throw insufficientFunds();
  }
}

/**
 * Writes one balanced movement in ONE statement: the transaction row, its entries, the
 * precomputed balances and its audit row (`wallet.<kind>`, keyed by the transaction, so money
 * never moves without its audit entry, nor is audited without moving). The wallets must already
 * be locked (lockWallets). Returns null when `reference` is already in the ledger (nothing is
 * written then). A transfer writes the same movement in the database function wallet_transfer.
 */
export async function writeMovement(
  trx: Transaction<Database>,
  movement: Movement,
): Promise<{ transactionId: number; createdAt: Date } | null> {
  const total = movement.legs.reduce((sum, leg) => sum + leg.amount, 0);
  if (total !== 0 || movement.legs.length < 2) throw new Error("a movement's legs must sum to zero");
  const legs = sql.join(movement.legs.map((l) => sql`(${l.walletId}::integer, ${l.amount}::bigint)`));
  const auditData = {
    ...movement.audit,
    memo: movement.memo ?? "",
    reference: movement.reference ?? null,
    legs: movement.legs,
  };
  const { rows } = await sql<{ id: number; created_at: Date }>`
    with tx as (
      insert into wallet_transactions (kind, reference, actor_id, memo)
      values (${movement.kind}, ${movement.reference ?? null}, ${movement.actorId}, ${movement.memo ?? ""})
      on conflict (reference) do nothing
      returning id, created_at
    ), legs (wallet_id, amount) as (values ${legs}),
    moved as (
      update wallets w set balance = w.balance + legs.amount, updated_at = now()
      from legs where w.id = legs.wallet_id and exists (select 1 from tx)
      returning w.id
    ), entries as (
      insert into wallet_entries (transaction_id, wallet_id, amount)
      select tx.id, legs.wallet_id, legs.amount from tx cross join legs
      returning id
    ), audited as (
      insert into audit_log (actor_id, action, entity_type, entity_id, data, dedup_key)
      select ${movement.actorId}, ${`wallet.${movement.kind}`}, 'wallet_transaction', tx.id::text,
             ${JSON.stringify(auditData)}::jsonb, 'wallet_transaction:' || tx.id
        from tx
      returning id
    )
    select id, created_at from tx`.execute(trx);
  const row = rows[0];
  return row ? { transactionId: Number(row.id), createdAt: row.created_at } : null;
}

/** Creates missing wallets for these users (one statement; existing wallets are left alone). */
export async function ensureUserWallets(trx: Transaction<Database>, userIds: readonly number[]): Promise<void> {
  await trx
    .insertInto("wallets")
    .columns(["user_id"])
    .expression((eb) =>
      eb
        .selectFrom("users")
        .select("id")
        .where("id", "in", [...userIds]),
    )
    .onConflict((oc) => oc.column("user_id").doNothing())
    .execute();
}
