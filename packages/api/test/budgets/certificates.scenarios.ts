import { allMatches, allPlaced, startedTournament } from "../tournaments/fixtures.ts";
import { type Scenarios } from "./scenario.ts";

/** Query-budget scenarios for the certificates router. */
export const certificatesScenarios = {
  "certificates.verify": {
    queries: 1,
    async run(api) {
      const { organizer, tournament } = await startedTournament(api, 2);
      const [m] = await allMatches(api, tournament.slug);
      await organizer.caller.matches.resolve({ matchId: m!.id, scoreA: 1, scoreB: 0 });
      await organizer.caller.tournaments.complete({ slug: tournament.slug });
      const [c] = await allPlaced((input) => api.caller().tournaments.certificates(input), tournament.slug);
      return api.measure(() => api.caller().certificates.verify({ code: c!.code }));
    },
  },
} satisfies Scenarios<"certificates">;
