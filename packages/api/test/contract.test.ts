/** Proves the contract middleware catches what it must: N+1 repeats, over-budget calls, in both modes. */
import { sql } from "kysely";
import { describe, expect, it, vi } from "vitest";
import { createMetrics } from "../src/contract/metrics.ts";
import { createContextInner, type ContextDeps } from "../src/context.ts";
import { ContractViolationError, type CallReport } from "../src/contract/enforce.ts";
import { createCallerFactory, publicProcedure, router } from "../src/trpc.ts";
import { testConfig, useApi } from "./support.ts";

// A router that exists only here: procedures written the way the contract forbids.
const badRouter = router({
  loopsPerRow: publicProcedure("list").query(async ({ ctx }) => {
    const ids = await ctx.db.selectFrom("games").select("id").orderBy("id").limit(4).execute();
    const names: string[] = [];
    // The N+1: one query per row instead of one query for all rows.
    for (const { id } of ids) {
      const g = await ctx.db.selectFrom("games").select("name").where("id", "=", id).executeTakeFirstOrThrow();
      names.push(g.name);
    }
    return names;
  }),
  oneQueryForAll: publicProcedure("list").query(async ({ ctx }) => {
    const ids = (await ctx.db.selectFrom("games").select("id").orderBy("id").limit(4).execute()).map((r) => r.id);
    return ctx.db.selectFrom("games").select("name").where("id", "in", ids).execute();
  }),
  tooManyDistinct: publicProcedure("detail").query(async ({ ctx }) => {
    // Six different statements (distinct aliases): over the detail ceiling of 5, but no shape repeats.
    for (const alias of ["a", "b", "c", "d", "e", "f"]) await sql`select 1 as ${sql.ref(alias)}`.execute(ctx.db);
    return "done";
  }),
  parallelAndTransactional: publicProcedure("dashboard").query(async ({ ctx }) => {
    await Promise.all([
      sql`select 1 as a`.execute(ctx.db),
      sql`select 2 as b, 3 as c`.execute(ctx.db),
      ctx.db.selectFrom("games").select("slug").limit(1).execute(),
    ]);
    await ctx.db.transaction().execute(async (trx) => {
      await sql`select 'in a transaction' as t`.execute(trx);
    });
    return "done";
  }),
});

describe("contract enforcement", () => {
  const api = useApi();
  const reports: CallReport[] = [];

  function callerFor(mode: ContextDeps["contractMode"], extra: Partial<ContextDeps> = {}) {
    return createCallerFactory(badRouter)(
      createContextInner({
        db: api.db,
        cache: api.cache,
        config: testConfig,
        contractMode: mode,
        onCall: (r) => reports.push(r),
        ...extra,
      }),
    );
  }

  it("fails a call that runs the same statement shape 3+ times (N+1), whatever the budget", async () => {
    const error = await callerFor("throw")
      .loopsPerRow()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const cause = (error as { cause?: unknown }).cause;
    expect(cause).toBeInstanceOf(ContractViolationError);
    const report = (cause as ContractViolationError).report;
    expect(report.violations.map((v) => v.kind)).toEqual(["n+1"]);
    expect(report.violations[0]!.message).toContain('from "games" where "id" = ?');
    expect(report.ledger.count).toBe(5); // under the list budget of 7: the repeat alone is fatal
  });

  it("passes the same work done with one query for all rows", async () => {
    await expect(callerFor("throw").oneQueryForAll()).resolves.toHaveLength(4);
    expect(reports.at(-1)!.ledger.count).toBe(2);
  });

  it("fails a call over its category's budget and names the statements", async () => {
    const error = await callerFor("throw")
      .tooManyDistinct()
      .catch((e: unknown) => e);
    const cause = (error as { cause?: unknown }).cause as ContractViolationError;
    expect(cause).toBeInstanceOf(ContractViolationError);
    expect(cause.report.violations.map((v) => v.kind)).toEqual(["budget"]);
    expect(cause.message).toMatch(/6 queries, budget 5 \(detail\)/);
  });

  it("in production mode only warns and counts the violation", async () => {
    const metrics = createMetrics();
    const warn = vi.fn();
    const caller = callerFor("warn", { metrics, logger: { warn, error: vi.fn() } });
    await expect(caller.loopsPerRow()).resolves.toHaveLength(4);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ path: "loopsPerRow" }), "contract violation");
    const counted = await metrics.budgetViolations.get();
    expect(counted.values).toContainEqual(
      expect.objectContaining({ labels: { path: "loopsPerRow", kind: "n+1" }, value: 1 }),
    );
  });

  it("records parallel statements and keeps transaction control out of the count", async () => {
    await callerFor("throw").parallelAndTransactional();
    const ledger = reports.at(-1)!.ledger;
    expect(ledger.count).toBe(4);
    expect(ledger.entries.filter((e) => e.control).map((e) => e.fingerprint)).toEqual(["begin", "commit"]);
    expect(ledger.fingerprints()).toEqual(
      expect.arrayContaining(["select ? as a", "select ? as b, ? as c", "select ? as t"]),
    );
  });

  it("gives each call of one batch its own ledger", async () => {
    const caller = callerFor("throw");
    const before = reports.length;
    await Promise.all([caller.oneQueryForAll(), caller.oneQueryForAll(), caller.oneQueryForAll()]);
    const mine = reports.slice(before);
    expect(mine.map((r) => r.ledger.count)).toEqual([2, 2, 2]);
  });
});
