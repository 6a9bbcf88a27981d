import type { Scenarios } from "./scenario.ts";

/** Query-budget scenarios for the games router. */
export const gamesScenarios = {
  "games.list": {
    queries: 1,
    async run(api) {
      await api.cache.invalidate("gameList", "all");
      return api.measure(() => api.caller().games.list());
    },
  },
  "games.bySlug": {
    queries: 1,
    async run(api) {
      await api.cache.invalidate("game", "cs2");
      return api.measure(() => api.caller().games.bySlug({ slug: "cs2" }));
    },
  },
} satisfies Scenarios<"games">;
