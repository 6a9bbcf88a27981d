import { useInfiniteQuery } from "@tanstack/react-query";
import { itemsOf, PagedList } from "../components/paged-list.tsx";
import { useTRPC } from "../lib/trpc.ts";
import { TeamAdminPage } from "./team-admin.tsx";

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

export function TeamAnalyticsPage() {
  return <TeamAdminPage title="Analytics">{(team) => <WeeklyTable slug={team.slug} />}</TeamAdminPage>;
}

/** Weeks newest first, as the analytics job computed them (hourly; nothing is counted on request). */
function WeeklyTable({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const weeks = useInfiniteQuery(
    trpc.teamAnalytics.weekly.infiniteQueryOptions(
      { teamSlug: slug, limit: 12 },
      { getNextPageParam: (p) => p.nextCursor },
    ),
  );
  return (
    <PagedList
      query={weeks}
      items={itemsOf(weeks)}
      what="weeks"
      empty="No weeks computed yet: the figures are computed every hour."
    >
      {(items) => (
        <table className="analytics" data-testid="analytics">
          <caption>Per week, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Week of</th>
              <th scope="col">Page views</th>
              <th scope="col">Followers</th>
              <th scope="col">Matches (W–L)</th>
              <th scope="col">CP</th>
            </tr>
          </thead>
          <tbody>
            {items.map((w) => (
              <tr key={w.weekStart}>
                <td>{w.weekStart}</td>
                <td>{w.pageViews}</td>
                <td>
                  {w.followersTotal} <span className="muted">({signed(w.followersGained)})</span>
                </td>
                <td>
                  {w.matchesWon}–{w.matchesLost}
                </td>
                <td>
                  {w.cpTotal} <span className="muted">({signed(w.cpChange)})</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </PagedList>
  );
}
