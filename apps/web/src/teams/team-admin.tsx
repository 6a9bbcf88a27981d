import type { RouterOutputs } from "@deltacrown/client";
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { RequireUser } from "../components/require-user.tsx";
import { ErrorState, Loading } from "../components/status.tsx";
import { codeOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";

export type Team = RouterOutputs["teams"]["bySlug"];
/** What the viewer may do on the team (teams.viewer): forms are offered from it; writes still check. */
export type Can = RouterOutputs["teams"]["viewer"]["can"];
type Children = (team: Team, can: Can) => React.ReactNode;

/**
 * The frame of a team's management pages (settings, sponsors, analytics): signed in, the team
 * and the viewer's permissions read (from the team page's cache when it was just shown), a way
 * back to it.
 */
export function TeamAdminPage({ title, children }: { title: string; children: Children }) {
  // Every route that uses this frame is under /teams/$slug/.
  const slug = useParams({ strict: false }).slug ?? "";
  return (
    <RequireUser title={title}>
      <TeamFrame slug={slug} title={title}>
        {children}
      </TeamFrame>
    </RequireUser>
  );
}

function TeamFrame({ slug, title, children }: { slug: string; title: string; children: Children }) {
  const trpc = useTRPC();
  const team = useQuery(trpc.teams.bySlug.queryOptions({ slug }));
  const viewer = useQuery(trpc.teams.viewer.queryOptions({ slug }));
  if (team.isPending || viewer.isPending) return <Loading what="team" />;
  const failed = team.error ?? viewer.error;
  if (failed != null || team.data === undefined || viewer.data === undefined)
    return (
      <section className="page">
        <h1>{title}</h1>
        <ErrorState
          error={failed}
          retry={
            codeOf(failed) === "NOT_FOUND" ? undefined : () => void Promise.all([team.refetch(), viewer.refetch()])
          }
        />
      </section>
    );
  return (
    <section className="page">
      <p>
        <Link to="/teams/$slug" params={{ slug }}>
          ← {team.data.name}
        </Link>
      </p>
      <h1>
        {title} <span className="muted">· {team.data.name}</span>
      </h1>
      {children(team.data, viewer.data.can)}
    </section>
  );
}
