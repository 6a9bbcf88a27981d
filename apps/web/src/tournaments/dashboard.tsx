import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { RequireUser } from "../components/require-user.tsx";
import { Empty, ErrorState, Loading } from "../components/status.tsx";
import { useTRPC } from "../lib/trpc.ts";
import { STATUS_LABELS, when, type TournamentStatus } from "./format.ts";

/** The organizer's dashboard: what waits for them across their tournaments. */
export function OrganizerDashboardPage() {
  return (
    <RequireUser title="Organizer dashboard">
      <Dashboard />
    </RequireUser>
  );
}

function Dashboard() {
  const trpc = useTRPC();
  const dash = useQuery(trpc.tournaments.dashboard.queryOptions());
  if (dash.isPending) return <Loading what="dashboard" />;
  if (dash.isError) return <ErrorState error={dash.error} retry={dash.refetch} />;
  const d = dash.data;
  return (
    <section className="page">
      <div className="page-head">
        <h1>Organizer dashboard</h1>
        <Link to="/tournaments/new" className="button">
          Create a tournament
        </Link>
      </div>
      <dl className="facts" data-testid="organizer-dashboard">
        <dt>Entries to review</dt>
        <dd>{d.registrationsPending}</dd>
        <dt>Payments to verify</dt>
        <dd>{d.paymentsToVerify}</dd>
        <dt>Open disputes</dt>
        <dd>{d.disputesOpen}</dd>
        {Object.entries(d.tournamentsByStatus).map(([status, n]) => (
          <div key={status} className="contents">
            <dt>{STATUS_LABELS[status as TournamentStatus] ?? status}</dt>
            <dd>{n}</dd>
          </div>
        ))}
      </dl>
      <h2>Upcoming</h2>
      {d.upcoming.length === 0 ? (
        <Empty>Nothing upcoming.</Empty>
      ) : (
        <ul>
          {d.upcoming.map((t) => (
            <li key={t.slug}>
              <Link to="/tournaments/$slug/manage" params={{ slug: t.slug }}>
                {t.name}
              </Link>{" "}
              — {STATUS_LABELS[t.status as TournamentStatus] ?? t.status}, {when(t.startsAt)}, {t.entriesCount}/
              {t.capacity}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
