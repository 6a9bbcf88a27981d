import { sql } from "kysely";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import type { CursorPage } from "../tournaments/tournaments.dto.ts";
import type { AnalyticsWeekDto } from "./social.dto.ts";
import { loadTeamAccess, requireTeamAction } from "./team-access.ts";

export interface TeamAnalyticsInput {
  teamSlug: string;
  /** The previous page's last week (YYYY-MM-DD). */
  cursor?: string | undefined;
  limit: number;
}

/**
 * A team's weekly analytics, latest week first (`viewAnalytics`), as the analytics job computed
 * them (primary key (team_id, week_start) serves the order). Two statements: access, page.
 */
export async function teamAnalytics(
  deps: DomainDeps,
  actor: Actor,
  input: TeamAnalyticsInput,
): Promise<CursorPage<AnalyticsWeekDto>> {
  const access = await loadTeamAccess(deps.db, actor.userId, input.teamSlug);
  requireTeamAction(
    access,
    actor,
    "viewAnalytics",
    "Only the team's owner, managers, captains and coaches see its analytics",
  );
  const rows = await deps.db
    .selectFrom("team_analytics_weekly")
    .selectAll()
    .select(sql<string>`to_char(week_start, 'YYYY-MM-DD')`.as("week"))
    .where("team_id", "=", access.teamId)
    .$if(input.cursor !== undefined, (q) => q.where("week_start", "<", sql<Date>`${input.cursor ?? ""}::date`))
    .orderBy("week_start", "desc")
    .limit(input.limit + 1)
    .execute();
  const items = rows.slice(0, input.limit).map((r) => ({
    weekStart: r.week,
    pageViews: r.page_views,
    followersGained: r.followers_gained,
    followersTotal: r.followers_total,
    matchesWon: r.matches_won,
    matchesLost: r.matches_lost,
    cpChange: r.cp_change,
    cpTotal: r.cp_total,
  }));
  return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.weekStart ?? null) : null };
}
