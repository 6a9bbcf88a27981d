import { findBalanceMismatches } from "@deltacrown/domain";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { fundedUser, staffUser } from "./budgets/wallets.scenarios.ts";
import { uniq } from "./budgets/scenario.ts";
import { useApi } from "./support.ts";

/** The tRPC code and domain reason a refused call threw (a caller throws TRPCError with the AppError as cause). */
async function failure(call: Promise<unknown>): Promise<[string, string | undefined]> {
  const e = (await call.then(
    () => null,
    (error: unknown) => error,
  )) as { code?: string; cause?: { reason?: string } } | null;
  if (!e) throw new Error("expected the call to fail");
  return [String(e.code), e.cause?.reason];
}

const count = async (api: ReturnType<typeof useApi>, table: "wallet_entries" | "wallet_transactions") =>
  (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(api.db)).rows[0]!.n;

describe("wallets", () => {
  const api = useApi();

  it("transfers move coins, history pages through the ledger, and balances match the ledger", async () => {
    const a = await fundedUser(api, 100);
    const b = await api.user(uniq("bob"));
    expect(await b.caller.wallets.balance()).toEqual({ balance: 0 });
    for (const n of [1, 2, 3, 4, 5])
      await a.caller.wallets.transfer({
        to: b.user.username,
        amount: n,
        memo: `t${n}`,
        idempotencyKey: uniq("key-0000"),
      });
    expect(await a.caller.wallets.balance()).toEqual({ balance: 85 });
    expect(await b.caller.wallets.balance()).toEqual({ balance: 15 });

    const first = await b.caller.wallets.history({ limit: 2 });
    expect(first.items.map((i) => i.memo)).toEqual(["t5", "t4"]);
    expect(first.items[0]).toMatchObject({ kind: "transfer", amount: 5, counterparty: a.user.username });
    const second = await b.caller.wallets.history({ limit: 2, cursor: first.nextCursor! });
    const third = await b.caller.wallets.history({ limit: 2, cursor: second.nextCursor! });
    expect([...second.items, ...third.items].map((i) => i.memo)).toEqual(["t3", "t2", "t1"]);
    expect(third.nextCursor).toBeNull();
    const aHistory = await a.caller.wallets.history({ limit: 10 });
    expect(aHistory.items.at(-1)).toMatchObject({ kind: "mint", amount: 100, counterparty: null });
    expect(aHistory.items[0]).toMatchObject({ kind: "transfer", amount: -5, counterparty: b.user.username });
    expect(await findBalanceMismatches(api.db)).toEqual([]);
  });

  it("the same key and request returns the first result; a different request under it is a CONFLICT", async () => {
    const a = await fundedUser(api, 50);
    const b = await api.user(uniq("payee"));
    const key = uniq("idem-key-");
    const first = await a.caller.wallets.transfer({ to: b.user.username, amount: 20, idempotencyKey: key });
    const again = await a.caller.wallets.transfer({ to: b.user.username, amount: 20, idempotencyKey: key });
    expect(again).toEqual({ ...first, replayed: true });
    expect(await b.caller.wallets.balance()).toEqual({ balance: 20 });
    expect(await failure(a.caller.wallets.transfer({ to: b.user.username, amount: 21, idempotencyKey: key }))).toEqual([
      "CONFLICT",
      "IDEMPOTENCY_KEY_REUSED",
    ]);
    expect(await b.caller.wallets.balance()).toEqual({ balance: 20 });
  });

  it("a key still in flight is refused with IN_FLIGHT and the transfer runs once", async () => {
    const a = await fundedUser(api, 50);
    const b = await api.user(uniq("payee"));
    const key = uniq("flight-key-");
    await sql`insert into wallets (user_id) values (${b.user.id}) on conflict do nothing`.execute(api.db);
    // Hold the recipient's wallet lock so the first request stays in flight.
    const holder = await api.services.pool.connect();
    try {
      await holder.query("begin");
      await holder.query("select 1 from wallets where user_id = $1 for update", [b.user.id]);
      const firstCall = a.caller.wallets.transfer({ to: b.user.username, amount: 5, idempotencyKey: key });
      const deadline = Date.now() + 5000;
      for (;;) {
        // The first request holds its key's advisory lock while it waits for the wallet lock.
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks
          where locktype = 'advisory' and granted and objid = hashtext(${key})::oid`.execute(api.db);
        if (rows[0]!.n === 1) break;
        if (Date.now() > deadline) throw new Error("the first request never claimed its key");
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(await failure(a.caller.wallets.transfer({ to: b.user.username, amount: 5, idempotencyKey: key }))).toEqual(
        ["CONFLICT", "IN_FLIGHT"],
      );
      await holder.query("commit");
      expect((await firstCall).replayed).toBe(false);
    } finally {
      holder.release();
    }
    expect(await b.caller.wallets.balance()).toEqual({ balance: 5 });
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from wallet_transactions t
      join wallet_idempotency_keys k on k.transaction_id = t.id where k.key = ${key}`.execute(api.db);
    expect(rows[0]!.n).toBe(1);
  });

  it("a first transfer to a payee whose wallet another transaction is creating waits for it, then moves the coins", async () => {
    const a = await fundedUser(api, 50);
    const b = await api.user(uniq("payee"));
    // An uncommitted wallet of the payee: the transfer's statement waits on it, and its snapshot
    // (taken before) cannot see it once committed; the transfer must lock it in a later statement.
    const holder = await api.services.pool.connect();
    try {
      const holderPid = (await holder.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]!.pid;
      await holder.query("begin");
      await holder.query("insert into wallets (user_id) values ($1)", [b.user.id]);
      const call = a.caller.wallets.transfer({ to: b.user.username, amount: 7, idempotencyKey: uniq("race-key-") });
      for (;;) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and ${holderPid}::int = any (pg_blocking_pids(pid))`.execute(api.db);
        if (rows[0]!.n > 0) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      await holder.query("commit");
      expect(await call).toMatchObject({ to: b.user.username, amount: 7, replayed: false });
    } finally {
      holder.release();
    }
    expect(await b.caller.wallets.balance()).toEqual({ balance: 7 });
    expect(await findBalanceMismatches(api.db)).toEqual([]);
  });

  it("refuses overdrafts, self-transfers and unknown users without writing, and frees the key", async () => {
    const a = await fundedUser(api, 10);
    const b = await api.user(uniq("payee"));
    const before = await count(api, "wallet_entries");
    const key = uniq("over-key-");
    expect(await failure(a.caller.wallets.transfer({ to: b.user.username, amount: 11, idempotencyKey: key }))).toEqual([
      "PRECONDITION_FAILED",
      "INSUFFICIENT_FUNDS",
    ]);
    const self = a.caller.wallets.transfer({
      to: a.user.username.toUpperCase(),
      amount: 1,
      idempotencyKey: uniq("self-key-"),
    });
    expect(await failure(self)).toEqual(["BAD_REQUEST", "SELF_TRANSFER"]);
    const ghost = a.caller.wallets.transfer({ to: "nobody-here", amount: 1, idempotencyKey: uniq("ghost-key-") });
    expect((await failure(ghost))[0]).toBe("NOT_FOUND");
    expect(await count(api, "wallet_entries")).toBe(before);
    // The failed key is free again: the same key now succeeds with an affordable request.
    const ok = await a.caller.wallets.transfer({ to: b.user.username, amount: 10, idempotencyKey: key });
    expect(ok.balance).toBe(0);
  });

  it("a transfer writes one audit row; a refused one to a new payee leaves no wallet behind", async () => {
    const a = await fundedUser(api, 10);
    const b = await api.user(uniq("payee"));
    // One statement (wallet_transfer): its refusal rolls back the payee's wallet it created too.
    expect(
      await failure(a.caller.wallets.transfer({ to: b.user.username, amount: 11, idempotencyKey: uniq("poor-key-") })),
    ).toEqual(["PRECONDITION_FAILED", "INSUFFICIENT_FUNDS"]);
    const wallets = await sql<{
      n: number;
    }>`select count(*)::int as n from wallets where user_id = ${b.user.id}`.execute(api.db);
    expect(wallets.rows[0]!.n).toBe(0);
    // The payee's name in any case finds them (citext), as the unique index does.
    const ok = await a.caller.wallets.transfer({
      to: b.user.username.toUpperCase(),
      amount: 4,
      idempotencyKey: uniq("audit-key-"),
    });
    const { rows } = await sql<{ action: string; legs: { amount: number }[] }>`select action, data->'legs' as legs
      from audit_log where entity_type = 'wallet_transaction' and entity_id = ${String(ok.transactionId)}`.execute(
      api.db,
    );
    expect(rows).toEqual([
      {
        action: "wallet.transfer",
        legs: [expect.objectContaining({ amount: -4 }), expect.objectContaining({ amount: 4 })],
      },
    ]);
    expect(await b.caller.wallets.balance()).toEqual({ balance: 4 });
    // Both wallets exist now: a transfer creates none, so it draws no wallet id either.
    const lastId = async () =>
      (
        await sql<{ v: string }>`select pg_sequence_last_value(pg_get_serial_sequence('wallets', 'id')) as v`.execute(
          api.db,
        )
      ).rows[0]!.v;
    const before = await lastId();
    await a.caller.wallets.transfer({ to: b.user.username, amount: 1, idempotencyKey: uniq("seq-key-") });
    expect(await lastId()).toBe(before);
    expect(await findBalanceMismatches(api.db)).toEqual([]);
  });

  it("only staff mint, and every mint is audited with its reason", async () => {
    const plain = await api.user(uniq("plain"));
    const denied = plain.caller.wallets.mint({ username: plain.user.username, amount: 5, reason: "free money" });
    expect((await failure(denied))[0]).toBe("FORBIDDEN");
    const staff = await staffUser(api);
    await staff.caller.wallets.mint({ username: plain.user.username, amount: 5, reason: "season reward" });
    // Audited in the mint's own statement (not by a job): the row exists as soon as it committed.
    const { rows } = await sql<{ reason: string }>`select data->>'reason' as reason from audit_log
      where action = 'wallet.mint' and entity_type = 'wallet_transaction'
        and data->>'username' = ${plain.user.username}`.execute(api.db);
    expect(rows).toEqual([{ reason: "season reward" }]);
  });

  it("the database itself refuses a negative balance, an unbalanced transaction and ledger edits", async () => {
    const u = await fundedUser(api, 3);
    await expect(
      sql`update wallets set balance = -1 where user_id = ${u.user.id}`.execute(api.db),
    ).rejects.toMatchObject({
      code: "23514",
    });
    const txBefore = await count(api, "wallet_transactions");
    await expect(
      api.db.transaction().execute(async (trx) => {
        const tx = await sql<{
          id: number;
        }>`insert into wallet_transactions (kind) values ('mint') returning id`.execute(trx);
        const w = await sql<{ id: number }>`select id from wallets where user_id = ${u.user.id}`.execute(trx);
        await sql`insert into wallet_entries (transaction_id, wallet_id, amount)
          values (${tx.rows[0]!.id}, ${w.rows[0]!.id}, 7)`.execute(trx);
      }),
    ).rejects.toMatchObject({ code: "23514" });
    expect(await count(api, "wallet_transactions")).toBe(txBefore);
    await expect(sql`delete from wallet_entries`.execute(api.db)).rejects.toMatchObject({ code: "55000" });
  });
});
