import { social } from "@deltacrown/domain";
import { domainDeps } from "../context.ts";
import {
  createPostInput,
  homeFeedInput,
  pinPostInput,
  post,
  postIdInput,
  postPage,
  teamFeedInput,
} from "../schemas/social.ts";
import { okResult } from "../schemas/teams.ts";
import { authedProcedure, limitPerAccount, router, viewerProcedure } from "../trpc.ts";

export const postsRouter = router({
  /** Posting is rate-limited per account (limit `posts`, RATE_LIMIT_POSTS, default 10 an hour). */
  create: authedProcedure("write")
    .use(limitPerAccount("posts"))
    .input(createPostInput)
    .output(post)
    .mutation(({ ctx, input }) => social.createPost(domainDeps(ctx), ctx.actor, input)),
  delete: authedProcedure("write")
    .input(postIdInput)
    .output(okResult)
    .mutation(({ ctx, input }) => social.deletePost(domainDeps(ctx), ctx.actor, input.postId)),
  pin: authedProcedure("write")
    .input(pinPostInput)
    .output(okResult)
    .mutation(({ ctx, input }) => social.pinPost(domainDeps(ctx), ctx.actor, input)),
  teamFeed: viewerProcedure("list")
    .input(teamFeedInput)
    .output(postPage)
    .query(({ ctx, input }) => social.teamFeed(domainDeps(ctx), ctx.viewer, input)),
  homeFeed: authedProcedure("list")
    .input(homeFeedInput)
    .output(postPage)
    .query(({ ctx, input }) => social.homeFeed(domainDeps(ctx), ctx.actor, input)),
});
