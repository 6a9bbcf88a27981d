import type { AppRouter } from "@deltacrown/client";
import type { QueryClient } from "@tanstack/react-query";
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
} from "@tanstack/react-router";
import { createTRPCOptionsProxy, type TRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { Header } from "./components/header.tsx";
import { SessionNotice } from "./components/session-notice.tsx";
import { NotFound } from "./pages/not-found.tsx";
import { client, session } from "./lib/session.ts";
import { matchesQuery } from "./tournaments/bracket/queries.ts";
import { teamFeedQuery } from "./lib/social-queries.ts";
import { ME_STALE_MS } from "./lib/use-me.ts";
import { teamRoutes } from "./teams/routes.tsx";
import { tournamentRoutes } from "./tournaments/routes.tsx";

interface RouterContext {
  queryClient: QueryClient;
  trpc: TRPCOptionsProxy<AppRouter>;
}

function Layout() {
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <Header />
      <SessionNotice />
      <main id="main">
        <Outlet />
      </main>
    </>
  );
}

export const root = createRootRouteWithContext<RouterContext>()({
  component: Layout,
  notFoundComponent: NotFound,
  // The header's reads start with the page's own (route loaders run in the same tick), so a
  // first load is one batched request; with no session they are refused at no database cost.
  loader: ({ context: { queryClient, trpc } }) => {
    if (!session.active()) return;
    void queryClient.prefetchQuery({ ...trpc.identity.me.queryOptions(), staleTime: ME_STALE_MS });
    void queryClient.prefetchQuery(trpc.notifications.unreadCount.queryOptions());
  },
});

// Pages load as their own chunks: the first paint carries only the shell.
const page = <K extends string>(load: () => Promise<Record<K, React.ComponentType>>, name: K) =>
  lazyRouteComponent(load, name);

const home = createRoute({
  getParentRoute: () => root,
  path: "/",
  component: page(() => import("./pages/home.tsx"), "HomePage"),
});
const signIn = createRoute({
  getParentRoute: () => root,
  path: "/sign-in",
  component: page(() => import("./pages/auth.tsx"), "SignInPage"),
});
const signUp = createRoute({
  getParentRoute: () => root,
  path: "/sign-up",
  component: page(() => import("./pages/auth.tsx"), "SignUpPage"),
});
const teams = createRoute({
  getParentRoute: () => root,
  path: "/teams",
  component: page(() => import("./pages/team-search.tsx"), "TeamSearchPage"),
});
const newTeam = createRoute({
  getParentRoute: () => root,
  path: "/teams/new",
  component: page(() => import("./pages/team-create.tsx"), "TeamCreatePage"),
});
export const team = createRoute({
  getParentRoute: () => root,
  path: "/teams/$slug",
  // Starts the page's reads while its code downloads, in the same tick so they share one
  // batched request: the team and its posts, and for a signed-in viewer what they may do on it
  // and whether they follow it (both in teams.viewer).
  loader: ({ context, params }) => {
    const { queryClient, trpc } = context;
    void queryClient.prefetchQuery(trpc.teams.bySlug.queryOptions({ slug: params.slug }));
    void queryClient.prefetchInfiniteQuery(teamFeedQuery(trpc, params.slug));
    if (session.active()) {
      void queryClient.prefetchQuery(trpc.teams.viewer.queryOptions({ slug: params.slug }));
    }
  },
  component: page(() => import("./pages/team.tsx"), "TeamPage"),
});
const myTeams = createRoute({
  getParentRoute: () => root,
  path: "/me/teams",
  component: page(() => import("./pages/my-teams.tsx"), "MyTeamsPage"),
});
const myInvites = createRoute({
  getParentRoute: () => root,
  path: "/me/invites",
  component: page(() => import("./pages/my-invites.tsx"), "MyInvitesPage"),
});
export const org = createRoute({
  getParentRoute: () => root,
  path: "/orgs/$slug",
  component: page(() => import("./pages/org.tsx"), "OrgPage"),
});
export const leaderboard = createRoute({
  getParentRoute: () => root,
  path: "/leaderboards/$game",
  component: page(() => import("./pages/leaderboard.tsx"), "LeaderboardPage"),
});
const wallet = createRoute({
  getParentRoute: () => root,
  path: "/wallet",
  component: page(() => import("./pages/wallet.tsx"), "WalletPage"),
});
const feed = createRoute({
  getParentRoute: () => root,
  path: "/feed",
  component: page(() => import("./pages/feed.tsx"), "FeedPage"),
});
const notifications = createRoute({
  getParentRoute: () => root,
  path: "/notifications",
  component: page(() => import("./pages/notifications.tsx"), "NotificationsPage"),
});
// The bracket's code (and its stylesheet) loads only on this route; its reads start at once.
export const tournamentBracket = createRoute({
  getParentRoute: () => root,
  path: "/tournaments/$slug/bracket",
  loader: ({ context: { queryClient, trpc }, params }) => {
    void queryClient.prefetchQuery(trpc.tournaments.bySlug.queryOptions({ slug: params.slug }));
    void queryClient.prefetchQuery(matchesQuery(client, params.slug));
  },
  component: page(() => import("./tournaments/bracket/bracket-page.tsx"), "BracketPage"),
});

const routeTree = root.addChildren([
  home,
  signIn,
  signUp,
  teams,
  newTeam,
  team,
  ...teamRoutes,
  myTeams,
  myInvites,
  org,
  leaderboard,
  wallet,
  feed,
  notifications,
  ...tournamentRoutes,
  tournamentBracket,
]);

export function createAppRouter(queryClient: QueryClient) {
  const trpc = createTRPCOptionsProxy<AppRouter>({ client, queryClient });
  return createRouter({ routeTree, context: { queryClient, trpc }, defaultPreload: "intent", scrollRestoration: true });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
