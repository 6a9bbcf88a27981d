import { allMatches, draftInput, openTournament, registeredTeam, startedTournament } from "../tournaments/fixtures.ts";
import type { Api } from "../api-harness.ts";
import { uniq, type Scenarios } from "./scenario.ts";

async function draft(api: Api) {
  const organizer = await api.user(uniq("org"));
  const t = await organizer.caller.tournaments.create(draftInput());
  return { organizer, t };
}

/** Query-budget scenarios for the tournaments router. */
export const tournamentsScenarios = {
  "tournaments.create": {
    queries: 7, // session, game+org, insert, custom fields, sponsors, audit job, detail read
    async run(api) {
      const u = await api.user(uniq("org"));
      const input = draftInput({
        customFields: [{ key: "riot_id", label: "Riot ID", kind: "in_game_id", required: true }],
        sponsors: [{ name: "Acme" }],
      });
      return api.measure(() => u.caller.tournaments.create(input));
    },
  },
  "tournaments.update": {
    queries: 9, // session, lock+permission, update, fields delete+insert, sponsors delete+insert, audit, detail
    async run(api) {
      const { organizer, t } = await draft(api);
      const input = {
        ...draftInput({ name: "Renamed Cup" }),
        slug: t.slug,
        customFields: [{ key: "discord", label: "Discord", kind: "text" as const, required: false }],
        sponsors: [{ name: "Beta Corp" }],
      };
      return api.measure(() => organizer.caller.tournaments.update(input));
    },
  },
  "tournaments.publish": {
    queries: 4, // session, lock+permission, update, audit job
    async run(api) {
      const { organizer, t } = await draft(api);
      return api.measure(() => organizer.caller.tournaments.publish({ slug: t.slug }));
    },
  },
  "tournaments.openRegistration": {
    queries: 4,
    async run(api) {
      const { organizer, t } = await draft(api);
      await organizer.caller.tournaments.publish({ slug: t.slug });
      return api.measure(() => organizer.caller.tournaments.openRegistration({ slug: t.slug }));
    },
  },
  "tournaments.closeRegistration": {
    queries: 4,
    async run(api) {
      const { organizer, tournament } = await openTournament(api);
      return api.measure(() => organizer.caller.tournaments.closeRegistration({ slug: tournament.slug }));
    },
  },
  "tournaments.cancel": {
    queries: 4,
    async run(api) {
      const { organizer, tournament } = await openTournament(api);
      return api.measure(() => organizer.caller.tournaments.cancel({ slug: tournament.slug }));
    },
  },
  "tournaments.remove": {
    queries: 4,
    async run(api) {
      const { organizer, t } = await draft(api);
      return api.measure(() => organizer.caller.tournaments.remove({ slug: t.slug }));
    },
  },
  "tournaments.bySlug": {
    queries: 1, // tournament, game, organizer, organization, counts, fields and sponsors in one statement
    async run(api) {
      const { tournament } = await openTournament(api, {
        customFields: [{ key: "rank", label: "Rank", kind: "select", required: false, options: ["gold", "plat"] }],
        sponsors: [{ name: "Acme" }, { name: "Beta" }],
      });
      for (let i = 0; i < 3; i++) {
        await registeredTeam(api, tournament.slug);
      }
      return api.measure(() => api.caller().tournaments.bySlug({ slug: tournament.slug }));
    },
  },
  "tournaments.list": {
    queries: 1,
    async run(api) {
      for (let i = 0; i < 3; i++) await openTournament(api, { gameSlug: "cs2" });
      return api.measure(() => api.caller().tournaments.list({ gameSlug: "cs2", limit: 2 }));
    },
  },
  "tournaments.start": {
    queries: 7, // session, lock+permission, entries with CP, reserve ids, insert bracket, status, audit job
    async run(api) {
      const { organizer, tournament } = await openTournament(api);
      for (let i = 0; i < 5; i++) {
        const { reg } = await registeredTeam(api, tournament.slug);
        await organizer.caller.registrations.review({ registrationId: reg.id, decision: "confirm" });
      }
      await organizer.caller.tournaments.closeRegistration({ slug: tournament.slug });
      return api.measure(() => organizer.caller.tournaments.start({ slug: tournament.slug }));
    },
  },
  "tournaments.complete": {
    queries: 9, // session, lock, matches, entries, placements+certificates, award job, webhook, status, audit job
    async run(api) {
      const { organizer, tournament } = await startedTournament(api, 2);
      const [m] = await allMatches(api, tournament.slug);
      await organizer.caller.matches.resolve({ matchId: m!.id, scoreA: 1, scoreB: 0 });
      return api.measure(() => organizer.caller.tournaments.complete({ slug: tournament.slug }));
    },
  },
  "tournaments.standings": {
    queries: 1,
    async run(api) {
      const { tournament } = await startedTournament(api, 4, { format: "round_robin" });
      return api.measure(() => api.caller().tournaments.standings({ slug: tournament.slug }));
    },
  },
  "tournaments.certificates": {
    queries: 1,
    async run(api) {
      const { organizer, tournament } = await startedTournament(api, 2);
      const [m] = await allMatches(api, tournament.slug);
      await organizer.caller.matches.resolve({ matchId: m!.id, forfeit: "b" });
      await organizer.caller.tournaments.complete({ slug: tournament.slug });
      return api.measure(() => api.caller().tournaments.certificates({ slug: tournament.slug }));
    },
  },
  "tournaments.dashboard": {
    queries: 2, // session, every count in one statement (read live)
    async run(api) {
      const { organizer, tournament } = await openTournament(api, { entryFeeCents: 100 });
      const { cap, reg } = await registeredTeam(api, tournament.slug);
      await cap.caller.registrations.submitPayment({ registrationId: reg.id, reference: "TX-42" });
      await organizer.caller.tournaments.create(draftInput());
      return api.measure(() => organizer.caller.tournaments.dashboard());
    },
  },
  "tournaments.health": {
    queries: 3, // session, live permission check, figures (read live)
    async run(api) {
      const { organizer, tournament } = await startedTournament(api, 4);
      return api.measure(() => organizer.caller.tournaments.health({ slug: tournament.slug }));
    },
  },
  "tournaments.viewer": {
    queries: 3, // session, tournament with the live rights, the viewer's entries with payments
    async run(api) {
      const { tournament } = await openTournament(api, { entryFeeCents: 500 });
      const { cap, reg } = await registeredTeam(api, tournament.slug);
      await cap.caller.registrations.submitPayment({ registrationId: reg.id, reference: "TX-7" });
      return api.measure(() => cap.caller.tournaments.viewer({ slug: tournament.slug }));
    },
  },
} satisfies Scenarios<"tournaments">;
