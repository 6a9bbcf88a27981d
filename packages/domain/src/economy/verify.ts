import type { Database } from "@deltacrown/db";
import { sql, type Kysely } from "kysely";

/** A wallet whose precomputed balance differs from the sum of its ledger entries (never expected). */
export interface BalanceMismatch {
  walletId: number;
  balance: number;
  ledgerBalance: number;
}

/** Recomputes a wallet's balance from the ledger alone (the `wallet_ledger_balance` SQL function). */
export async function ledgerBalance(db: Kysely<Database>, walletId: number): Promise<number> {
  const { rows } = await sql<{ b: number }>`select wallet_ledger_balance(${walletId}) as b`.execute(db);
  return Number(rows[0]?.b ?? 0);
}

/** Every wallet whose stored balance disagrees with its ledger; empty when the books are right. */
export async function findBalanceMismatches(db: Kysely<Database>): Promise<BalanceMismatch[]> {
  const { rows } = await sql<{ id: number; balance: number; ledger: number }>`
    select w.id, w.balance, coalesce(l.total, 0)::bigint as ledger
      from wallets w
      left join (select wallet_id, sum(amount) as total from wallet_entries group by wallet_id) l on l.wallet_id = w.id
     where w.balance <> coalesce(l.total, 0)`.execute(db);
  return rows.map((r) => ({ walletId: r.id, balance: Number(r.balance), ledgerBalance: Number(r.ledger) }));
}
