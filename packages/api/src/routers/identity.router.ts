import { identity } from "@deltacrown/domain";
import { z } from "zod";
import { domainDeps, type Context } from "../context.ts";
import { authResult, publicUser, signInInput, signUpInput } from "../schemas/identity.ts";
import { authedProcedure, limitPerAddress, publicProcedure, router, signInLimits } from "../trpc.ts";

export const identityRouter = router({
  signUp: publicProcedure("write")
    .use(limitPerAddress("signUp"))
    .input(signUpInput)
    .output(authResult)
    .mutation(async ({ ctx, input }) => withSessionCookie(ctx, await identity.signUp(domainDeps(ctx), input))),
  signIn: publicProcedure("write")
    .input(signInInput)
    .use(signInLimits)
    .output(authResult)
    .mutation(async ({ ctx, input }) => withSessionCookie(ctx, await identity.signIn(domainDeps(ctx), input))),
  signOut: authedProcedure("write")
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx }) => {
      const result = await identity.signOut(domainDeps(ctx), ctx.actor);
      if (ctx.tokenSource === "cookie" || ctx.sessionCookie?.requested) ctx.sessionCookie?.clear();
      return result;
    }),
  me: authedProcedure("detail")
    .output(publicUser)
    .query(({ ctx }) => identity.me(ctx.actor)),
});

/** In cookie mode (the client asked for it) the session also goes into the HttpOnly cookie. */
function withSessionCookie<T extends { token: string; expiresAt: string }>(ctx: Context, result: T): T {
  if (ctx.sessionCookie?.requested) ctx.sessionCookie.set(result.token, result.expiresAt);
  return result;
}
