import { useQuery } from "@tanstack/react-query";
import { useParams } from "@tanstack/react-router";
import { ErrorState, Loading } from "../../components/status.tsx";
import { codeOf } from "../../lib/errors.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { TournamentBracket } from "./index.tsx";

const FORMAT_NAME = {
  single_elimination: "Single elimination",
  double_elimination: "Double elimination",
  round_robin: "Round robin",
  swiss: "Swiss",
} as const;

/** `/tournaments/$slug/bracket`: the tournament's name and format, then its bracket. */
export function BracketPage() {
  const { slug } = useParams({ from: "/tournaments/$slug/bracket" });
  const trpc = useTRPC();
  const tournament = useQuery(trpc.tournaments.bySlug.queryOptions({ slug }));
  if (tournament.isPending) return <Loading what="tournament" />;
  if (tournament.isError)
    return (
      <section className="page">
        <h1>{codeOf(tournament.error) === "NOT_FOUND" ? "Tournament not found" : "Bracket"}</h1>
        <ErrorState
          error={tournament.error}
          retry={codeOf(tournament.error) === "NOT_FOUND" ? undefined : tournament.refetch}
        />
      </section>
    );
  const t = tournament.data;
  return (
    <section className="page page-wide">
      <h1>{t.name}: bracket</h1>
      <p className="muted">
        {FORMAT_NAME[t.format]} · {t.entriesCount} entrants · best of {t.settings.bestOf}
      </p>
      <TournamentBracket tournament={t} />
    </section>
  );
}
