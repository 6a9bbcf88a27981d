import type { Database } from "@deltacrown/db";
import { sql, type ExpressionBuilder } from "kysely";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { notFound } from "../shared/errors.ts";
import { TEAM_PERMISSIONS } from "../teams/permissions.ts";
import { canManageTournament, canViewTournament } from "./access.ts";
import { REGISTRATION_COLUMNS, registrationFrom, toRegistration } from "./registration.service.ts";
import type { RegistrationDto } from "./tournaments.dto.ts";

export interface TournamentViewerDto {
  /** The organizer console's buttons come from this; every write still checks for itself. */
  canManage: boolean;
  /** The viewer's entries as registrant (solo, or a team they may register), newest first. */
  entries: RegistrationDto[];
}

/** At most this many of the viewer's entries (one live per team; older ones withdrawn or rejected). */
const MAX_ENTRIES = 20;

/** "Is r an entry the actor registers?" — their solo entry, or a team they own, manage or captain. */
const registersFor = (eb: ExpressionBuilder<Database & { r: Database["registrations"] }, "r">, actor: Actor) =>
  eb.or([
    eb.and([eb("r.team_id", "is", null), eb("r.user_id", "=", actor.userId)]),
    eb.exists(
      eb
        .selectFrom("team_memberships as m")
        .select(sql`1`.as("one"))
        .whereRef("m.team_id", "=", "r.team_id")
        .where("m.user_id", "=", actor.userId)
        .where("m.status", "=", "active")
        .where("m.role", "in", TEAM_PERMISSIONS.registerTournaments),
    ),
  ]);

/**
 * What the signed-in viewer is to a tournament: whether they run it, and their own entries (the
 * tournament page's registration panel: waitlist position, payment, check-in). NOT_FOUND when
 * they may not see it. Two statements: the tournament with the live right, then the entries.
 */
export async function tournamentViewer(
  deps: Pick<DomainDeps, "db">,
  actor: Actor,
  slug: string,
): Promise<TournamentViewerDto> {
  const t = await deps.db
    .selectFrom("tournaments as t")
    .select((eb) => [
      "t.id",
      canViewTournament(eb, actor).as("visible"),
      canManageTournament(eb, actor).as("can_manage"),
    ])
    .where("t.slug", "=", slug)
    .where("t.is_deleted", "=", false)
    .executeTakeFirst();
  if (!t || t.visible !== true) throw notFound("Tournament", "slug");
  const rows = await registrationFrom(deps.db)
    .select(REGISTRATION_COLUMNS)
    .where("r.tournament_id", "=", t.id)
    .where((eb) => registersFor(eb, actor))
    .orderBy("r.id", "desc")
    .limit(MAX_ENTRIES)
    .execute();
  return { canManage: t.can_manage === true, entries: rows.map(toRegistration) };
}
