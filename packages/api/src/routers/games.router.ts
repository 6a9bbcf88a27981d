import { games } from "@deltacrown/domain";
import { z } from "zod";
import { domainDeps } from "../context.ts";
import { slug } from "../schemas/common.ts";
import { game } from "../schemas/games.ts";
import { publicProcedure, router } from "../trpc.ts";

export const gamesRouter = router({
  list: publicProcedure("list")
    .output(z.array(game))
    .query(({ ctx }) => games.listGames(domainDeps(ctx))),
  bySlug: publicProcedure("detail")
    .input(z.object({ slug }))
    .output(game)
    .query(({ ctx, input }) => games.gameBySlug(domainDeps(ctx), input.slug)),
});
