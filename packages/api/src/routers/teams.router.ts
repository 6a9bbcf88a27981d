import { teams } from "@deltacrown/domain";
import { z } from "zod";
import { domainDeps } from "../context.ts";
import { slug } from "../schemas/common.ts";
import { createTeamInput, myTeam, searchTeamsInput, teamDetail, teamPage } from "../schemas/teams.ts";
import { authedProcedure, publicProcedure, router } from "../trpc.ts";

export const teamsRouter = router({
  create: authedProcedure("write")
    .input(createTeamInput)
    .output(teamDetail)
    .mutation(({ ctx, input }) => teams.createTeam(domainDeps(ctx), ctx.actor, input)),
  bySlug: publicProcedure("detail")
    .input(z.object({ slug }))
    .output(teamDetail)
    .query(({ ctx, input }) => teams.teamBySlug(domainDeps(ctx), input.slug)),
  search: publicProcedure("list")
    .input(searchTeamsInput)
    .output(teamPage)
    .query(({ ctx, input }) => teams.searchTeams(domainDeps(ctx), input)),
  mine: authedProcedure("list")
    .output(z.array(myTeam))
    .query(({ ctx }) => teams.myTeams(domainDeps(ctx), ctx.actor)),
});
