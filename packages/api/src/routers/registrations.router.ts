import { tournaments } from "@deltacrown/domain";
import { domainDeps } from "../context.ts";
import {
  listRegistrationsInput,
  manageRegistrationsInput,
  publicRegistrationPage,
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
import { authedProcedure, limitPerAccount, router, viewerProcedure } from "../trpc.ts";

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
  /** Public: live entries, team (or player) and status only. */
  list: viewerProcedure("list")
    .input(listRegistrationsInput)
    .output(publicRegistrationPage)
    .query(({ ctx, input }) => registrations.listRegistrations(domainDeps(ctx), ctx.viewer, input)),
  /** The organizers' view: every entry with its answers and payment. */
  manage: authedProcedure("list")
    .input(manageRegistrationsInput)
    .output(registrationPage)
    .query(({ ctx, input }) => registrations.manageRegistrations(domainDeps(ctx), ctx.actor, input)),
  /** One entry in full, for its registrant and the organizers. */
  byId: authedProcedure("detail")
    .input(registrationIdInput)
    .output(registration)
    .query(({ ctx, input }) =>
      registrations.registrationForParticipant(domainDeps(ctx), ctx.actor, input.registrationId),
    ),
});
