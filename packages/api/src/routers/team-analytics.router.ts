import { social } from "@deltacrown/domain";
import { domainDeps } from "../context.ts";
import { analyticsInput, analyticsPage } from "../schemas/social.ts";
import { authedProcedure, router } from "../trpc.ts";

/** Weekly team analytics, computed by the `social/analytics` job (never at request time). */
export const teamAnalyticsRouter = router({
  weekly: authedProcedure("list")
    .input(analyticsInput)
    .output(analyticsPage)
    .query(({ ctx, input }) => social.teamAnalytics(domainDeps(ctx), ctx.actor, input)),
});
