/**
 * The tournament pages' routes, each its own lazy chunk (the first load carries none of them).
 * The bracket route (`/tournaments/$slug/bracket`) lives with the bracket views.
 */
import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { session } from "../lib/session.ts";
import { root } from "../router.tsx";

const list = createRoute({
  getParentRoute: () => root,
  path: "/tournaments",
  component: lazyRouteComponent(() => import("./discovery.tsx"), "TournamentsPage"),
});
const create = createRoute({
  getParentRoute: () => root,
  path: "/tournaments/new",
  component: lazyRouteComponent(() => import("./tournament-form.tsx"), "CreateTournamentPage"),
});
const page = createRoute({
  getParentRoute: () => root,
  path: "/tournaments/$slug",
  // The page's reads start while its code downloads, in one batched request.
  loader: ({ context, params }) => {
    const { queryClient, trpc } = context;
    void queryClient.prefetchQuery(trpc.tournaments.bySlug.queryOptions({ slug: params.slug }));
    if (session.active()) void queryClient.prefetchQuery(trpc.tournaments.viewer.queryOptions({ slug: params.slug }));
  },
  component: lazyRouteComponent(() => import("./tournament.tsx"), "TournamentPage"),
});
const edit = createRoute({
  getParentRoute: () => root,
  path: "/tournaments/$slug/edit",
  component: lazyRouteComponent(() => import("./tournament-form.tsx"), "EditTournamentPage"),
});
const manage = createRoute({
  getParentRoute: () => root,
  path: "/tournaments/$slug/manage",
  component: lazyRouteComponent(() => import("./console.tsx"), "ConsolePage"),
});
const match = createRoute({
  getParentRoute: () => root,
  path: "/tournaments/$slug/matches/$matchId",
  component: lazyRouteComponent(() => import("./match.tsx"), "MatchPage"),
});
const certificate = createRoute({
  getParentRoute: () => root,
  path: "/certificates/$code",
  component: lazyRouteComponent(() => import("./certificate.tsx"), "CertificatePage"),
});
const dashboard = createRoute({
  getParentRoute: () => root,
  path: "/organizer",
  component: lazyRouteComponent(() => import("./dashboard.tsx"), "OrganizerDashboardPage"),
});
export const tournamentRoutes = [list, create, page, edit, manage, match, certificate, dashboard] as const;
