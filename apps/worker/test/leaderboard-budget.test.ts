/**
 * Regression: on the demo data (`pnpm start`), the first leaderboard run changed tiers, notified
 * the owners — 4 statements against the per-item budget of 3 — and logged "job over its per-item
 * query budget" on its own. The task now declares its budget (4) with the reason; the demo logs
 * no budget warning and counts no violation.
 */
import { enqueue, seedDemo } from "@deltacrown/domain";
import { installOpenHandleCheck, trackOpen, useTestServices, waitFor } from "@deltacrown/test-harness";
import { describe, expect, it } from "vitest";
import {
  createWorkerMetrics,
  JOB_BUDGETS,
  JOB_ITEM_BUDGET,
  jobBudget,
  startWorker,
  type JobReport,
} from "../src/index.ts";

installOpenHandleCheck();

describe("rankings/leaderboard on the demo data", () => {
  const services = useTestServices();

  it("fits its declared per-item budget and logs no budget warning", async () => {
    expect(JOB_BUDGETS["rankings/leaderboard"]?.reason).toMatch(/notif/);
    expect(jobBudget("rankings/leaderboard")).toBe(4);
    expect(jobBudget("audit/write")).toBe(JOB_ITEM_BUDGET);

    await seedDemo(services.db, 2 ** 10);
    const boards = await services.db.selectFrom("team_rankings").select("game_id").distinct().execute();
    const warnings: { obj: object; msg: string }[] = [];
    const reports: JobReport[] = [];
    const metrics = createWorkerMetrics();
    const worker = await startWorker({
      connectionString: services.url,
      deps: { db: services.db },
      crontab: false,
      heartbeatIntervalMs: false,
      pollIntervalMs: 100,
      metrics,
      logger: { info: () => undefined, warn: (obj, msg) => warnings.push({ obj, msg }), error: () => undefined },
      onJob: (r) => reports.push(r),
    });
    const untrack = trackOpen("worker", () => worker.stop());
    try {
      await enqueue(services.db, "rankings/leaderboards", {});
      const runs = await waitFor(
        () => {
          const done = reports.filter((r) => r.task === "rankings/leaderboard");
          return done.length === boards.length ? done : undefined;
        },
        { timeoutMs: 30_000 },
      );
      expect(runs.every((r) => r.ok)).toBe(true);
      // The demo's tiers disagree with its CP: the first run changes them and notifies owners.
      expect(Math.max(...runs.map((r) => r.ledger.count))).toBe(4);
      expect(warnings.filter((w) => w.msg === "job over its per-item query budget")).toEqual([]);
      const text = await metrics.registry.metrics();
      expect(text).toMatch(/dc_job_queries_count\{task="rankings\/leaderboard"\} [1-9]/);
      expect(text).not.toMatch(/^dc_job_budget_violations_total\{/m);
      const notified = await services.db
        .selectFrom("notifications")
        .select("id")
        .where("kind", "=", "rankings.tier_changed")
        .execute();
      expect(notified.length).toBeGreaterThan(0);
    } finally {
      await worker.stop();
      untrack();
    }
  });
});
