import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useMemo } from "react";
import { useTRPC, useTRPCClient } from "../../lib/trpc.ts";
import { useMe } from "../../lib/use-me.ts";
import { allPages, bracketKeys, matchesQuery, PAGE, standingsQuery } from "./queries.ts";

export type { Match, Standing } from "./queries.ts";

/**
 * A tournament's matches (and standings for the formats that have them), kept live: every event on
 * the tournament's channel (a reported result, a correction resetting matches downstream, the
 * bracket being generated) reads them again, so each open bracket shows what the API holds.
 */
export function useBracket(slug: string, withStandings: boolean) {
  const client = useTRPCClient();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const matches = useQuery(matchesQuery(client, slug));
  const standings = useQuery({ ...standingsQuery(client, slug), enabled: withStandings });
  useSubscription(
    trpc.live.tournament.subscriptionOptions(
      { tournamentSlug: slug },
      { onData: () => void queryClient.invalidateQueries({ queryKey: bracketKeys.all(slug) }) },
    ),
  );
  return { matches, standings };
}

/**
 * The signed-in viewer's entries in the tournament (their solo entry, or their teams'), to
 * highlight their matches. Empty when signed out.
 */
export function useMyEntries(slug: string): ReadonlySet<number> {
  const client = useTRPCClient();
  const { user } = useMe();
  const username = user?.username ?? "";
  const mine = useQuery({
    queryKey: bracketKeys.mine(slug, username),
    enabled: user !== null,
    staleTime: 60_000,
    queryFn: async () => {
      const [entries, teams] = await Promise.all([
        allPages((cursor: number | undefined) =>
          client.registrations.list.query({
            tournamentSlug: slug,
            limit: PAGE,
            ...(cursor !== undefined ? { cursor } : {}),
          }),
        ),
        allPages((cursor: string | undefined) =>
          client.teams.mine.query({ limit: PAGE, ...(cursor !== undefined ? { cursor } : {}) }),
        ),
      ]);
      const teamSlugs = new Set(teams.map((t) => t.slug));
      return entries
        .filter((e) => e.player?.username === username || (e.team !== null && teamSlugs.has(e.team.slug)))
        .map((e) => e.id);
    },
  });
  const ids = mine.data;
  return useMemo(() => new Set(ids ?? []), [ids]);
}
