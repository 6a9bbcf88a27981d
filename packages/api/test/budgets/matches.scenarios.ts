import { allMatches, startedTournament } from "../tournaments/fixtures.ts";
import { type Scenarios } from "./scenario.ts";

/** Query-budget scenarios for the matches router. */
export const matchesScenarios = {
  "matches.list": {
    queries: 1, // matches with both sides' names and reports, one statement
    async run(api) {
      const { tournament } = await startedTournament(api, 5, { format: "double_elimination" });
      return api.measure(() => api.caller().matches.list({ tournamentSlug: tournament.slug }));
    },
  },
  "matches.report": {
    queries: 5, // session, lock+sides, one statement (report+audit job, other report, complete+advance+webhook), hot streaks, read
    async run(api) {
      const { tournament, captainOf } = await startedTournament(api, 4);
      const [m] = await allMatches(api, tournament.slug, "ready");
      await captainOf(m!.sideA!.registrationId).caller.matches.report({ matchId: m!.id, scoreA: 1, scoreB: 0 });
      return api.measure(() =>
        captainOf(m!.sideB!.registrationId).caller.matches.report({ matchId: m!.id, scoreA: 1, scoreB: 0 }),
      );
    },
  },
  "matches.resolve": {
    queries: 7, // session, lock, reset dependents (2), one statement (complete+advance+audit job+webhook), hot streaks, read
    async run(api) {
      const { organizer, tournament } = await startedTournament(api, 4);
      const [m] = await allMatches(api, tournament.slug, "ready");
      await organizer.caller.matches.resolve({ matchId: m!.id, scoreA: 1, scoreB: 0 });
      return api.measure(() => organizer.caller.matches.resolve({ matchId: m!.id, scoreA: 0, scoreB: 1 }));
    },
  },
  "matches.nextSwissRound": {
    queries: 5, // session, lock, matches, reserve ids, insert round
    async run(api) {
      const { organizer, tournament } = await startedTournament(api, 5, { format: "swiss" });
      for (const m of await allMatches(api, tournament.slug, "ready"))
        await organizer.caller.matches.resolve({ matchId: m.id, scoreA: 1, scoreB: 0 });
      return api.measure(() => organizer.caller.matches.nextSwissRound({ slug: tournament.slug }));
    },
  },
  "matches.byId": {
    queries: 2, // session, the match with its reports and the actor's rights
    async run(api) {
      const { tournament, captainOf } = await startedTournament(api, 4);
      const [m] = await allMatches(api, tournament.slug, "ready");
      const captain = captainOf(m!.sideA!.registrationId);
      await captain.caller.matches.report({ matchId: m!.id, scoreA: 1, scoreB: 0, evidence: "screenshot" });
      return api.measure(() => captain.caller.matches.byId({ matchId: m!.id }));
    },
  },
} satisfies Scenarios<"matches">;
