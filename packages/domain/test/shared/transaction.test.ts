/**
 * withTransaction retries a real Postgres deadlock (40P01) by default: the victim attempt rolls
 * back and runs again, only the committed attempt's afterCommit work runs, and the retry is
 * counted in the caller's query ledger (the source of dc_transaction_retries_total).
 */
import { QueryLedger, runWithLedger } from "@deltacrown/db";
import { useTestServices } from "@deltacrown/test-harness";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { withTransaction } from "../../src/shared/transaction.ts";
import { gate } from "../gate.support.ts";

describe("withTransaction", () => {
  const services = useTestServices({ poolMax: 4 });

  it("retries a deadlock victim, runs only the committed attempt's afterCommit, and counts the retry", async () => {
    const { rows } = await sql<{ id: number }>`insert into games (slug, name, short_name, genre, team_size)
      values ('lock-a', 'A', 'A', 'fps', 5), ('lock-b', 'B', 'B', 'fps', 5) returning id`.execute(services.db);
    const [a, b] = rows.map((r) => r.id) as [number, number];
    const aLocked = gate();
    const bLocked = gate();
    const committed: number[] = [];
    const ledger = new QueryLedger("test");
    let attempts = 0;

    // The victim: its short deadlock_timeout makes it the one Postgres aborts (superuser setting).
    const victim = runWithLedger(ledger, () =>
      withTransaction(services.db, async (trx, afterCommit) => {
        const attempt = ++attempts;
        await sql`set local deadlock_timeout = '50ms'`.execute(trx);
        await sql`select id from games where id = ${a} for update`.execute(trx);
        afterCommit(() => void committed.push(attempt));
        if (attempt === 1) {
          aLocked.open();
          await bLocked.opened;
        }
        await sql`update games set name = name || '+' where id = ${b}`.execute(trx);
        return attempt;
      }),
    );
    // The other side takes the locks in the opposite order and waits long enough not to be the victim.
    const other = services.db.transaction().execute(async (trx) => {
      await sql`set local deadlock_timeout = '10s'`.execute(trx);
      await aLocked.opened;
      await sql`select id from games where id = ${b} for update`.execute(trx);
      bLocked.open();
      await sql`update games set name = name || '!' where id = ${a}`.execute(trx);
    });

    const [finalAttempt] = await Promise.all([victim, other]);
    expect(finalAttempt).toBe(2);
    expect(committed).toEqual([2]); // the rolled-back attempt's afterCommit never ran
    expect(ledger.retries).toBe(1);
    // The failed attempt's statements are on record but leave the count.
    expect(ledger.entries.some((e) => e.retried)).toBe(true);
    expect(ledger.count).toBe(3);
    const names = await services.db.selectFrom("games").select(["slug", "name"]).where("id", "in", [a, b]).execute();
    expect(Object.fromEntries(names.map((n) => [n.slug, n.name]))).toEqual({ "lock-a": "A!", "lock-b": "B+" });
  });

  it("gives up after the attempts bound and rethrows the Postgres error", async () => {
    let runs = 0;
    const error = await withTransaction(
      services.db,
      () => {
        runs++;
        return Promise.reject(Object.assign(new Error("could not serialize access"), { code: "40001" }));
      },
      { attempts: 3 },
    ).catch((e: unknown) => e);
    expect(runs).toBe(3);
    expect((error as { code?: string }).code).toBe("40001");
  });

  it("does not retry other errors", async () => {
    let runs = 0;
    await expect(
      withTransaction(services.db, async (trx) => {
        runs++;
        await sql`select 1/0`.execute(trx);
      }),
    ).rejects.toMatchObject({ code: "22012" });
    expect(runs).toBe(1);
  });
});
