import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useGames } from "../components/games.tsx";
import { Empty, ErrorState, Loading } from "../components/status.tsx";
import { TeamList } from "../components/team-list.tsx";
import { useTRPC } from "../lib/trpc.ts";

export function HomePage() {
  const trpc = useTRPC();
  const games = useGames();
  const [chosen, setChosen] = useState<string | null>(null);
  const game = chosen ?? games.data?.[0]?.slug ?? null;
  const top = useQuery({
    ...trpc.rankings.leaderboard.queryOptions({ gameSlug: game ?? "", limit: 10 }),
    enabled: game !== null,
  });
  const recent = useQuery({
    ...trpc.teams.search.queryOptions({ gameSlug: game ?? "", limit: 6 }),
    enabled: game !== null,
  });

  return (
    <section className="page">
      <h1>Esports teams, ranked</h1>
      {games.isPending ? (
        <Loading what="games" />
      ) : games.isError ? (
        <ErrorState error={games.error} retry={games.refetch} />
      ) : (
        <div className="field inline">
          <label htmlFor="home-game">Game</label>
          <select id="home-game" value={game ?? ""} onChange={(e) => setChosen(e.target.value)}>
            {games.data.map((g) => (
              <option key={g.slug} value={g.slug}>
                {g.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="columns">
        <section aria-labelledby="home-top">
          <h2 id="home-top">Top of the leaderboard</h2>
          {top.isPending ? (
            game && <Loading what="leaderboard" />
          ) : top.isError ? (
            <ErrorState error={top.error} retry={top.refetch} />
          ) : top.data.entries.length === 0 ? (
            <Empty>No ranked teams for this game yet.</Empty>
          ) : (
            <ol className="ranking">
              {top.data.entries.map((e) => (
                <li key={e.teamId}>
                  <span className="rank">#{e.rank}</span>
                  <Link to="/teams/$slug" params={{ slug: e.teamSlug }}>
                    {e.teamName}
                  </Link>
                  <span className="muted">
                    {e.cp} CP · {e.tier}
                  </span>
                </li>
              ))}
            </ol>
          )}
          {game && (
            <Link to="/leaderboards/$game" params={{ game }}>
              Full leaderboard
            </Link>
          )}
        </section>
        <section aria-labelledby="home-recent">
          <h2 id="home-recent">Recent teams</h2>
          {recent.isPending ? (
            game && <Loading what="teams" />
          ) : recent.isError ? (
            <ErrorState error={recent.error} retry={recent.refetch} />
          ) : recent.data.items.length === 0 ? (
            <Empty>No teams for this game yet.</Empty>
          ) : (
            <TeamList teams={recent.data.items} />
          )}
        </section>
      </div>
    </section>
  );
}
