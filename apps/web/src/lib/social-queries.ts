import type { AppRouter } from "@deltacrown/client";
import type { TRPCOptionsProxy } from "@trpc/tanstack-react-query";

type Trpc = TRPCOptionsProxy<AppRouter>;

/**
 * The team page's social reads, shared by its components and the route's loader: the loader
 * starts them in the same tick as the team's own reads, so a first load stays one batched request.
 */
export const teamFeedQuery = (trpc: Trpc, teamSlug: string) =>
  trpc.posts.teamFeed.infiniteQueryOptions({ teamSlug, limit: 10 }, { getNextPageParam: (p) => p.nextCursor });
