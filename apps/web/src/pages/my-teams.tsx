import { useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { RequireUser } from "../components/require-user.tsx";
import { Empty, ErrorState, Loading } from "../components/status.tsx";
import { TeamList } from "../components/team-list.tsx";
import { useTRPC } from "../lib/trpc.ts";

function MyTeams() {
  const trpc = useTRPC();
  const teams = useInfiniteQuery(
    trpc.teams.mine.infiniteQueryOptions({ limit: 20 }, { getNextPageParam: (p) => p.nextCursor }),
  );
  const items = teams.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="page">
      <div className="page-head">
        <h1>My teams</h1>
        <Link to="/teams/new" className="button">
          Create a team
        </Link>
      </div>
      {teams.isPending ? (
        <Loading what="your teams" />
      ) : teams.isError ? (
        <ErrorState error={teams.error} retry={teams.refetch} />
      ) : items.length === 0 ? (
        <Empty>You are not on a team yet. Create one, or accept an invite.</Empty>
      ) : (
        <>
          <TeamList teams={items} extra={(t) => <span className="role">{"role" in t ? String(t.role) : ""}</span>} />
          {teams.hasNextPage && (
            <button type="button" onClick={() => void teams.fetchNextPage()} disabled={teams.isFetchingNextPage}>
              Load more
            </button>
          )}
        </>
      )}
    </section>
  );
}

export function MyTeamsPage() {
  return (
    <RequireUser title="My teams">
      <MyTeams />
    </RequireUser>
  );
}
