import { rankings } from "@deltacrown/domain";
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
import { authedProcedure, publicProcedure, router } from "../trpc.ts";

export const rankingsRouter = router({
  leaderboard: publicProcedure("list")
    .input(leaderboardInput)
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
