import type { Database } from "@deltacrown/db";
import { sql, type RawBuilder, type Transaction } from "kysely";
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

/**
 * Writes many two-legged movements in ONE statement (rows of `moves`: kind, reference, memo,
 * from_wallet, to_wallet, amount), each exactly once by its unique reference: a reference already
 * in the ledger writes nothing. Each written movement gets its audit row in the same statement,
 * as writeMovement does (`wallet.<kind>`, keyed by the transaction). The wallets must already be
 * locked (in id order) by the caller. Returns how many movements were written.
 */
async function writeMovements(trx: Transaction<Database>, moves: RawBuilder<unknown>): Promise<number> {
  const { rows } = await sql<{ written: number }>`
    with m as (${moves}),
    tx as (
      insert into wallet_transactions (kind, reference, actor_id, memo)
      select kind, reference, null, memo from m
      on conflict (reference) do nothing
      returning id, reference
    ), done as (
      select tx.id as tx_id, m.from_wallet, m.to_wallet, m.amount from m join tx on tx.reference = m.reference
    ), legs as (
      select tx_id, from_wallet as wallet_id, -amount as amount from done
      union all select tx_id, to_wallet, amount from done
    ), moved as (
      update wallets w set balance = w.balance + s.delta, updated_at = now()
      from (select wallet_id, sum(amount) as delta from legs group by wallet_id) s
      where w.id = s.wallet_id
      returning w.id
    ), entries as (
      insert into wallet_entries (transaction_id, wallet_id, amount) select tx_id, wallet_id, amount from legs
      returning id
    ), audited as (
      insert into audit_log (actor_id, action, entity_type, entity_id, data, dedup_key)
      select null, 'wallet.' || m.kind, 'wallet_transaction', tx.id::text,
             jsonb_build_object('memo', m.memo, 'reference', m.reference, 'legs', jsonb_build_array(
               jsonb_build_object('walletId', m.from_wallet, 'amount', -m.amount),
               jsonb_build_object('walletId', m.to_wallet, 'amount', m.amount))),
             'wallet_transaction:' || tx.id
        from m join tx on tx.reference = m.reference
      returning id
    )
    select count(*)::int as written from done`.execute(trx);
  return rows[0]?.written ?? 0;
}

/**
 * Refunds every entry fee charged for a tournament's registrations and not yet refunded (a
 * cancellation), set-based: two statements whatever the number of entries — the wallets locked
 * in id order, then every refund written with its per-registration reference (exactly once, the
 * same reference `refundEntryFee` uses, so the two never refund one fee twice).
 */
export async function refundTournamentEntryFees(trx: Transaction<Database>, tournamentId: number): Promise<number> {
  const fees = sql`
    select r.id as registration_id, payer.wallet_id as user_wallet, pool.wallet_id as pool_wallet, pool.amount
    from registrations r
    join wallet_transactions t on t.reference = 'entry_fee:registration:' || r.id
    join wallet_entries payer on payer.transaction_id = t.id and payer.amount < 0
    join wallet_entries pool on pool.transaction_id = t.id and pool.amount > 0
    where r.tournament_id = ${tournamentId}`;
  await sql`
    select w.id from wallets w
    where w.id in (select user_wallet from (${fees}) f union select pool_wallet from (${fees}) f)
    order by w.id for update of w`.execute(trx);
  return writeMovements(
    trx,
    sql`select 'refund'::text as kind, 'refund:registration:' || f.registration_id as reference,
          'entry fee refund (tournament cancelled)'::text as memo,
          f.pool_wallet as from_wallet, f.user_wallet as to_wallet, f.amount::bigint as amount
        from (${fees}) f`,
  );
}

export interface PrizeAward {
  userId: number;
  placement: number;
  amount: number;
}

/**
 * Pays a tournament's prizes from its pool (which may go below zero: the platform funds prizes
 * above the collected fees), set-based: three statements whatever the number of awards — the
 * wallets created if missing, locked in id order, then every prize written with `prizeReference`
 * (exactly once, the same reference `payPrize` uses). Returns how many were paid now.
 */
export async function payPrizes(
  trx: Transaction<Database>,
  tournamentId: number,
  awards: readonly PrizeAward[],
): Promise<number> {
  const paid = awards.filter((a) => a.amount > 0);
  if (paid.length === 0) return 0;
  const key = `tournament:${tournamentId}`;
  const userIds = [...new Set(paid.map((a) => a.userId))];
  await sql`
    insert into wallets (kind, user_id, system_key)
    select 'user', u.id, null from users u where u.id in (${sql.join(userIds)})
    union all select 'system', null, ${key}
    on conflict do nothing`.execute(trx);
  const { rows } = await sql<{ id: number; user_id: number | null }>`
    select id, user_id from wallets where user_id in (${sql.join(userIds)}) or system_key = ${key}
    order by id for update`.execute(trx);
  const pool = rows.find((r) => r.user_id == null)!.id;
  const walletOf = new Map(rows.map((r) => [r.user_id, r.id]));
  const values = sql.join(
    paid.map(
      (a) =>
        sql`('prize'::text, ${prizeReference(tournamentId, a.placement, a.userId)}::text,
          ${`prize, place ${a.placement}, tournament ${tournamentId}`}::text,
          ${pool}::integer, ${walletOf.get(a.userId)!}::integer, ${a.amount}::bigint)`,
    ),
  );
  return writeMovements(
    trx,
    sql`select * from (values ${values}) as v(kind, reference, memo, from_wallet, to_wallet, amount)`,
  );
}
