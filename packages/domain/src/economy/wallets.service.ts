import { sql } from "kysely";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { AppError, badRequest, forbidden, notFound } from "../shared/errors.ts";
import { retryingConflicts, withTransaction } from "../shared/transaction.ts";
import { IDEMPOTENCY_RETENTION_HOURS, readClaim, requestHash, type ClaimRow } from "./idempotency.ts";
import { insufficientFunds, writeMovement } from "./ledger.ts";
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

/** What the wallet_transfer function returns: a refusal of the key, its stored result, or a new transfer. */
interface TransferRow extends ClaimRow<TransferResult> {
  moved: boolean;
  recipient_id: number | null;
}

/**
 * Moves coins to another user, exactly once per idempotency key, in ONE statement and no explicit
 * transaction: the database function `wallet_transfer` (migration 20261204T0100) claims the key
 * with an advisory lock (a concurrent duplicate is refused as IN_FLIGHT instead of running twice)
 * and reads its stored result; unless that answers, it creates missing wallets, locks both in id
 * order, checks the funds on the locked balances and writes the balanced movement (transaction,
 * entries, balances, audit row) with the key's result. A refusal (unknown payee, insufficient
 * funds) rolls the statement back and leaves no key, so the same request may be retried.
 * Deadlocks and serialization failures (a key completed concurrently) are retried by retryingConflicts;
 * the retry replays the stored result.
 */
export async function transfer(deps: DomainDeps, actor: Actor, input: TransferInput): Promise<TransferResult> {
  const memo = input.memo ?? "";
  if (input.to.toLowerCase() === actor.username.toLowerCase())
    throw badRequest("You cannot transfer to yourself", "SELF_TRANSFER", "to");
  const hash = requestHash({ to: input.to.toLowerCase(), amount: input.amount, memo });
  const row = await retryingConflicts(
    async () => {
      const { rows } = await sql<TransferRow>`select got, moved, request_hash, response, recipient_id
        from wallet_transfer(${actor.userId}::integer, ${input.to}::citext, ${input.idempotencyKey}::text,
          ${hash}::text, ${input.amount}::bigint, ${memo}::text, ${IDEMPOTENCY_RETENTION_HOURS}::integer)`.execute(
        deps.db,
      );
      return rows[0]!;
    },
    // Contended wallets: more attempts than the default before a deadlock reaches the caller.
    { attempts: 8 },
  ).catch((error: unknown) => {
    const code = (error as { code?: string } | null)?.code;
    if (code === "DC404") throw notFound("User", "to");
    if (code === "DC402") throw insufficientFunds();
    throw error;
  });
  if (!row.moved) {
    const claim = readClaim<TransferResult>(row, hash);
    if (claim.kind === "replay") return { ...claim.response, replayed: true };
    throw new Error("wallet_transfer neither moved nor answered from the key");
  }
  const stored = row.response!;
  const result: TransferResult = {
    transactionId: Number(stored.transactionId),
    to: stored.to,
    amount: input.amount,
    memo,
    balance: Number(stored.balance),
    createdAt: stored.createdAt,
    replayed: false,
  };
  // Committed with the statement: the recipient hears of it only now.
  await publishLive(liveChannels.userNotifications(row.recipient_id!), {
    type: "wallet.received",
    data: { transactionId: result.transactionId, from: actor.username, amount: input.amount, memo },
  });
  return result;
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
