import { rankings } from "@deltacrown/domain";
import { sql } from "kysely";
import type { Api } from "../api-harness.ts";
import { uniq, type Scenarios } from "./scenario.ts";

async function rankedTeams(api: Api, gameSlug = "dota2") {
  const staff = await api.user(uniq("rkstaff"));
  await sql`update users set is_staff = true where id = ${staff.user.id}`.execute(api.db);
  const owner = await api.user(uniq("rkowner"));
  const teams = [];
  for (const cp of [300, 1200, 1200]) {
    const team = await api.team(owner, uniq("Ranked "), gameSlug);
    await staff.caller.rankings.adjust({ teamSlug: team.slug, delta: cp, reason: "budget scenario" });
    teams.push(team);
  }
  const gameId = teams[0]!.game.id;
  await rankings.recomputeLeaderboard({ db: api.db, cache: api.cache }, gameId);
  return { staff, owner, teams, gameId };
}

/** Query-budget scenarios for the rankings router. */
export const rankingsScenarios = {
  "rankings.leaderboard": {
    queries: 2, // cache miss: game, cached top 100 from the snapshot (0 on a hit)
    async run(api) {
      const { gameId } = await rankedTeams(api);
      await api.cache.invalidate("game", "dota2");
      await api.cache.invalidate("leaderboard", gameId);
      return api.measure(() => api.caller().rankings.leaderboard({ gameSlug: "dota2", limit: 50 }));
    },
  },
  "rankings.teamRank": {
    queries: 1, // team, its snapshot row and two neighbours each side in one statement
    async run(api) {
      const { teams } = await rankedTeams(api);
      return api.measure(() => api.caller().rankings.teamRank({ teamSlug: teams[1]!.slug }));
    },
  },
  "rankings.history": {
    queries: 1, // ledger rows joined to the team by slug
    async run(api) {
      const { teams } = await rankedTeams(api);
      return api.measure(() => api.caller().rankings.history({ teamSlug: teams[0]!.slug, limit: 20 }));
    },
  },
  "rankings.adjust": {
    queries: 4, // session, team + ranking, ledger row + current_cp (one CTE), audit job
    async run(api) {
      const { staff, teams } = await rankedTeams(api);
      return api.measure(() =>
        staff.caller.rankings.adjust({ teamSlug: teams[0]!.slug, delta: -50, reason: "rules penalty" }),
      );
    },
  },
} satisfies Scenarios<"rankings">;
