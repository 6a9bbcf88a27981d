import { Cache, demoGames, enqueue } from "@deltacrown/domain";
import { useTestServices } from "@deltacrown/test-harness";
import { Logger, parseCrontab } from "graphile-worker";
import { runJobsOnce } from "./worker-pool.ts";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { crontab } from "../src/crontab.ts";
import { createTaskList, jobBudget, type JobReport } from "../src/index.ts";
import { withTimeout } from "../src/tasks/rankings/with-timeout.ts";

describe("rankings jobs", () => {
  const services = useTestServices();
  let cache: Cache;
  let ownerId: number;
  let seq = 0;

  beforeAll(async () => {
    cache = new Cache({ redis: services.redis });
    await services.db.insertInto("games").values(demoGames).execute();
    ownerId = (
      await services.db
        .insertInto("users")
        .values({ username: "jobowner", email: "o@x.dc", display_name: "O", password_hash: "x" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  });

  const gameId = async (slug: string) =>
    (await services.db.selectFrom("games").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;

  async function teams(slug: string, cps: number[]) {
    const game = await gameId(slug);
    const ids: number[] = [];
    for (const cp of cps) {
      const name = `job-team-${++seq}`;
      const t = await services.db
        .insertInto("teams")
        .values({ slug: name, name, game_id: game, owner_id: ownerId, member_count: 1 })
        .returning("id")
        .executeTakeFirstOrThrow();
      await services.db.insertInto("team_rankings").values({ team_id: t.id, game_id: game, current_cp: cp }).execute();
      ids.push(t.id);
    }
    return { game, ids };
  }

  async function drain() {
    const reports: JobReport[] = [];
    await runJobsOnce({
      connectionString: services.url,
      logger: new Logger(() => () => undefined),
      taskList: createTaskList({ deps: { db: services.db, cache }, onJob: (r) => reports.push(r) }),
    });
    return reports;
  }

  /** The contract: a job costs at most its per-item budget (3 unless declared) per item it processed. */
  function expectWithinItemBudget(report: JobReport, items: number) {
    expect(report.ok, `${report.task} succeeded`).toBe(true);
    expect(
      report.ledger.count,
      `${report.task}: ${report.ledger.count} queries for ${items} items`,
    ).toBeLessThanOrEqual(jobBudget(report.task) * items);
  }

  it("awards a tournament once even when it is completed (enqueued) twice", async () => {
    const { game, ids } = await teams("valorant", [0, 0, 0, 0]);
    const payload = {
      tournamentId: 900,
      gameId: game,
      tier: "premier",
      placements: ids.map((teamId, i) => ({ teamId, placement: i + 1 })),
    };
    await services.db
      .transaction()
      .execute((trx) => enqueue(trx, "rankings/award-tournament", payload, { jobKey: "award:tournament:900" }));
    const first = await drain();
    await services.db
      .transaction()
      .execute((trx) => enqueue(trx, "rankings/award-tournament", payload, { jobKey: "award:tournament:900" }));
    const second = await drain();
    for (const r of [...first, ...second]) expectWithinItemBudget(r, ids.length);
    const cps = await services.db
      .selectFrom("team_rankings")
      .select("current_cp")
      .where("team_id", "in", ids)
      .orderBy("team_id")
      .execute();
    expect(cps.map((c) => c.current_cp)).toEqual([2000, 1400, 1000, 1000]); // placements 3–4 share a band;
  });

  it("fans out one leaderboard job per game, each writing its top to Redis within the item budget", async () => {
    const cs2 = await teams("cs2", [100, 3000, 3000, 700]);
    const lol = await teams("lol", [5000, 10]);
    await enqueue(services.db, "rankings/leaderboards", {});
    const reports = await drain();
    const fanOut = reports.find((r) => r.task === "rankings/leaderboards");
    expect(fanOut?.ledger.count).toBe(1);
    const boards = reports.filter((r) => r.task === "rankings/leaderboard");
    expect(boards.length).toBeGreaterThanOrEqual(2);
    // 2 statements + 2 when tiers changed (notifications): within 3 per ranked team.
    for (const r of boards) expectWithinItemBudget(r, 2);
    const top = await cache.getOrLoad("leaderboard", cs2.game, () => Promise.resolve(undefined));
    expect((top as unknown as { entries: { rank: number }[] }).entries.map((e) => e.rank)).toEqual([1, 1, 3, 4]);
    const lolTop = await cache.getOrLoad("leaderboard", lol.game, () => Promise.resolve(undefined));
    expect((lolTop as unknown as { entries: { tier: string }[] }).entries.map((e) => e.tier)).toEqual([
      "crown",
      "unranked",
    ]);
  });

  it("decays inactive teams through the worker within 3 queries per team", async () => {
    const { ids } = await teams("dota2", [400, 400, 400, 400, 400]);
    await sql`update team_rankings set last_activity_at = now() - interval '40 days' where team_id = any(${ids})`.execute(
      services.db,
    );
    await enqueue(services.db, "rankings/decay", { runId: "job-test", inactiveDays: 14, percent: 10, batchSize: 2 });
    const reports = await drain();
    // One batch per job: 5 teams in batches of 2 → 3 jobs, each ≤ 3 queries for its ≤ 2 teams.
    expect(reports.map((r) => r.task)).toEqual(["rankings/decay", "rankings/decay", "rankings/decay"]);
    for (const r of reports) expectWithinItemBudget(r, 1);
    const cps = await services.db
      .selectFrom("team_rankings")
      .select("current_cp")
      .where("team_id", "in", ids)
      .execute();
    expect(cps.every((c) => c.current_cp === 360)).toBe(true);
  });

  it("a decay job with 2 lanes enqueues one chain per lane, which together decay each team once", async () => {
    const { ids } = await teams("dota2", [500, 500, 500, 500, 500]);
    await sql`update team_rankings set last_activity_at = now() - interval '40 days' where team_id = any(${ids})`.execute(
      services.db,
    );
    await enqueue(services.db, "rankings/decay", {
      runId: "job-lanes",
      inactiveDays: 14,
      percent: 10,
      batchSize: 2,
      lanes: 2,
    });
    const reports = await drain();
    expect(reports[0]?.task).toBe("rankings/decay");
    for (const r of reports) expect(r.ok).toBe(true);
    // The fan-out job plus each lane's batches (a lane ends on a short batch).
    expect(reports.length).toBeGreaterThanOrEqual(3);
    const lanes = await services.db
      .selectFrom("rankings_decay_runs")
      .select(["run_id", "finished_at"])
      .where("run_id", "like", "job-lanes#%")
      .orderBy("run_id")
      .execute();
    expect(lanes.map((l) => l.run_id)).toEqual(["job-lanes#0/2", "job-lanes#1/2"]);
    expect(lanes.every((l) => l.finished_at !== null)).toBe(true);
    const cps = await services.db
      .selectFrom("team_rankings")
      .select("current_cp")
      .where("team_id", "in", ids)
      .execute();
    expect(cps.every((c) => c.current_cp === 450)).toBe(true);
    const ledger = await services.db
      .selectFrom("cp_ledger")
      .select("team_id")
      .where("source_id", "=", "job-lanes")
      .where("team_id", "in", ids)
      .execute();
    expect(ledger).toHaveLength(5);
  });

  it("the crontab schedules the rankings work under stable ids", () => {
    const ids = parseCrontab(crontab).map((item) => item.identifier);
    expect(ids).toEqual(
      expect.arrayContaining(["rankings-leaderboards-5min", "rankings-decay-daily", "cache-warm-teams-15min"]),
    );
  });

  it("a task over its timeout fails (so it is retried with backoff) instead of hanging", async () => {
    await expect(withTimeout("slow", 20, () => new Promise((r) => setTimeout(r, 500)))).rejects.toThrow("timed out");
    await expect(withTimeout("fast", 500, () => Promise.resolve(7))).resolves.toBe(7);
  });
});
