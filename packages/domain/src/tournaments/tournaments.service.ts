import type {
  CustomFieldKind,
  ParticipantType,
  TournamentFormat,
  TournamentPaymentMethod,
  TournamentStatus,
} from "@deltacrown/db";
import type { Transaction } from "kysely";
import type { Database } from "@deltacrown/db";
import { audit } from "../shared/audit.ts";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { badRequest, forbidden, notFound, preconditionFailed } from "../shared/errors.ts";
import { withTransaction, type AfterCommit } from "../shared/transaction.ts";
import { liveChannels } from "../live/channels.ts";
import { publishLive } from "../live/registry.ts";
import { createWithSlug } from "../shared/slugs.ts";
import { canManageTournament, ORG_TOURNAMENT_ADMINS } from "./access.ts";
import { assertTransition, DELETABLE, LISTED, type TournamentAction } from "./lifecycle.ts";
import { generateBracket } from "./bracket-generation.ts";
import { largestGroup, MAX_GROUP_SIZE } from "./brackets/index.ts";
import { finalizeTournament } from "./completion.ts";
import { refundTournamentEntryFees } from "../economy/tournament-payments.ts";
import {
  settingsOf,
  selectTournamentDetail,
  TOURNAMENT_SUMMARY_COLUMNS,
  toTournamentSummary,
  tournamentSummaryFrom,
} from "./tournament-queries.ts";
import {
  DEFAULT_SETTINGS,
  type CursorPage,
  type TournamentDetailDto,
  type TournamentSettings,
  type TournamentSummaryDto,
} from "./tournaments.dto.ts";

export interface CustomFieldInput {
  key: string;
  label: string;
  kind: CustomFieldKind;
  required: boolean;
  options?: string[] | undefined;
}

export interface SponsorInput {
  name: string;
  url?: string | undefined;
  logoUrl?: string | undefined;
}

export interface TournamentFieldsInput {
  name: string;
  description?: string | undefined;
  format: TournamentFormat;
  participantType: ParticipantType;
  capacity: number;
  teamSize: number;
  registrationOpensAt: Date;
  registrationClosesAt: Date;
  checkinOpensAt?: Date | undefined;
  checkinClosesAt?: Date | undefined;
  startsAt: Date;
  tier?: string | undefined;
  entryFeeCents?: number | undefined;
  currency?: string | undefined;
  prizeDescription?: string | undefined;
  paymentMethod?: TournamentPaymentMethod | undefined;
  prizePool?: number | undefined;
  rules?: string | undefined;
  settings?: Partial<TournamentSettings> | undefined;
  customFields?: CustomFieldInput[] | undefined;
  sponsors?: SponsorInput[] | undefined;
}

export interface CreateTournamentInput extends TournamentFieldsInput {
  slug?: string | undefined;
  gameSlug: string;
  organizationSlug?: string | undefined;
}

/** Cross-field rules zod cannot see alone; checked before anything is written. */
function validateFields(input: TournamentFieldsInput): void {
  if (input.registrationOpensAt >= input.registrationClosesAt)
    throw badRequest("Registration must open before it closes", "BAD_WINDOW", "registrationClosesAt");
  if (input.registrationClosesAt > input.startsAt)
    throw badRequest("Registration must close by the start time", "BAD_WINDOW", "startsAt");
  if ((input.checkinOpensAt === undefined) !== (input.checkinClosesAt === undefined))
    throw badRequest("Give both ends of the check-in window, or neither", "BAD_WINDOW", "checkinClosesAt");
  if (input.checkinOpensAt && input.checkinClosesAt) {
    if (input.checkinOpensAt >= input.checkinClosesAt || input.checkinClosesAt > input.startsAt)
      throw badRequest("Check-in must open before it closes, and close by the start", "BAD_WINDOW", "checkinClosesAt");
  }
  const groupCount = input.settings?.groupCount ?? DEFAULT_SETTINGS.groupCount;
  if (input.format === "round_robin" && largestGroup(input.capacity, groupCount) > MAX_GROUP_SIZE)
    throw badRequest(
      `A round-robin group holds at most ${MAX_GROUP_SIZE} entrants: ${input.capacity} places need at least ${Math.ceil(input.capacity / MAX_GROUP_SIZE)} groups`,
      "GROUP_TOO_LARGE",
      "settings.groupCount",
    );
  if (input.participantType === "solo" && input.teamSize !== 1)
    throw badRequest("A solo tournament has a team size of 1", "BAD_TEAM_SIZE", "teamSize");
  const keys = new Set<string>();
  for (const [i, field] of (input.customFields ?? []).entries()) {
    if (keys.has(field.key)) throw badRequest("Duplicate field key", "DUPLICATE_FIELD", `customFields.${i}.key`);
    keys.add(field.key);
    if (field.kind === "select" && (field.options ?? []).length === 0)
      throw badRequest("A select field needs options", "FIELD_OPTIONS", `customFields.${i}.options`);
  }
}

function columnsOf(input: TournamentFieldsInput) {
  return {
    name: input.name,
    description: input.description ?? "",
    format: input.format,
    participant_type: input.participantType,
    capacity: input.capacity,
    team_size: input.teamSize,
    registration_opens_at: input.registrationOpensAt,
    registration_closes_at: input.registrationClosesAt,
    checkin_opens_at: input.checkinOpensAt ?? null,
    checkin_closes_at: input.checkinClosesAt ?? null,
    starts_at: input.startsAt,
    tier: input.tier ?? "community",
    entry_fee_cents: input.entryFeeCents ?? 0,
    currency: input.currency ?? "USD",
    prize_description: input.prizeDescription ?? "",
    payment_method: input.paymentMethod ?? "reference",
    prize_pool: input.prizePool ?? 0,
    rules: input.rules ?? "",
    settings: JSON.stringify({ ...DEFAULT_SETTINGS, ...input.settings }),
  };
}

/** Replaces the custom fields and sponsors (one statement each, only when given). */
async function writeChildren(
  trx: Transaction<Database>,
  tournamentId: number,
  input: TournamentFieldsInput,
  replace: boolean,
) {
  if (input.customFields !== undefined) {
    if (replace) await trx.deleteFrom("tournament_custom_fields").where("tournament_id", "=", tournamentId).execute();
    if (input.customFields.length > 0)
      await trx
        .insertInto("tournament_custom_fields")
        .values(
          input.customFields.map((f, position) => ({
            tournament_id: tournamentId,
            key: f.key,
            label: f.label,
            kind: f.kind,
            required: f.required,
            options: f.options ?? [],
            position,
          })),
        )
        .execute();
  }
  if (input.sponsors !== undefined) {
    if (replace) await trx.deleteFrom("tournament_sponsors").where("tournament_id", "=", tournamentId).execute();
    if (input.sponsors.length > 0)
      await trx
        .insertInto("tournament_sponsors")
        .values(
          input.sponsors.map((s, position) => ({
            tournament_id: tournamentId,
            name: s.name,
            url: s.url ?? null,
            logo_url: s.logoUrl ?? null,
            position,
          })),
        )
        .execute();
  }
}

export async function createTournament(
  deps: DomainDeps,
  actor: Actor,
  input: CreateTournamentInput,
): Promise<TournamentDetailDto> {
  validateFields(input);
  // The game and, when asked, the actor's role in the organization — one statement, read live.
  const found = await deps.db
    .selectFrom("games as g")
    .select((eb) => [
      "g.id as game_id",
      "g.team_size as game_team_size",
      eb
        .selectFrom("organizations as o")
        .select("o.id")
        .where("o.slug", "=", input.organizationSlug ?? "")
        .as("org_id"),
      eb
        .selectFrom("organizations as o")
        .select((e) =>
          e
            .or([
              e("o.owner_id", "=", actor.userId),
              e.exists(
                e
                  .selectFrom("organization_memberships as om")
                  .select("om.id")
                  .whereRef("om.organization_id", "=", "o.id")
                  .where("om.user_id", "=", actor.userId)
                  .where("om.role", "in", ORG_TOURNAMENT_ADMINS),
              ),
            ])
            .as("ok"),
        )
        .where("o.slug", "=", input.organizationSlug ?? "")
        .as("org_admin"),
    ])
    .where("g.slug", "=", input.gameSlug)
    .executeTakeFirst();
  if (!found) throw notFound("Game", "gameSlug");
  if (input.organizationSlug !== undefined) {
    if (found.org_id == null) throw notFound("Organization", "organizationSlug");
    if (!actor.isStaff && found.org_admin !== true)
      throw forbidden("Only the organization's owner and admins may run its tournaments");
  }
  const tournamentSource = { ...input, kind: "cup", table: "tournaments", constraint: "tournaments_slug_key" } as const;
  const slug = await createWithSlug(tournamentSource, (slugValue) =>
    withTransaction(deps.db, async (trx) => {
      const t = await trx
        .insertInto("tournaments")
        .values({
          ...columnsOf(input),
          slug: slugValue,
          game_id: found.game_id,
          organizer_id: actor.userId,
          organization_id: found.org_id ?? null,
        })
        .returning(["id", "slug"])
        .executeTakeFirstOrThrow();
      await writeChildren(trx, t.id, input, false);
      await audit(trx, {
        actorId: actor.userId,
        action: "tournament.created",
        entityType: "tournament",
        entityId: String(t.id),
        data: { slug: t.slug, gameSlug: input.gameSlug },
      });
      return t.slug;
    }),
  );
  return tournamentBySlug(deps, actor, slug);
}

/**
 * Loads a live tournament for a change by its organizer, row-locked, with the permission read in
 * the same statement. Throws NOT_FOUND / FORBIDDEN.
 */
export async function lockForOrganizer(trx: Transaction<Database>, actor: Actor, slug: string) {
  const row = await trx
    .selectFrom("tournaments as t")
    .select((eb) => [
      "t.id",
      "t.slug",
      "t.status",
      "t.game_id",
      "t.tier",
      "t.format",
      "t.participant_type",
      "t.settings",
      "t.entry_fee_cents",
      "t.payment_method",
      "t.prize_pool",
      "t.checkin_opens_at",
      canManageTournament(eb, actor).as("can_manage"),
    ])
    .where("t.slug", "=", slug)
    .where("t.is_deleted", "=", false)
    .forUpdate("t")
    .executeTakeFirst();
  if (!row) throw notFound("Tournament", "slug");
  if (row.can_manage !== true)
    // A draft does not exist for anyone who may not manage it.
    throw row.status === "draft"
      ? notFound("Tournament", "slug")
      : forbidden("Only the tournament's organizer may do this");
  return row;
}

/** Edits a draft: every field replaced, custom fields and sponsors replaced when given. */
export async function updateTournament(
  deps: DomainDeps,
  actor: Actor,
  input: TournamentFieldsInput & { slug: string },
): Promise<TournamentDetailDto> {
  validateFields(input);
  await withTransaction(deps.db, async (trx) => {
    const t = await lockForOrganizer(trx, actor, input.slug);
    if (t.status !== "draft")
      throw preconditionFailed(`Only a draft can be edited; this tournament is ${t.status}`, "NOT_DRAFT");
    await trx
      .updateTable("tournaments")
      .set({ ...columnsOf(input), updated_at: new Date() })
      .where("id", "=", t.id)
      .execute();
    await writeChildren(trx, t.id, input, true);
    await audit(trx, {
      actorId: actor.userId,
      action: "tournament.updated",
      entityType: "tournament",
      entityId: String(t.id),
      data: {},
    });
  });
  return tournamentBySlug(deps, actor, input.slug);
}

export interface TransitionResult {
  slug: string;
  status: TournamentStatus;
}

/**
 * A plain lifecycle step (publish, open/close registration, cancel). `extra` runs inside the same
 * transaction with the locked row, for steps that do more (start generates the bracket, complete
 * stores placements): the step is all or nothing.
 */
export async function transition(
  deps: DomainDeps,
  actor: Actor,
  slug: string,
  action: TournamentAction,
  extra?: (
    trx: Transaction<Database>,
    t: Awaited<ReturnType<typeof lockForOrganizer>>,
    afterCommit: AfterCommit,
  ) => Promise<void>,
): Promise<TransitionResult> {
  return withTransaction(deps.db, async (trx, afterCommit) => {
    const t = await lockForOrganizer(trx, actor, slug);
    const to = assertTransition(action, t.status);
    if (extra) await extra(trx, t, afterCommit);
    await trx
      .updateTable("tournaments")
      .set({ status: to, updated_at: new Date(), ...(to === "completed" ? { completed_at: new Date() } : {}) })
      .where("id", "=", t.id)
      .execute();
    await audit(trx, {
      actorId: actor.userId,
      action: `tournament.${action}`,
      entityType: "tournament",
      entityId: String(t.id),
      data: { from: t.status, to },
    });
    return { slug: t.slug, status: to };
  });
}

/** Closes entries for good and generates the bracket, all in one transaction. */
export function startTournament(deps: DomainDeps, actor: Actor, slug: string): Promise<TransitionResult> {
  return transition(deps, actor, slug, "start", async (trx, t, afterCommit) => {
    await generateBracket(trx, {
      id: t.id,
      format: t.format,
      game_id: t.game_id,
      checkin_required: t.checkin_opens_at != null,
      settings: settingsOf(t.settings),
    });
    afterCommit(async () => {
      await publishLive(liveChannels.tournament(t.id), { type: "bracket.changed", data: { tournamentId: t.id } });
    });
  });
}

/** Stores final placements, issues certificates and enqueues the ranking award — with the status change. */
export function completeTournament(deps: DomainDeps, actor: Actor, slug: string): Promise<TransitionResult> {
  return transition(deps, actor, slug, "complete", (trx, t) => finalizeTournament(trx, t));
}

/**
 * Cancels the tournament; a wallet tournament refunds every charged entry fee in the same
 * transaction, set-based (two statements whatever the entry count, each refund exactly once).
 */
export function cancelTournament(deps: DomainDeps, actor: Actor, slug: string): Promise<TransitionResult> {
  return transition(deps, actor, slug, "cancel", async (trx, t) => {
    if (t.payment_method === "wallet" && t.entry_fee_cents > 0) await refundTournamentEntryFees(trx, t.id);
  });
}

/** Soft delete: hidden everywhere, kept for history. Never while it takes entries or runs. */
export async function removeTournament(deps: DomainDeps, actor: Actor, slug: string): Promise<{ slug: string }> {
  return withTransaction(deps.db, async (trx) => {
    const t = await lockForOrganizer(trx, actor, slug);
    if (!DELETABLE.includes(t.status))
      throw preconditionFailed(`Cannot delete a tournament that is ${t.status}; cancel it first`, "ILLEGAL_TRANSITION");
    await trx
      .updateTable("tournaments")
      .set({ is_deleted: true, updated_at: new Date() })
      .where("id", "=", t.id)
      .execute();
    await audit(trx, {
      actorId: actor.userId,
      action: "tournament.deleted",
      entityType: "tournament",
      entityId: String(t.id),
      data: {},
    });
    return { slug: t.slug };
  });
}

/** The page by slug: public once published; a draft only for those who manage it (NOT_FOUND to others). */
export async function tournamentBySlug(
  deps: Pick<DomainDeps, "db">,
  viewer: Actor | undefined,
  slug: string,
): Promise<TournamentDetailDto> {
  const t = await selectTournamentDetail(deps.db, slug, viewer);
  if (!t) throw notFound("Tournament", "slug");
  return t;
}

export interface ListTournamentsInput {
  gameSlug?: string | undefined;
  status?: TournamentStatus | undefined;
  /** The decoded keyset of the previous page's last item (the API refuses cursors that do not decode). */
  cursor?: { at: Date; id: number } | undefined;
  limit: number;
}

/** `<startsAt ms>:<id>` — the keyset of the discovery order. */
const encodeCursor = (t: TournamentSummaryDto) => `${Date.parse(t.startsAt)}:${t.id}`;

/** Discovery: upcoming first (start time, then id), keyset pages, one query a page; never drafts. */
export async function listTournaments(
  deps: Pick<DomainDeps, "db">,
  input: ListTournamentsInput,
): Promise<CursorPage<TournamentSummaryDto>> {
  const after = input.cursor;
  const rows = await tournamentSummaryFrom(deps.db)
    .select(TOURNAMENT_SUMMARY_COLUMNS)
    .$if(input.gameSlug !== undefined, (q) => q.where("g.slug", "=", input.gameSlug ?? ""))
    .where("t.status", "in", input.status !== undefined && input.status !== "draft" ? [input.status] : LISTED)
    .$if(after !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb("t.starts_at", ">", after!.at),
          eb.and([eb("t.starts_at", "=", after!.at), eb("t.id", ">", after!.id)]),
        ]),
      ),
    )
    .orderBy("t.starts_at")
    .orderBy("t.id")
    .limit(input.limit + 1)
    .execute();
  const items = rows.slice(0, input.limit).map(toTournamentSummary);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > input.limit && last ? encodeCursor(last) : null };
}
