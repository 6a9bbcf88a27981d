import { audit } from "../shared/audit.ts";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { conflict, forbidden, notFound, preconditionFailed } from "../shared/errors.ts";
import { withTransaction } from "../shared/transaction.ts";
import { queueWebhookEvent } from "../webhooks/webhooks.service.ts";
import { canManageTournament } from "./access.ts";
import { lockRegistration, registrationById } from "./registration.service.ts";
import type { RegistrationDto } from "./tournaments.dto.ts";

const LIVE = ["pending", "confirmed", "waitlisted"];

/**
 * The registrant submits the reference of their entry-fee payment. One awaiting review (or a
 * verified one) at a time; the tournament row lock serializes a double submit. Never cached.
 */
export async function submitPayment(
  deps: DomainDeps,
  actor: Actor,
  input: { registrationId: number; reference: string },
): Promise<RegistrationDto> {
  await withTransaction(deps.db, async (trx) => {
    const r = await lockRegistration(trx, actor, input.registrationId);
    if (!r.isRegistrant) throw forbidden("Only the registrant may submit a payment for this entry");
    if (r.entry_fee_cents === 0) throw preconditionFailed("This tournament is free to enter", "NO_ENTRY_FEE");
    if (r.payment_method === "wallet")
      throw preconditionFailed("The entry fee is charged from the wallet on confirmation", "WALLET_PAYMENT");
    if (!LIVE.includes(r.status)) throw preconditionFailed(`This entry is ${r.status}`, "NOT_LIVE");
    if (r.payment_status === "verified") throw conflict("The entry fee is already verified", "PAYMENT_VERIFIED");
    if (r.payment_status === "submitted")
      throw conflict("A payment is already awaiting review", "PAYMENT_PENDING", "reference");
    const p = await trx
      .insertInto("payments")
      .values({
        registration_id: r.id,
        amount_cents: r.entry_fee_cents,
        reference: input.reference,
        submitted_by: actor.userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await audit(trx, {
      actorId: actor.userId,
      action: "payment.submitted",
      entityType: "payment",
      entityId: String(p.id),
      data: { registrationId: r.id },
    });
  });
  return registrationById(deps.db, input.registrationId);
}

/** The organizer verifies or rejects a submitted payment, with a note the registrant sees. */
export async function reviewPayment(
  deps: DomainDeps,
  actor: Actor,
  input: { paymentId: number; decision: "verify" | "reject"; note?: string | undefined },
): Promise<RegistrationDto> {
  const registrationId = await withTransaction(deps.db, async (trx) => {
    const p = await trx
      .selectFrom("payments as p")
      .innerJoin("registrations as r", "r.id", "p.registration_id")
      .innerJoin("tournaments as t", "t.id", "r.tournament_id")
      .select((eb) => [
        "p.id",
        "p.status",
        "p.registration_id",
        "p.amount_cents",
        "r.tournament_id",
        canManageTournament(eb, actor).as("can_manage"),
      ])
      .where("p.id", "=", input.paymentId)
      .where("t.is_deleted", "=", false)
      .forUpdate("p")
      .executeTakeFirst();
    if (!p) throw notFound("Payment", "paymentId");
    if (p.can_manage !== true) throw forbidden("Only the tournament's organizer may review payments");
    if (p.status !== "submitted") throw preconditionFailed(`This payment is already ${p.status}`, "PAYMENT_REVIEWED");
    await trx
      .updateTable("payments")
      .set({
        status: input.decision === "verify" ? "verified" : "rejected",
        note: input.note ?? null,
        reviewed_by: actor.userId,
        reviewed_at: new Date(),
      })
      .where("id", "=", p.id)
      .execute();
    await audit(trx, {
      actorId: actor.userId,
      action: `payment.${input.decision}`,
      entityType: "payment",
      entityId: String(p.id),
      data: { registrationId: p.registration_id },
    });
    if (input.decision === "verify")
      await queueWebhookEvent(trx, {
        tournamentId: p.tournament_id,
        type: "payment.verified",
        data: {
          paymentId: p.id,
          registrationId: p.registration_id,
          tournamentId: p.tournament_id,
          amountCents: p.amount_cents,
        },
      });
    return p.registration_id;
  });
  return registrationById(deps.db, registrationId);
}
