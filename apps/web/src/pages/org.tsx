import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { Empty, ErrorState, Loading } from "../components/status.tsx";
import { codeOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { useMe } from "../lib/use-me.ts";

export function OrgPage() {
  const { slug } = useParams({ from: "/orgs/$slug" });
  const trpc = useTRPC();
  const { user } = useMe();
  const org = useQuery(trpc.orgs.bySlug.queryOptions({ slug }));
  if (org.isPending) return <Loading what="organization" />;
  if (org.isError)
    return (
      <section className="page">
        <h1>{codeOf(org.error) === "NOT_FOUND" ? "Organization not found" : "Organization"}</h1>
        <ErrorState error={org.error} retry={codeOf(org.error) === "NOT_FOUND" ? undefined : org.refetch} />
      </section>
    );
  const o = org.data;
  return (
    <section className="page">
      <h1>{o.name}</h1>
      {o.description && <p className="description">{o.description}</p>}
      <dl className="facts">
        <dt>Owner</dt>
        <dd>@{o.owner.username}</dd>
        <dt>Members</dt>
        <dd>{o.memberCount}</dd>
        {o.website && (
          <>
            <dt>Website</dt>
            <dd>
              {/* The server allows only http(s) URLs here (text policy), so this link cannot run script. */}
              <a href={o.website} rel="noopener noreferrer nofollow">
                {o.website}
              </a>
            </dd>
          </>
        )}
      </dl>
      {user ? <Dashboard slug={slug} /> : <p>Members of {o.name} see its dashboard after signing in.</p>}
    </section>
  );
}

/** Members only: the server answers FORBIDDEN to anyone else, which is a state, not a failure. */
function Dashboard({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const dash = useQuery(trpc.orgs.dashboard.queryOptions({ slug }));
  const members = useQuery({ ...trpc.orgs.members.queryOptions({ slug, limit: 50 }), enabled: dash.isSuccess });
  if (dash.isPending) return <Loading what="dashboard" />;
  if (dash.isError)
    return codeOf(dash.error) === "FORBIDDEN" ? (
      <p className="muted">Only members of this organization see its dashboard.</p>
    ) : (
      <ErrorState error={dash.error} retry={dash.refetch} />
    );
  const d = dash.data;
  return (
    <section aria-labelledby="dash-heading">
      <h2 id="dash-heading">Dashboard</h2>
      <p>
        {d.teamCount} teams · {d.memberCount} members
      </p>
      <div className="columns">
        <section aria-labelledby="dash-teams">
          <h3 id="dash-teams">Teams</h3>
          {d.teams.length === 0 ? (
            <Empty>No teams yet.</Empty>
          ) : (
            <ul className="plain">
              {d.teams.map((t) => (
                <li key={t.slug}>
                  <Link to="/teams/$slug" params={{ slug: t.slug }}>
                    {t.name}
                  </Link>{" "}
                  <span className="muted">
                    {t.game.name} · {t.memberCount} members{t.rank != null && ` · #${t.rank}`}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="dash-members">
          <h3 id="dash-members">Members</h3>
          {members.isPending ? (
            <Loading what="members" />
          ) : members.isError ? (
            <ErrorState error={members.error} retry={members.refetch} />
          ) : (
            <ul className="plain">
              {members.data.items.map((m) => (
                <li key={m.id}>
                  {m.user.displayName}{" "}
                  <span className="muted">
                    @{m.user.username} · {m.role}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="dash-activity">
          <h3 id="dash-activity">Recent activity</h3>
          {d.recentActivity.length === 0 ? (
            <Empty>Nothing happened yet.</Empty>
          ) : (
            <ul className="plain">
              {d.recentActivity.map((a) => (
                <li key={a.id}>
                  {a.action.replaceAll("_", " ")}{" "}
                  <span className="muted">
                    by {a.actor ?? "system"} · {new Date(a.at).toLocaleString()}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </section>
  );
}
