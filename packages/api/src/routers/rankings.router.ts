import { rankings } from "@deltacrown/domain";
import type { z } from "zod";
import { domainDeps } from "../context.ts";
import {
  adjustInput,
  adjustResult,
  historyInput,
  historyPage,
  leaderboardInput,
  leaderboardPage,
  teamRankInput,
  teamRankResult,
} from "../schemas/rankings.ts";
import { authedProcedure, preSerialized, publicProcedure, router } from "../trpc.ts";
import type { SourcesOf } from "../reads/pre-serialized.ts";

type LeaderboardInput = z.infer<typeof leaderboardInput>;

/** Each game's id as read from its cached entry's text, kept while that text is the same (one parse per entry, not per call). */
const gameIds = new Map<string, { text: string; id: unknown }>();
const gameIdOf = (slug: string, text: string): unknown => {
  const known = gameIds.get(slug);
  if (known?.text === text) return known.id;
  const id = (JSON.parse(text) as { id?: unknown } | null)?.id;
  // Bounded: a slug gets here only with a cached game entry; a full map starts over.
  if (gameIds.size >= 1_000) gameIds.clear();
  gameIds.set(slug, { text, id });
  return id;
};

/** The game entry (by slug) and its top (by id); not for a tier or a later page (they read the snapshot). */
const leaderboardSources: SourcesOf<LeaderboardInput> = (input, peek) => {
  if (input.tier !== undefined || input.cursor !== undefined) return undefined;
  const game = peek("game", input.gameSlug);
  if (game === undefined) return undefined;
  const id = gameIdOf(input.gameSlug, game);
  if (typeof id !== "number") return undefined;
  return [
    { family: "game", id: input.gameSlug },
    { family: "leaderboard", id },
  ];
};

export const rankingsRouter = router({
  leaderboard: publicProcedure("list")
    .input(leaderboardInput)
    // The first page of the whole board (up to the top 100) is the game's cached top alone.
    .use(preSerialized<LeaderboardInput>(leaderboardSources))
    .output(leaderboardPage)
    .query(({ ctx, input }) => rankings.leaderboard(domainDeps(ctx), input)),
  teamRank: publicProcedure("detail")
    .input(teamRankInput)
    .output(teamRankResult)
    .query(({ ctx, input }) => rankings.teamRank(domainDeps(ctx), input.teamSlug)),
  history: publicProcedure("list")
    .input(historyInput)
    .output(historyPage)
    .query(({ ctx, input }) => rankings.history(domainDeps(ctx), input)),
  adjust: authedProcedure("write")
    .input(adjustInput)
    .output(adjustResult)
    .mutation(({ ctx, input }) => rankings.adjustCp(domainDeps(ctx), ctx.actor, input)),
});
