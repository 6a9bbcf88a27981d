import { useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { RequireUser } from "../components/require-user.tsx";
import { itemsOf, PagedList } from "../components/paged-list.tsx";
import { TeamList } from "../components/team-list.tsx";
import { useTRPC } from "../lib/trpc.ts";

function MyTeams() {
  const trpc = useTRPC();
  const teams = useInfiniteQuery(
    trpc.teams.mine.infiniteQueryOptions({ limit: 20 }, { getNextPageParam: (p) => p.nextCursor }),
  );
  return (
    <section className="page">
      <div className="page-head">
        <h1>My teams</h1>
        <Link to="/teams/new" className="button">
          Create a team
        </Link>
      </div>
      <PagedList
        query={teams}
        items={itemsOf(teams)}
        what="teams"
        empty="You are not on a team yet. Create one, or accept an invite."
      >
        {(items) => (
          <TeamList teams={items} extra={(t) => <span className="role">{"role" in t ? String(t.role) : ""}</span>} />
        )}
      </PagedList>
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
