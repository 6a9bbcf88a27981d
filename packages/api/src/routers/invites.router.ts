import { invites } from "@deltacrown/domain";
import { z } from "zod";
import { domainDeps } from "../context.ts";
import { teamRole } from "../schemas/common.ts";
import { invite, inviteIdInput, invitePage, myInvitesInput, sendInviteInput } from "../schemas/teams.ts";
import { authedProcedure, limitPerAccount, router } from "../trpc.ts";

export const invitesRouter = router({
  send: authedProcedure("write")
    .use(limitPerAccount("invites"))
    .input(sendInviteInput)
    .output(invite)
    .mutation(({ ctx, input }) => invites.inviteMember(domainDeps(ctx), ctx.actor, input)),
  mine: authedProcedure("list")
    .input(myInvitesInput)
    .output(invitePage)
    .query(({ ctx, input }) => invites.myPendingInvites(domainDeps(ctx), ctx.actor, input)),
  accept: authedProcedure("write")
    .input(inviteIdInput)
    .output(z.object({ teamSlug: z.string(), role: teamRole }))
    .mutation(({ ctx, input }) => invites.acceptInvite(domainDeps(ctx), ctx.actor, input.inviteId)),
  decline: authedProcedure("write")
    .input(inviteIdInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(({ ctx, input }) => invites.declineInvite(domainDeps(ctx), ctx.actor, input.inviteId)),
  revoke: authedProcedure("write")
    .input(inviteIdInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(({ ctx, input }) => invites.revokeInvite(domainDeps(ctx), ctx.actor, input.inviteId)),
});
