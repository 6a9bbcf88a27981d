import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { Empty, ErrorState, Loading } from "../components/status.tsx";
import { codeOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { useMe } from "../lib/use-me.ts";
import { BRACKET_LABELS, FORMAT_LABELS, money, STATUS_LABELS, when, type Tournament } from "./format.ts";
import { RegistrationPanel } from "./registration.tsx";
import { useLiveTournament } from "./use-live-tournament.ts";

/** The tournament's public page: what it is, who plays, how it stands, and the viewer's entry. */
export function TournamentPage() {
  const { slug } = useParams({ from: "/tournaments/$slug" });
  const trpc = useTRPC();
  const { user } = useMe();
  const tournament = useQuery(trpc.tournaments.bySlug.queryOptions({ slug }));
  const viewer = useQuery({ ...trpc.tournaments.viewer.queryOptions({ slug }), enabled: user !== null });
  useLiveTournament(slug, tournament.isSuccess);

  if (tournament.isPending) return <Loading what="tournament" />;
  if (tournament.isError)
    return (
      <section className="page">
        <h1>{codeOf(tournament.error) === "NOT_FOUND" ? "Tournament not found" : "Tournament"}</h1>
        <ErrorState
          error={tournament.error}
          retry={codeOf(tournament.error) === "NOT_FOUND" ? undefined : tournament.refetch}
        />
      </section>
    );
  const t = tournament.data;
  const mine = new Set((viewer.data?.entries ?? []).map((e) => e.id));
  return (
    <section className="page">
      <div className="page-head">
        <h1>{t.name}</h1>
        <nav aria-label="Tournament" className="tabs">
          <Link to="/tournaments/$slug/bracket" params={{ slug: t.slug }}>
            Bracket
          </Link>
          {viewer.data?.canManage && (
            <Link to="/tournaments/$slug/manage" params={{ slug: t.slug }}>
              Organizer console
            </Link>
          )}
        </nav>
      </div>
      <Overview t={t} />
      {user && viewer.data && <RegistrationPanel t={t} entries={viewer.data.entries} />}
      {!user && t.status === "registration_open" && (
        <p>
          <Link to="/sign-in">Sign in</Link> to register.
        </p>
      )}
      <Participants slug={t.slug} />
      {(t.status === "in_progress" || t.status === "completed") && <Matches slug={t.slug} mine={mine} />}
      <Standings t={t} />
      {t.status === "completed" && <Certificates slug={t.slug} />}
    </section>
  );
}

function Overview({ t }: { t: Tournament }) {
  return (
    <>
      <dl className="facts" data-testid="tournament-facts">
        <dt>Status</dt>
        <dd data-testid="tournament-status">{STATUS_LABELS[t.status]}</dd>
        <dt>Game</dt>
        <dd>{t.game.name}</dd>
        <dt>Format</dt>
        <dd>
          {FORMAT_LABELS[t.format]}, best of {t.settings.bestOf}
          {t.format === "double_elimination" && t.settings.grandFinalReset && " (grand-final reset)"}
          {t.format === "single_elimination" && t.settings.thirdPlaceMatch && " (third-place match)"}
        </dd>
        <dt>Entrants</dt>
        <dd>
          {t.participantType === "team" ? `Teams of ${t.teamSize}` : "Solo players"} · {t.entriesCount} / {t.capacity}{" "}
          places
        </dd>
        <dt>Registration</dt>
        <dd>
          {when(t.registrationOpensAt)} – {when(t.registrationClosesAt)}
        </dd>
        {t.checkinOpensAt && (
          <>
            <dt>Check-in</dt>
            <dd>
              {when(t.checkinOpensAt)} – {when(t.checkinClosesAt)}
            </dd>
          </>
        )}
        <dt>Starts</dt>
        <dd>{when(t.startsAt)}</dd>
        <dt>Entry fee</dt>
        <dd>
          {t.paymentMethod === "wallet" && t.entryFeeCents > 0
            ? `${t.entryFeeCents} coins from your wallet`
            : money(t.entryFeeCents, t.currency)}
        </dd>
        <dt>Organizer</dt>
        <dd>{t.organization ? t.organization.name : `${t.organizer.displayName} (@${t.organizer.username})`}</dd>
      </dl>
      {t.description && <p className="description">{t.description}</p>}
      {t.prizeDescription && (
        <section aria-labelledby="prizes-heading">
          <h2 id="prizes-heading">Prizes</h2>
          <p>{t.prizeDescription}</p>
        </section>
      )}
      {t.rules && (
        <section aria-labelledby="rules-heading">
          <h2 id="rules-heading">Rules</h2>
          {/* Rich text the API sanitized when it was written (the text policy's one HTML field). */}
          <div className="rules" dangerouslySetInnerHTML={{ __html: t.rules }} />
        </section>
      )}
      {t.sponsors.length > 0 && (
        <section aria-labelledby="sponsors-heading">
          <h2 id="sponsors-heading">Sponsors</h2>
          <ul className="sponsors">
            {t.sponsors.map((s) => (
              <li key={s.name}>
                {s.logoUrl && <img src={s.logoUrl} alt="" width={32} height={32} />}
                {s.url ? (
                  <a href={s.url} rel="noopener noreferrer sponsored" target="_blank">
                    {s.name}
                  </a>
                ) : (
                  s.name
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {t.customFields.length > 0 && (
        <section aria-labelledby="fields-heading">
          <h2 id="fields-heading">Registration asks for</h2>
          <ul>
            {t.customFields.map((f) => (
              <li key={f.key}>
                {f.label} {f.required ? "(required)" : "(optional)"}
                {f.kind === "select" && `: one of ${f.options.join(", ")}`}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

function Participants({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const list = useInfiniteQuery(
    trpc.registrations.list.infiniteQueryOptions(
      { tournamentSlug: slug, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="participants-heading">
      <h2 id="participants-heading">Participants</h2>
      {list.isPending ? (
        <Loading what="participants" />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={list.refetch} />
      ) : items.length === 0 ? (
        <Empty>No one has registered yet.</Empty>
      ) : (
        <>
          <table data-testid="participants">
            <thead>
              <tr>
                <th scope="col">Entrant</th>
                <th scope="col">Status</th>
                <th scope="col">Seed</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id}>
                  <td>
                    {r.team ? (
                      <Link to="/teams/$slug" params={{ slug: r.team.slug }}>
                        {r.team.name}
                      </Link>
                    ) : (
                      `@${r.player?.username ?? "?"}`
                    )}
                  </td>
                  <td>{r.status}</td>
                  <td>{r.seed ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.hasNextPage && (
            <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
              More participants
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** The matches as a list (the bracket page draws them); the viewer's own are marked and linked. */
function Matches({ slug, mine }: { slug: string; mine: Set<number> }) {
  const trpc = useTRPC();
  const list = useInfiniteQuery(
    trpc.matches.list.infiniteQueryOptions(
      { tournamentSlug: slug, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const side = (s: { name: string } | null) => s?.name ?? "TBD";
  return (
    <section aria-labelledby="matches-heading">
      <h2 id="matches-heading">Matches</h2>
      {list.isPending ? (
        <Loading what="matches" />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={list.refetch} />
      ) : (
        <>
          <table data-testid="matches">
            <thead>
              <tr>
                <th scope="col">Stage</th>
                <th scope="col">Match</th>
                <th scope="col">Score</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => {
                const own =
                  (m.sideA && mine.has(m.sideA.registrationId)) || (m.sideB && mine.has(m.sideB.registrationId));
                return (
                  <tr key={m.id} className={own ? "own" : undefined} data-match-row={m.id}>
                    <td>
                      {BRACKET_LABELS[m.bracket] ?? m.bracket}
                      {m.groupNo != null && ` ${m.groupNo}`}, round {m.round}
                    </td>
                    <td>
                      {own && m.sideA && m.sideB ? (
                        <Link to="/tournaments/$slug/matches/$matchId" params={{ slug, matchId: String(m.id) }}>
                          {side(m.sideA)} vs {side(m.sideB)}
                        </Link>
                      ) : (
                        `${side(m.sideA)} vs ${side(m.sideB)}`
                      )}
                      {own && <span className="visually-hidden"> (your match)</span>}
                    </td>
                    <td>{m.scoreA != null && m.scoreB != null ? `${m.scoreA}–${m.scoreB}` : "—"}</td>
                    <td>{m.state}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {list.hasNextPage && (
            <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
              More matches
            </button>
          )}
        </>
      )}
    </section>
  );
}

const TIEBREAK_TEXT: Record<Tournament["format"], string> = {
  single_elimination: "Placement follows how far an entrant got; entrants knocked out in the same round share a place.",
  double_elimination:
    "Placement follows how far an entrant got in the winners' and losers' brackets; those eliminated in the same losers' round share a place.",
  round_robin:
    "Ordered by wins; ties are broken by the head-to-head result, then by game difference (games won − lost).",
  swiss:
    "Ordered by wins; ties are broken by Buchholz (the sum of the opponents' wins), then game difference, then head-to-head.",
};

function Standings({ t }: { t: Tournament }) {
  const trpc = useTRPC();
  const list = useInfiniteQuery(
    trpc.tournaments.standings.infiniteQueryOptions(
      { slug: t.slug, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor, enabled: t.status === "in_progress" || t.status === "completed" },
    ),
  );
  if (t.status !== "in_progress" && t.status !== "completed") return null;
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="standings-heading">
      <h2 id="standings-heading">Standings</h2>
      <p className="muted" data-testid="tiebreakers">
        {TIEBREAK_TEXT[t.format]}
      </p>
      {list.isPending ? (
        <Loading what="standings" />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={list.refetch} />
      ) : items.length === 0 ? (
        <Empty>No standings yet.</Empty>
      ) : (
        <table data-testid="standings">
          <thead>
            <tr>
              <th scope="col">Place</th>
              <th scope="col">Entrant</th>
              <th scope="col">W</th>
              <th scope="col">L</th>
              <th scope="col">Game diff.</th>
              {t.format === "swiss" && <th scope="col">Buchholz</th>}
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.registrationId}>
                <td>
                  {s.placement}
                  {!s.final && <span className="muted"> (provisional)</span>}
                </td>
                <td>{s.name}</td>
                <td>{s.wins}</td>
                <td>{s.losses}</td>
                <td>{s.gameDifference}</td>
                {t.format === "swiss" && <td>{s.buchholz}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Certificates({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const list = useInfiniteQuery(
    trpc.tournaments.certificates.infiniteQueryOptions(
      { slug, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="certificates-heading">
      <h2 id="certificates-heading">Certificates</h2>
      {list.isPending ? (
        <Loading what="certificates" />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={list.refetch} />
      ) : items.length === 0 ? (
        <Empty>No certificates issued.</Empty>
      ) : (
        <ul data-testid="certificates">
          {items.map((c) => (
            <li key={c.code}>
              #{c.placement} {c.recipient} —{" "}
              <Link to="/certificates/$code" params={{ code: c.code }}>
                verify certificate {c.code}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
