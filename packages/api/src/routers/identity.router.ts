import { identity } from "@deltacrown/domain";
import { z } from "zod";
import { domainDeps } from "../context.ts";
import { authResult, publicUser, signInInput, signUpInput } from "../schemas/identity.ts";
import { authedProcedure, limitPerAddress, publicProcedure, router, signInLimits } from "../trpc.ts";

export const identityRouter = router({
  signUp: publicProcedure("write")
    .use(limitPerAddress("signUp"))
    .input(signUpInput)
    .output(authResult)
    .mutation(({ ctx, input }) => identity.signUp(domainDeps(ctx), input)),
  signIn: publicProcedure("write")
    .input(signInInput)
    .use(signInLimits)
    .output(authResult)
    .mutation(({ ctx, input }) => identity.signIn(domainDeps(ctx), input)),
  signOut: authedProcedure("write")
    .output(z.object({ ok: z.literal(true) }))
    .mutation(({ ctx }) => identity.signOut(domainDeps(ctx), ctx.actor)),
  me: authedProcedure("detail")
    .output(publicUser)
    .query(({ ctx }) => identity.me(ctx.actor)),
});
