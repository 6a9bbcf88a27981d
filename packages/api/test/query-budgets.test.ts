/**
 * The contract's query budgets, exercised for every procedure: each scenario sets up its data,
 * makes ONE measured call, and asserts the exact statement count (and that it is within the
 * budget table). The ordered fingerprints are snapshotted, so a change that adds a query shows
 * up in review. The router walk fails for any procedure without a scenario; it reads the scenario
 * table, not what earlier tests ran, so it holds whatever order (or filter) the tests run in.
 */
import { appendFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { appRouter, budgets, CATEGORIES, listProcedures, type BudgetedPath } from "../src/index.ts";
import { scenarios } from "./budgets/index.ts";
import { variants } from "./budgets/variants.ts";
import { uniq, type Scenario } from "./budgets/scenario.ts";
import { useApi } from "./support.ts";

/**
 * `pnpm check:plans` runs this file with DC_RECORD_QUERIES=<file>: each scenario's statements are
 * appended as JSON lines {path, sql, params} (Buffers as {type: "Buffer", data}), to be EXPLAINed.
 */
const recordTo = process.env.DC_RECORD_QUERIES;
function record(path: string, entries: readonly { sql: string; params: readonly unknown[]; control: boolean }[]) {
  if (!recordTo) return;
  const lines = entries.filter((e) => !e.control).map((e) => JSON.stringify({ path, sql: e.sql, params: e.params }));
  if (lines.length > 0) appendFileSync(recordTo, `${lines.join("\n")}\n`);
}

describe("query budgets", () => {
  const api = useApi();

  for (const [path, scenario] of Object.entries(scenarios) as [BudgetedPath, Scenario][]) {
    it(`${path} runs exactly ${scenario.queries} queries, within its budget`, async () => {
      const { report } = await scenario.run(api);
      record(path, report.ledger.entries);
      expect(report.path).toBe(path);
      expect(report.violations).toEqual([]);
      expect(report.ledger.count, report.ledger.fingerprints().join("\n")).toBe(scenario.queries);
      expect(report.ledger.count).toBeLessThanOrEqual(budgets[path].maxQueries);
      expect(report.ledger.fingerprints()).toMatchSnapshot();
    });
  }

  for (const [name, variant] of Object.entries(variants)) {
    it(`${name} runs exactly ${variant.queries} queries, within its budget`, async () => {
      const { report } = await variant.run(api);
      record(variant.path, report.ledger.entries);
      expect(report.path).toBe(variant.path);
      expect(report.violations).toEqual([]);
      expect(report.ledger.count, report.ledger.fingerprints().join("\n")).toBe(variant.queries);
      expect(report.ledger.count).toBeLessThanOrEqual(budgets[variant.path].maxQueries);
      expect(report.ledger.fingerprints()).toMatchSnapshot();
    });
  }

  it("cached reads cost no query at all on a hit (team detail, games, my teams)", async () => {
    const u = await api.user(uniq("cached"));
    const team = await api.team(u, uniq("Cached Team "));
    await u.caller.teams.bySlug({ slug: team.slug });
    await u.caller.games.list();
    await u.caller.teams.mine();
    expect((await api.measure(() => api.caller().teams.bySlug({ slug: team.slug }))).report.ledger.count).toBe(0);
    expect((await api.measure(() => api.caller().games.list())).report.ledger.count).toBe(0);
    expect((await api.measure(() => u.caller.teams.mine())).report.ledger.count).toBe(1); // the session only
  });

  it("walks the router: every procedure has a category, a budget within its ceiling, and a scenario", () => {
    const procedures = listProcedures(appRouter);
    expect(procedures.length).toBeGreaterThan(0);
    const table: Record<string, { category: string; maxQueries: number }> = budgets;
    for (const p of procedures) {
      expect(p.meta?.category, `${p.path} declares no contract category`).toBeDefined();
      const budget = table[p.path];
      expect(budget, `${p.path} has no budget`).toBeDefined();
      expect(budget!.category, `${p.path}: budget category differs from the procedure's`).toBe(p.meta!.category);
      expect(budget!.maxQueries).toBeLessThanOrEqual(CATEGORIES[p.meta!.category].maxQueries);
      // Each scenario is its own test above (asserting it measured exactly this procedure).
      expect(p.path in scenarios, `${p.path} has no query-budget scenario`).toBe(true);
    }
    expect(Object.keys(budgets).sort()).toEqual(procedures.map((p) => p.path).sort());
    expect(Object.keys(scenarios).sort()).toEqual(procedures.map((p) => p.path).sort());
  });
});
