import type { RouterOutputs } from "@deltacrown/client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { useState } from "react";
import { ErrorState, FormError, Loading } from "../components/status.tsx";
import { codeOf, fieldMessages, formMessage, messageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { useMe } from "../lib/use-me.ts";
import { BRACKET_LABELS } from "./format.ts";
import { useLiveTournament } from "./use-live-tournament.ts";

type Match = RouterOutputs["matches"]["byId"];
type Game = { a: number; b: number };

/** A match for its participants and organizers: the reports of both sides, report, dispute, resolution. */
export function MatchPage() {
  const { slug, matchId } = useParams({ from: "/tournaments/$slug/matches/$matchId" });
  const trpc = useTRPC();
  const { user } = useMe();
  const id = Number(matchId);
  const match = useQuery({ ...trpc.matches.byId.queryOptions({ matchId: id }), enabled: user !== null });
  const viewer = useQuery({ ...trpc.tournaments.viewer.queryOptions({ slug }), enabled: user !== null });
  useLiveTournament(slug, match.isSuccess);

  if (!user)
    return (
      <section className="page">
        <h1>Match</h1>
        <p>Sign in to see this match.</p>
      </section>
    );
  if (match.isPending || viewer.isPending) return <Loading what="match" />;
  if (match.isError || viewer.isError)
    return (
      <section className="page">
        <h1>{codeOf(match.error) === "NOT_FOUND" ? "Match not found" : "Match"}</h1>
        <ErrorState error={match.error ?? viewer.error} retry={match.refetch} />
      </section>
    );
  const m = match.data;
  const mySides = new Set(viewer.data.entries.map((e) => e.id));
  const mine =
    m.sideA && mySides.has(m.sideA.registrationId)
      ? m.sideA
      : m.sideB && mySides.has(m.sideB.registrationId)
        ? m.sideB
        : null;
  const a = m.sideA?.name ?? "TBD";
  const b = m.sideB?.name ?? "TBD";
  return (
    <section className="page">
      <p>
        <Link to="/tournaments/$slug" params={{ slug }}>
          Back to the tournament
        </Link>
      </p>
      <h1>
        {a} vs {b}
      </h1>
      <dl className="facts">
        <dt>Stage</dt>
        <dd>
          {BRACKET_LABELS[m.bracket] ?? m.bracket}, round {m.round}
        </dd>
        <dt>Best of</dt>
        <dd>{m.bestOf}</dd>
        <dt>State</dt>
        <dd data-testid="match-state">{m.state}</dd>
        <dt>Result</dt>
        <dd data-testid="match-result">
          {m.scoreA != null && m.scoreB != null
            ? `${a} ${m.scoreA}–${m.scoreB} ${b}${m.isForfeit ? " (forfeit)" : ""}`
            : "Not decided"}
        </dd>
      </dl>
      {m.games.length > 0 && <p>Games: {m.games.map((g, i) => `#${i + 1} ${g.a}–${g.b}`).join(", ")}</p>}
      <Reports m={m} mine={mine?.registrationId ?? null} />
      {mine && m.state === "ready" && <ReportForm m={m} />}
      {m.state === "disputed" && (
        <p role="status">The two reports disagree: the match is disputed and waits for the organizer's decision.</p>
      )}
      {viewer.data.canManage && m.sideA && m.sideB && m.state !== "void" && <Resolve m={m} />}
    </section>
  );
}

function Reports({ m, mine }: { m: Match; mine: number | null }) {
  if (m.reports.length === 0) return <p className="muted">No side has reported yet.</p>;
  const nameOf = (id: number) =>
    id === m.sideA?.registrationId ? m.sideA.name : id === m.sideB?.registrationId ? m.sideB.name : "?";
  return (
    <section aria-labelledby="reports-heading">
      <h2 id="reports-heading">Reports</h2>
      <ul data-testid="reports">
        {m.reports.map((r) => (
          <li key={r.registrationId}>
            {r.registrationId === mine ? "Your report" : `${nameOf(r.registrationId)}'s report`}: {r.scoreA}–{r.scoreB}
            {r.evidence && <span className="muted"> — {r.evidence}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Per-game score rows for a best-of-N: rows left blank are games not played. */
function GameRows({
  m,
  games,
  setGames,
  error,
}: {
  m: Match;
  games: string[][];
  setGames: (g: string[][]) => void;
  error: unknown;
}) {
  const messages = fieldMessages(error, "games").concat(fieldMessages(error, "scoreA"));
  return (
    <fieldset>
      <legend>Games (best of {m.bestOf})</legend>
      {games.map(([ga, gb], i) => (
        <div className="game-row" key={i}>
          <label>
            Game {i + 1} {m.sideA?.name}
            <input
              type="number"
              min={0}
              max={1000}
              value={ga}
              onChange={(e) => setGames(games.map((g, j) => (j === i ? [e.target.value, g[1]!] : g)))}
            />
          </label>
          <label>
            Game {i + 1} {m.sideB?.name}
            <input
              type="number"
              min={0}
              max={1000}
              value={gb}
              onChange={(e) => setGames(games.map((g, j) => (j === i ? [g[0]!, e.target.value] : g)))}
            />
          </label>
        </div>
      ))}
      {messages.length > 0 && (
        <p className="field-error" role="alert">
          {messages.join(" ")}
        </p>
      )}
    </fieldset>
  );
}

/** The played games and the match score they add up to. */
function scoreOf(games: string[][]): { scoreA: number; scoreB: number; games: Game[] } {
  const played = games.filter(([a, b]) => a !== "" && b !== "").map(([a, b]) => ({ a: Number(a), b: Number(b) }));
  return {
    scoreA: played.filter((g) => g.a > g.b).length,
    scoreB: played.filter((g) => g.b > g.a).length,
    games: played,
  };
}

const emptyGames = (n: number) => Array.from({ length: n }, () => ["", ""]);

function useRefreshMatch(matchId: number) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.matches.byId.queryKey({ matchId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.matches.list.pathKey() }),
    ]);
}

function ReportForm({ m }: { m: Match }) {
  const trpc = useTRPC();
  const refresh = useRefreshMatch(m.id);
  const [games, setGames] = useState(() => emptyGames(m.bestOf));
  const [evidence, setEvidence] = useState("");
  const report = useMutation(trpc.matches.report.mutationOptions({ onSuccess: () => refresh() }));
  return (
    <form
      aria-label="Report the result"
      onSubmit={(e) => {
        e.preventDefault();
        report.mutate({ matchId: m.id, ...scoreOf(games), evidence: evidence || undefined });
      }}
    >
      <h2>Report the result</h2>
      <GameRows m={m} games={games} setGames={setGames} error={report.error} />
      <div className="field">
        <label htmlFor="evidence">Evidence (optional: a link or a note)</label>
        <input id="evidence" value={evidence} onChange={(e) => setEvidence(e.target.value)} maxLength={2000} />
      </div>
      <FormError message={formMessage(report.error, ["games", "scoreA"])} />
      <button type="submit" disabled={report.isPending}>
        Report result
      </button>
      {report.isSuccess && (
        <p role="status">
          Reported {report.data.state === "disputed" ? "— the reports disagree, the match is disputed." : "."}
        </p>
      )}
    </form>
  );
}

/** The organizer settles a dispute, overrides a result or records a forfeit. */
function Resolve({ m }: { m: Match }) {
  const trpc = useTRPC();
  const refresh = useRefreshMatch(m.id);
  const [games, setGames] = useState(() => emptyGames(m.bestOf));
  const resolve = useMutation(trpc.matches.resolve.mutationOptions({ onSuccess: () => refresh() }));
  const override = m.state === "completed";
  return (
    <form
      aria-label="Settle the match"
      onSubmit={(e) => {
        e.preventDefault();
        if (override && !window.confirm("Override this result? Every later match that depended on it is reset."))
          return;
        resolve.mutate({ matchId: m.id, ...scoreOf(games) });
      }}
    >
      <h2>{override ? "Override the result" : m.state === "disputed" ? "Resolve the dispute" : "Settle the match"}</h2>
      {override && (
        <p className="muted">
          An override resets every match downstream of this one (the matches its winner and loser went on to play),
          which are then played again.
        </p>
      )}
      <GameRows m={m} games={games} setGames={setGames} error={resolve.error} />
      <FormError
        message={
          resolve.error
            ? fieldMessages(resolve.error, "games").length || fieldMessages(resolve.error, "scoreA").length
              ? null
              : messageOf(resolve.error)
            : null
        }
      />
      <button type="submit" disabled={resolve.isPending}>
        {override ? "Override result" : "Resolve match"}
      </button>
      <button
        type="button"
        disabled={resolve.isPending}
        onClick={() => resolve.mutate({ matchId: m.id, forfeit: "a" })}
      >
        {m.sideA?.name} forfeits
      </button>
      <button
        type="button"
        disabled={resolve.isPending}
        onClick={() => resolve.mutate({ matchId: m.id, forfeit: "b" })}
      >
        {m.sideB?.name} forfeits
      </button>
    </form>
  );
}
