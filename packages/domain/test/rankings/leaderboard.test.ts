import { useTestServices } from "@deltacrown/test-harness";
import { describe, expect, it } from "vitest";
import { Cache } from "../../src/cache/cache.ts";
import { defaultDomainConfig } from "../../src/shared/deps.ts";
import { recomputeLeaderboard } from "../../src/rankings/leaderboard.job.ts";
import { leaderboard, teamRank } from "../../src/rankings/leaderboard.service.ts";
import { tierFor, TIERS } from "../../src/rankings/points.ts";
import { seedTeams } from "./support.ts";

describe("leaderboard", () => {
  const services = useTestServices();
  const deps = () => ({ db: services.db, cache: new Cache({ redis: services.redis }), config: defaultDomainConfig });

  it("puts tier boundaries exactly at the documented thresholds", () => {
    for (const { tier, minCp } of TIERS) {
      expect(tierFor(minCp)).toBe(tier);
      expect(tierFor(minCp - 1)).not.toBe(tier);
    }
    expect(tierFor(0)).toBe("unranked");
    expect(tierFor(99)).toBe("unranked");
  });

  it("ranks with shared ranks for ties, keeps the previous rank, and recomputes tiers with a notification", async () => {
    const { gameId, ownerId, teams } = await seedTeams(services.db, [500, 5000, 500, 99, 1800], "lol");
    const d = deps();
    const first = await recomputeLeaderboard(d, gameId);
    expect(first.teams).toBe(5);
    expect(first.top.entries.map((e) => [e.teamId, e.rank, e.tier, e.previousRank])).toEqual([
      [teams[1]!.id, 1, "crown", null],
      [teams[4]!.id, 2, "platinum", null],
      [teams[0]!.id, 3, "silver", null],
      [teams[2]!.id, 3, "silver", null],
      [teams[3]!.id, 5, "unranked", null],
    ]);
    // 4 tier changes from 'unranked' (the one at 99 stays unranked): 4 notifications to the owner.
    expect(first.tierChanges).toBe(4);
    const notes = await services.db
      .selectFrom("notifications")
      .select(["kind", "payload"])
      .where("user_id", "=", ownerId)
      .execute();
    expect(notes).toHaveLength(4);
    expect(notes.every((n) => n.kind === "rankings.tier_changed")).toBe(true);

    // The last team overtakes everyone: movement shows through previousRank.
    await services.db
      .updateTable("team_rankings")
      .set({ current_cp: 9000 })
      .where("team_id", "=", teams[3]!.id)
      .execute();
    const second = await recomputeLeaderboard(d, gameId);
    expect(second.top.entries[0]).toMatchObject({ teamId: teams[3]!.id, rank: 1, previousRank: 5, tier: "crown" });
    expect(second.tierChanges).toBe(1);
    const ranking = await services.db
      .selectFrom("team_rankings")
      .select("rank")
      .where("team_id", "=", teams[3]!.id)
      .executeTakeFirstOrThrow();
    expect(ranking.rank).toBe(1);
  });

  it("serves the cached top, filters by tier, pages by cursor and gives a team's neighbourhood", async () => {
    const cps = Array.from({ length: 130 }, (_, i) => 100 + i * 10);
    const { gameId, teams } = await seedTeams(services.db, cps, "cs2");
    const d = deps();
    await recomputeLeaderboard(d, gameId);

    const page1 = await leaderboard(d, { gameSlug: "cs2", limit: 50 });
    expect(page1.entries.map((e) => e.rank)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const seen = [...page1.entries];
    let cursor = page1.nextCursor;
    while (cursor) {
      const page = await leaderboard(d, { gameSlug: "cs2", limit: 50, cursor });
      seen.push(...page.entries);
      cursor = page.nextCursor;
    }
    expect(seen.map((e) => e.rank)).toEqual(Array.from({ length: 130 }, (_, i) => i + 1));

    const silver = await leaderboard(d, { gameSlug: "cs2", tier: "silver", limit: 50 });
    expect(silver.entries.length).toBe(50); // CP 500..990 → 50 teams
    expect(silver.entries.every((e) => e.tier === "silver")).toBe(true);

    const me = await teamRank(d, teams[64]!.slug);
    expect(me.entry?.rank).toBe(130 - 64);
    expect(me.neighbourhood.map((n) => n.rank)).toEqual([64, 65, 66, 67, 68]);
    const top = await teamRank(d, teams[129]!.slug);
    expect(top.neighbourhood.map((n) => n.rank)).toEqual([1, 2, 3]);
  });
});
