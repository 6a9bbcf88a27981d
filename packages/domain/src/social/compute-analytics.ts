import type { Database } from "@deltacrown/db";
import { sql, type Kysely } from "kysely";

/** Monday 00:00 UTC of the week holding `at`, as YYYY-MM-DD. */
export function weekStartOf(at: Date): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

export interface ComputeAnalyticsInput {
  /** YYYY-MM-DD, a Monday. */
  weekStart: string;
  /** Cumulative page views per team slug (lower case), as the cache's view counter holds them. */
  viewTotals: ReadonlyMap<string, number>;
}

/**
 * The weekly analytics of every live team, computed set-based in ONE statement into
 * team_analytics_weekly (upsert: recomputing a week replaces it): page views (the cumulative
 * counter's growth since the previous week's row), followers gained in the week and in total (the
 * precomputed count), matches won and lost, CP change (the ledger) and total. Read by
 * `teamAnalytics`; nothing is computed at request time.
 */
export async function computeAnalytics(db: Kysely<Database>, input: ComputeAnalyticsInput): Promise<{ teams: number }> {
  const slugs = [...input.viewTotals.keys()];
  const totals = slugs.map((s) => input.viewTotals.get(s) ?? 0);
  const result = await sql`
    with wk as (
      select ${input.weekStart}::date as start, ${input.weekStart}::date + 7 as stop
    ), views (slug, total) as (
      select * from unnest(${slugs}::text[], ${totals}::bigint[])
    ), gained as (
      select f.team_id, count(*)::int as n from team_follows f, wk
      where f.created_at >= wk.start and f.created_at < wk.stop group by f.team_id
    ), played as (
      select rg.team_id,
             count(*) filter (where m.winner_id = rg.id)::int as won,
             count(*) filter (where m.winner_id <> rg.id)::int as lost
      from matches m cross join wk
      join registrations rg on rg.id in (m.side_a_id, m.side_b_id)
      where m.completed_at >= wk.start and m.completed_at < wk.stop and m.winner_id is not null and rg.team_id is not null
      group by rg.team_id
    ), cp as (
      select l.team_id, sum(l.delta)::int as change from cp_ledger l, wk
      where l.created_at >= wk.start and l.created_at < wk.stop group by l.team_id
    )
    insert into team_analytics_weekly as a (team_id, week_start, page_views, page_views_total, followers_gained,
      followers_total, matches_won, matches_lost, cp_change, cp_total, computed_at)
    select t.id, wk.start,
           greatest(coalesce(v.total, prev.page_views_total, 0) - coalesce(prev.page_views_total, 0), 0),
           coalesce(v.total, prev.page_views_total, 0),
           coalesce(g.n, 0), t.follower_count, coalesce(p.won, 0), coalesce(p.lost, 0), coalesce(cp.change, 0),
           coalesce(r.current_cp, 0), now()
    from teams t cross join wk
    left join views v on v.slug = lower(t.slug)
    left join team_analytics_weekly prev on prev.team_id = t.id and prev.week_start = wk.start - 7
    left join gained g on g.team_id = t.id
    left join played p on p.team_id = t.id
    left join cp on cp.team_id = t.id
    left join team_rankings r on r.team_id = t.id and r.game_id = t.game_id
    where t.disbanded_at is null
    on conflict (team_id, week_start) do update set
      page_views = excluded.page_views, page_views_total = excluded.page_views_total,
      followers_gained = excluded.followers_gained, followers_total = excluded.followers_total,
      matches_won = excluded.matches_won, matches_lost = excluded.matches_lost,
      cp_change = excluded.cp_change, cp_total = excluded.cp_total, computed_at = excluded.computed_at`.execute(db);
  return { teams: Number(result.numAffectedRows ?? 0) };
}
