import { social } from "@deltacrown/domain";
import { domainDeps } from "../context.ts";
import { proposeSponsorInput, sponsor, sponsorIdInput, sponsorPage, sponsorsInput } from "../schemas/social.ts";
import { authedProcedure, router } from "../trpc.ts";

export const sponsorsRouter = router({
  propose: authedProcedure("write")
    .input(proposeSponsorInput)
    .output(sponsor)
    .mutation(({ ctx, input }) => social.proposeSponsor(domainDeps(ctx), ctx.actor, input)),
  approve: authedProcedure("write")
    .input(sponsorIdInput)
    .output(sponsor)
    .mutation(({ ctx, input }) => social.approveSponsor(domainDeps(ctx), ctx.actor, input.sponsorId)),
  /** Every sponsor of a team in any state, for its sponsor managers and approvers. */
  list: authedProcedure("list")
    .input(sponsorsInput)
    .output(sponsorPage)
    .query(({ ctx, input }) => social.listSponsors(domainDeps(ctx), ctx.actor, input)),
});
