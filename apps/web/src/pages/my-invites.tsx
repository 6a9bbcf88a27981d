import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { RequireUser } from "../components/require-user.tsx";
import { Empty, ErrorState, FormError, Loading } from "../components/status.tsx";
import { messageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";

function MyInvites() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const invites = useInfiniteQuery(
    trpc.invites.mine.infiniteQueryOptions({ limit: 20 }, { getNextPageParam: (p) => p.nextCursor }),
  );
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.invites.mine.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.teams.mine.pathKey() }),
    ]);
  const accept = useMutation(
    trpc.invites.accept.mutationOptions({
      onSuccess: (r) => {
        void refresh();
        void navigate({ to: "/teams/$slug", params: { slug: r.teamSlug } });
      },
    }),
  );
  const decline = useMutation(trpc.invites.decline.mutationOptions({ onSuccess: () => void refresh() }));
  const items = invites.data?.pages.flatMap((p) => p.items) ?? [];
  const error = accept.error ?? decline.error;
  return (
    <section className="page">
      <h1>My invites</h1>
      <FormError message={error ? messageOf(error) : null} />
      {invites.isPending ? (
        <Loading what="invites" />
      ) : invites.isError ? (
        <ErrorState error={invites.error} retry={invites.refetch} />
      ) : items.length === 0 ? (
        <Empty>No invites waiting for you.</Empty>
      ) : (
        <ul className="cards">
          {items.map((i) => (
            <li key={i.id} className="card">
              <span>
                <Link to="/teams/$slug" params={{ slug: i.team.slug }}>
                  {i.team.name}
                </Link>{" "}
                invites you as <strong>{i.role}</strong>
                <span className="muted"> · from @{i.inviter.username}</span>
              </span>
              <div className="row">
                <button type="button" onClick={() => accept.mutate({ inviteId: i.id })} disabled={accept.isPending}>
                  Accept invite to {i.team.name}
                </button>
                <button type="button" onClick={() => decline.mutate({ inviteId: i.id })} disabled={decline.isPending}>
                  Decline
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {invites.hasNextPage && (
        <button type="button" onClick={() => void invites.fetchNextPage()}>
          Load more
        </button>
      )}
    </section>
  );
}

export function MyInvitesPage() {
  return (
    <RequireUser title="My invites">
      <MyInvites />
    </RequireUser>
  );
}
