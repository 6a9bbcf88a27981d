/**
 * The Jepsen-style bank test: concurrent clients, each on its own pg connection, transfer random
 * amounts among a few wallets (some overdraw and must be refused) while other clients read the
 * total. Every read sees the same total, no balance ever goes negative, every acknowledged
 * transfer is in the ledger exactly once and no refused one is in it at all.
 */
import { useTestServices } from "@deltacrown/test-harness";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { findBalanceMismatches } from "../../src/economy/verify.ts";
import * as wallets from "../../src/economy/wallets.service.ts";
import type { Actor } from "../../src/shared/deps.ts";
import { AppError } from "../../src/shared/errors.ts";
import { depsOf, makeUser, ownConnection } from "./support.ts";

const ACCOUNTS = 5;
const INITIAL = 500;
const WRITERS = 10;
const READERS = 3;
const TRANSFERS_PER_WRITER = 40;

describe("bank (Jepsen-style)", () => {
  const services = useTestServices({ poolMax: 2 });

  it("keeps the total, never overdraws, and records exactly the acknowledged transfers", async () => {
    const staff = await makeUser(services.db, { staff: true });
    const users: Actor[] = [];
    for (let i = 0; i < ACCOUNTS; i++) users.push(await makeUser(services.db));
    for (const u of users)
      await wallets.mint(depsOf(services.db), staff, { username: u.username, amount: INITIAL, reason: "bank test" });
    const total = ACCOUNTS * INITIAL;
    const ids = users.map((u) => u.userId);

    const clients = Array.from({ length: WRITERS + READERS }, () => ownConnection(services.url));
    const acked = new Map<string, number>();
    const refused = new Set<string>();
    const unexpected: unknown[] = [];
    const reads: number[] = [];
    const minima: number[] = [];
    let writing = true;
    try {
      const writers = clients.slice(0, WRITERS).map(async ({ db }, w) => {
        const deps = depsOf(db);
        for (let n = 0; n < TRANSFERS_PER_WRITER; n++) {
          const from = users[Math.floor(Math.random() * ACCOUNTS)]!;
          let to = users[Math.floor(Math.random() * ACCOUNTS)]!;
          if (to === from) to = users[(users.indexOf(from) + 1) % ACCOUNTS]!;
          const key = `bank-${w}-${n}`;
          const amount = 1 + Math.floor(Math.random() * 250);
          try {
            const r = await wallets.transfer(deps, from, { to: to.username, amount, memo: key, idempotencyKey: key });
            acked.set(key, r.transactionId);
          } catch (error) {
            if (error instanceof AppError && error.reason === "INSUFFICIENT_FUNDS") refused.add(key);
            else unexpected.push(error);
          }
        }
      });
      const readers = clients.slice(WRITERS).map(async ({ db }) => {
        while (writing) {
          // One statement sees one snapshot; a repeatable-read transaction reading each wallet
          // separately must see the same total too.
          const one = await sql<{
            total: number;
            min: number;
          }>`select sum(balance)::bigint as total, min(balance) as min
            from wallets where user_id in (${sql.join(ids)})`.execute(db);
          reads.push(Number(one.rows[0]!.total));
          minima.push(Number(one.rows[0]!.min));
          const split = await db
            .transaction()
            .setIsolationLevel("repeatable read")
            .execute(async (trx) => {
              let sum = 0;
              for (const id of ids) {
                const r = await trx
                  .selectFrom("wallets")
                  .select("balance")
                  .where("user_id", "=", id)
                  .executeTakeFirstOrThrow();
                sum += Number(r.balance);
              }
              return sum;
            });
          reads.push(split);
        }
      });
      await Promise.all(writers);
      writing = false;
      await Promise.all(readers);
    } finally {
      writing = false;
      await Promise.all(clients.map((c) => c.db.destroy()));
    }

    expect(unexpected).toEqual([]);
    expect(acked.size + refused.size).toBe(WRITERS * TRANSFERS_PER_WRITER);
    expect(acked.size).toBeGreaterThan(0);
    expect(reads.length).toBeGreaterThan(2);
    expect(new Set(reads)).toEqual(new Set([total]));
    expect(Math.min(...minima)).toBeGreaterThanOrEqual(0);

    const ledger = await sql<{ id: number; memo: string; legs: number; sum: number }>`
      select t.id, t.memo, count(e.id)::int as legs, sum(e.amount)::bigint as sum
        from wallet_transactions t join wallet_entries e on e.transaction_id = t.id
       where t.kind = 'transfer' group by t.id`.execute(services.db);
    const byMemo = new Map<string, number[]>();
    for (const row of ledger.rows) byMemo.set(row.memo, [...(byMemo.get(row.memo) ?? []), Number(row.id)]);
    for (const [key, txId] of acked) expect(byMemo.get(key), key).toEqual([txId]);
    for (const key of refused) expect(byMemo.has(key), key).toBe(false);
    expect(ledger.rows).toHaveLength(acked.size);
    expect(ledger.rows.every((r) => r.legs === 2 && Number(r.sum) === 0)).toBe(true);

    const final = await sql<{ total: number; min: number }>`select sum(balance)::bigint as total, min(balance) as min
      from wallets where user_id in (${sql.join(ids)})`.execute(services.db);
    expect(Number(final.rows[0]!.total)).toBe(total);
    expect(await findBalanceMismatches(services.db)).toEqual([]);
    // 400 transfers on 13 connections: about 15 s alone, past the 30 s default at a load average
    // of 20 (seen). Nothing here waits on time, so a long bound only stops a hang.
  }, 180_000);
});
