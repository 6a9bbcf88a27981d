import type { WalletTransactionKind } from "@deltacrown/db";

export interface TransferResult {
  transactionId: number;
  to: string;
  amount: number;
  memo: string;
  /** The sender's balance right after this transfer. */
  balance: number;
  createdAt: string;
  /** True when this answer is the stored result of an earlier request with the same key. */
  replayed: boolean;
}

export interface WalletEntryDto {
  id: number;
  transactionId: number;
  kind: WalletTransactionKind;
  /** Positive: coins in; negative: coins out. */
  amount: number;
  memo: string;
  /** The other user of a transfer; null for the mint and tournament pools. */
  counterparty: string | null;
  createdAt: string;
}

export interface WalletHistoryPage {
  items: WalletEntryDto[];
  nextCursor: number | null;
}
