import { audit } from "../shared/audit.ts";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { forbidden, preconditionFailed } from "../shared/errors.ts";
import { withTransaction } from "../shared/transaction.ts";
import { lockRegistration, registrationById } from "./registration.service.ts";
import type { RegistrationDto } from "./tournaments.dto.ts";

/**
 * The registrant checks a confirmed entry in during the check-in window. Entries not checked in
 * are dropped when the bracket is generated (tournaments with a check-in window only).
 */
export async function checkIn(deps: DomainDeps, actor: Actor, registrationId: number): Promise<RegistrationDto> {
  await withTransaction(deps.db, async (trx) => {
    const r = await lockRegistration(trx, actor, registrationId);
    if (!r.isRegistrant) throw forbidden("Only the registrant may check this entry in");
    if (r.status !== "confirmed") throw preconditionFailed("Only a confirmed entry can check in", "NOT_CONFIRMED");
    const now = new Date();
    if (
      r.checkin_opens_at == null ||
      r.checkin_closes_at == null ||
      now < r.checkin_opens_at ||
      now > r.checkin_closes_at
    )
      throw preconditionFailed("Check-in is not open", "CHECKIN_CLOSED");
    if (!["registration_open", "registration_closed"].includes(r.tournament_status))
      throw preconditionFailed("Check-in is not open", "CHECKIN_CLOSED");
    await trx.updateTable("registrations").set({ checked_in_at: now }).where("id", "=", r.id).execute();
    await audit(trx, {
      actorId: actor.userId,
      action: "registration.checked_in",
      entityType: "registration",
      entityId: String(r.id),
      data: { tournamentId: r.tournament_id },
    });
  });
  return registrationById(deps.db, registrationId);
}
