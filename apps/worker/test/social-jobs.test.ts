/**
 * Issue 17: achievements are awarded exactly once — under a failed first attempt retried by
 * graphile-worker, duplicate jobs and concurrent runs — and announced once to each follower.
 */
import { Cache, demoGames, enqueue, social } from "@deltacrown/domain";
import { useTestServices } from "@deltacrown/test-harness";
import { Logger } from "graphile-worker";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { createTaskList, jobBudget, type JobReport } from "../src/index.ts";
import { runJobsOnce } from "./worker-pool.ts";

describe("social jobs", () => {
  const services = useTestServices();
  let cache: Cache;
  let seq = 0;

  beforeAll(async () => {
    cache = new Cache({ redis: services.redis });
    await services.db.insertInto("games").values(demoGames).execute();
  });

  async function user() {
    const name = `sj-user-${++seq}`;
    return (
      await services.db
        .insertInto("users")
        .values({ username: name, email: `${name}@x.dc`, display_name: name, password_hash: "x" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  }

  async function team(cp: number, streak = 0) {
    const game = (
      await services.db.selectFrom("games").select("id").where("slug", "=", "valorant").executeTakeFirstOrThrow()
    ).id;
    const owner = await user();
    const slug = `sj-team-${++seq}`;
    const t = await services.db
      .insertInto("teams")
      .values({ slug, name: slug, game_id: game, owner_id: owner, member_count: 1 })
      .returning("id")
      .executeTakeFirstOrThrow();
    await services.db
      .insertInto("team_rankings")
      .values({ team_id: t.id, game_id: game, current_cp: cp, hot_streak: streak })
      .execute();
    return { id: t.id, game, slug };
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

  const counts = async (teamIds: number[]) => {
    const { rows } = await sql<{ achievements: number; notifications: number }>`select
      (select count(*)::int from team_achievements where team_id = any(${teamIds}::int[])) as achievements,
      (select count(*)::int from notifications where kind = 'team.achievement'
         and (payload->>'teamSlug') in (select slug from teams where id = any(${teamIds}::int[]))) as notifications`.execute(
      services.db,
    );
    return rows[0]!;
  };

  it("awards a tournament podium exactly once: a failed attempt retried, duplicate jobs, concurrent runs", async () => {
    const teams = [await team(0), await team(0), await team(0), await team(0)];
    const fans = [await user(), await user()];
    for (const f of fans)
      await services.db.insertInto("team_follows").values({ team_id: teams[0]!.id, user_id: f }).execute();
    const payload = {
      tournamentId: 4242,
      gameId: teams[0]!.game,
      tier: "premier",
      placements: teams.map((t, i) => ({ teamId: t.id, placement: i + 1 })),
    };
    // The first attempt of the achievements job fails inside its statement (after the inserts).
    await sql`create table sj_fail_once (x int)`.execute(services.db);
    await sql`insert into sj_fail_once values (1)`.execute(services.db);
    await sql`create function sj_fail() returns trigger language plpgsql as $$
      begin if exists (select 1 from sj_fail_once) then raise exception 'injected failure'; end if; return new; end $$`.execute(
      services.db,
    );
    await sql`create trigger sj_fail before insert on notifications for each row when (new.kind = 'team.achievement') execute function sj_fail()`.execute(
      services.db,
    );
    await services.db
      .transaction()
      .execute((trx) => enqueue(trx, "rankings/award-tournament", payload, { jobKey: "award:tournament:4242" }));
    const first = await drain();
    expect(first.find((r) => r.task === "social/award-achievements")?.ok).toBe(false);
    expect(await counts(teams.map((t) => t.id))).toEqual({ achievements: 0, notifications: 0 });

    await sql`delete from sj_fail_once`.execute(services.db);
    await sql`update graphile_worker._private_jobs set run_at = now() where task_id = (select id from graphile_worker._private_tasks where identifier = 'social/award-achievements')`.execute(
      services.db,
    );
    const retried = await drain();
    const ok = retried.filter((r) => r.task === "social/award-achievements");
    expect(ok.map((r) => r.ok)).toEqual([true]);
    for (const r of ok) expect(r.ledger.count).toBeLessThanOrEqual(jobBudget(r.task));
    expect(await counts(teams.map((t) => t.id))).toEqual({ achievements: 3, notifications: 2 });

    // The award completed twice, a duplicate job under another key, and two runs at once: nothing more.
    await services.db
      .transaction()
      .execute((trx) => enqueue(trx, "rankings/award-tournament", payload, { jobKey: "award:tournament:4242" }));
    await enqueue(
      services.db,
      "social/award-achievements",
      { tournament: { id: 4242, placements: payload.placements } },
      { jobKey: "dup" },
    );
    await drain();
    const job = { tournament: { id: 4242, placements: payload.placements }, sinceMinutes: 15 };
    await Promise.all([
      social.awardAchievements({ db: services.db }, job),
      social.awardAchievements({ db: services.db }, job),
    ]);
    expect(await counts(teams.map((t) => t.id))).toEqual({ achievements: 3, notifications: 2 });
    const titles = await services.db
      .selectFrom("team_achievements")
      .select(["team_id", "title"])
      .where("team_id", "=", teams[0]!.id)
      .execute();
    expect(titles.map((t) => t.title)).toEqual(["1st place in tournament #4242"]);
  });

  it("the crontab scan awards CP milestones, tiers and hot streaks once", async () => {
    const t = await team(2600, 5);
    await sql`update team_rankings set tier = 'silver' where team_id = ${t.id}`.execute(services.db);
    await enqueue(services.db, "social/award-achievements", { sinceMinutes: 15 });
    await enqueue(services.db, "social/award-achievements", { sinceMinutes: 15 }, { jobKey: "again" });
    await drain();
    const rows = await services.db
      .selectFrom("team_achievements")
      .select(["kind", "key"])
      .where("team_id", "=", t.id)
      .orderBy("kind")
      .orderBy("key")
      .execute();
    expect(rows.map((r) => `${r.kind}:${r.key}`)).toEqual([
      "cp_milestone:1000",
      "cp_milestone:2500",
      "hot_streak:3",
      "hot_streak:5",
      "tier_reached:silver",
    ]);
  });
});
