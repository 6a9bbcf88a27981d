import type { Database } from "@deltacrown/db";
import type { Transaction } from "kysely";
import { ensureUserWallets, lockWallets, assertFunds, writeMovement } from "./ledger.ts";

/**
 * Tournament money, for the tournaments context to call inside ITS transaction (the caller owns
 * the transaction and its retries). Each movement carries a unique reference, so calling one
 * twice (a retried job, a double click) moves coins once: the second call returns the first
 * movement with `alreadyDone: true`. Coins sit in a per-tournament pool wallet in between.
 */
export interface PaymentResult {
  transactionId: number;
  alreadyDone: boolean;
}

export const entryFeeReference = (registrationId: number) => `entry_fee:registration:${registrationId}`;
export const refundReference = (registrationId: number) => `refund:registration:${registrationId}`;
export const prizeReference = (tournamentId: number, placement: number, userId: number) =>
  `prize:tournament:${tournamentId}:placement:${placement}:user:${userId}`;

/** The tournament's pool wallet, created on first use; returns its id. Takes no row lock (locks go in id order, later). */
async function poolWallet(trx: Transaction<Database>, tournamentId: number): Promise<number> {
  const key = `tournament:${tournamentId}`;
  const created = await trx
    .insertInto("wallets")
    .values({ kind: "system", system_key: key })
    .onConflict((oc) => oc.column("system_key").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (created) return created.id;
  const row = await trx.selectFrom("wallets").select("id").where("system_key", "=", key).executeTakeFirstOrThrow();
  return row.id;
}

async function existing(trx: Transaction<Database>, reference: string): Promise<PaymentResult | null> {
  const row = await trx
    .selectFrom("wallet_transactions")
    .select("id")
    .where("reference", "=", reference)
    .executeTakeFirst();
  return row ? { transactionId: Number(row.id), alreadyDone: true } : null;
}

async function userWallet(trx: Transaction<Database>, userId: number): Promise<number> {
  await ensureUserWallets(trx, [userId]);
  const row = await trx.selectFrom("wallets").select("id").where("user_id", "=", userId).executeTakeFirstOrThrow();
  return row.id;
}

async function move(
  trx: Transaction<Database>,
  kind: "entry_fee" | "refund" | "prize",
  reference: string,
  fromWallet: number,
  toWallet: number,
  amount: number,
  memo: string,
): Promise<PaymentResult> {
  const locked = await lockWallets(trx, [fromWallet, toWallet]);
  // Checked after the lock: a concurrent call with the same reference has committed by now.
  const done = await existing(trx, reference);
  if (done) return done;
  const legs = [
    { walletId: fromWallet, amount: -amount },
    { walletId: toWallet, amount },
  ];
  assertFunds(locked, legs);
  const moved = await writeMovement(trx, { kind, reference, actorId: null, memo, legs });
  return moved
    ? { transactionId: moved.transactionId, alreadyDone: false }
    : ((await existing(trx, reference)) as PaymentResult);
}

/**
 * Charges a confirmed registration's entry fee from the user's wallet into the tournament pool.
 * Throws PRECONDITION_FAILED / INSUFFICIENT_FUNDS when the wallet cannot pay (nothing written).
 */
export async function chargeEntryFee(
  trx: Transaction<Database>,
  input: { userId: number; tournamentId: number; registrationId: number; amount: number },
): Promise<PaymentResult> {
  const pool = await poolWallet(trx, input.tournamentId);
  const wallet = await userWallet(trx, input.userId);
  return move(
    trx,
    "entry_fee",
    entryFeeReference(input.registrationId),
    wallet,
    pool,
    input.amount,
    `entry fee, tournament ${input.tournamentId}`,
  );
}

/**
 * Refunds a registration's entry fee in full (withdrawal, cancellation). Returns null when no fee
 * was ever charged for it (nothing to refund); exactly once otherwise.
 */
export async function refundEntryFee(
  trx: Transaction<Database>,
  input: { registrationId: number },
): Promise<PaymentResult | null> {
  const fee = await trx
    .selectFrom("wallet_transactions as t")
    .innerJoin("wallet_entries as e", "e.transaction_id", "t.id")
    .select(["e.wallet_id", "e.amount"])
    .where("t.reference", "=", entryFeeReference(input.registrationId))
    .execute();
  const paid = fee.find((e) => Number(e.amount) < 0);
  const pool = fee.find((e) => Number(e.amount) > 0);
  if (!paid || !pool) return null;
  return move(
    trx,
    "refund",
    refundReference(input.registrationId),
    pool.wallet_id,
    paid.wallet_id,
    Number(pool.amount),
    "entry fee refund",
  );
}

/**
 * Pays a prize from the tournament pool to a placed participant. The pool is a system wallet and
 * may go below zero: prizes above the collected fees are funded by the platform.
 */
export async function payPrize(
  trx: Transaction<Database>,
  input: { tournamentId: number; userId: number; placement: number; amount: number },
): Promise<PaymentResult> {
  const pool = await poolWallet(trx, input.tournamentId);
  const wallet = await userWallet(trx, input.userId);
  return move(
    trx,
    "prize",
    prizeReference(input.tournamentId, input.placement, input.userId),
    pool,
    wallet,
    input.amount,
    `prize, place ${input.placement}, tournament ${input.tournamentId}`,
  );
}
