/**
 * Every writer of a value shown on the cached team page invalidates it: a match result (hot
 * streak), the tournament award (CP), the leaderboard job (tier and rank) and the CP decay. Each
 * writer runs for real — the match through the typed client, the jobs through a worker with its
 * own cache connection, as a separate worker process would — and the next read of the page
 * through the client shows what the database holds. Before, all but the award left the page
 * stale for its whole TTL (10 min).
 */
import { createClient } from "@deltacrown/client";
import { Cache, demoGames, enqueue } from "@deltacrown/domain";
import { installOpenHandleCheck, useTestServices, waitFor } from "@deltacrown/test-harness";
import { createTaskList } from "@deltacrown/worker";
import { Logger, runOnce } from "graphile-worker";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { startTestPlatform } from "./platform.support.ts";

installOpenHandleCheck();

describe("the cached team page after each writer", () => {
  const services = useTestServices();

  it("is fresh after a match result, the award, the tier and rank recompute, and the decay", async () => {
    await services.db.insertInto("games").values(demoGames).execute();
    const p = await startTestPlatform(services);
    const workerRedis = new Redis(services.redisUrl, { maxRetriesPerRequest: 2 });
    const workerCache = new Cache({ redis: workerRedis });
    const worker = () =>
      runOnce({
        connectionString: services.url,
        logger: new Logger(() => () => undefined),
        taskList: createTaskList({ deps: { db: services.db, cache: workerCache } }),
      });
    try {
      const signUp = async (username: string) => {
        const { token } = await createClient({ url: p.url }).identity.signUp.mutate({
          username,
          email: `${username}@dc.gg`,
          password: "long-enough-pw",
        });
        return createClient({ url: p.url, token });
      };
      const organizer = await signUp("host");
      const now = Date.now();
      const t = await organizer.tournaments.create.mutate({
        name: "Fresh Cup",
        gameSlug: "valorant",
        format: "single_elimination",
        participantType: "team",
        capacity: 2,
        teamSize: 1,
        tier: "major",
        registrationOpensAt: new Date(now - 60_000),
        registrationClosesAt: new Date(now + 3_600_000),
        startsAt: new Date(now + 7_200_000),
        settings: { bestOf: 1 },
      });
      await organizer.tournaments.publish.mutate({ slug: t.slug });
      await organizer.tournaments.openRegistration.mutate({ slug: t.slug });
      const sides = new Map<number, ReturnType<typeof createClient>>();
      const slugs: string[] = [];
      for (const name of ["Alpha", "Bravo"]) {
        const captain = await signUp(name.toLowerCase());
        const team = await captain.teams.create.mutate({ name: `${name} Squad`, gameSlug: "valorant" });
        const reg = await captain.registrations.register.mutate({ tournamentSlug: t.slug, teamSlug: team.slug });
        await organizer.registrations.review.mutate({ registrationId: reg.id, decision: "confirm" });
        sides.set(reg.id, captain);
        slugs.push(team.slug);
      }
      await organizer.tournaments.closeRegistration.mutate({ slug: t.slug });
      await organizer.tournaments.start.mutate({ slug: t.slug });

      const reader = createClient({ url: p.url });
      const page = (slug: string) => reader.teams.bySlug.query({ slug });
      /** The page shows what the database holds (polled briefly: other processes learn by pub/sub). */
      const expectFresh = async (slug: string) => {
        const row = await services.db
          .selectFrom("team_rankings as r")
          .innerJoin("teams as t", "t.id", "r.team_id")
          .select(["r.current_cp", "r.tier", "r.hot_streak", "r.rank"])
          .where("t.slug", "=", slug)
          .executeTakeFirstOrThrow();
        const want = { currentCp: row.current_cp, tier: row.tier, hotStreak: row.hot_streak, rank: row.rank };
        const seen = await waitFor(
          async () => {
            const ranking = (await page(slug)).ranking;
            return JSON.stringify(ranking && { ...want, ...ranking }) === JSON.stringify(ranking && want) && ranking;
          },
          // Generous: the invalidation reaches this process through Redis, slow on a busy machine.
          { timeoutMs: 20_000, intervalMs: 50 },
        ).catch(async () => (await page(slug)).ranking);
        expect(seen).toMatchObject(want);
        return want;
      };
      const warm = () => Promise.all(slugs.map(page)); // both pages cached before each writer

      // 1. A match result: the winner's streak grows.
      await warm();
      const [match] = (await organizer.matches.list.query({ tournamentSlug: t.slug })).items;
      const score = { scoreA: 1, scoreB: 0, games: [{ a: 13, b: 7 }] };
      await sides.get(match!.sideA!.registrationId)!.matches.report.mutate({ matchId: match!.id, ...score });
      await sides.get(match!.sideB!.registrationId)!.matches.report.mutate({ matchId: match!.id, ...score });
      // Side A won 1-0; its name is the team's.
      const winner = slugs[["Alpha Squad", "Bravo Squad"].indexOf(match!.sideA!.name)]!;
      expect((await expectFresh(winner)).hotStreak).toBe(1);

      // 2. The award job (queued by completion): CP by placement.
      await warm();
      await organizer.tournaments.complete.mutate({ slug: t.slug });
      await worker();
      expect((await expectFresh(winner)).currentCp).toBe(1500);

      // 3. The leaderboard job: tiers and ranks.
      await warm();
      const game = await services.db
        .selectFrom("games")
        .select("id")
        .where("slug", "=", "valorant")
        .executeTakeFirstOrThrow();
      await enqueue(services.db, "rankings/leaderboard", { gameId: game.id });
      await worker();
      expect(await expectFresh(winner)).toMatchObject({ tier: "gold", rank: 1 });
      await expectFresh(slugs.find((s) => s !== winner)!);

      // 4. The decay of inactive teams.
      await warm();
      await services.db
        .updateTable("team_rankings")
        .set({ last_activity_at: new Date(now - 40 * 86_400_000) })
        .execute();
      await enqueue(services.db, "rankings/decay", { runId: "fresh-test", inactiveDays: 14, percent: 10 });
      await worker();
      expect((await expectFresh(winner)).currentCp).toBe(1350);
    } finally {
      await p.close();
      await workerRedis.quit();
    }
  });
});
