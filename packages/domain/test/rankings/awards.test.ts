import { useTestServices } from "@deltacrown/test-harness";
import { describe, expect, it } from "vitest";
import { awardTournament, recordMatchResult } from "../../src/rankings/awards.ts";
import { recomputeAndCompare } from "../../src/rankings/ledger.ts";
import { MATCH_WIN_CP, placementCp } from "../../src/rankings/points.ts";
import { seedTeams } from "./support.ts";

describe("rankings awards", () => {
  const services = useTestServices();

  it("awards CP by placement × tournament tier, once, even when the tournament completes twice", async () => {
    const { gameId, teams } = await seedTeams(services.db, [0, 0, 0]);
    const award = {
      tournamentId: 77,
      gameId,
      tier: "A",
      placements: teams.map((t, i) => ({ teamId: t.id, placement: i + 1 })),
    };
    const first = await awardTournament({ db: services.db }, award);
    expect(first.map((a) => a.delta)).toEqual([1500, 1050, 750]);
    const second = await awardTournament({ db: services.db }, award);
    expect(second).toEqual([]);
    const cps = await services.db
      .selectFrom("team_rankings")
      .select(["team_id", "current_cp"])
      .where("game_id", "=", gameId)
      .orderBy("team_id")
      .execute();
    expect(cps.map((r) => r.current_cp)).toEqual([1500, 1050, 750]);
    const ledger = await services.db.selectFrom("cp_ledger").select("delta").where("source_id", "=", "77").execute();
    expect(ledger).toHaveLength(3);
    expect(await recomputeAndCompare(services.db, { gameId })).toEqual([]);
  });

  it("scales by the documented table", () => {
    expect(placementCp(1, "premier")).toBe(2000);
    expect(placementCp(3, "b")).toBe(500);
    expect(placementCp(9, "community")).toBe(75);
    expect(placementCp(40, "unknown-tier")).toBe(50);
  });

  it("grows the winner's hot streak, resets the loser's, and credits a match win once", async () => {
    const { gameId, teams } = await seedTeams(services.db, [0, 0]);
    const [a, b] = [teams[0]!.id, teams[1]!.id];
    const play = (winner: number, loser: number, matchId: number) =>
      services.db
        .transaction()
        .execute((trx) => recordMatchResult(trx, { gameId, winnerTeamId: winner, loserTeamId: loser, matchId }));
    await play(a, b, 1);
    await play(a, b, 2);
    await play(a, b, 2); // the same match reported twice: streak moves, CP does not
    const streaks = async () =>
      (
        await services.db
          .selectFrom("team_rankings")
          .select(["team_id", "hot_streak", "current_cp"])
          .where("team_id", "in", [a, b])
          .orderBy("team_id")
          .execute()
      ).map((r) => [r.hot_streak, r.current_cp]);
    expect(await streaks()).toEqual([
      [3, 2 * MATCH_WIN_CP],
      [0, 0],
    ]);
    await play(b, a, 3);
    expect(await streaks()).toEqual([
      [0, 2 * MATCH_WIN_CP],
      [1, MATCH_WIN_CP],
    ]);
    expect(await recomputeAndCompare(services.db, { gameId })).toEqual([]);
  });

  it("recompute-and-compare reports a precomputed sum that drifted from the ledger", async () => {
    const { gameId, teams } = await seedTeams(services.db, [0]);
    await awardTournament(
      { db: services.db },
      { tournamentId: 5, gameId, tier: "b", placements: [{ teamId: teams[0]!.id, placement: 2 }] },
    );
    await services.db.updateTable("team_rankings").set({ current_cp: 1 }).where("team_id", "=", teams[0]!.id).execute();
    expect(await recomputeAndCompare(services.db, { gameId })).toEqual([
      { teamId: teams[0]!.id, gameId, currentCp: 1, ledgerCp: 700 },
    ]);
  });
});
