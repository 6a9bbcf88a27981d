import { tournaments } from "@deltacrown/domain";
import { z } from "zod";
import { domainDeps } from "../context.ts";
import { listMatchesInput, match, matchIdInput, matchPage, reportInput, resolveInput } from "../schemas/matches.ts";
import { tournamentSlugInput } from "../schemas/tournaments.ts";
import { authedProcedure, router, viewerProcedure } from "../trpc.ts";

const { matches } = tournaments;

export const matchesRouter = router({
  list: viewerProcedure("list")
    .input(listMatchesInput)
    .output(matchPage)
    .query(({ ctx, input }) => matches.listMatches(domainDeps(ctx), ctx.viewer, input)),
  byId: authedProcedure("detail")
    .input(matchIdInput)
    .output(match)
    .query(({ ctx, input }) => matches.matchForParticipant(domainDeps(ctx), ctx.actor, input.matchId)),
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
