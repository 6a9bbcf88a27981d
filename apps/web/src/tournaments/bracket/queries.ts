/**
 * The bracket's reads as plain query options (no React), so the route loader can start them
 * while the page's code downloads: the matches then arrive with, not after, the tournament.
 */
import type { AppRouter, RouterOutputs } from "@deltacrown/client";
import type { TRPCClient } from "@trpc/client";

export type Match = RouterOutputs["matches"]["list"]["items"][number];
export type Standing = RouterOutputs["tournaments"]["standings"]["items"][number];

/** Lists are capped at 50 a page; a 128-entrant double elimination has 255 matches. */
const PAGE = 50;

/** Every page of a cursor-paged list, in order. */
export async function allPages<T, C>(read: (cursor: C | undefined) => Promise<{ items: T[]; nextCursor: C | null }>) {
  const out: T[] = [];
  let cursor: C | undefined;
  do {
    const page = await read(cursor);
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return out;
}

/** The query keys of one tournament's bracket data, so a live event can refresh them all. */
export const bracketKeys = {
  all: (slug: string) => ["bracket", slug] as const,
  matches: (slug: string) => ["bracket", slug, "matches"] as const,
  standings: (slug: string) => ["bracket", slug, "standings"] as const,
  mine: (slug: string, username: string) => ["bracket", slug, "mine", username] as const,
};

export const matchesQuery = (client: TRPCClient<AppRouter>, slug: string) => ({
  queryKey: bracketKeys.matches(slug),
  queryFn: () =>
    allPages<Match, number>((cursor) =>
      client.matches.list.query({ tournamentSlug: slug, limit: PAGE, ...(cursor !== undefined ? { cursor } : {}) }),
    ),
});

export const standingsQuery = (client: TRPCClient<AppRouter>, slug: string) => ({
  queryKey: bracketKeys.standings(slug),
  queryFn: () =>
    allPages<Standing, string>((cursor) =>
      client.tournaments.standings.query({ slug, limit: PAGE, ...(cursor !== undefined ? { cursor } : {}) }),
    ),
});

export { PAGE };
