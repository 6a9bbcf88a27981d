import { social } from "@deltacrown/domain";
import { domainDeps } from "../context.ts";
import {
  followedTeamPage,
  followedTeamsInput,
  followerPage,
  followersInput,
  followState,
  teamSlugOnly,
} from "../schemas/social.ts";
import { authedProcedure, publicProcedure, router } from "../trpc.ts";

export const followsRouter = router({
  follow: authedProcedure("write")
    .input(teamSlugOnly)
    .output(followState)
    .mutation(({ ctx, input }) => social.followTeam(domainDeps(ctx), ctx.actor, input.teamSlug)),
  unfollow: authedProcedure("write")
    .input(teamSlugOnly)
    .output(followState)
    .mutation(({ ctx, input }) => social.unfollowTeam(domainDeps(ctx), ctx.actor, input.teamSlug)),
  followers: publicProcedure("list")
    .input(followersInput)
    .output(followerPage)
    .query(({ ctx, input }) => social.listFollowers(domainDeps(ctx), input)),
  /** Teams I follow, last followed first. */
  mine: authedProcedure("list")
    .input(followedTeamsInput)
    .output(followedTeamPage)
    .query(({ ctx, input }) => social.followedTeams(domainDeps(ctx), ctx.actor, input)),
});
