import { social } from "@deltacrown/domain";
import { domainDeps } from "../context.ts";
import { createPromotionInput, promotion } from "../schemas/social.ts";
import { authedProcedure, router } from "../trpc.ts";

export const promotionsRouter = router({
  create: authedProcedure("write")
    .input(createPromotionInput)
    .output(promotion)
    .mutation(({ ctx, input }) => social.createPromotion(domainDeps(ctx), ctx.actor, input)),
});
