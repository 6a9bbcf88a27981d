import {
  CUSTOM_FIELD_KINDS,
  REGISTRATION_STATUSES,
  TOURNAMENT_FORMATS,
  TOURNAMENT_PAYMENT_METHODS,
  TOURNAMENT_STATUSES,
} from "@deltacrown/db";
import { z } from "zod";
import {
  cursorPageOf,
  dateInRange,
  idOf,
  INT4_MAX,
  isoDate,
  limit,
  pageOf,
  safeString,
  slug,
  timeIdCursor,
} from "./common.ts";
import { freeText, plainText, richText, webUrl } from "./text.ts";

const when = dateInRange;
/** Custom-field keys: also the keys of a registrant's answers. */
const fieldKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,31}$/, "lowercase letters, digits and '_', starting with a letter");

export const customFieldInput = z.object({
  key: fieldKey,
  label: plainText(1, 80),
  kind: z.enum(CUSTOM_FIELD_KINDS),
  required: z.boolean().default(false),
  options: z.array(plainText(1, 80)).max(50).optional(),
});

export const sponsorInput = z.object({
  name: plainText(1, 80),
  /** The sponsor's site, opened by a visitor: https or http. */
  url: webUrl(["https", "http"]).optional(),
  /** Loaded by browsers into an https page: https only. */
  logoUrl: webUrl(["https"]).optional(),
});

export const tournamentSettings = z.object({
  bestOf: z.union([z.literal(1), z.literal(3), z.literal(5), z.literal(7)]),
  thirdPlaceMatch: z.boolean(),
  grandFinalReset: z.boolean(),
  groupCount: z.number().int().min(1).max(32),
  swissRounds: z.number().int().min(1).max(20).nullable(),
  seeding: z.enum(["registration", "manual", "ranking"]),
});

const tournamentFields = {
  name: plainText(3, 100),
  description: freeText(5000).optional(),
  format: z.enum(TOURNAMENT_FORMATS),
  participantType: z.enum(["team", "solo"]),
  capacity: z.number().int().min(2).max(1024),
  teamSize: z.number().int().min(1).max(12),
  registrationOpensAt: when,
  registrationClosesAt: when,
  checkinOpensAt: when.optional(),
  checkinClosesAt: when.optional(),
  startsAt: when,
  tier: plainText(1, 32).optional(),
  entryFeeCents: z.number().int().min(0).max(10_000_000).optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  prizeDescription: freeText(2000).optional(),
  /** How entry fees are paid: a verified payment reference (default) or the registrant's wallet. */
  paymentMethod: z.enum(TOURNAMENT_PAYMENT_METHODS).optional(),
  /** Coins paid to the top three from the pool on completion (wallet tournaments). */
  prizePool: z.number().int().min(0).max(1_000_000_000).optional(),
  /** Rich text: the one field kept as (sanitized) HTML. */
  rules: richText(20000).optional(),
  settings: tournamentSettings.partial().optional(),
  customFields: z.array(customFieldInput).max(20).optional(),
  sponsors: z.array(sponsorInput).max(20).optional(),
};

export const createTournamentInput = z.object({
  ...tournamentFields,
  slug: slug.optional(),
  gameSlug: slug,
  organizationSlug: slug.optional(),
});
export const updateTournamentInput = z.object({ ...tournamentFields, slug });
export const tournamentSlugInput = z.object({ slug });

export const tournamentSummary = z.object({
  id: z.number(),
  slug: z.string(),
  name: z.string(),
  format: z.enum(TOURNAMENT_FORMATS),
  participantType: z.enum(["team", "solo"]),
  status: z.enum(TOURNAMENT_STATUSES),
  tier: z.string(),
  capacity: z.number(),
  entriesCount: z.number(),
  entryFeeCents: z.number(),
  startsAt: isoDate,
  registrationOpensAt: isoDate,
  registrationClosesAt: isoDate,
  game: z.object({ slug: z.string(), name: z.string() }),
  organizer: z.object({ username: z.string(), displayName: z.string() }),
});

export const tournamentDetail = tournamentSummary.extend({
  description: z.string(),
  teamSize: z.number(),
  checkinOpensAt: isoDate.nullable(),
  checkinClosesAt: isoDate.nullable(),
  currency: z.string(),
  prizeDescription: z.string(),
  paymentMethod: z.enum(TOURNAMENT_PAYMENT_METHODS),
  prizePool: z.number(),
  rules: z.string(),
  settings: tournamentSettings,
  organization: z.object({ slug: z.string(), name: z.string() }).nullable(),
  counts: z.object({ pending: z.number(), confirmed: z.number(), waitlisted: z.number(), checkedIn: z.number() }),
  customFields: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      kind: z.enum(CUSTOM_FIELD_KINDS),
      required: z.boolean(),
      options: z.array(z.string()),
    }),
  ),
  sponsors: z.array(z.object({ name: z.string(), url: z.string().nullable(), logoUrl: z.string().nullable() })),
  createdAt: isoDate,
  completedAt: isoDate.nullable(),
});

export const listTournamentsInput = z.object({
  gameSlug: slug.optional(),
  status: z.enum(TOURNAMENT_STATUSES).optional(),
  cursor: timeIdCursor.optional(),
  limit,
});
export const tournamentPage = cursorPageOf(tournamentSummary);
export const transitionResult = z.object({ slug: z.string(), status: z.enum(TOURNAMENT_STATUSES) });

// Registrations
/** An answer as sent; text answers then follow the plain-text rule (domain custom-fields). */
const fieldValue = z.union([safeString().max(500), z.number().min(-INT4_MAX).max(INT4_MAX), z.boolean()]);
export const registerInput = z.object({
  tournamentSlug: slug,
  teamSlug: slug.optional(),
  fields: z.record(fieldKey, fieldValue).default({}),
});
const registrationId = idOf("registrations");
export const registrationIdInput = z.object({ registrationId });
export const reviewInput = z.object({ registrationId, decision: z.enum(["confirm", "reject"]) });
export const reorderInput = z.object({ registrationId, position: z.number().int().min(1).max(10_000) });
export const setSeedInput = z.object({ registrationId, seed: z.number().int().min(1).max(1024).nullable() });
/** The public list: live entries only. */
export const listRegistrationsInput = z.object({
  tournamentSlug: slug,
  status: z.enum(["pending", "confirmed", "waitlisted"]).optional(),
  cursor: registrationId.optional(),
  limit,
});
/** The organizers' list: any status. */
export const manageRegistrationsInput = z.object({
  tournamentSlug: slug,
  status: z.enum(REGISTRATION_STATUSES).optional(),
  cursor: registrationId.optional(),
  limit,
});
/** What anyone sees of an entry: its team (or solo player) and status. */
export const publicRegistration = z.object({
  id: z.number(),
  status: z.enum(REGISTRATION_STATUSES),
  seed: z.number().nullable(),
  team: z.object({ slug: z.string(), name: z.string() }).nullable(),
  player: z.object({ username: z.string() }).nullable(),
});
export const publicRegistrationPage = pageOf(publicRegistration);
export const registration = z.object({
  id: z.number(),
  tournamentId: z.number(),
  status: z.enum(REGISTRATION_STATUSES),
  waitlistPosition: z.number().nullable(),
  seed: z.number().nullable(),
  team: z.object({ id: z.number(), slug: z.string(), name: z.string() }).nullable(),
  user: z.object({ id: z.number(), username: z.string() }),
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  checkedInAt: isoDate.nullable(),
  createdAt: isoDate,
  payment: z
    .object({
      id: z.number(),
      status: z.enum(["submitted", "verified", "rejected"]),
      reference: z.string(),
      note: z.string().nullable(),
      amountCents: z.number(),
    })
    .nullable(),
});
export const submitPaymentInput = z.object({ registrationId, reference: plainText(3, 120) });
export const reviewPaymentInput = z.object({
  paymentId: idOf("payments"),
  decision: z.enum(["verify", "reject"]),
  note: freeText(500).optional(),
});
export const registrationPage = pageOf(registration);

/** What the signed-in viewer is to a tournament (tournaments.viewer): organizer or not, and their own entries. */
export const tournamentViewer = z.object({ canManage: z.boolean(), entries: z.array(registration) });
