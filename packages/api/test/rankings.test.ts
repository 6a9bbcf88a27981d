import { Cache, rankings } from "@deltacrown/domain";
import { Redis } from "ioredis";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { uniq } from "./budgets/scenario.ts";
import { testConfig, useApi } from "./support.ts";
import { waitFor } from "@deltacrown/test-harness";

describe("rankings procedures", () => {
  const api = useApi();

  async function setup(gameSlug = "valorant") {
    const staff = await api.user(uniq("staff"));
    await sql`update users set is_staff = true where id = ${staff.user.id}`.execute(api.db);
    const owner = await api.user(uniq("owner"));
    const team = await api.team(owner, uniq("Rk Team "), gameSlug);
    return { staff, owner, team };
  }

  it("adjust: staff only, with a reason, audited, and the team page shows the new CP at once", async () => {
    const { staff, owner, team } = await setup();
    expect((await api.caller().teams.bySlug({ slug: team.slug })).ranking?.currentCp).toBe(0); // cached now
    await expect(
      owner.caller.rankings.adjust({ teamSlug: team.slug, delta: 100, reason: "self-service" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const before = await api.snapshotCounts();
    await expect(staff.caller.rankings.adjust({ teamSlug: team.slug, delta: 100, reason: "" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      staff.caller.rankings.adjust({ teamSlug: team.slug, delta: -5, reason: "below zero" }),
    ).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(await api.snapshotCounts()).toEqual(before);

    const result = await staff.caller.rankings.adjust({ teamSlug: team.slug, delta: 250, reason: "appeal upheld" });
    expect(result.currentCp).toBe(250);
    expect((await api.caller().teams.bySlug({ slug: team.slug })).ranking?.currentCp).toBe(250);
    const job = await sql<{ payload: { action: string; data: { reason: string } } }>`
      select j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'audit/write' and j.payload->>'action' = 'rankings.adjust'`.execute(api.db);
    expect(job.rows.map((r) => r.payload.data.reason)).toContain("appeal upheld");
    const history = await api.caller().rankings.history({ teamSlug: team.slug, limit: 10 });
    expect(history.entries[0]).toMatchObject({ delta: 250, sourceType: "manual", reason: "appeal upheld" });
    await expect(api.caller().rankings.history({ teamSlug: "no-such-team", limit: 10 })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("leaderboard: 0 queries on a cache hit; fresh in every process after the next recompute", async () => {
    const { staff, team } = await setup("lol");
    await staff.caller.rankings.adjust({ teamSlug: team.slug, delta: 600, reason: "seed" });
    const gameId = (await api.caller().games.bySlug({ slug: "lol" })).id;
    await rankings.recomputeLeaderboard({ db: api.db, cache: api.cache }, gameId);

    const hit = await api.measure(() => api.caller().rankings.leaderboard({ gameSlug: "lol", limit: 50 }));
    expect(hit.report.ledger.count).toBe(0);
    expect(hit.result.entries[0]).toMatchObject({ teamSlug: team.slug, cp: 600, tier: "silver" });

    // A second process with its own memory tier reads the same board, then the data changes.
    const url = api.services.redisUrl;
    const connections = [new Redis(url), new Redis(url), new Redis(url), new Redis(url)] as const;
    try {
      const [ra, sa, rb, sb] = connections;
      const writer = new Cache({ redis: ra, subscriber: sa, memoryTtlMs: 60_000 });
      const reader = new Cache({ redis: rb, subscriber: sb, memoryTtlMs: 60_000 });
      await Promise.all([writer.listen(), reader.listen()]);
      const read = () =>
        rankings.leaderboard({ db: api.db, cache: reader, config: testConfig }, { gameSlug: "lol", limit: 50 });
      expect((await read()).entries[0]?.cp).toBe(600);
      await staff.caller.rankings.adjust({ teamSlug: team.slug, delta: 600, reason: "second win" });
      await rankings.recomputeLeaderboard({ db: api.db, cache: writer }, gameId);
      await waitFor(async () => (await read()).entries[0]?.cp === 1200);
      expect((await read()).entries[0]?.tier).toBe("gold");
    } finally {
      for (const c of connections) c.disconnect();
    }
  });

  it("teamRank: a team not yet on the board has no entry; an unknown team is NOT_FOUND", async () => {
    const { team } = await setup("cs2");
    const rank = await api.caller().rankings.teamRank({ teamSlug: team.slug });
    expect(rank).toMatchObject({ teamSlug: team.slug, gameSlug: "cs2", entry: null, neighbourhood: [] });
    await expect(api.caller().rankings.teamRank({ teamSlug: "ghost-team" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("the award job's CP shows on the team page at once (its cached copy is invalidated)", async () => {
    const { team } = await setup("dota2");
    expect((await api.caller().teams.bySlug({ slug: team.slug })).ranking?.currentCp).toBe(0);
    await rankings.awardTournament(
      { db: api.db, cache: api.cache },
      { tournamentId: 4242, gameId: team.game.id, tier: "major", placements: [{ teamId: team.id, placement: 1 }] },
    );
    expect((await api.caller().teams.bySlug({ slug: team.slug })).ranking?.currentCp).toBe(1500);
  });

  it("counts team page views in Redis for the warming job, which rewrites the most viewed pages", async () => {
    const { team } = await setup("valorant");
    for (let i = 0; i < 3; i++) await api.caller().teams.bySlug({ slug: team.slug });
    await waitFor(async () => (await api.cache.topViewed("teamDetail", 100)).includes(team.slug));
    // The page changes behind the cache's back (as if its invalidation were lost): warming rewrites it.
    await sql`update teams set description = 'warmed' where id = ${team.id}`.execute(api.db);
    expect(await rankings.warmTopTeams({ db: api.db, cache: api.cache }, 100)).toBeGreaterThanOrEqual(1);
    expect((await api.caller().teams.bySlug({ slug: team.slug })).description).toBe("warmed");
  });
});
