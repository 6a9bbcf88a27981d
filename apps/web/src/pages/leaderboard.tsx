import type { RouterOutputs } from "@deltacrown/client";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "@tanstack/react-router";
import { useState } from "react";
import { SelectField } from "../components/field.tsx";
import { TIERS, useGames, type Tier } from "../components/games.tsx";
import { itemsOf, PagedList } from "../components/paged-list.tsx";
import { Empty, ErrorState, Loading } from "../components/status.tsx";
import { useTRPC } from "../lib/trpc.ts";
import { useMe } from "../lib/use-me.ts";

type Entry = RouterOutputs["rankings"]["leaderboard"]["entries"][number];

/** ▲ climbed, ▼ fell, "new" entered since the previous computation. */
function Movement({ entry }: { entry: Entry }) {
  const d = entry.previousRank == null ? null : entry.previousRank - entry.rank;
  const [cls, shown, said] =
    d === null
      ? ["new", "new", "new entry"]
      : d > 0
        ? ["up", `▲${d}`, `up ${d}`]
        : d < 0
          ? ["down", `▼${-d}`, `down ${-d}`]
          : ["same", "–", "no change"];
  return (
    <span className={`move ${cls}`}>
      <span aria-hidden="true">{shown}</span>
      <span className="visually-hidden">{said}</span>
    </span>
  );
}

function Table({ entries, highlight, caption }: { entries: Entry[]; highlight?: string; caption: string }) {
  return (
    <table className="leaderboard">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Rank</th>
          <th scope="col">Move</th>
          <th scope="col">Team</th>
          <th scope="col">Tier</th>
          <th scope="col">CP</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.teamId} className={e.teamSlug === highlight ? "mine" : undefined}>
            <td>#{e.rank}</td>
            <td>
              <Movement entry={e} />
            </td>
            <td>
              <Link to="/teams/$slug" params={{ slug: e.teamSlug }}>
                {e.teamName}
              </Link>
              {e.teamTag && <span className="tag"> [{e.teamTag}]</span>}
            </td>
            <td>
              <span className={`tier tier-${e.tier}`}>{e.tier}</span>
            </td>
            <td>{e.cp}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The viewer's teams in this game, and the neighbourhood of the one picked. */
function MyTeamRank({ game }: { game: string }) {
  const trpc = useTRPC();
  const mine = useQuery(trpc.teams.mine.queryOptions({ limit: 50 }));
  const [picked, setPicked] = useState<string | null>(null);
  const rank = useQuery({
    ...trpc.rankings.teamRank.queryOptions({ teamSlug: picked ?? "" }),
    enabled: picked !== null,
  });
  const here = mine.data?.items.filter((t) => t.game.slug === game) ?? [];
  if (here.length === 0) return null;
  return (
    <section aria-labelledby="my-rank">
      <h2 id="my-rank">My teams here</h2>
      <div className="row">
        {here.map((t) => (
          <button key={t.slug} type="button" onClick={() => setPicked(t.slug)}>
            Jump to {t.name}
          </button>
        ))}
      </div>
      {picked &&
        (rank.isPending ? (
          <Loading what="rank" />
        ) : rank.isError ? (
          <ErrorState error={rank.error} retry={rank.refetch} />
        ) : rank.data.entry === null ? (
          <Empty>This team is not on the leaderboard yet (it is computed every few minutes).</Empty>
        ) : (
          <Table entries={rank.data.neighbourhood} highlight={picked} caption="Around your team" />
        ))}
    </section>
  );
}

export function LeaderboardPage() {
  const { game } = useParams({ from: "/leaderboards/$game" });
  const navigate = useNavigate();
  const trpc = useTRPC();
  const games = useGames();
  const { user } = useMe();
  const [tier, setTier] = useState<Tier | "">("");
  const board = useInfiniteQuery(
    trpc.rankings.leaderboard.infiniteQueryOptions(
      { gameSlug: game, limit: 50, ...(tier ? { tier } : {}) },
      { getNextPageParam: (p) => p.nextCursor },
    ),
  );
  const entries = itemsOf(board, (p) => p.entries);
  const name = games.data?.find((g) => g.slug === game)?.name ?? game;
  const computedAt = board.data?.pages[0]?.computedAt;
  return (
    <section className="page">
      <h1>{name} leaderboard</h1>
      <div className="filters">
        <SelectField
          label="Game"
          field="gameSlug"
          value={game}
          onChange={(e) => void navigate({ to: "/leaderboards/$game", params: { game: e.target.value } })}
          options={(games.data ?? [{ slug: game, name }]).map((g) => ({ value: g.slug, label: g.name }))}
        />
        <SelectField
          label="Tier"
          field="tier"
          value={tier}
          onChange={(e) => setTier(e.target.value as Tier | "")}
          options={[{ value: "", label: "All tiers" }, ...TIERS.map((t) => ({ value: t, label: t }))]}
        />
      </div>
      {user && <MyTeamRank game={game} />}
      <PagedList
        query={board}
        items={entries}
        what="teams"
        empty={`No ranked teams${tier && ` in ${tier}`} yet. Rankings are computed every few minutes.`}
      >
        {(entries) => (
          <Table
            entries={entries}
            caption={computedAt ? `Computed ${new Date(computedAt).toLocaleString()}` : "Current ranking"}
          />
        )}
      </PagedList>
    </section>
  );
}
