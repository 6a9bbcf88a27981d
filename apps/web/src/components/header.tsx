import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { session } from "../lib/session.ts";
import { useTRPC } from "../lib/trpc.ts";
import { useMe } from "../lib/use-me.ts";

/** Unread count, refreshed whenever a notification arrives on the live stream. */
function NotificationBadge() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const unread = useQuery(trpc.notifications.unreadCount.queryOptions());
  useSubscription(
    trpc.live.notifications.subscriptionOptions(
      {},
      {
        onData: () => {
          void queryClient.invalidateQueries({ queryKey: trpc.notifications.unreadCount.queryKey() });
          void queryClient.invalidateQueries({ queryKey: trpc.notifications.list.pathKey() });
        },
      },
    ),
  );
  const count = unread.data?.count ?? 0;
  return (
    <Link to="/notifications" className="badge-link">
      Notifications
      <span className="badge" data-testid="unread-badge" aria-hidden="true">
        {count}
      </span>
      <span className="visually-hidden">({count} unread)</span>
    </Link>
  );
}

function SignOut() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const signOut = useMutation(
    trpc.identity.signOut.mutationOptions({
      onSettled: () => {
        session.signedOut();
        queryClient.clear();
        void navigate({ to: "/" });
      },
    }),
  );
  return (
    <button type="button" className="link-button" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
      Sign out
    </button>
  );
}

export function Header() {
  const { user } = useMe();
  return (
    <header className="site-header">
      <Link to="/" className="brand">
        DeltaCrown
      </Link>
      <nav aria-label="Main">
        <Link to="/teams">Teams</Link>
        <Link to="/tournaments">Tournaments</Link>
        <Link to="/leaderboards/$game" params={{ game: "valorant" }}>
          Leaderboards
        </Link>
        {user && (
          <>
            <Link to="/feed">Feed</Link>
            <Link to="/me/teams">My teams</Link>
            <Link to="/me/invites">Invites</Link>
            <Link to="/wallet">Wallet</Link>
            <Link to="/organizer">Organize</Link>
            <NotificationBadge />
          </>
        )}
      </nav>
      <div className="account">
        {user ? (
          <>
            <span className="who" data-testid="signed-in-user">
              {user.displayName} <span className="muted">@{user.username}</span>
            </span>
            <SignOut />
          </>
        ) : (
          <>
            <Link to="/sign-in">Sign in</Link>
            <Link to="/sign-up" className="button">
              Sign up
            </Link>
          </>
        )}
      </div>
    </header>
  );
}
