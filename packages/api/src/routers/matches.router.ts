import { tournaments } from "@deltacrown/domain";
import { z } from "zod";
import { domainDeps } from "../context.ts";
import { listMatchesInput, match, reportInput, resolveInput } from "../schemas/matches.ts";
import { tournamentSlugInput } from "../schemas/tournaments.ts";
import { authedProcedure, publicProcedure, router } from "../trpc.ts";

const { matches } = tournaments;

export const matchesRouter = router({
  list: publicProcedure("list")
    .input(listMatchesInput)
    .output(z.array(match))
    .query(({ ctx, input }) => matches.listMatches(domainDeps(ctx), input)),
  report: authedProcedure("write")
    .input(reportInput)
    .output(match)
    .mutation(({ ctx, input }) => matches.reportScore(domainDeps(ctx), ctx.actor, input)),
  resolve: authedProcedure("write")
    .input(resolveInput)
    .output(match)
    .mutation(({ ctx, input }) => matches.resolveMatch(domainDeps(ctx), ctx.actor, input)),
  nextSwissRound: authedProcedure("write")
    .input(tournamentSlugInput)
    .output(z.object({ round: z.number() }))
    .mutation(({ ctx, input }) => matches.nextSwissRound(domainDeps(ctx), ctx.actor, input.slug)),
});
