import { tournaments } from "@deltacrown/domain";
import { domainDeps } from "../context.ts";
import {
  listRegistrationsInput,
  registerInput,
  registration,
  registrationIdInput,
  registrationPage,
  reorderInput,
  reviewInput,
  reviewPaymentInput,
  setSeedInput,
  submitPaymentInput,
} from "../schemas/tournaments.ts";
import { authedProcedure, limitPerAccount, publicProcedure, router } from "../trpc.ts";

const { registrations, payments, checkin } = tournaments;

export const registrationsRouter = router({
  register: authedProcedure("form")
    .use(limitPerAccount("registrations"))
    .input(registerInput)
    .output(registration)
    .mutation(({ ctx, input }) => registrations.register(domainDeps(ctx), ctx.actor, input)),
  withdraw: authedProcedure("write")
    .input(registrationIdInput)
    .output(registration)
    .mutation(({ ctx, input }) => registrations.withdraw(domainDeps(ctx), ctx.actor, input.registrationId)),
  review: authedProcedure("write")
    .input(reviewInput)
    .output(registration)
    .mutation(({ ctx, input }) => registrations.review(domainDeps(ctx), ctx.actor, input)),
  reorderWaitlist: authedProcedure("write")
    .input(reorderInput)
    .output(registration)
    .mutation(({ ctx, input }) => registrations.reorderWaitlist(domainDeps(ctx), ctx.actor, input)),
  setSeed: authedProcedure("write")
    .input(setSeedInput)
    .output(registration)
    .mutation(({ ctx, input }) => registrations.setSeed(domainDeps(ctx), ctx.actor, input)),
  submitPayment: authedProcedure("write")
    .input(submitPaymentInput)
    .output(registration)
    .mutation(({ ctx, input }) => payments.submitPayment(domainDeps(ctx), ctx.actor, input)),
  reviewPayment: authedProcedure("write")
    .input(reviewPaymentInput)
    .output(registration)
    .mutation(({ ctx, input }) => payments.reviewPayment(domainDeps(ctx), ctx.actor, input)),
  checkIn: authedProcedure("write")
    .input(registrationIdInput)
    .output(registration)
    .mutation(({ ctx, input }) => checkin.checkIn(domainDeps(ctx), ctx.actor, input.registrationId)),
  list: publicProcedure("list")
    .input(listRegistrationsInput)
    .output(registrationPage)
    .query(({ ctx, input }) => registrations.listRegistrations(domainDeps(ctx), input)),
});
