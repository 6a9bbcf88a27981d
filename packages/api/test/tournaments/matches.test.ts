import { TRPCError } from "@trpc/server";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { useApi } from "../support.ts";
import { allMatches, allPlaced, openTournament, startedTournament, teamOwner } from "./fixtures.ts";

async function failure(p: Promise<unknown>) {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TRPCError);
  const t = e as TRPCError;
  return { code: t.code, reason: (t.cause as { reason?: string } | undefined)?.reason };
}

describe("matches", () => {
  const api = useApi();

  it("matching reports complete the match and advance the winner; conflicting ones open a dispute", async () => {
    const { organizer, tournament, captainOf, caps } = await startedTournament(api, 4);
    const ready = await allMatches(api, tournament.slug, "ready");
    expect(ready).toHaveLength(2);
    const [m1, m2] = ready as [(typeof ready)[0], (typeof ready)[0]];
    const a1 = captainOf(m1.sideA!.registrationId);
    const b1 = captainOf(m1.sideB!.registrationId);
    // An outsider may not report.
    const outsider = caps.find((c) => c.reg.id !== m1.sideA!.registrationId && c.reg.id !== m1.sideB!.registrationId)!;
    expect(await failure(outsider.caller.matches.report({ matchId: m1.id, scoreA: 1, scoreB: 0 }))).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await failure(a1.caller.matches.report({ matchId: m1.id, scoreA: 1, scoreB: 1 }))).toMatchObject({
      reason: "BAD_SCORE",
    });
    expect((await a1.caller.matches.report({ matchId: m1.id, scoreA: 1, scoreB: 0 })).state).toBe("ready");
    const done = await b1.caller.matches.report({ matchId: m1.id, scoreA: 1, scoreB: 0 });
    expect(done).toMatchObject({ state: "completed", winnerId: m1.sideA!.registrationId });
    expect(await failure(b1.caller.matches.report({ matchId: m1.id, scoreA: 0, scoreB: 1 }))).toMatchObject({
      reason: "MATCH_NOT_READY",
    });

    // Conflicting reports → dispute with evidence; the organizer resolves it.
    await captainOf(m2.sideA!.registrationId).caller.matches.report({
      matchId: m2.id,
      scoreA: 1,
      scoreB: 0,
      evidence: "screenshot A",
    });
    const disputed = await captainOf(m2.sideB!.registrationId).caller.matches.report({
      matchId: m2.id,
      scoreA: 0,
      scoreB: 1,
      evidence: "screenshot B",
    });
    expect(disputed.state).toBe("disputed");
    expect(disputed.reports.map((r) => r.evidence).sort()).toEqual(["screenshot A", "screenshot B"]);
    expect((await allMatches(api, tournament.slug, "disputed")).map((m) => m.id)).toEqual([m2.id]);
    expect(
      await failure(
        captainOf(m2.sideA!.registrationId).caller.matches.resolve({ matchId: m2.id, scoreA: 1, scoreB: 0 }),
      ),
    ).toMatchObject({
      code: "FORBIDDEN",
    });
    await organizer.caller.matches.resolve({ matchId: m2.id, scoreA: 0, scoreB: 1 });
    const final = (await allMatches(api, tournament.slug, "ready"))[0]!;
    expect([final.sideA!.registrationId, final.sideB!.registrationId].sort()).toEqual(
      [m1.sideA!.registrationId, m2.sideB!.registrationId].sort(),
    );
  });

  it("correcting a result resets the matches that depended on it", async () => {
    const { organizer, tournament } = await startedTournament(api, 4, { format: "double_elimination" });
    const play = async () => {
      for (;;) {
        const ready = await allMatches(api, tournament.slug, "ready");
        if (ready.length === 0) return;
        for (const m of ready) await organizer.caller.matches.resolve({ matchId: m.id, scoreA: 1, scoreB: 0 });
      }
    };
    const first = (await allMatches(api, tournament.slug, "ready"))[0]!;
    await organizer.caller.matches.resolve({ matchId: first.id, scoreA: 1, scoreB: 0 });
    await play();
    const all = await allMatches(api, tournament.slug);
    expect(all.every((m) => m.state === "completed" || m.state === "void")).toBe(true);
    // Flip the first winners-bracket result: everything downstream is reset and replayable.
    await organizer.caller.matches.resolve({ matchId: first.id, scoreA: 0, scoreB: 1 });
    const after = await allMatches(api, tournament.slug);
    const reset = after.filter((m) => m.state !== "completed" && m.state !== "void");
    expect(reset.length).toBeGreaterThan(0);
    const w2 = after.find((m) => m.bracket === "winners" && m.round === 2)!;
    expect([w2.sideA?.registrationId, w2.sideB?.registrationId]).toContain(first.sideB!.registrationId);
    await play();
    const gf = (await allMatches(api, tournament.slug)).find((m) => m.bracket === "grand_final" && m.round === 1)!;
    expect(gf.state).toBe("completed");
  });

  it("forfeits, completion: placements stored once, certificates verifiable, one award job", async () => {
    const { organizer, tournament, caps } = await startedTournament(api, 3);
    expect(await failure(organizer.caller.tournaments.complete({ slug: tournament.slug }))).toMatchObject({
      reason: "MATCHES_OPEN",
    });
    for (;;) {
      const ready = await allMatches(api, tournament.slug, "ready");
      if (ready.length === 0) break;
      for (const m of ready) {
        const r = await organizer.caller.matches.resolve({ matchId: m.id, forfeit: "b" });
        expect(r).toMatchObject({ isForfeit: true, winnerId: m.sideA!.registrationId });
      }
    }
    await organizer.caller.tournaments.complete({ slug: tournament.slug });
    const standings = await allPlaced((input) => api.caller().tournaments.standings(input), tournament.slug);
    expect(standings.map((s) => s.placement)).toEqual([1, 2, 3]);
    expect(standings.every((s) => s.final)).toBe(true);
    const certs = await allPlaced((input) => api.caller().tournaments.certificates(input), tournament.slug);
    expect(certs).toHaveLength(3);
    const verified = await api.caller().certificates.verify({ code: certs[0]!.code });
    expect(verified).toMatchObject({ placement: 1, tournament: { slug: tournament.slug } });
    expect(await failure(api.caller().certificates.verify({ code: "ZZZZZZZZZZZZ" }))).toMatchObject({
      code: "NOT_FOUND",
    });
    const jobs = await sql<{ payload: { placements: { teamId: number; placement: number }[] } }>`
      select j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'rankings/award-tournament' and j.key = ${`award:tournament:${tournament.id}`}`.execute(
      api.db,
    );
    expect(jobs.rows).toHaveLength(1);
    expect(jobs.rows[0]!.payload.placements.map((p) => p.placement).sort()).toEqual([1, 2, 3]);
    expect(new Set(jobs.rows[0]!.payload.placements.map((p) => p.teamId))).toEqual(new Set(caps.map((c) => c.team.id)));
    expect(await failure(organizer.caller.tournaments.complete({ slug: tournament.slug }))).toMatchObject({
      reason: "ILLEGAL_TRANSITION",
    });
  });

  it("Swiss: rounds paired by score without rematches until the last round", async () => {
    const { organizer, tournament } = await startedTournament(api, 6, { format: "swiss" });
    const seen = new Set<string>();
    for (let round = 1; round <= 3; round++) {
      const ready = await allMatches(api, tournament.slug, "ready");
      expect(ready).toHaveLength(3);
      for (const m of ready) {
        const pair = [m.sideA!.registrationId, m.sideB!.registrationId].sort().join("-");
        expect(seen.has(pair)).toBe(false);
        seen.add(pair);
        await organizer.caller.matches.resolve({ matchId: m.id, scoreA: 1, scoreB: 0 });
      }
      if (round < 3)
        expect((await organizer.caller.matches.nextSwissRound({ slug: tournament.slug })).round).toBe(round + 1);
    }
    expect(await failure(organizer.caller.matches.nextSwissRound({ slug: tournament.slug }))).toMatchObject({
      reason: "ROUNDS_DONE",
    });
    await organizer.caller.tournaments.complete({ slug: tournament.slug });
    const standings = await allPlaced((input) => api.caller().tournaments.standings(input), tournament.slug);
    expect(standings[0]!.wins).toBe(3);
    expect(standings.map((s) => s.placement)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe("bracket generation", () => {
  const api = useApi();

  it("drops confirmed entries that did not check in, and seeds manually when asked", async () => {
    const now = Date.now();
    const { organizer, tournament } = await openTournament(api, {
      checkinOpensAt: new Date(now - 60_000),
      checkinClosesAt: new Date(now + 3_600_000),
      settings: { seeding: "manual" },
    });
    const regs = [];
    for (let i = 0; i < 4; i++) {
      const cap = await teamOwner(api);
      const reg = await cap.caller.registrations.register({
        tournamentSlug: tournament.slug,
        teamSlug: cap.team.slug,
        fields: {},
      });
      await organizer.caller.registrations.review({ registrationId: reg.id, decision: "confirm" });
      if (i > 0) await cap.caller.registrations.checkIn({ registrationId: reg.id });
      regs.push(reg);
    }
    // The last entrant is seeded first: it gets the bye of a three-entry bracket.
    await organizer.caller.registrations.setSeed({ registrationId: regs[3]!.id, seed: 1 });
    await organizer.caller.tournaments.closeRegistration({ slug: tournament.slug });
    await organizer.caller.tournaments.start({ slug: tournament.slug });
    const dropped = await organizer.caller.registrations.manage({
      tournamentSlug: tournament.slug,
      status: "dropped",
      limit: 10,
    });
    expect(dropped.items.map((r) => r.id)).toEqual([regs[0]!.id]);
    const matches = await allMatches(api, tournament.slug);
    expect(matches).toHaveLength(2);
    const ready = matches.filter((m) => m.state === "ready");
    expect(ready).toHaveLength(1);
    const final = matches.find((m) => m.state === "pending")!;
    expect(final.sideA?.registrationId).toBe(regs[3]!.id);
    expect(
      await failure(organizer.caller.registrations.setSeed({ registrationId: regs[1]!.id, seed: 2 })),
    ).toMatchObject({
      reason: "TOURNAMENT_STARTED",
    });
  });
});

describe("organizer views", () => {
  const api = useApi();

  it("dashboard counts pending entries, payments to verify and disputes; health is organizer-only; both read live", async () => {
    const { organizer, tournament, captainOf } = await startedTournament(api, 4);
    const [m] = await allMatches(api, tournament.slug, "ready");
    await captainOf(m!.sideA!.registrationId).caller.matches.report({ matchId: m!.id, scoreA: 1, scoreB: 0 });
    await captainOf(m!.sideB!.registrationId).caller.matches.report({ matchId: m!.id, scoreA: 0, scoreB: 1 });
    const dash = await organizer.caller.tournaments.dashboard();
    expect(dash).toMatchObject({ tournamentsByStatus: { in_progress: 1 }, disputesOpen: 1, registrationsPending: 0 });
    expect(dash.upcoming.map((u) => u.slug)).toEqual([tournament.slug]);
    const health = await organizer.caller.tournaments.health({ slug: tournament.slug });
    expect(health).toMatchObject({ confirmed: 4, disputesOpen: 1, totalMatches: 3, matchesReady: 1 });
    const stranger = captainOf(m!.sideA!.registrationId);
    expect(await failure(stranger.caller.tournaments.health({ slug: tournament.slug }))).toMatchObject({
      code: "FORBIDDEN",
    });
    // Read live (they were cached with no writer invalidating them): the resolution shows at once.
    await organizer.caller.matches.resolve({ matchId: m!.id, scoreA: 1, scoreB: 0 });
    const { result, report } = await api.measure(() => organizer.caller.tournaments.health({ slug: tournament.slug }));
    expect(result).toMatchObject({ disputesOpen: 0, completedMatches: 1 });
    expect(report.ledger.count).toBe(3);
    expect(await organizer.caller.tournaments.dashboard()).toMatchObject({ disputesOpen: 0 });
  });
});
