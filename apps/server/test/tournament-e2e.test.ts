/**
 * Whole tournaments, only through @deltacrown/client against the real server on a random port:
 * a 17-team double elimination and an 8-team Swiss, from creation to verified certificates.
 */
import { createClient, type RouterOutputs } from "@deltacrown/client";
import { demoGames } from "@deltacrown/domain";
import { installOpenHandleCheck, useTestServices } from "@deltacrown/test-harness";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { startTestPlatform } from "./platform.support.ts";

installOpenHandleCheck();

type Client = ReturnType<typeof createClient>;
type Match = RouterOutputs["matches"]["list"]["items"][number];

describe("tournaments end to end through the typed client", () => {
  const services = useTestServices();

  async function withPlatform(fn: (url: string) => Promise<void>) {
    const platform = await startTestPlatform(services);
    try {
      await fn(platform.url);
    } finally {
      await platform.close();
    }
  }

  async function signUp(url: string, username: string): Promise<Client> {
    const session: { token?: string } = {};
    const client = createClient({ url, token: () => session.token });
    session.token = (
      await client.identity.signUp.mutate({ username, email: `${username}@e2e.dc`, password: "long-enough-pw" })
    ).token;
    return client;
  }

  /** Organizer creates and opens a tournament; `n` captains register their teams; all confirmed. */
  async function setUp(url: string, prefix: string, n: number, format: "double_elimination" | "swiss") {
    const organizer = await signUp(url, `${prefix}org`);
    const now = Date.now();
    const t = await organizer.tournaments.create.mutate({
      name: `${prefix} Open`,
      gameSlug: "valorant",
      format,
      participantType: "team",
      capacity: n,
      teamSize: 1,
      tier: "major",
      registrationOpensAt: new Date(now - 60_000),
      registrationClosesAt: new Date(now + 3_600_000),
      startsAt: new Date(now + 7_200_000),
      settings: { bestOf: 3, grandFinalReset: true, seeding: "registration" },
      customFields: [{ key: "riot_id", label: "Riot ID", kind: "in_game_id", required: true }],
      sponsors: [{ name: "Crown Energy" }],
    });
    await organizer.tournaments.publish.mutate({ slug: t.slug });
    await organizer.tournaments.openRegistration.mutate({ slug: t.slug });
    const captains = new Map<number, Client>();
    for (let i = 0; i < n; i++) {
      const cap = await signUp(url, `${prefix}cap${i}`);
      const team = await cap.teams.create.mutate({ name: `${prefix} Team ${i}`, gameSlug: "valorant" });
      const reg = await cap.registrations.register.mutate({
        tournamentSlug: t.slug,
        teamSlug: team.slug,
        fields: { riot_id: `Player${i}#EUW` },
      });
      await organizer.registrations.review.mutate({ registrationId: reg.id, decision: "confirm" });
      captains.set(reg.id, cap);
    }
    const detail = await organizer.tournaments.bySlug.query({ slug: t.slug });
    expect(detail.counts.confirmed).toBe(n);
    await organizer.tournaments.closeRegistration.mutate({ slug: t.slug });
    await organizer.tournaments.start.mutate({ slug: t.slug });
    return { organizer, slug: t.slug, id: t.id, captains };
  }

  /** Both sides report 2-1 for side A (or 1-2 when `aLoses`), game by game. */
  async function playOut(m: Match, captains: Map<number, Client>, aWins: boolean) {
    const score = aWins
      ? {
          scoreA: 2,
          scoreB: 1,
          games: [
            { a: 13, b: 9 },
            { a: 8, b: 13 },
            { a: 13, b: 11 },
          ],
        }
      : {
          scoreA: 1,
          scoreB: 2,
          games: [
            { a: 13, b: 9 },
            { a: 8, b: 13 },
            { a: 11, b: 13 },
          ],
        };
    await captains.get(m.sideA!.registrationId)!.matches.report.mutate({ matchId: m.id, ...score });
    const done = await captains.get(m.sideB!.registrationId)!.matches.report.mutate({ matchId: m.id, ...score });
    expect(done.state).toBe("completed");
  }

  async function finishAndVerify(organizer: Client, slug: string, id: number, n: number) {
    await organizer.tournaments.complete.mutate({ slug });
    const standings = (await organizer.tournaments.standings.query({ slug, limit: 50 })).items;
    expect(standings).toHaveLength(n);
    expect(standings[0]!.placement).toBe(1);
    expect(standings.every((s) => s.final)).toBe(true);
    const certs = (await organizer.tournaments.certificates.query({ slug, limit: 50 })).items;
    expect(certs).toHaveLength(n);
    const jobs = await sql<{ n: number }>`
      select count(*)::int as n from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'rankings/award-tournament' and j.key = ${`award:tournament:${id}`}`.execute(services.db);
    expect(jobs.rows[0]!.n).toBe(1);
    return certs;
  }

  it("runs a 17-team double elimination from creation to certificates", async () => {
    await services.db.insertInto("games").values(demoGames).execute();
    await withPlatform(async (url) => {
      const { organizer, slug, id, captains } = await setUp(url, "de", 17, "double_elimination");
      let played = 0;
      for (;;) {
        const ready = (await organizer.matches.list.query({ tournamentSlug: slug, state: "ready", limit: 50 })).items;
        if (ready.length === 0) break;
        // The better seed (earlier registration) wins, except one upset per round in the winners bracket.
        for (const m of ready)
          await playOut(m, captains, !(m.bracket === "winners" && m.position === 1 && m.round === 1));
        played += ready.length;
      }
      expect(played).toBe(2 * 17 - 2); // the grand final was won from the winners side: no reset
      const all = (await organizer.matches.list.query({ tournamentSlug: slug, limit: 50 })).items;
      expect(all.filter((m) => m.state === "void").map((m) => m.bracket)).toEqual(["grand_final"]);
      const certs = await finishAndVerify(organizer, slug, id, 17);
      const publicClient = createClient({ url });
      const checked = await publicClient.certificates.verify.query({ code: certs[0]!.code });
      expect(checked).toMatchObject({ placement: 1, tournament: { slug, tier: "major" } });
    });
  });

  it("runs an 8-team Swiss from creation to certificates", async () => {
    await services.db
      .insertInto("games")
      .values(demoGames)
      .onConflict((oc) => oc.doNothing())
      .execute();
    await withPlatform(async (url) => {
      const { organizer, slug, id, captains } = await setUp(url, "sw", 8, "swiss");
      const pairs = new Set<string>();
      for (let round = 1; round <= 3; round++) {
        const ready = (await organizer.matches.list.query({ tournamentSlug: slug, state: "ready", limit: 50 })).items;
        expect(ready).toHaveLength(4);
        for (const m of ready) {
          const key = [m.sideA!.registrationId, m.sideB!.registrationId].sort().join("-");
          expect(pairs.has(key)).toBe(false);
          pairs.add(key);
          await playOut(m, captains, true);
        }
        if (round < 3) await organizer.matches.nextSwissRound.mutate({ slug });
      }
      const certs = await finishAndVerify(organizer, slug, id, 8);
      const standings = (await organizer.tournaments.standings.query({ slug, limit: 50 })).items;
      expect(standings[0]!.wins).toBe(3);
      const checked = await createClient({ url }).certificates.verify.query({ code: certs.at(-1)!.code });
      expect(checked.tournament.slug).toBe(slug);
    });
  });
});
