/**
 * `@deltacrown/client/react-query`: what a React app needs for TanStack Query (via
 * `@trpc/tanstack-react-query`), typed against the DeltaCrown router. One context for the whole
 * app: wrap it in <TRPCProvider trpcClient={createClient(…)} queryClient={…}>, then
 * `const trpc = useTRPC(); useQuery(trpc.games.list.queryOptions())`. Outside React (route
 * loaders), `createQueryOptions(client, queryClient)` gives the same options without hooks.
 */
import type { QueryClient } from "@tanstack/react-query";
import { createTRPCContext, createTRPCOptionsProxy, type TRPCOptionsProxy } from "@trpc/tanstack-react-query";
import type { TRPCClient } from "@trpc/client";
import type { AppRouter } from "./router.ts";

/** For `live.*` subscriptions: `useSubscription(trpc.live.team.subscriptionOptions(…))`. */
export { useSubscription } from "@trpc/tanstack-react-query";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** Query and mutation options (and keys) for every procedure, e.g. `trpc.teams.bySlug.queryOptions(…)`. */
export type DeltaCrownQueryOptions = TRPCOptionsProxy<AppRouter>;

/** The options proxy without React context: for route loaders and prefetching. */
export function createQueryOptions(client: TRPCClient<AppRouter>, queryClient: QueryClient): DeltaCrownQueryOptions {
  return createTRPCOptionsProxy<AppRouter>({ client, queryClient });
}
