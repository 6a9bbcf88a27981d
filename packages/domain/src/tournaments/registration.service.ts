import type { Database, RegistrationStatus } from "@deltacrown/db";
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from "kysely";
import { jsonArrayFrom, jsonObjectFrom } from "kysely/helpers/postgres";
import { audit, auditJob } from "../shared/audit.ts";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import {
  badRequest,
  forbidden,
  invalidFields,
  isUniqueViolation,
  notFound,
  preconditionFailed,
} from "../shared/errors.ts";
import { retryingConflicts, withTransaction } from "../shared/transaction.ts";
import { TEAM_PERMISSIONS } from "../teams/permissions.ts";
import { webhookEventInsert } from "../webhooks/webhooks.service.ts";
import { chargeEntryFee, refundEntryFee } from "../economy/tournament-payments.ts";
import { canManageTournament, canViewTournament } from "./access.ts";
import { validateCustomFields } from "./custom-fields.ts";
import { iso, isoOrNull } from "./tournament-queries.ts";
import type { Page } from "../teams/teams.dto.ts";
import type { PublicRegistrationDto, RegistrationDto } from "./tournaments.dto.ts";

export interface RegisterInput {
  tournamentSlug: string;
  teamSlug?: string | undefined;
  fields: Record<string, unknown>;
}

/** Statuses that are a live entry (the unique indexes forbid two of them per team or solo player). */
export const LIVE_STATUSES = ["pending", "confirmed", "waitlisted"] as const;
export type LiveRegistrationStatus = (typeof LIVE_STATUSES)[number];
const LIVE: readonly RegistrationStatus[] = LIVE_STATUSES;
/** Statuses that hold one of the tournament's places. */
const HOLDS_PLACE: readonly RegistrationStatus[] = ["pending", "confirmed"];

export const REGISTRATION_COLUMNS = [
  "r.id",
  "r.tournament_id",
  "r.status",
  "r.waitlist_position",
  "r.seed",
  "r.fields",
  "r.checked_in_at",
  "r.created_at",
  "r.team_id",
  "r.user_id",
  "tm.slug as team_slug",
  "tm.name as team_name",
  "u.username",
  (eb: ExpressionBuilder<Database & { r: Database["registrations"] }, "r">) =>
    jsonObjectFrom(
      eb
        .selectFrom("payments as p")
        .select(["p.id", "p.status", "p.reference", "p.note", "p.amount_cents as amountCents"])
        .whereRef("p.registration_id", "=", "r.id")
        .orderBy("p.id", "desc")
        .limit(1),
    ).as("payment"),
] as const;

export function registrationFrom(db: Kysely<Database> | Transaction<Database>) {
  return db
    .selectFrom("registrations as r")
    .innerJoin("users as u", "u.id", "r.user_id")
    .leftJoin("teams as tm", "tm.id", "r.team_id");
}

interface RegistrationRow {
  id: number;
  tournament_id: number;
  status: RegistrationStatus;
  waitlist_position: number | null;
  seed: number | null;
  fields: Record<string, unknown>;
  checked_in_at: Date | null;
  created_at: Date;
  team_id: number | null;
  user_id: number;
  team_slug: string | null;
  team_name: string | null;
  username: string;
  payment?: RegistrationDto["payment"];
}

export function toRegistration(r: RegistrationRow): RegistrationDto {
  return {
    id: r.id,
    tournamentId: r.tournament_id,
    status: r.status,
    waitlistPosition: r.waitlist_position,
    seed: r.seed,
    team:
      r.team_id != null && r.team_slug != null && r.team_name != null
        ? { id: r.team_id, slug: r.team_slug, name: r.team_name }
        : null,
    user: { id: r.user_id, username: r.username },
    fields: r.fields as RegistrationDto["fields"],
    checkedInAt: isoOrNull(r.checked_in_at),
    createdAt: iso(r.created_at),
    payment: r.payment ?? null,
  };
}

/**
 * Registers a team (its owner, manager or captain) or a solo player. One read gathers the
 * tournament, its field definitions and the team with the actor's live role; then one
 * transaction takes a place (or a waitlist position) with the tournament row locked, so
 * concurrent registrations for the last place serialize and exactly one wins. A duplicate is
 * stopped by the unique index and answered with the existing entry (idempotent resubmission).
 */
export async function register(deps: DomainDeps, actor: Actor, input: RegisterInput): Promise<RegistrationDto> {
  const ctx = await deps.db
    .selectFrom("tournaments as t")
    .select((eb) => [
      "t.id",
      "t.status",
      "t.game_id",
      "t.participant_type",
      "t.team_size",
      "t.registration_opens_at",
      "t.registration_closes_at",
      canViewTournament(eb, actor).as("visible"),
      jsonArrayFrom(
        eb
          .selectFrom("tournament_custom_fields as f")
          .select(["f.key", "f.label", "f.kind", "f.required", "f.options"])
          .whereRef("f.tournament_id", "=", "t.id")
          .orderBy("f.position"),
      ).as("custom_fields"),
      eb
        .selectFrom("teams as tm")
        .select("tm.id")
        .where("tm.slug", "=", input.teamSlug ?? "")
        .where("tm.disbanded_at", "is", null)
        .as("team_id"),
      eb
        .selectFrom("teams as tm")
        .select("tm.game_id")
        .where("tm.slug", "=", input.teamSlug ?? "")
        .as("team_game_id"),
      eb
        .selectFrom("teams as tm")
        .select("tm.name")
        .where("tm.slug", "=", input.teamSlug ?? "")
        .as("team_name"),
      eb
        .selectFrom("teams as tm")
        .select("tm.member_count")
        .where("tm.slug", "=", input.teamSlug ?? "")
        .as("team_members"),
      eb
        .selectFrom("team_memberships as m")
        .innerJoin("teams as tm", "tm.id", "m.team_id")
        .select("m.role")
        .where("tm.slug", "=", input.teamSlug ?? "")
        .where("m.user_id", "=", actor.userId)
        .where("m.status", "=", "active")
        .as("actor_role"),
    ])
    .where("t.slug", "=", input.tournamentSlug)
    .where("t.is_deleted", "=", false)
    .executeTakeFirst();
  if (!ctx || ctx.visible !== true) throw notFound("Tournament", "tournamentSlug");

  let teamId: number | null = null;
  if (ctx.participant_type === "team") {
    if (input.teamSlug === undefined) throw badRequest("This tournament takes teams", "TEAM_REQUIRED", "teamSlug");
    if (ctx.team_id == null) throw notFound("Team", "teamSlug");
    const role = ctx.actor_role;
    if (!actor.isStaff && !(role != null && (TEAM_PERMISSIONS.registerTournaments as readonly string[]).includes(role)))
      throw forbidden("Only the team's owner, manager or captain may register it");
    if (ctx.team_game_id !== ctx.game_id)
      throw preconditionFailed("The team does not play this tournament's game", "WRONG_GAME");
    if ((ctx.team_members ?? 0) < ctx.team_size)
      throw preconditionFailed(`The team needs at least ${ctx.team_size} active members`, "ROSTER_TOO_SMALL");
    teamId = ctx.team_id;
  } else if (input.teamSlug !== undefined) {
    throw badRequest("This tournament takes solo players", "SOLO_ONLY", "teamSlug");
  }

  const now = new Date();
  if (ctx.status !== "registration_open" || now < ctx.registration_opens_at || now > ctx.registration_closes_at)
    throw preconditionFailed("Registration is not open", "REGISTRATION_CLOSED");

  const { values, errors } = validateCustomFields(ctx.custom_fields, input.fields);
  if (Object.keys(errors).length > 0)
    throw invalidFields(
      Object.entries(errors)
        .map(([path, message]) => `${path}: ${message}`)
        .join("; "),
      errors,
    );

  try {
    const written = await retryingConflicts(() =>
      takePlace(deps.db, { tournamentId: ctx.id, actor, teamId, fields: values }),
    );
    if (!written) throw preconditionFailed("Registration is not open", "REGISTRATION_CLOSED");
    return toRegistration({
      ...written,
      team_slug: input.teamSlug ?? null,
      team_name: ctx.team_name ?? null,
      username: actor.username,
    });
  } catch (error) {
    if (
      isUniqueViolation(error, "registrations_live_team_key") ||
      isUniqueViolation(error, "registrations_live_solo_key")
    ) {
      const existing = await registrationFrom(deps.db)
        .select(REGISTRATION_COLUMNS)
        .where("r.tournament_id", "=", ctx.id)
        .where("r.status", "in", LIVE)
        .$if(teamId != null, (q) => q.where("r.team_id", "=", teamId ?? 0))
        .$if(teamId == null, (q) => q.where("r.user_id", "=", actor.userId).where("r.team_id", "is", null))
        .executeTakeFirst();
      if (existing) return toRegistration(existing);
    }
    throw error;
  }
}

/**
 * The whole registration write in ONE statement, its own transaction (no BEGIN/COMMIT round
 * trips): lock the tournament row, take a place if one is free or else the next waitlist
 * position (only while registration is open), insert the entry with its `audit/write` job in
 * the insert's RETURNING, and log the organizers' webhook deliveries with their jobs. So the
 * tournament row is locked for one statement, not four round trips, and the audit job and the
 * deliveries exist exactly when the entry does: a closed tournament writes nothing (no row is
 * returned), a duplicate's unique violation rolls the whole statement back.
 *
 * Concurrent registrations for the last place queue on the row lock; the waiter's `old` reads
 * the row as the winner committed it and the update re-evaluates on that version (READ
 * COMMITTED), so exactly one takes the place. Nothing else here is read from another row, so
 * the statement's snapshot is never stale where it matters (the unique index checks live rows).
 */
async function takePlace(
  db: Kysely<Database>,
  w: { tournamentId: number; actor: Actor; teamId: number | null; fields: Record<string, unknown> },
): Promise<Omit<RegistrationRow, "team_slug" | "team_name" | "username"> | undefined> {
  const webhook = webhookEventInsert(
    {
      tournamentId: w.tournamentId,
      type: "registration.created",
      data: {
        registrationId: sql<number>`ins.id`,
        tournamentId: w.tournamentId,
        teamId: w.teamId,
        userId: w.actor.userId,
        status: sql<string>`ins.status`,
      },
    },
    sql`ins`,
  );
  const audited = auditJob({
    actorId: w.actor.userId,
    action: "registration.created",
    entityType: "registration",
    entityId: sql<string>`registrations.id::text`,
    data: { tournamentId: w.tournamentId, teamId: w.teamId, status: sql<string>`registrations.status` },
  });
  const { rows } = await sql<Omit<RegistrationRow, "team_slug" | "team_name" | "username">>`
    with old as (
      select id, entries_count, capacity from tournaments
       where id = ${w.tournamentId} and status = 'registration_open' for update
    ), slot as (
      update tournaments t set
        entries_count = case when old.entries_count < old.capacity then old.entries_count + 1 else old.entries_count end,
        waitlist_seq = case when old.entries_count < old.capacity then t.waitlist_seq else t.waitlist_seq + 1 end
      from old where t.id = old.id
      returning old.entries_count < old.capacity as placed, t.waitlist_seq
    ), ins as (
      insert into registrations (tournament_id, user_id, team_id, status, waitlist_position, fields)
      select ${w.tournamentId}, ${w.actor.userId}, ${w.teamId},
             case when slot.placed then 'pending' else 'waitlisted' end,
             case when slot.placed then null else slot.waitlist_seq end,
             ${JSON.stringify(w.fields)}::jsonb
        from slot
      returning id, tournament_id, status, waitlist_position, seed, fields, checked_in_at, created_at, team_id, user_id,
                ${audited} as audit_job
    ), deliveries as (${webhook.insert})
    select id, tournament_id, status, waitlist_position, seed, fields, checked_in_at, created_at, team_id, user_id from ins`.execute(
    db,
  );
  return rows[0];
}

/**
 * Loads a registration and its tournament for a change, the tournament row locked (places and
 * the waitlist change only under that lock), with the actor's rights read in the same statement.
 */
export async function lockRegistration(trx: Transaction<Database>, actor: Actor, registrationId: number) {
  const row = await trx
    .selectFrom("registrations as r")
    .innerJoin("tournaments as t", "t.id", "r.tournament_id")
    .select((eb) => [
      "r.id",
      "r.status",
      "r.user_id",
      "r.team_id",
      "t.id as tournament_id",
      "t.status as tournament_status",
      "t.entry_fee_cents",
      "t.payment_method",
      "t.checkin_opens_at",
      "t.checkin_closes_at",
      canManageTournament(eb, actor).as("is_organizer"),
      eb
        .selectFrom("team_memberships as m")
        .select("m.role")
        .whereRef("m.team_id", "=", "r.team_id")
        .where("m.user_id", "=", actor.userId)
        .where("m.status", "=", "active")
        .as("team_role"),
      // The standing payment: verified if any, else one awaiting review (rejected ones don't count).
      eb
        .selectFrom("payments as p")
        .select("p.status")
        .whereRef("p.registration_id", "=", "r.id")
        .where("p.status", "<>", "rejected")
        .orderBy(sql`p.status = 'verified'`, "desc")
        .limit(1)
        .as("payment_status"),
    ])
    .where("r.id", "=", registrationId)
    .where("t.is_deleted", "=", false)
    .forUpdate("t")
    .executeTakeFirst();
  if (!row) throw notFound("Registration", "registrationId");
  const isRegistrant =
    row.team_id == null
      ? row.user_id === actor.userId
      : row.team_role != null && (TEAM_PERMISSIONS.registerTournaments as readonly string[]).includes(row.team_role);
  return { ...row, isRegistrant: isRegistrant || actor.isStaff, isOrganizer: row.is_organizer === true };
}

/** Moves the first waitlisted entry into a freed place; returns whether one moved up. */
async function promoteFromWaitlist(trx: Transaction<Database>, tournamentId: number): Promise<boolean> {
  const promoted = await trx
    .updateTable("registrations")
    .set({ status: "pending", waitlist_position: null, updated_at: new Date() })
    .where("id", "=", (eb) =>
      eb
        .selectFrom("registrations")
        .select("id")
        .where("tournament_id", "=", tournamentId)
        .where("status", "=", "waitlisted")
        .orderBy("waitlist_position")
        .orderBy("id")
        .limit(1),
    )
    .returning("id")
    .executeTakeFirst();
  return promoted !== undefined;
}

const BEFORE_START = ["published", "registration_open", "registration_closed"];

/** The registrant withdraws; a freed place goes to the head of the waitlist. */
export async function withdraw(deps: DomainDeps, actor: Actor, registrationId: number): Promise<RegistrationDto> {
  await withTransaction(deps.db, async (trx) => {
    const r = await lockRegistration(trx, actor, registrationId);
    if (!r.isRegistrant) throw forbidden("Only the registrant may withdraw this entry");
    if (!LIVE.includes(r.status)) throw preconditionFailed(`This entry is already ${r.status}`, "NOT_LIVE");
    if (!BEFORE_START.includes(r.tournament_status))
      throw preconditionFailed("The tournament has started; entries can no longer be withdrawn", "TOURNAMENT_STARTED");
    await releaseEntry(trx, r, "withdrawn");
    await audit(trx, {
      actorId: actor.userId,
      action: "registration.withdrawn",
      entityType: "registration",
      entityId: String(r.id),
      data: { tournamentId: r.tournament_id },
    });
  });
  return registrationById(deps.db, registrationId);
}

/** Whether this entry's fee is charged from the registrant's wallet (on confirmation). */
const paysByWallet = (r: { entry_fee_cents: number; payment_method: string }) =>
  r.entry_fee_cents > 0 && r.payment_method === "wallet";

/**
 * Ends a live entry; if it held a place, the waitlist head takes it (else the count drops). A
 * confirmed wallet entry gets its fee back (exactly once: refundEntryFee's unique reference).
 */
async function releaseEntry(
  trx: Transaction<Database>,
  r: { id: number; status: RegistrationStatus; tournament_id: number; entry_fee_cents: number; payment_method: string },
  to: RegistrationStatus,
): Promise<void> {
  if (r.status === "confirmed" && paysByWallet(r)) await refundEntryFee(trx, { registrationId: r.id });
  await trx
    .updateTable("registrations")
    .set({ status: to, waitlist_position: null, updated_at: new Date() })
    .where("id", "=", r.id)
    .execute();
  if (HOLDS_PLACE.includes(r.status) && !(await promoteFromWaitlist(trx, r.tournament_id)))
    await trx
      .updateTable("tournaments")
      .set((eb) => ({ entries_count: eb("entries_count", "-", 1) }))
      .where("id", "=", r.tournament_id)
      .execute();
}

export type ReviewDecision = "confirm" | "reject";

/** The organizer confirms (paid or free entries only) or rejects an entry. */
export async function review(
  deps: DomainDeps,
  actor: Actor,
  input: { registrationId: number; decision: ReviewDecision },
): Promise<RegistrationDto> {
  await withTransaction(deps.db, async (trx) => {
    const r = await lockRegistration(trx, actor, input.registrationId);
    if (!r.isOrganizer) throw forbidden("Only the tournament's organizer may review entries");
    if (input.decision === "confirm") {
      if (r.status !== "pending")
        throw preconditionFailed(`Only a pending entry can be confirmed (this one is ${r.status})`, "NOT_PENDING");
      // Wallet tournaments charge the fee now (INSUFFICIENT_FUNDS rolls the confirmation back);
      // the others need a verified payment reference.
      if (paysByWallet(r))
        await chargeEntryFee(trx, {
          userId: r.user_id,
          tournamentId: r.tournament_id,
          registrationId: r.id,
          amount: r.entry_fee_cents,
        });
      else if (r.entry_fee_cents > 0 && r.payment_status !== "verified")
        throw preconditionFailed("The entry fee has not been verified", "PAYMENT_NOT_VERIFIED");
      await trx
        .updateTable("registrations")
        .set({ status: "confirmed", updated_at: new Date() })
        .where("id", "=", r.id)
        .execute();
    } else {
      if (!LIVE.includes(r.status)) throw preconditionFailed(`This entry is already ${r.status}`, "NOT_LIVE");
      await releaseEntry(trx, r, "rejected");
    }
    await audit(trx, {
      actorId: actor.userId,
      action: `registration.${input.decision}`,
      entityType: "registration",
      entityId: String(r.id),
      data: { tournamentId: r.tournament_id },
    });
  });
  return registrationById(deps.db, input.registrationId);
}

/** The organizer moves a waitlisted entry to `position` (others keep their relative order). */
export async function reorderWaitlist(
  deps: DomainDeps,
  actor: Actor,
  input: { registrationId: number; position: number },
): Promise<RegistrationDto> {
  await withTransaction(deps.db, async (trx) => {
    const r = await lockRegistration(trx, actor, input.registrationId);
    if (!r.isOrganizer) throw forbidden("Only the tournament's organizer may reorder the waitlist");
    if (r.status !== "waitlisted") throw preconditionFailed("Only a waitlisted entry can be moved", "NOT_WAITLISTED");
    // Renumber the whole waitlist in one statement, the moved entry slotted in at `position`.
    await sql`
      with ordered as (
        select id, row_number() over (order by waitlist_position, id) as n
        from registrations where tournament_id = ${r.tournament_id} and status = 'waitlisted' and id <> ${r.id}
      ), placed as (
        select id, case when n >= ${input.position} then n + 1 else n end as pos from ordered
        union all select ${r.id}::int, least(${input.position}, (select count(*) + 1 from ordered))::bigint
      )
      update registrations r set waitlist_position = placed.pos from placed where r.id = placed.id`.execute(trx);
  });
  return registrationById(deps.db, input.registrationId);
}

/** The organizer sets (or clears) an entry's manual seed, used when the tournament seeds manually. */
export async function setSeed(
  deps: DomainDeps,
  actor: Actor,
  input: { registrationId: number; seed: number | null },
): Promise<RegistrationDto> {
  await withTransaction(deps.db, async (trx) => {
    const r = await lockRegistration(trx, actor, input.registrationId);
    if (!r.isOrganizer) throw forbidden("Only the tournament's organizer may seed entries");
    if (!BEFORE_START.includes(r.tournament_status))
      throw preconditionFailed("Seeds are fixed once the tournament starts", "TOURNAMENT_STARTED");
    await trx
      .updateTable("registrations")
      .set({ seed: input.seed, updated_at: new Date() })
      .where("id", "=", r.id)
      .execute();
  });
  return registrationById(deps.db, input.registrationId);
}

export async function registrationById(db: Kysely<Database>, id: number): Promise<RegistrationDto> {
  const row = await registrationFrom(db).select(REGISTRATION_COLUMNS).where("r.id", "=", id).executeTakeFirst();
  if (!row) throw notFound("Registration", "registrationId");
  return toRegistration(row);
}

export interface ListRegistrationsInput {
  tournamentSlug: string;
  status?: RegistrationStatus | undefined;
  cursor?: number | undefined;
  limit: number;
}

/**
 * The public entry list: live entries only (pending, confirmed, waitlisted — never rejected or
 * withdrawn), each with its team or solo player and status, in registration order. A tournament
 * the viewer may not see is NOT_FOUND. One statement — the seed's slow "registration with team"
 * read, served by (tournament_id, status) include (team_id, created_at).
 */
export async function listRegistrations(
  deps: Pick<DomainDeps, "db">,
  viewer: Actor | undefined,
  input: ListRegistrationsInput & { status?: LiveRegistrationStatus | undefined },
): Promise<Page<PublicRegistrationDto>> {
  const row = await deps.db
    .selectFrom("tournaments as t")
    .select((eb) => [
      "t.id",
      jsonArrayFrom(
        eb
          .selectFrom("registrations as r")
          .innerJoin("users as u", "u.id", "r.user_id")
          .leftJoin("teams as tm", "tm.id", "r.team_id")
          .select([
            "r.id",
            "r.status",
            "r.seed",
            "r.team_id",
            "tm.slug as team_slug",
            "tm.name as team_name",
            "u.username",
          ])
          .whereRef("r.tournament_id", "=", "t.id")
          .where("r.status", "in", input.status ? [input.status] : LIVE)
          .$if(input.cursor !== undefined, (q) => q.where("r.id", ">", input.cursor ?? 0))
          .orderBy("r.id")
          .limit(input.limit + 1),
      ).as("entries"),
    ])
    .where("t.slug", "=", input.tournamentSlug)
    .where("t.is_deleted", "=", false)
    .where((eb) => canViewTournament(eb, viewer))
    .executeTakeFirst();
  if (!row) throw notFound("Tournament", "tournamentSlug");
  const items: PublicRegistrationDto[] = row.entries.slice(0, input.limit).map((r) => ({
    id: r.id,
    status: r.status,
    seed: r.seed,
    team:
      r.team_id != null && r.team_slug != null && r.team_name != null ? { slug: r.team_slug, name: r.team_name } : null,
    player: r.team_id == null ? { username: r.username } : null,
  }));
  return { items, nextCursor: row.entries.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}

/**
 * Every entry of a tournament (any status, or one) with the registrants' answers and payments,
 * for those who run it (and staff): FORBIDDEN to others, NOT_FOUND when the tournament is a draft
 * they may not see. The right is read live in the first statement, the page in the second.
 */
export async function manageRegistrations(
  deps: Pick<DomainDeps, "db">,
  actor: Actor,
  input: ListRegistrationsInput,
): Promise<Page<RegistrationDto>> {
  const t = await deps.db
    .selectFrom("tournaments as t")
    .select((eb) => ["t.id", "t.status", canManageTournament(eb, actor).as("can_manage")])
    .where("t.slug", "=", input.tournamentSlug)
    .where("t.is_deleted", "=", false)
    .executeTakeFirst();
  if (!t || (t.status === "draft" && t.can_manage !== true)) throw notFound("Tournament", "tournamentSlug");
  if (t.can_manage !== true) throw forbidden("Only the tournament's organizers see its entries in full");
  const rows = await registrationFrom(deps.db)
    .select(REGISTRATION_COLUMNS)
    .where("r.tournament_id", "=", t.id)
    .$if(input.status !== undefined, (q) => q.where("r.status", "=", input.status!))
    .$if(input.cursor !== undefined, (q) => q.where("r.id", ">", input.cursor ?? 0))
    .orderBy("r.id")
    .limit(input.limit + 1)
    .execute();
  const items = rows.slice(0, input.limit).map(toRegistration);
  return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}

/**
 * One entry in full for its registrant (the solo player, or the team's owner, manager or captain)
 * and the tournament's organizers (and staff); FORBIDDEN to others. One statement.
 */
export async function registrationForParticipant(
  deps: Pick<DomainDeps, "db">,
  actor: Actor,
  registrationId: number,
): Promise<RegistrationDto> {
  const row = await registrationFrom(deps.db)
    .innerJoin("tournaments as t", "t.id", "r.tournament_id")
    .select(REGISTRATION_COLUMNS)
    .select((eb) => [
      canManageTournament(eb, actor).as("is_organizer"),
      eb
        .selectFrom("team_memberships as m")
        .select("m.role")
        .whereRef("m.team_id", "=", "r.team_id")
        .where("m.user_id", "=", actor.userId)
        .where("m.status", "=", "active")
        .as("team_role"),
    ])
    .where("r.id", "=", registrationId)
    .where("t.is_deleted", "=", false)
    .executeTakeFirst();
  if (!row) throw notFound("Registration", "registrationId");
  const isRegistrant =
    row.team_id == null
      ? row.user_id === actor.userId
      : row.team_role != null && (TEAM_PERMISSIONS.registerTournaments as readonly string[]).includes(row.team_role);
  if (!isRegistrant && row.is_organizer !== true)
    throw forbidden("Only the registrant and the tournament's organizers see an entry in full");
  return toRegistration(row);
}
