import { orgDashboard, orgs } from "@deltacrown/domain";
import { z } from "zod";
import { domainDeps } from "../context.ts";
import {
  addOrgMemberInput,
  createOrgInput,
  org,
  orgDashboard as orgDashboardOutput,
  orgMemberInput,
  orgMemberPage,
  orgMemberRoleInput,
  orgMembersInput,
  orgSlugInput,
  updateOrgInput,
} from "../schemas/orgs.ts";
import { authedProcedure, publicProcedure, router } from "../trpc.ts";

const ok = z.object({ ok: z.literal(true) });

export const orgsRouter = router({
  create: authedProcedure("write")
    .input(createOrgInput)
    .output(org)
    .mutation(({ ctx, input }) => orgs.createOrg(domainDeps(ctx), ctx.actor, input)),
  bySlug: publicProcedure("detail")
    .input(orgSlugInput)
    .output(org)
    .query(({ ctx, input }) => orgs.orgBySlug(domainDeps(ctx), input.slug)),
  update: authedProcedure("write")
    .input(updateOrgInput)
    .output(org)
    .mutation(({ ctx, input }) => orgs.updateOrg(domainDeps(ctx), ctx.actor, input)),
  delete: authedProcedure("write")
    .input(orgSlugInput)
    .output(ok)
    .mutation(({ ctx, input }) => orgs.deleteOrg(domainDeps(ctx), ctx.actor, input.slug)),
  members: authedProcedure("list")
    .input(orgMembersInput)
    .output(orgMemberPage)
    .query(({ ctx, input }) => orgs.listMembers(domainDeps(ctx), ctx.actor, input)),
  addMember: authedProcedure("write")
    .input(addOrgMemberInput)
    .output(ok)
    .mutation(({ ctx, input }) => orgs.addMember(domainDeps(ctx), ctx.actor, input)),
  changeMemberRole: authedProcedure("write")
    .input(orgMemberRoleInput)
    .output(ok)
    .mutation(({ ctx, input }) => orgs.changeMemberRole(domainDeps(ctx), ctx.actor, input)),
  removeMember: authedProcedure("write")
    .input(orgMemberInput)
    .output(ok)
    .mutation(({ ctx, input }) => orgs.removeMember(domainDeps(ctx), ctx.actor, input)),
  dashboard: authedProcedure("dashboard")
    .input(orgSlugInput)
    .output(orgDashboardOutput)
    .query(({ ctx, input }) => orgDashboard.orgDashboard(domainDeps(ctx), ctx.actor, input.slug)),
});
