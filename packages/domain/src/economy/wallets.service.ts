import type { Database } from "@deltacrown/db";
import { sql, type Transaction } from "kysely";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { AppError, badRequest, forbidden, notFound } from "../shared/errors.ts";
import { withTransaction } from "../shared/transaction.ts";
import { claimSql, keyRace, readClaim, requestHash, storeKeySql, type ClaimRow } from "./idempotency.ts";
import { assertFunds, isoText, writeMovement } from "./ledger.ts";
import { liveChannels } from "../live/channels.ts";
import { publishLive } from "../live/registry.ts";
import type { TransferResult, WalletEntryDto, WalletHistoryPage } from "./wallets.dto.ts";

/** The signed-in user's balance, read live (balances are never cached). No wallet yet means 0. */
export async function balance(deps: DomainDeps, actor: Actor): Promise<{ balance: number }> {
  const row = await deps.db
    .selectFrom("wallets")
    .select("balance")
    .where("user_id", "=", actor.userId)
    .executeTakeFirst();
  return { balance: Number(row?.balance ?? 0) };
}

export interface TransferInput {
  to: string;
  amount: number;
  memo?: string | undefined;
  idempotencyKey: string;
}

/**
 * Moves coins to another user, exactly once per idempotency key, in ONE transaction of two
 * statements (three when a wallet is new). First: the key is claimed with an advisory lock (a
 * concurrent duplicate is refused as IN_FLIGHT instead of running twice) and read for a stored
 * result; unless that answers, missing wallets are created and the existing ones locked in id order
 * with their owners. Funds are checked on the locked balances. Second: the balanced movement and
 * the result stored with the key. A refused transfer rolls back and leaves no key, so the same
 * request may be retried. Deadlocks and serialization failures are retried by withTransaction.
 */
export async function transfer(deps: DomainDeps, actor: Actor, input: TransferInput): Promise<TransferResult> {
  const memo = input.memo ?? "";
  if (input.to.toLowerCase() === actor.username.toLowerCase())
    throw badRequest("You cannot transfer to yourself", "SELF_TRANSFER", "to");
  const hash = requestHash({ to: input.to.toLowerCase(), amount: input.amount, memo });
  return withTransaction(
    deps.db,
    async (trx, afterCommit) => {
      const first = await claimAndLock(trx, actor.userId, input.to, input.idempotencyKey);
      const claim = readClaim<TransferResult>(first, hash);
      if (claim.kind === "replay") return { ...claim.response, replayed: true };
      // A wallet that statement created, or that a concurrent first transfer created while it
      // waited, was not in its snapshot to lock: lock both again in a statement of their own. New
      // rows are invisible to every other transaction, so this cannot wait in a cycle.
      const locked =
        first.created > 0 || first.wallets.length < 2 ? await lockParties(trx, actor.userId, input.to) : first.wallets;
      const from = locked.find((w) => w.user_id === actor.userId);
      const to = locked.find((w) => w.user_id !== actor.userId);
      if (!from || !to) throw notFound("User", "to");
      const legs = [
        { walletId: from.id, amount: -input.amount },
        { walletId: to.id, amount: input.amount },
      ];
      assertFunds([{ id: from.id, kind: "user", userId: actor.userId, balance: Number(from.balance) }], legs);
      const balance = Number(from.balance) - input.amount;
      // The key's result is made with the movement, in its statement: the same id and time.
      const stored = { to: to.username, amount: input.amount, memo, balance, replayed: false };
      const moved = await writeMovement(
        trx,
        { kind: "transfer", actorId: actor.userId, memo, legs },
        storeKeySql(actor.userId, input.idempotencyKey, hash, {
          transactionId: sql`tx.id`,
          response: sql`${JSON.stringify(stored)}::jsonb || jsonb_build_object('transactionId', tx.id, 'createdAt', ${isoText(sql`tx.created_at`)})`,
          from: sql`from tx`,
        }),
      );
      if (!moved) throw new Error("a transfer without reference cannot collide");
      if (moved.alsoRows === 0) throw keyRace();
      const result: TransferResult = {
        transactionId: moved.transactionId,
        to: to.username,
        amount: input.amount,
        memo,
        balance,
        createdAt: moved.createdAtIso,
        replayed: false,
      };
      const recipientId = to.user_id!;
      afterCommit(async () => {
        await publishLive(liveChannels.userNotifications(recipientId), {
          type: "wallet.received",
          data: { transactionId: moved.transactionId, from: actor.username, amount: input.amount, memo },
        });
      });
      return result;
    },
    // Contended wallets: more attempts than the default before a deadlock reaches the caller.
    { attempts: 8 },
  );
}

interface PartyWallet {
  id: number;
  user_id: number | null;
  balance: number | string;
  username: string;
}

/**
 * ONE statement: the key's claim (claimSql) and, only if it is ours and has no stored result,
 * the missing wallets of both parties created and the existing ones locked in id order (the lock
 * order of every wallet writer) with their owners' names.
 */
async function claimAndLock(
  trx: Transaction<Database>,
  userId: number,
  to: string,
  key: string,
): Promise<ClaimRow<TransferResult> & { created: number; wallets: PartyWallet[] }> {
  const claim = claimSql(userId, key);
  const { rows } = await sql<ClaimRow<TransferResult> & { created: number; wallets: PartyWallet[] }>`
    with claim as materialized (select ${claim.lock} as got),
    stored as materialized (${claim.stored}),
    go as materialized (select (select got from claim) and not exists (select 1 from stored) as go),
    created as (
      insert into wallets (user_id)
      select u.id from users u where (u.id = ${userId} or u.username = ${to}) and (select go from go)
      on conflict (user_id) do nothing
      returning id
    ),
    locked as materialized (
      select w.id, w.user_id, w.balance, u.username
        from wallets w join users u on u.id = w.user_id
       where (u.id = ${userId} or u.username = ${to}) and (select go from go)
       order by w.id
         for update of w
    )
    select (select got from claim) as got,
           (select request_hash from stored) as request_hash,
           (select response from stored) as response,
           (select count(*) from created)::int as created,
           coalesce((select json_agg(locked order by locked.id) from locked), '[]'::json) as wallets`.execute(trx);
  return rows[0]!;
}

/** Both parties' wallets locked in id order with their owners' names (after creating one). */
function lockParties(trx: Transaction<Database>, userId: number, to: string): Promise<PartyWallet[]> {
  return trx
    .selectFrom("wallets as w")
    .innerJoin("users as u", "u.id", "w.user_id")
    .select(["w.id", "w.user_id", "w.balance", "u.username"])
    .where((w) => w.or([w("u.id", "=", userId), w("u.username", "=", to)]))
    .orderBy("w.id")
    .forUpdate("w")
    .execute();
}

export interface HistoryInput {
  /** The `nextCursor` of the previous page (an entry id); omitted for the newest page. */
  cursor?: number | undefined;
  limit: number;
}

/** The signed-in user's ledger entries, newest first, keyset-paginated by entry id (one statement). */
export async function history(deps: DomainDeps, actor: Actor, input: HistoryInput): Promise<WalletHistoryPage> {
  let query = deps.db
    .selectFrom("wallet_entries as e")
    .innerJoin("wallets as w", "w.id", "e.wallet_id")
    .innerJoin("wallet_transactions as t", "t.id", "e.transaction_id")
    .select([
      "e.id",
      "e.transaction_id",
      "e.amount",
      "t.kind",
      "t.memo",
      "e.created_at",
      sql<string | null>`(select u.username from wallet_entries o join wallets ow on ow.id = o.wallet_id
        join users u on u.id = ow.user_id
        where o.transaction_id = e.transaction_id and o.wallet_id <> e.wallet_id limit 1)`.as("counterparty"),
    ])
    .where("w.user_id", "=", actor.userId)
    .orderBy("e.id", "desc")
    .limit(input.limit + 1);
  if (input.cursor !== undefined) query = query.where("e.id", "<", input.cursor);
  const rows = await query.execute();
  const page = rows.slice(0, input.limit);
  const items: WalletEntryDto[] = page.map((r) => ({
    id: Number(r.id),
    transactionId: Number(r.transaction_id),
    kind: r.kind,
    amount: Number(r.amount),
    memo: r.memo,
    counterparty: r.counterparty,
    createdAt: r.created_at.toISOString(),
  }));
  const last = page.at(-1);
  return { items, nextCursor: rows.length > input.limit && last ? Number(last.id) : null };
}

export interface MintInput {
  username: string;
  amount: number;
  reason: string;
}

/** Staff issue coins to a user from the mint, with a reason recorded in the audit log. */
export async function mint(
  deps: DomainDeps,
  actor: Actor,
  input: MintInput,
): Promise<{ transactionId: number; username: string; balance: number }> {
  if (!actor.isStaff) throw forbidden("Only staff may mint coins");
  return withTransaction(
    deps.db,
    async (trx) => {
      await trx
        .insertInto("wallets")
        .columns(["user_id"])
        .expression((eb) => eb.selectFrom("users").select("id").where("username", "=", input.username))
        .onConflict((oc) => oc.column("user_id").doNothing())
        .execute();
      const locked = await trx
        .selectFrom("wallets as w")
        .leftJoin("users as u", "u.id", "w.user_id")
        .select(["w.id", "w.kind", "w.balance", "u.username"])
        .where((w) => w.or([w("w.system_key", "=", "mint"), w("u.username", "=", input.username)]))
        .orderBy("w.id")
        .forUpdate("w")
        .execute();
      const source = locked.find((w) => w.kind === "system");
      const target = locked.find((w) => w.kind === "user");
      if (!target?.username) throw notFound("User", "username");
      if (!source) throw new AppError("PRECONDITION_FAILED", "The mint wallet is missing", "NO_MINT");
      const moved = await writeMovement(trx, {
        kind: "mint",
        actorId: actor.userId,
        memo: input.reason,
        legs: [
          { walletId: source.id, amount: -input.amount },
          { walletId: target.id, amount: input.amount },
        ],
        // Audited by writeMovement, in the same statement as the mint.
        audit: { username: target.username, amount: input.amount, reason: input.reason },
      });
      if (!moved) throw new Error("a mint without reference cannot collide");
      return {
        transactionId: moved.transactionId,
        username: target.username,
        balance: Number(target.balance) + input.amount,
      };
    },
    // Contended wallets: more attempts than the default before a deadlock reaches the caller.
    { attempts: 8 },
  );
}
