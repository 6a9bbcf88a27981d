import { social } from "@deltacrown/domain";
import { domainDeps } from "../context.ts";
import {
  createPromotionInput,
  promotion,
  promotionIdInput,
  promotionPage,
  promotionsInput,
} from "../schemas/social.ts";
import { okResult } from "../schemas/teams.ts";
import { authedProcedure, router } from "../trpc.ts";

/** A team's promotions in its game's discovery (`managePromotions`: owner, managers, staff). */
export const promotionsRouter = router({
  create: authedProcedure("write")
    .input(createPromotionInput)
    .output(promotion)
    .mutation(({ ctx, input }) => social.createPromotion(domainDeps(ctx), ctx.actor, input)),
  list: authedProcedure("list")
    .input(promotionsInput)
    .output(promotionPage)
    .query(({ ctx, input }) => social.listPromotions(domainDeps(ctx), ctx.actor, input)),
  /** Cancels a promotion (running or not): discovery stops showing it with its next read. */
  delete: authedProcedure("write")
    .input(promotionIdInput)
    .output(okResult)
    .mutation(({ ctx, input }) => social.deletePromotion(domainDeps(ctx), ctx.actor, input.promotionId)),
});
