import { z } from "zod";
import { idOf, isoDate, limit, pageOf, username } from "./common.ts";
import { freeText } from "./text.ts";

/** Whole coins; a safe-integer ceiling keeps bigint sums exact in JavaScript. */
export const coins = z.number().int().positive().max(1_000_000_000);

export const transferInput = z.object({
  to: username,
  amount: coins,
  memo: freeText(140).optional(),
  /** Chosen by the client per logical transfer (e.g. a UUID); resend the same one when retrying. */
  idempotencyKey: z
    .string()
    .trim()
    .min(8)
    .max(100)
    .regex(/^[\x21-\x7e]+$/, "printable ASCII without spaces"),
});

export const transferResult = z.object({
  transactionId: z.number(),
  to: z.string(),
  amount: coins,
  memo: z.string(),
  balance: z.number().int().nonnegative(),
  createdAt: isoDate,
  replayed: z.boolean(),
});

export const historyInput = z.object({ cursor: idOf("wallet_entries").optional(), limit }).default({ limit: 20 });

export const walletEntry = z.object({
  id: z.number(),
  transactionId: z.number(),
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
  reason: freeText(500, 3),
});

export const mintResult = z.object({ transactionId: z.number(), username: z.string(), balance: z.number().int() });
