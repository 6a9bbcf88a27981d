import type { ColumnType, Generated, Selectable } from "kysely";

/** bigint columns: createDb parses int8 as a JS number (amounts and ids stay far below 2^53). */
type BigIntColumn = number;

export interface WalletsTable {
  id: Generated<number>;
  kind: Generated<"user" | "system">;
  user_id: number | null;
  system_key: string | null;
  balance: ColumnType<number, number | undefined, number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type Wallet = Selectable<WalletsTable>;

export type WalletTransactionKind = "transfer" | "mint" | "entry_fee" | "refund" | "prize";

export interface WalletTransactionsTable {
  id: Generated<number>;
  kind: WalletTransactionKind;
  reference: string | null;
  actor_id: number | null;
  memo: Generated<string>;
  created_at: Generated<Date>;
}

export interface WalletEntriesTable {
  id: Generated<number>;
  transaction_id: BigIntColumn;
  wallet_id: number;
  amount: BigIntColumn;
  created_at: Generated<Date>;
}

export interface WalletIdempotencyKeysTable {
  user_id: number;
  key: string;
  request_hash: string;
  status: "in_flight" | "completed";
  transaction_id: BigIntColumn | null;
  response: unknown;
  locked_until: Date;
  created_at: Generated<Date>;
}

/** Tables of the wallets migration (20261124T0500_wallets_live). */
export interface EconomyTables {
  wallets: WalletsTable;
  wallet_transactions: WalletTransactionsTable;
  wallet_entries: WalletEntriesTable;
  wallet_idempotency_keys: WalletIdempotencyKeysTable;
}
