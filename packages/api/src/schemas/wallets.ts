import { z } from "zod";
import { cursor, id, isoDate, limit, pageOf, username } from "./common.ts";

/** Whole coins; a safe-integer ceiling keeps bigint sums exact in JavaScript. */
export const coins = z.number().int().positive().max(1_000_000_000);

export const transferInput = z.object({
  to: username,
  amount: coins,
  memo: z.string().trim().max(140).optional(),
  /** Chosen by the client per logical transfer (e.g. a UUID); resend the same one when retrying. */
  idempotencyKey: z.string().trim().min(8).max(100),
});

export const transferResult = z.object({
  transactionId: id,
  to: z.string(),
  amount: coins,
  memo: z.string(),
  balance: z.number().int().nonnegative(),
  createdAt: isoDate,
  replayed: z.boolean(),
});

export const historyInput = z.object({ cursor, limit }).default({ limit: 20 });

export const walletEntry = z.object({
  id,
  transactionId: id,
  kind: z.enum(["transfer", "mint", "entry_fee", "refund", "prize"]),
  amount: z.number().int(),
  memo: z.string(),
  counterparty: z.string().nullable(),
  createdAt: isoDate,
});
export const walletHistoryPage = pageOf(walletEntry);

export const mintInput = z.object({
  username,
  amount: coins,
  reason: z.string().trim().min(3).max(500),
});

export const mintResult = z.object({ transactionId: id, username: z.string(), balance: z.number().int() });
