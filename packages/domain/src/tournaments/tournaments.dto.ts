import type {
  CustomFieldKind,
  ParticipantType,
  PaymentStatus,
  TournamentPaymentMethod,
  RegistrationStatus,
  TournamentFormat,
  TournamentStatus,
} from "@deltacrown/db";

/** Format options chosen at creation; read by the bracket generators. */
export interface TournamentSettings {
  bestOf: 1 | 3 | 5 | 7;
  thirdPlaceMatch: boolean;
  grandFinalReset: boolean;
  groupCount: number;
  swissRounds: number | null;
  seeding: "registration" | "manual" | "ranking";
}

export const DEFAULT_SETTINGS: TournamentSettings = {
  bestOf: 1,
  thirdPlaceMatch: false,
  grandFinalReset: true,
  groupCount: 1,
  swissRounds: null,
  seeding: "registration",
};

export interface CustomFieldDto {
  key: string;
  label: string;
  kind: CustomFieldKind;
  required: boolean;
  options: string[];
}

export interface SponsorDto {
  name: string;
  url: string | null;
  logoUrl: string | null;
}

export interface TournamentSummaryDto {
  id: number;
  slug: string;
  name: string;
  format: TournamentFormat;
  participantType: ParticipantType;
  status: TournamentStatus;
  tier: string;
  capacity: number;
  entriesCount: number;
  entryFeeCents: number;
  startsAt: string;
  registrationOpensAt: string;
  registrationClosesAt: string;
  game: { slug: string; name: string };
  organizer: { username: string; displayName: string };
}

export interface TournamentDetailDto extends TournamentSummaryDto {
  description: string;
  teamSize: number;
  checkinOpensAt: string | null;
  checkinClosesAt: string | null;
  currency: string;
  prizeDescription: string;
  paymentMethod: TournamentPaymentMethod;
  prizePool: number;
  rules: string;
  settings: TournamentSettings;
  organization: { slug: string; name: string } | null;
  counts: { pending: number; confirmed: number; waitlisted: number; checkedIn: number };
  customFields: CustomFieldDto[];
  sponsors: SponsorDto[];
  createdAt: string;
  completedAt: string | null;
}

export interface RegistrationDto {
  id: number;
  tournamentId: number;
  status: RegistrationStatus;
  waitlistPosition: number | null;
  seed: number | null;
  team: { id: number; slug: string; name: string } | null;
  user: { id: number; username: string };
  fields: Record<string, string | number | boolean>;
  checkedInAt: string | null;
  createdAt: string;
  /** The latest payment submitted for the entry; read live, never cached. */
  payment: { id: number; status: PaymentStatus; reference: string; note: string | null; amountCents: number } | null;
}

/**
 * What anyone may see of an entry: who entered and where it stands — no answers to the custom
 * form, no payment, no registering user behind a team.
 */
export interface PublicRegistrationDto {
  id: number;
  status: RegistrationStatus;
  seed: number | null;
  team: { slug: string; name: string } | null;
  /** The player of a solo entry. */
  player: { username: string } | null;
}

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}
