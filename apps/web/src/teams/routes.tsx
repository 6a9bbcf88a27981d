/** A team's management pages, each its own lazy chunk. */
import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { root } from "../router.tsx";

const settings = createRoute({
  getParentRoute: () => root,
  path: "/teams/$slug/settings",
  component: lazyRouteComponent(() => import("./settings.tsx"), "TeamSettingsPage"),
});
const sponsors = createRoute({
  getParentRoute: () => root,
  path: "/teams/$slug/sponsors",
  component: lazyRouteComponent(() => import("./sponsors.tsx"), "TeamSponsorsPage"),
});
const analytics = createRoute({
  getParentRoute: () => root,
  path: "/teams/$slug/analytics",
  component: lazyRouteComponent(() => import("./analytics.tsx"), "TeamAnalyticsPage"),
});
export const teamRoutes = [settings, sponsors, analytics] as const;
