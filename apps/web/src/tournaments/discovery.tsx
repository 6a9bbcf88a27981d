import { useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { SelectField } from "../components/field.tsx";
import { useGames } from "../components/games.tsx";
import { itemsOf, PagedList } from "../components/paged-list.tsx";
import { useTRPC } from "../lib/trpc.ts";
import { useMe } from "../lib/use-me.ts";
import { fee, FORMAT_LABELS, LISTED_STATUSES, STATUS_LABELS, when, type TournamentSummary } from "./format.ts";

/** Discovery: upcoming tournaments first, filtered by game and status, a page at a time. */
export function TournamentsPage() {
  const trpc = useTRPC();
  const games = useGames();
  const { user } = useMe();
  const [gameSlug, setGameSlug] = useState("");
  const [status, setStatus] = useState<"" | (typeof LISTED_STATUSES)[number]>("");
  const input = { gameSlug: gameSlug || undefined, status: status || undefined, limit: 12 };
  const results = useInfiniteQuery(
    trpc.tournaments.list.infiniteQueryOptions(input, { getNextPageParam: (page) => page.nextCursor }),
  );
  return (
    <section className="page">
      <div className="page-head">
        <h1>Tournaments</h1>
        {user && (
          <Link to="/tournaments/new" className="button">
            Create a tournament
          </Link>
        )}
      </div>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          label="Game"
          field="gameSlug"
          error={results.error}
          value={gameSlug}
          onChange={(e) => setGameSlug(e.target.value)}
          options={[
            { value: "", label: "Any game" },
            ...(games.data ?? []).map((g) => ({ value: g.slug, label: g.name })),
          ]}
        />
        <SelectField
          label="Status"
          field="status"
          error={results.error}
          value={status}
          onChange={(e) => setStatus(e.target.value as typeof status)}
          options={[
            { value: "", label: "Upcoming and running" },
            ...LISTED_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
          ]}
        />
      </form>
      <PagedList
        query={results}
        items={itemsOf(results)}
        what="tournaments"
        empty="No tournaments match these filters."
      >
        {(items) => (
          <ul className="cards" data-testid="tournament-cards">
            {items.map((t) => (
              <TournamentCard key={t.id} t={t} />
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}

function TournamentCard({ t }: { t: TournamentSummary }) {
  return (
    <li className="card">
      <h2>
        <Link to="/tournaments/$slug" params={{ slug: t.slug }}>
          {t.name}
        </Link>
      </h2>
      <p className="muted">
        {t.game.name} · {STATUS_LABELS[t.status]}
      </p>
      <dl className="facts">
        <dt>Format</dt>
        <dd>{FORMAT_LABELS[t.format]}</dd>
        <dt>Starts</dt>
        <dd>{when(t.startsAt)}</dd>
        <dt>Registration</dt>
        <dd>
          {when(t.registrationOpensAt)} – {when(t.registrationClosesAt)}
        </dd>
        <dt>Places</dt>
        <dd>
          {t.entriesCount} / {t.capacity}
        </dd>
        <dt>Entry fee</dt>
        <dd>{fee(t.entryFeeCents)}</dd>
      </dl>
    </li>
  );
}
