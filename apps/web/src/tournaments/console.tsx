import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { useState } from "react";
import { Empty, ErrorState, FormError, Loading } from "../components/status.tsx";
import { codeOf, messageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { useMe } from "../lib/use-me.ts";
import {
  BRACKET_LABELS,
  legalActions,
  money,
  STATUS_LABELS,
  TRANSITIONS,
  type Registration,
  type Tournament,
} from "./format.ts";
import { useLiveTournament } from "./use-live-tournament.ts";

/** Everything an organizer reads again after a change in the console. */
function useRefreshConsole(slug: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.tournaments.bySlug.queryKey({ slug }) }),
      queryClient.invalidateQueries({ queryKey: trpc.tournaments.health.queryKey({ slug }) }),
      queryClient.invalidateQueries({ queryKey: trpc.registrations.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.matches.pathKey() }),
    ]);
}

/** The organizer console: lifecycle, health, entries (payments, waitlist, seeds, check-in), disputes. */
export function ConsolePage() {
  const { slug } = useParams({ from: "/tournaments/$slug/manage" });
  const trpc = useTRPC();
  const { user, loading } = useMe();
  const tournament = useQuery(trpc.tournaments.bySlug.queryOptions({ slug }));
  const viewer = useQuery({ ...trpc.tournaments.viewer.queryOptions({ slug }), enabled: user !== null });
  useLiveTournament(slug, viewer.data?.canManage === true);

  if (loading || tournament.isPending || (user && viewer.isPending)) return <Loading what="organizer console" />;
  if (tournament.isError)
    return (
      <section className="page">
        <h1>{codeOf(tournament.error) === "NOT_FOUND" ? "Tournament not found" : "Organizer console"}</h1>
        <ErrorState error={tournament.error} retry={tournament.refetch} />
      </section>
    );
  const t = tournament.data;
  if (!viewer.data?.canManage)
    return (
      <section className="page">
        <h1>Organizer console</h1>
        <p>Only the organizers of {t.name} may open its console.</p>
      </section>
    );
  return (
    <section className="page">
      <div className="page-head">
        <h1>Console: {t.name}</h1>
        <nav aria-label="Tournament" className="tabs">
          <Link to="/tournaments/$slug" params={{ slug }}>
            Public page
          </Link>
          <Link to="/tournaments/$slug/bracket" params={{ slug }}>
            Bracket
          </Link>
          {t.status === "draft" && (
            <Link to="/tournaments/$slug/edit" params={{ slug }}>
              Edit
            </Link>
          )}
        </nav>
      </div>
      <Lifecycle t={t} />
      {t.status !== "draft" && <Health slug={slug} />}
      <Entries t={t} />
      {(t.status === "in_progress" || t.status === "completed") && <MatchesToSettle slug={slug} />}
    </section>
  );
}

function Lifecycle({ t }: { t: Tournament }) {
  const trpc = useTRPC();
  const refresh = useRefreshConsole(t.slug);
  const options = { onSuccess: () => refresh() };
  const mutations = {
    publish: useMutation(trpc.tournaments.publish.mutationOptions(options)),
    openRegistration: useMutation(trpc.tournaments.openRegistration.mutationOptions(options)),
    closeRegistration: useMutation(trpc.tournaments.closeRegistration.mutationOptions(options)),
    start: useMutation(trpc.tournaments.start.mutationOptions(options)),
    complete: useMutation(trpc.tournaments.complete.mutationOptions(options)),
    cancel: useMutation(trpc.tournaments.cancel.mutationOptions(options)),
  };
  const failed = Object.values(mutations).find((m) => m.isError);
  const busy = Object.values(mutations).some((m) => m.isPending);
  return (
    <section aria-labelledby="lifecycle-heading">
      <h2 id="lifecycle-heading">Lifecycle</h2>
      <p>
        Status: <strong data-testid="console-status">{STATUS_LABELS[t.status]}</strong>
      </p>
      <div className="actions">
        {legalActions(t.status).map((action) => (
          <button
            key={action}
            type="button"
            className={action === "cancel" ? "danger" : undefined}
            disabled={busy}
            onClick={() => {
              if (action === "cancel" && !window.confirm(`Cancel ${t.name}? This cannot be undone.`)) return;
              mutations[action].mutate({ slug: t.slug });
            }}
          >
            {TRANSITIONS[action].label}
          </button>
        ))}
      </div>
      <FormError message={failed ? messageOf(failed.error) : null} />
    </section>
  );
}

function Health({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const health = useQuery(trpc.tournaments.health.queryOptions({ slug }));
  if (health.isPending) return <Loading what="health" />;
  if (health.isError) return <ErrorState error={health.error} retry={health.refetch} />;
  const h = health.data;
  return (
    <section aria-labelledby="health-heading">
      <h2 id="health-heading">Health</h2>
      <dl className="facts" data-testid="health">
        <dt>Confirmed</dt>
        <dd>{h.confirmed}</dd>
        <dt>Checked in</dt>
        <dd>
          {h.checkedIn}
          {h.checkInRate != null && ` (${Math.round(h.checkInRate * 100)}%)`}
        </dd>
        <dt>Matches</dt>
        <dd>
          {h.completedMatches} / {h.totalMatches} completed, {h.matchesReady} ready, {h.matchesLate} late
        </dd>
        <dt>Open disputes</dt>
        <dd>{h.disputesOpen}</dd>
      </dl>
    </section>
  );
}

/** Every entry (one page of 50 per status view), with the actions its status allows. */
function Entries({ t }: { t: Tournament }) {
  const trpc = useTRPC();
  const entries = useQuery(trpc.registrations.manage.queryOptions({ tournamentSlug: t.slug, limit: 50 }));
  if (entries.isPending) return <Loading what="entries" />;
  if (entries.isError) return <ErrorState error={entries.error} retry={entries.refetch} />;
  const all = entries.data.items;
  const toReview = all.filter((r) => r.status === "pending");
  const waitlist = all
    .filter((r) => r.status === "waitlisted")
    .sort((a, b) => (a.waitlistPosition ?? 0) - (b.waitlistPosition ?? 0));
  const confirmed = all.filter((r) => r.status === "confirmed");
  return (
    <>
      <section aria-labelledby="review-heading">
        <h2 id="review-heading">Review queue</h2>
        {toReview.length === 0 ? (
          <Empty>No entry waits for review.</Empty>
        ) : (
          <ul className="queue" data-testid="review-queue">
            {toReview.map((r) => (
              <ReviewItem key={r.id} t={t} r={r} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="waitlist-heading">
        <h2 id="waitlist-heading">Waitlist</h2>
        {waitlist.length === 0 ? (
          <Empty>The waitlist is empty.</Empty>
        ) : (
          <ol data-testid="waitlist">
            {waitlist.map((r) => (
              <WaitlistItem key={r.id} slug={t.slug} r={r} />
            ))}
          </ol>
        )}
      </section>
      <section aria-labelledby="confirmed-heading">
        <h2 id="confirmed-heading">Confirmed entries: seeding and check-in</h2>
        {confirmed.length === 0 ? (
          <Empty>No confirmed entry yet.</Empty>
        ) : (
          <table data-testid="confirmed">
            <thead>
              <tr>
                <th scope="col">Entrant</th>
                <th scope="col">Checked in</th>
                <th scope="col">Seed</th>
              </tr>
            </thead>
            <tbody>
              {confirmed.map((r) => (
                <tr key={r.id}>
                  <td>{nameOf(r)}</td>
                  <td>{r.checkedInAt ? new Date(r.checkedInAt).toLocaleString("en-GB") : "No"}</td>
                  <td>
                    <SeedInput
                      slug={t.slug}
                      r={r}
                      locked={!["draft", "published", "registration_open", "registration_closed"].includes(t.status)}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {entries.data.nextCursor !== null && <p className="muted">Showing the first 50 entries.</p>}
      </section>
    </>
  );
}

const nameOf = (r: Registration) => r.team?.name ?? `@${r.user.username}`;

function ReviewItem({ t, r }: { t: Tournament; r: Registration }) {
  const trpc = useTRPC();
  const refresh = useRefreshConsole(t.slug);
  const review = useMutation(trpc.registrations.review.mutationOptions({ onSuccess: () => refresh() }));
  const pay = useMutation(trpc.registrations.reviewPayment.mutationOptions({ onSuccess: () => refresh() }));
  const p = r.payment;
  const needsPayment = t.entryFeeCents > 0 && t.paymentMethod === "reference";
  const who = nameOf(r);
  return (
    <li aria-label={`Entry of ${who}`}>
      <strong>{who}</strong> <span className="muted">by @{r.user.username}</span>
      {Object.keys(r.fields).length > 0 && (
        <span className="muted">
          {" "}
          —{" "}
          {Object.entries(r.fields)
            .map(([k, v]) => `${k}: ${String(v)}`)
            .join(", ")}
        </span>
      )}
      {needsPayment && (
        <p>
          Payment {money(t.entryFeeCents, t.currency)}: {p ? `${p.reference} (${p.status})` : "not submitted"}
          {p?.status === "submitted" && (
            <>
              {" "}
              <button
                type="button"
                disabled={pay.isPending}
                onClick={() => pay.mutate({ paymentId: p.id, decision: "verify" })}
              >
                Verify payment of {who}
              </button>
              <button
                type="button"
                disabled={pay.isPending}
                onClick={() => pay.mutate({ paymentId: p.id, decision: "reject" })}
              >
                Reject payment of {who}
              </button>
            </>
          )}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          disabled={review.isPending || (needsPayment && p?.status !== "verified")}
          onClick={() => review.mutate({ registrationId: r.id, decision: "confirm" })}
        >
          Confirm {who}
        </button>
        <button
          type="button"
          className="danger"
          disabled={review.isPending}
          onClick={() => review.mutate({ registrationId: r.id, decision: "reject" })}
        >
          Reject {who}
        </button>
      </div>
      <FormError message={review.error ? messageOf(review.error) : pay.error ? messageOf(pay.error) : null} />
    </li>
  );
}

function WaitlistItem({ slug, r }: { slug: string; r: Registration }) {
  const trpc = useTRPC();
  const refresh = useRefreshConsole(slug);
  const [position, setPosition] = useState(String(r.waitlistPosition ?? 1));
  const move = useMutation(trpc.registrations.reorderWaitlist.mutationOptions({ onSuccess: () => refresh() }));
  const who = nameOf(r);
  return (
    <li>
      {who} (position {r.waitlistPosition})
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          move.mutate({ registrationId: r.id, position: Number(position) });
        }}
      >
        <label>
          New position for {who}
          <input type="number" min={1} value={position} onChange={(e) => setPosition(e.target.value)} />
        </label>
        <button type="submit" disabled={move.isPending}>
          Move
        </button>
      </form>
      <FormError message={move.error ? messageOf(move.error) : null} />
    </li>
  );
}

function SeedInput({ slug, r, locked }: { slug: string; r: Registration; locked: boolean }) {
  const trpc = useTRPC();
  const refresh = useRefreshConsole(slug);
  const [seed, setSeed] = useState(r.seed != null ? String(r.seed) : "");
  const set = useMutation(trpc.registrations.setSeed.mutationOptions({ onSuccess: () => refresh() }));
  if (locked) return <>{r.seed ?? "—"}</>;
  return (
    <form
      className="inline"
      onSubmit={(e) => {
        e.preventDefault();
        set.mutate({ registrationId: r.id, seed: seed === "" ? null : Number(seed) });
      }}
    >
      <label>
        <span className="visually-hidden">Seed of {nameOf(r)}</span>
        <input type="number" min={1} max={1024} value={seed} onChange={(e) => setSeed(e.target.value)} />
      </label>
      <button type="submit" disabled={set.isPending}>
        Set seed
      </button>
      {set.error && <span role="alert"> {messageOf(set.error)}</span>}
    </form>
  );
}

/** Disputed matches first, then every match: each opens its page to resolve, override or forfeit. */
function MatchesToSettle({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const disputed = useQuery(trpc.matches.list.queryOptions({ tournamentSlug: slug, state: "disputed", limit: 50 }));
  const ready = useQuery(trpc.matches.list.queryOptions({ tournamentSlug: slug, state: "ready", limit: 50 }));
  const link = (m: {
    id: number;
    bracket: string;
    round: number;
    sideA: { name: string } | null;
    sideB: { name: string } | null;
  }) => (
    <Link to="/tournaments/$slug/matches/$matchId" params={{ slug, matchId: String(m.id) }}>
      {BRACKET_LABELS[m.bracket] ?? m.bracket} round {m.round}: {m.sideA?.name ?? "TBD"} vs {m.sideB?.name ?? "TBD"}
    </Link>
  );
  return (
    <section aria-labelledby="disputes-heading">
      <h2 id="disputes-heading">Disputes</h2>
      {disputed.isPending ? (
        <Loading what="disputes" />
      ) : disputed.isError ? (
        <ErrorState error={disputed.error} retry={disputed.refetch} />
      ) : disputed.data.items.length === 0 ? (
        <Empty>No open dispute.</Empty>
      ) : (
        <ul data-testid="disputes">
          {disputed.data.items.map((m) => (
            <li key={m.id}>
              {link(m)} — reports {m.reports.map((r) => `${r.scoreA}–${r.scoreB}`).join(" vs ")}
            </li>
          ))}
        </ul>
      )}
      <h3>Matches in play</h3>
      {ready.data && ready.data.items.length > 0 ? (
        <ul data-testid="ready-matches">
          {ready.data.items.map((m) => (
            <li key={m.id}>{link(m)}</li>
          ))}
        </ul>
      ) : (
        <Empty>No match is waiting to be played.</Empty>
      )}
    </section>
  );
}
