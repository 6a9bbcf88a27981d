import { uniq, type Scenarios } from "./scenario.ts";

/** Query-budget scenarios for the teams router. */
export const teamsScenarios = {
  "teams.create": {
    queries: 5, // session, game+org lookup, team+owner+ranking (one CTE), audit job, detail read
    async run(api) {
      const u = await api.user(uniq("founder"));
      return api.measure(() => u.caller.teams.create({ name: uniq("Budget Team "), gameSlug: "valorant" }));
    },
  },
  "teams.bySlug": {
    queries: 1, // uncached: team, game, org, owner, ranking and roster in one statement
    async run(api) {
      const owner = await api.user(uniq("owner"));
      const team = await api.team(owner, uniq("Detail Team "));
      for (const name of ["p1", "p2", "p3", "p4"]) await api.addMember(owner, team.slug, await api.user(uniq(name)));
      await api.cache.invalidate("teamDetail", team.slug);
      return api.measure(() => api.caller().teams.bySlug({ slug: team.slug }));
    },
  },
  "teams.search": {
    queries: 1,
    async run(api) {
      const owner = await api.user(uniq("searcher"));
      for (const n of ["Alpha", "Alps", "Beta"]) await api.team(owner, uniq(`${n} `), "cs2");
      return api.measure(() => api.caller().teams.search({ gameSlug: "cs2", namePrefix: "al", limit: 10 }));
    },
  },
  "teams.mine": {
    queries: 2, // session, teams (uncached)
    async run(api) {
      const u = await api.user(uniq("multi"));
      for (const n of ["One ", "Two ", "Three "]) await api.team(u, uniq(n));
      await api.cache.invalidate("userTeams", u.user.id);
      return api.measure(() => u.caller.teams.mine());
    },
  },
} satisfies Scenarios<"teams">;
