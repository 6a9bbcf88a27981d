import type { RouterOutputs } from "@deltacrown/client";
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { RequireUser } from "../components/require-user.tsx";
import { ErrorState, Loading } from "../components/status.tsx";
import { codeOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";

export type Team = RouterOutputs["teams"]["bySlug"];

/**
 * The frame of a team's management pages (settings, sponsors, analytics): signed in, the team
 * read (from the team page's cache when it was just shown), a way back to it.
 */
export function TeamAdminPage({ title, children }: { title: string; children: (team: Team) => React.ReactNode }) {
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

function TeamFrame({
  slug,
  title,
  children,
}: {
  slug: string;
  title: string;
  children: (team: Team) => React.ReactNode;
}) {
  const trpc = useTRPC();
  const team = useQuery(trpc.teams.bySlug.queryOptions({ slug }));
  if (team.isPending) return <Loading what="team" />;
  if (team.isError)
    return (
      <section className="page">
        <h1>{title}</h1>
        <ErrorState error={team.error} retry={codeOf(team.error) === "NOT_FOUND" ? undefined : team.refetch} />
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
      {children(team.data)}
    </section>
  );
}
