import { sql } from "kysely";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { AppError, badRequest, forbidden, notFound } from "../shared/errors.ts";
import { withTransaction } from "../shared/transaction.ts";
import { claimKey, completeKey, requestHash } from "./idempotency.ts";
import { assertFunds, writeMovement } from "./ledger.ts";
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
 * Moves coins to another user, exactly once per idempotency key, in ONE transaction: the key is
 * claimed with an advisory lock (a concurrent duplicate is refused as IN_FLIGHT instead of
 * running twice), both wallets are locked in id order, funds checked, the balanced movement
 * written in one statement and the result stored with the key. A refused transfer rolls back
 * and leaves no key, so the same request may be retried. Deadlocks and serialization failures
 * are retried by withTransaction.
 */
export async function transfer(deps: DomainDeps, actor: Actor, input: TransferInput): Promise<TransferResult> {
  const memo = input.memo ?? "";
  if (input.to.toLowerCase() === actor.username.toLowerCase())
    throw badRequest("You cannot transfer to yourself", "SELF_TRANSFER", "to");
  const hash = requestHash({ to: input.to.toLowerCase(), amount: input.amount, memo });
  return withTransaction(
    deps.db,
    async (trx, afterCommit) => {
      const claim = await claimKey<TransferResult>(trx, actor.userId, input.idempotencyKey, hash);
      if (claim.kind === "replay") return { ...claim.response, replayed: true };
      // Lazily create both wallets (one statement), then lock them in id order with their owners.
      await trx
        .insertInto("wallets")
        .columns(["user_id"])
        .expression((eb) =>
          eb
            .selectFrom("users")
            .select("id")
            .where((w) => w.or([w("id", "=", actor.userId), w("username", "=", input.to)])),
        )
        .onConflict((oc) => oc.column("user_id").doNothing())
        .execute();
      const locked = await trx
        .selectFrom("wallets as w")
        .innerJoin("users as u", "u.id", "w.user_id")
        .select(["w.id", "w.user_id", "w.balance", "u.username"])
        .where((w) => w.or([w("u.id", "=", actor.userId), w("u.username", "=", input.to)]))
        .orderBy("w.id")
        .forUpdate("w")
        .execute();
      const from = locked.find((w) => w.user_id === actor.userId);
      const to = locked.find((w) => w.user_id !== actor.userId);
      if (!from || !to) throw notFound("User", "to");
      const legs = [
        { walletId: from.id, amount: -input.amount },
        { walletId: to.id, amount: input.amount },
      ];
      assertFunds([{ id: from.id, kind: "user", userId: actor.userId, balance: Number(from.balance) }], legs);
      const moved = await writeMovement(trx, { kind: "transfer", actorId: actor.userId, memo, legs });
      if (!moved) throw new Error("a transfer without reference cannot collide");
      const result: TransferResult = {
        transactionId: moved.transactionId,
        to: to.username,
        amount: input.amount,
        memo,
        balance: Number(from.balance) - input.amount,
        createdAt: moved.createdAt.toISOString(),
        replayed: false,
      };
      await completeKey(trx, actor.userId, input.idempotencyKey, hash, moved.transactionId, result);
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
