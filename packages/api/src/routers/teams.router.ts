import { roster, teams, teamViewer, uploads, type TeamDetailDto } from "@deltacrown/domain";
import { z } from "zod";
import { domainDeps } from "../context.ts";
import { slug } from "../schemas/common.ts";
import {
  changeRoleInput,
  createTeamInput,
  myTeamPage,
  myTeamsInput,
  okResult,
  searchTeamsInput,
  setTeamImagesInput,
  teamDetail,
  teamMemberInput,
  teamPage,
  teamSlugInput,
  teamViewer as teamViewerOutput,
  updateTeamInput,
} from "../schemas/teams.ts";
import { authedProcedure, preSerialized, publicProcedure, router, viewerOnDemandProcedure } from "../trpc.ts";

type SearchTeamsInput = z.infer<typeof searchTeamsInput>;

export const teamsRouter = router({
  create: authedProcedure("write")
    .input(createTeamInput)
    .output(teamDetail)
    .mutation(({ ctx, input }) => teams.createTeam(domainDeps(ctx), ctx.actor, input)),
  /**
   * The team page. A members-only roster or pinned post shows to members and staff: the session is
   * looked up only for a team that hides one (the cached whole holds it; see teamDetailFor).
   */
  bySlug: viewerOnDemandProcedure("detail")
    .input(z.object({ slug }))
    // The page is the teamDetail entry as a viewer sees it; a hit still counts the view. Signed-in
    // callers share the stored text only of a page without members-only parts.
    .use(
      preSerialized<{ slug: string }>(
        (input) => [{ family: "teamDetail", id: input.slug }],
        (ctx, input) => ctx.cache.recordView("teamDetail", input.slug),
        { sameForEveryViewer: (output) => teams.teamDetailSameForEveryViewer(output as TeamDetailDto) },
      ),
    )
    .output(teamDetail)
    .query(({ ctx, input }) => teams.teamBySlug(domainDeps(ctx), input.slug, ctx.lookupViewer)),
  search: publicProcedure("list")
    .input(searchTeamsInput)
    // A cached search page is its teamSearch block alone (searchTeams says which are cached).
    .use(
      preSerialized<SearchTeamsInput>((input) => {
        const id = teams.searchCacheId(input);
        return id === undefined ? undefined : [{ family: "teamSearch", id }];
      }),
    )
    .output(teamPage)
    .query(({ ctx, input }) => teams.searchTeams(domainDeps(ctx), input)),
  mine: authedProcedure("list")
    .input(myTeamsInput)
    .output(myTeamPage)
    .query(({ ctx, input }) => teams.myTeams(domainDeps(ctx), ctx.actor, input)),
  /** The viewer's role on the team and the actions it allows (the team page's buttons). */
  viewer: authedProcedure("detail")
    .input(teamSlugInput)
    .output(teamViewerOutput)
    .query(({ ctx, input }) => teamViewer(domainDeps(ctx), ctx.actor, input.slug)),
  /** Logo and banner from the caller's uploads (owner and managers); the cached team page is dropped. */
  setImages: authedProcedure("write")
    .input(setTeamImagesInput)
    .output(teamDetail)
    .mutation(({ ctx, input }) => uploads.setTeamImages(domainDeps(ctx), ctx.actor, input)),
  update: authedProcedure("write")
    .input(updateTeamInput)
    .output(teamDetail)
    .mutation(({ ctx, input }) => roster.updateTeam(domainDeps(ctx), ctx.actor, input)),
  disband: authedProcedure("write")
    .input(teamSlugInput)
    .output(okResult)
    .mutation(({ ctx, input }) => roster.disbandTeam(domainDeps(ctx), ctx.actor, input.slug)),
  removeMember: authedProcedure("write")
    .input(teamMemberInput)
    .output(okResult)
    .mutation(({ ctx, input }) => roster.removeMember(domainDeps(ctx), ctx.actor, input)),
  changeRole: authedProcedure("write")
    .input(changeRoleInput)
    .output(okResult)
    .mutation(({ ctx, input }) => roster.changeRole(domainDeps(ctx), ctx.actor, input)),
  leave: authedProcedure("write")
    .input(teamSlugInput)
    .output(okResult)
    .mutation(({ ctx, input }) => roster.leaveTeam(domainDeps(ctx), ctx.actor, input.slug)),
  transferOwnership: authedProcedure("write")
    .input(teamMemberInput)
    .output(okResult)
    .mutation(({ ctx, input }) => roster.transferOwnership(domainDeps(ctx), ctx.actor, input)),
});
