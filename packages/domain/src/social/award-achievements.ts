import type { Database } from "@deltacrown/db";
import { sql, type Kysely } from "kysely";
import type { Cache } from "../cache/cache.ts";
import type { SocialAwardAchievementsPayload } from "../jobs/social.jobs.ts";
import { TIERS } from "../rankings/points.ts";

/** CP totals worth an achievement. */
export const CP_MILESTONES = [1000, 2500, 5000, 10000] as const;
/** Hot-streak lengths (consecutive match wins) worth an achievement. */
export const HOT_STREAKS = [3, 5, 10] as const;
/** Final placements worth an achievement. */
const PODIUM = 3;

/**
 * Awards achievements from what already happened, each once: a tournament's podium (when the
 * payload names a tournament), and CP milestones, tiers reached and hot streaks of the teams
 * whose ranking changed in the last `sinceMinutes`. ONE statement inserts them with
 * `ON CONFLICT DO NOTHING` on the unique (team_id, kind, key) and, for the rows really inserted,
 * notifies the team's followers (in-app notifications, set-based) — so a retried or duplicated
 * job awards and announces nothing twice. The changed team pages are invalidated after.
 */
export async function awardAchievements(
  deps: { db: Kysely<Database>; cache?: Cache | undefined },
  payload: SocialAwardAchievementsPayload,
): Promise<{ awarded: number }> {
  const placements = payload.tournament?.placements.filter((p) => p.placement <= PODIUM) ?? [];
  const tournamentId = payload.tournament?.id ?? 0;
  const tournamentName = payload.tournament?.name ?? `tournament #${tournamentId}`;
  const scan = payload.tournament === undefined;
  const tiers = TIERS.map((t) => t.tier);
  const { rows } = await sql<{ slug: string; awarded: number }>`
    with candidates (team_id, kind, key, title, data) as (
      select p.team_id, 'tournament_placement', ${String(tournamentId)},
             (array['', '1st', '2nd', '3rd'])[p.placement + 1] || ' place in ' || ${tournamentName},
             jsonb_build_object('tournamentId', ${tournamentId}::int, 'placement', p.placement)
      from unnest(${placements.map((p) => p.teamId)}::int[], ${placements.map((p) => p.placement)}::int[]) as p(team_id, placement)
      union all
      select r.team_id, 'cp_milestone', m::text, m || ' CP reached', jsonb_build_object('cp', m)
      from team_rankings r cross join unnest(${[...CP_MILESTONES]}::int[]) as m
      where ${scan} and r.updated_at >= now() - make_interval(mins => ${payload.sinceMinutes}) and r.current_cp >= m
      union all
      select r.team_id, 'tier_reached', r.tier, initcap(r.tier) || ' tier reached', jsonb_build_object('tier', r.tier)
      from team_rankings r
      where ${scan} and r.updated_at >= now() - make_interval(mins => ${payload.sinceMinutes}) and r.tier = any(${tiers}::text[])
      union all
      select r.team_id, 'hot_streak', s::text, s || ' wins in a row', jsonb_build_object('streak', s)
      from team_rankings r cross join unnest(${[...HOT_STREAKS]}::int[]) as s
      where ${scan} and r.updated_at >= now() - make_interval(mins => ${payload.sinceMinutes}) and r.hot_streak >= s
    ), awarded as (
      insert into team_achievements (team_id, kind, key, title, data)
      select c.team_id, c.kind, c.key, c.title, c.data from candidates c
      join teams t on t.id = c.team_id and t.disbanded_at is null
      on conflict (team_id, kind, key) do nothing
      returning team_id, kind, key, title
    ), announced as (
      -- Runs although nothing reads it: Postgres always executes a data-modifying WITH.
      insert into notifications (user_id, kind, payload)
      select f.user_id, 'team.achievement',
             jsonb_build_object('teamSlug', t.slug, 'teamName', t.name, 'kind', a.kind, 'key', a.key, 'title', a.title)
      from awarded a join teams t on t.id = a.team_id join team_follows f on f.team_id = a.team_id
      returning 1
    )
    select t.slug, count(*)::int as awarded
    from awarded a join teams t on t.id = a.team_id
    group by t.slug`.execute(deps.db);
  await deps.cache?.invalidateMany(
    rows.map((r) => ["teamDetail", r.slug] as const),
    { searchRow: "unchanged" },
  );
  return { awarded: rows.reduce((sum, r) => sum + r.awarded, 0) };
}
