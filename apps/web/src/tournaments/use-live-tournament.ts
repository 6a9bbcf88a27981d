import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useTRPC } from "../lib/trpc.ts";

/**
 * Follows the tournament's live channel (match results, disputes, bracket changes) and reads
 * again what those change, so an open page shows a reported result without a reload.
 */
export function useLiveTournament(slug: string, enabled = true) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  useSubscription(
    trpc.live.tournament.subscriptionOptions(
      { tournamentSlug: slug },
      {
        enabled,
        onData: () =>
          void Promise.all([
            queryClient.invalidateQueries({ queryKey: trpc.matches.pathKey() }),
            queryClient.invalidateQueries({ queryKey: trpc.tournaments.standings.queryKey() }),
            queryClient.invalidateQueries({ queryKey: trpc.tournaments.bySlug.queryKey({ slug }) }),
            queryClient.invalidateQueries({ queryKey: trpc.tournaments.health.queryKey({ slug }) }),
          ]),
      },
    ),
  );
}
