import { openTournament, registeredTeam, teamOwner } from "../tournaments/fixtures.ts";
import type { Api } from "../api-harness.ts";
import { type Scenarios } from "./scenario.ts";

async function registered(api: Api, capacity = 8) {
  const { organizer, tournament } = await openTournament(api, { capacity });
  const { cap, reg } = await registeredTeam(api, tournament.slug);
  return { organizer, tournament, cap, reg };
}

/** Query-budget scenarios for the registrations router. */
export const registrationsScenarios = {
  "registrations.register": {
    queries: 3, // session, tournament+fields+team+role, then one statement: lock+take place, insert+audit job, webhook deliveries+jobs
    async run(api) {
      const { tournament } = await openTournament(api, {
        customFields: [{ key: "riot_id", label: "Riot ID", kind: "in_game_id", required: true }],
      });
      const cap = await teamOwner(api);
      return api.measure(() =>
        cap.caller.registrations.register({
          tournamentSlug: tournament.slug,
          teamSlug: cap.team.slug,
          fields: { riot_id: "Crown#EUW" },
        }),
      );
    },
  },
  "registrations.withdraw": {
    queries: 6, // session, lock, update, promote waitlist head, audit job, read
    async run(api) {
      const { tournament, cap, reg } = await registered(api, 2);
      for (let i = 0; i < 2; i++) {
        const other = await teamOwner(api);
        await other.caller.registrations.register({
          tournamentSlug: tournament.slug,
          teamSlug: other.team.slug,
          fields: {},
        });
      }
      return api.measure(() => cap.caller.registrations.withdraw({ registrationId: reg.id }));
    },
  },
  "registrations.review": {
    queries: 5, // session, lock+permission+payment, update, audit job, read
    async run(api) {
      const { organizer, reg } = await registered(api);
      return api.measure(() => organizer.caller.registrations.review({ registrationId: reg.id, decision: "confirm" }));
    },
  },
  "registrations.reorderWaitlist": {
    queries: 4, // session, lock, renumber (one statement), read
    async run(api) {
      const { organizer, tournament } = await registered(api, 2);
      const waiting: { id: number }[] = [];
      for (let i = 0; i < 3; i++) {
        const other = await teamOwner(api);
        waiting.push(
          await other.caller.registrations.register({
            tournamentSlug: tournament.slug,
            teamSlug: other.team.slug,
            fields: {},
          }),
        );
      }
      return api.measure(() =>
        organizer.caller.registrations.reorderWaitlist({ registrationId: waiting[2]!.id, position: 1 }),
      );
    },
  },
  "registrations.setSeed": {
    queries: 4, // session, lock+rights, update, read
    async run(api) {
      const { organizer, reg } = await registered(api);
      return api.measure(() => organizer.caller.registrations.setSeed({ registrationId: reg.id, seed: 1 }));
    },
  },
  "registrations.submitPayment": {
    queries: 5, // session, lock+rights+payment state, insert, audit job, read
    async run(api) {
      const { tournament } = await openTournament(api, { entryFeeCents: 1000 });
      const { cap, reg } = await registeredTeam(api, tournament.slug);
      return api.measure(() => cap.caller.registrations.submitPayment({ registrationId: reg.id, reference: "TX-123" }));
    },
  },
  "registrations.reviewPayment": {
    queries: 6, // session, payment+rights (locked), update, audit job, webhook deliveries, read
    async run(api) {
      const { organizer, tournament } = await openTournament(api, { entryFeeCents: 1000 });
      const { cap, reg } = await registeredTeam(api, tournament.slug);
      const paid = await cap.caller.registrations.submitPayment({ registrationId: reg.id, reference: "TX-123" });
      return api.measure(() =>
        organizer.caller.registrations.reviewPayment({ paymentId: paid.payment!.id, decision: "verify", note: "ok" }),
      );
    },
  },
  "registrations.checkIn": {
    queries: 5, // session, lock+rights, update, audit job, read
    async run(api) {
      const now = Date.now();
      const { organizer, tournament } = await openTournament(api, {
        checkinOpensAt: new Date(now - 60_000),
        checkinClosesAt: new Date(now + 60 * 60_000),
      });
      const { cap, reg } = await registeredTeam(api, tournament.slug);
      await organizer.caller.registrations.review({ registrationId: reg.id, decision: "confirm" });
      return api.measure(() => cap.caller.registrations.checkIn({ registrationId: reg.id }));
    },
  },
  "registrations.list": {
    queries: 1, // entries with team and user, one statement
    async run(api) {
      const { tournament } = await registered(api);
      for (let i = 0; i < 3; i++) {
        const other = await teamOwner(api);
        await other.caller.registrations.register({
          tournamentSlug: tournament.slug,
          teamSlug: other.team.slug,
          fields: {},
        });
      }
      return api.measure(() => api.caller().registrations.list({ tournamentSlug: tournament.slug, limit: 10 }));
    },
  },
  "registrations.manage": {
    queries: 3, // session, tournament + live right, entries with answers and payments
    async run(api) {
      const { organizer, tournament } = await openTournament(api, { entryFeeCents: 500 });
      for (let i = 0; i < 3; i++) {
        const { cap, reg } = await registeredTeam(api, tournament.slug);
        await cap.caller.registrations.submitPayment({ registrationId: reg.id, reference: `TX-${i}` });
      }
      return api.measure(() =>
        organizer.caller.registrations.manage({ tournamentSlug: tournament.slug, status: "pending", limit: 10 }),
      );
    },
  },
  "registrations.byId": {
    queries: 2, // session, the entry with its payment and the actor's rights
    async run(api) {
      const { tournament } = await openTournament(api, { entryFeeCents: 500 });
      const { cap, reg } = await registeredTeam(api, tournament.slug);
      await cap.caller.registrations.submitPayment({ registrationId: reg.id, reference: "TX-9" });
      return api.measure(() => cap.caller.registrations.byId({ registrationId: reg.id }));
    },
  },
} satisfies Scenarios<"registrations">;
