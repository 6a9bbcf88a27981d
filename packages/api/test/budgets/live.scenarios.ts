import { installLiveBus, LiveBus, currentLiveBus } from "@deltacrown/domain";
import { sql } from "kysely";
import type { Api } from "../api-harness.ts";
import { uniq, type Scenarios } from "./scenario.ts";

/** Subscriptions need a live bus; scenarios use the in-process one. */
function ensureBus() {
  if (!currentLiveBus()) installLiveBus(new LiveBus());
}

/** Opens a subscription under measure(), then closes the stream it returned. */
async function measureStream(api: Api, open: () => Promise<AsyncIterable<unknown>>) {
  ensureBus();
  const { result, report } = await api.measure(open);
  await result[Symbol.asyncIterator]().return?.();
  return { report };
}

/** A published tournament inserted directly (the tournaments router is not needed to follow one). */
export async function publishedTournament(api: Api, status = "registration_open") {
  const organizer = await api.user(uniq("organizer"));
  const slug = uniq("live-cup-");
  await sql`insert into tournaments (slug, name, game_id, organizer_id, format, participant_type, capacity, team_size,
      registration_opens_at, registration_closes_at, starts_at, status)
    select ${slug}, ${slug}, g.id, ${organizer.user.id}, 'single_elimination', 'team', 8, 5,
      now(), now() + interval '1 day', now() + interval '2 days', ${status}
    from games g where g.slug = 'valorant'`.execute(api.db);
  return { slug, organizer };
}

/** Query-budget scenarios for the live router (statements run before the stream opens). */
export const liveScenarios = {
  "live.notifications": {
    queries: 1, // session; the channel is the actor's own
    async run(api) {
      const u = await api.user(uniq("listener"));
      return measureStream(api, () => u.caller.live.notifications({}));
    },
  },
  "live.team": {
    queries: 2, // session, team + live membership check
    async run(api) {
      const u = await api.user(uniq("fan"));
      const team = await api.team(u, uniq("Live Team "));
      return measureStream(api, () => u.caller.live.team({ teamSlug: team.slug }));
    },
  },
  "live.tournament": {
    queries: 1, // tournament visibility (public procedure)
    async run(api) {
      const { slug } = await publishedTournament(api);
      return measureStream(api, () => api.caller().live.tournament({ tournamentSlug: slug }));
    },
  },
} satisfies Scenarios<"live">;
