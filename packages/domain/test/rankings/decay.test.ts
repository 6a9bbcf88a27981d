import { useTestServices } from "@deltacrown/test-harness";
import { describe, expect, it } from "vitest";
import { runDecay } from "../../src/rankings/decay.ts";
import { recomputeAndCompare } from "../../src/rankings/ledger.ts";
import { seedTeams } from "./support.ts";

describe("decay", () => {
  const services = useTestServices();

  it("decays inactive teams across batches; a crash mid-run and a rerun decay each team exactly once", async () => {
    const { gameId, teams } = await seedTeams(
      services.db,
      Array.from({ length: 25 }, () => 1000),
      "dota2",
    );
    // 20 inactive for a month, 5 active today.
    const inactive = teams.slice(0, 20).map((t) => t.id);
    await services.db
      .updateTable("team_rankings")
      .set({ last_activity_at: new Date(Date.now() - 30 * 86_400_000) })
      .where("team_id", "in", inactive)
      .execute();
    const config = { inactiveDays: 14, percent: 5, batchSize: 6 };

    await expect(
      runDecay(services.db, {
        runId: "2026-11-24",
        config,
        afterBatch: (n) => {
          if (n === 2) throw new Error("worker crashed");
        },
      }),
    ).rejects.toThrow("worker crashed");
    const midway = await services.db
      .selectFrom("cp_ledger")
      .select("team_id")
      .where("source_type", "=", "decay")
      .execute();
    expect(midway).toHaveLength(12); // two committed batches

    const rerun = await runDecay(services.db, { runId: "2026-11-24", config });
    expect(rerun.finished).toBe(true);
    expect(rerun.decayed).toBe(20);
    expect(rerun.batches).toBe(2); // resumed after the 2nd batch: 6 + 2 rows left

    const again = await runDecay(services.db, { runId: "2026-11-24", config });
    expect(again.batches).toBe(0);

    const rows = await services.db
      .selectFrom("team_rankings")
      .select(["team_id", "current_cp"])
      .where("game_id", "=", gameId)
      .execute();
    for (const r of rows) expect(r.current_cp).toBe(inactive.includes(r.team_id) ? 950 : 1000);
    const ledger = await services.db
      .selectFrom("cp_ledger")
      .select(["team_id", "delta"])
      .where("source_type", "=", "decay")
      .execute();
    expect(ledger).toHaveLength(20);
    expect(new Set(ledger.map((l) => l.team_id)).size).toBe(20);
    // The seeded CP has no ledger rows; the decay rows alone account for the change.
    const drift = await recomputeAndCompare(services.db, { gameId });
    for (const d of drift) expect(d.currentCp - d.ledgerCp).toBe(1000);
  });

  it("a rerun that starts from scratch (progress lost) still decays nobody twice", async () => {
    const { teams } = await seedTeams(services.db, [200, 200, 200], "lol");
    const ids = teams.map((t) => t.id);
    await services.db
      .updateTable("team_rankings")
      .set({ last_activity_at: new Date(Date.now() - 30 * 86_400_000) })
      .where("team_id", "in", ids)
      .execute();
    await runDecay(services.db, { runId: "run-x", config: { batchSize: 2 } });
    await services.db.deleteFrom("rankings_decay_runs").where("run_id", "=", "run-x").execute();
    const rerun = await runDecay(services.db, { runId: "run-x", config: { batchSize: 2 } });
    expect(rerun.decayed).toBe(0);
    const cps = await services.db
      .selectFrom("team_rankings")
      .select("current_cp")
      .where("team_id", "in", ids)
      .execute();
    expect(cps.map((c) => c.current_cp)).toEqual([190, 190, 190]);
  });

  it("2 lanes decay every inactive team once; a lane's crash and a rerun with 1 lane decay nobody twice", async () => {
    const { teams } = await seedTeams(
      services.db,
      Array.from({ length: 15 }, () => 1000),
      "cs2",
    );
    const ids = teams.map((t) => t.id);
    // Inactive for longer than the other tests' teams, so this run's cutoff sees only these.
    await services.db
      .updateTable("team_rankings")
      .set({ last_activity_at: new Date(Date.now() - 300 * 86_400_000) })
      .where("team_id", "in", ids)
      .execute();
    const config = { inactiveDays: 200, percent: 10, batchSize: 2, lanes: 2 };
    const ledgerOfRun = () =>
      services.db.selectFrom("cp_ledger").select("team_id").where("source_id", "=", "lanes").execute();
    await expect(
      runDecay(services.db, {
        runId: "lanes",
        config,
        afterBatch: (n) => {
          if (n === 3) throw new Error("worker crashed");
        },
      }),
    ).rejects.toThrow("worker crashed");
    // The lanes stop after their current batch: 3 or 4 batches of 2 committed, not the whole run.
    const midway = (await ledgerOfRun()).length;
    expect(midway).toBeGreaterThanOrEqual(6);
    expect(midway).toBeLessThanOrEqual(8);

    // Each lane keeps its own progress row; the run's total adds them up.
    const rerun = await runDecay(services.db, { runId: "lanes", config });
    const lanes = await services.db
      .selectFrom("rankings_decay_runs")
      .select(["run_id", "finished_at"])
      .where("run_id", "like", "lanes#%")
      .orderBy("run_id")
      .execute();
    expect(lanes.map((l) => l.run_id)).toEqual(["lanes#0/2", "lanes#1/2"]);
    expect(lanes.every((l) => l.finished_at !== null)).toBe(true);
    expect(rerun.decayed).toBe(15);

    // Another lane count is another set of progress rows, yet the ledger's source key skips every team.
    const oneLane = await runDecay(services.db, { runId: "lanes", config: { ...config, lanes: 1 } });
    expect(oneLane.decayed).toBe(0);
    const cps = await services.db
      .selectFrom("team_rankings")
      .select("current_cp")
      .where("team_id", "in", ids)
      .execute();
    expect(cps.map((c) => c.current_cp)).toEqual(Array.from({ length: 15 }, () => 900));
    const ledger = await ledgerOfRun();
    expect(ledger).toHaveLength(15);
    expect(new Set(ledger.map((l) => l.team_id))).toEqual(new Set(ids));
  });
});
