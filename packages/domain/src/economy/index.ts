export * as wallets from "./wallets.service.ts";
export type { TransferResult, WalletEntryDto, WalletHistoryPage } from "./wallets.dto.ts";
export {
  chargeEntryFee,
  refundEntryFee,
  payPrize,
  payPrizes,
  refundTournamentEntryFees,
  type PrizeAward,
  entryFeeReference,
  refundReference,
  prizeReference,
  type PaymentResult,
} from "./tournament-payments.ts";
export { findBalanceMismatches, ledgerBalance, type BalanceMismatch } from "./verify.ts";
export { purgeExpiredKeys, IDEMPOTENCY_RETENTION_HOURS } from "./idempotency.ts";
