import type { Database, TournamentStatus } from "@deltacrown/db";
import { sql, type Kysely } from "kysely";
import { jsonArrayFrom, jsonObjectFrom } from "kysely/helpers/postgres";
import type { Actor } from "../shared/deps.ts";
import { canViewTournament } from "./access.ts";
import {
  DEFAULT_SETTINGS,
  type TournamentDetailDto,
  type TournamentSettings,
  type TournamentSummaryDto,
} from "./tournaments.dto.ts";

export const iso = (value: Date | string): string => new Date(value).toISOString();
export const isoOrNull = (value: Date | string | null): string | null => (value == null ? null : iso(value));

/** tournaments t + game g + organizer u, as every tournament list needs them. */
export function tournamentSummaryFrom(db: Kysely<Database>) {
  return db
    .selectFrom("tournaments as t")
    .innerJoin("games as g", "g.id", "t.game_id")
    .innerJoin("users as u", "u.id", "t.organizer_id")
    .where("t.is_deleted", "=", false);
}

export const TOURNAMENT_SUMMARY_COLUMNS = [
  "t.id",
  "t.slug",
  "t.name",
  "t.format",
  "t.participant_type",
  "t.status",
  "t.tier",
  "t.capacity",
  "t.entries_count",
  "t.entry_fee_cents",
  "t.starts_at",
  "t.registration_opens_at",
  "t.registration_closes_at",
  "g.slug as game_slug",
  "g.name as game_name",
  "u.username as organizer_username",
  "u.display_name as organizer_display_name",
] as const;

interface SummaryRow {
  id: number;
  slug: string;
  name: string;
  format: TournamentSummaryDto["format"];
  participant_type: TournamentSummaryDto["participantType"];
  status: TournamentStatus;
  tier: string;
  capacity: number;
  entries_count: number;
  entry_fee_cents: number;
  starts_at: Date;
  registration_opens_at: Date;
  registration_closes_at: Date;
  game_slug: string;
  game_name: string;
  organizer_username: string;
  organizer_display_name: string;
}

export function toTournamentSummary(r: SummaryRow): TournamentSummaryDto {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    format: r.format,
    participantType: r.participant_type,
    status: r.status,
    tier: r.tier,
    capacity: r.capacity,
    entriesCount: r.entries_count,
    entryFeeCents: r.entry_fee_cents,
    startsAt: iso(r.starts_at),
    registrationOpensAt: iso(r.registration_opens_at),
    registrationClosesAt: iso(r.registration_closes_at),
    game: { slug: r.game_slug, name: r.game_name },
    organizer: { username: r.organizer_username, displayName: r.organizer_display_name },
  };
}

export function settingsOf(raw: Record<string, unknown>): TournamentSettings {
  return { ...DEFAULT_SETTINGS, ...(raw as Partial<TournamentSettings>) };
}

/**
 * The whole tournament page in ONE statement: tournament, game, organizer, organization,
 * registration counts, custom fields and sponsors (json-aggregated).
 */
export async function selectTournamentDetail(
  db: Kysely<Database>,
  slug: string,
  viewer: Actor | undefined,
): Promise<TournamentDetailDto | undefined> {
  const row = await tournamentSummaryFrom(db)
    .leftJoin("organizations as org", "org.id", "t.organization_id")
    .select(TOURNAMENT_SUMMARY_COLUMNS)
    .select((eb) => [
      "t.description",
      "t.team_size",
      "t.checkin_opens_at",
      "t.checkin_closes_at",
      "t.currency",
      "t.prize_description",
      "t.payment_method",
      "t.prize_pool",
      "t.rules",
      "t.settings",
      "t.created_at",
      "t.completed_at",
      "org.slug as org_slug",
      "org.name as org_name",
      jsonObjectFrom(
        eb
          .selectFrom("registrations as r")
          .select([
            sql<number>`count(*) filter (where r.status = 'pending')::int`.as("pending"),
            sql<number>`count(*) filter (where r.status = 'confirmed')::int`.as("confirmed"),
            sql<number>`count(*) filter (where r.status = 'waitlisted')::int`.as("waitlisted"),
            sql<number>`count(*) filter (where r.status = 'confirmed' and r.checked_in_at is not null)::int`.as(
              "checkedIn",
            ),
          ])
          .whereRef("r.tournament_id", "=", "t.id")
          .where("r.status", "in", ["pending", "confirmed", "waitlisted"]),
      ).as("counts"),
      jsonArrayFrom(
        eb
          .selectFrom("tournament_custom_fields as f")
          .select(["f.key", "f.label", "f.kind", "f.required", "f.options"])
          .whereRef("f.tournament_id", "=", "t.id")
          .orderBy("f.position")
          .orderBy("f.id"),
      ).as("custom_fields"),
      jsonArrayFrom(
        eb
          .selectFrom("tournament_sponsors as s")
          .select(["s.name", "s.url", "s.logo_url as logoUrl"])
          .whereRef("s.tournament_id", "=", "t.id")
          .orderBy("s.position")
          .orderBy("s.id"),
      ).as("sponsors"),
    ])
    .where("t.slug", "=", slug)
    .where((eb) => canViewTournament(eb, viewer))
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    ...toTournamentSummary(row),
    description: row.description,
    teamSize: row.team_size,
    checkinOpensAt: isoOrNull(row.checkin_opens_at),
    checkinClosesAt: isoOrNull(row.checkin_closes_at),
    currency: row.currency,
    prizeDescription: row.prize_description,
    paymentMethod: row.payment_method,
    prizePool: row.prize_pool,
    rules: row.rules,
    settings: settingsOf(row.settings),
    organization: row.org_slug != null && row.org_name != null ? { slug: row.org_slug, name: row.org_name } : null,
    counts: row.counts ?? { pending: 0, confirmed: 0, waitlisted: 0, checkedIn: 0 },
    customFields: row.custom_fields,
    sponsors: row.sponsors,
    createdAt: iso(row.created_at),
    completedAt: isoOrNull(row.completed_at),
  };
}
