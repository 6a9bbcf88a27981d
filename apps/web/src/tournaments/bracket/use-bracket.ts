import type { RouterOutputs } from "@deltacrown/client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useMemo } from "react";
import { useTRPC, useTRPCClient } from "../../lib/trpc.ts";
import { useMe } from "../../lib/use-me.ts";

export type Match = RouterOutputs["matches"]["list"]["items"][number];
export type Standing = RouterOutputs["tournaments"]["standings"]["items"][number];

const PAGE = 50;

/** Every page of a cursor-paged list (lists are capped at 50 a page; a 128-entrant bracket has 254 matches). */
async function allPages<T, C>(read: (cursor: C | undefined) => Promise<{ items: T[]; nextCursor: C | null }>) {
  const out: T[] = [];
  let cursor: C | undefined;
  do {
    const page = await read(cursor);
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return out;
}

/** The query keys of one tournament's bracket data, so a live event can refresh them. */
export const bracketKeys = {
  all: (slug: string) => ["bracket", slug] as const,
  matches: (slug: string) => ["bracket", slug, "matches"] as const,
  standings: (slug: string) => ["bracket", slug, "standings"] as const,
  mine: (slug: string, username: string) => ["bracket", slug, "mine", username] as const,
};

/**
 * A tournament's matches (and standings for the formats that have them), kept live: every event on
 * the tournament's channel (a reported result, a correction resetting matches downstream, the
 * bracket being generated) reads them again, so each open bracket shows what the API holds.
 */
export function useBracket(slug: string, withStandings: boolean) {
  const client = useTRPCClient();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const matches = useQuery({
    queryKey: bracketKeys.matches(slug),
    queryFn: () =>
      allPages<Match, number>((cursor) =>
        client.matches.list.query({ tournamentSlug: slug, limit: PAGE, ...(cursor !== undefined ? { cursor } : {}) }),
      ),
  });
  const standings = useQuery({
    queryKey: bracketKeys.standings(slug),
    enabled: withStandings,
    queryFn: () =>
      allPages<Standing, string>((cursor) =>
        client.tournaments.standings.query({ slug, limit: PAGE, ...(cursor !== undefined ? { cursor } : {}) }),
      ),
  });
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
