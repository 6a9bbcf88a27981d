import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

export const TOURNAMENT_FORMATS = ["single_elimination", "double_elimination", "round_robin", "swiss"] as const;
export type TournamentFormat = (typeof TOURNAMENT_FORMATS)[number];
export const TOURNAMENT_STATUSES = [
  "draft",
  "published",
  "registration_open",
  "registration_closed",
  "in_progress",
  "completed",
  "cancelled",
] as const;
export type TournamentStatus = (typeof TOURNAMENT_STATUSES)[number];
export type ParticipantType = "team" | "solo";
export const CUSTOM_FIELD_KINDS = ["text", "number", "select", "checkbox", "in_game_id"] as const;
export type CustomFieldKind = (typeof CUSTOM_FIELD_KINDS)[number];
export const REGISTRATION_STATUSES = [
  "pending",
  "confirmed",
  "waitlisted",
  "rejected",
  "withdrawn",
  "dropped",
] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];
export const TOURNAMENT_PAYMENT_METHODS = ["reference", "wallet"] as const;
export type TournamentPaymentMethod = (typeof TOURNAMENT_PAYMENT_METHODS)[number];
export type PaymentStatus = "submitted" | "verified" | "rejected";
export type MatchBracket = "winners" | "losers" | "grand_final" | "third_place" | "group" | "swiss";
export type MatchState = "pending" | "ready" | "completed" | "disputed" | "void";
export type MatchSlot = "a" | "b";

export interface TournamentsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: Generated<string>;
  game_id: number;
  organizer_id: number;
  organization_id: number | null;
  format: TournamentFormat;
  participant_type: ParticipantType;
  capacity: number;
  team_size: number;
  registration_opens_at: Date;
  registration_closes_at: Date;
  checkin_opens_at: Date | null;
  checkin_closes_at: Date | null;
  starts_at: Date;
  tier: Generated<string>;
  entry_fee_cents: Generated<number>;
  currency: Generated<string>;
  prize_description: Generated<string>;
  /** 'reference': the registrant submits a payment reference the organizer verifies; 'wallet': charged from the wallet on confirmation. */
  payment_method: Generated<TournamentPaymentMethod>;
  /** Coins paid out of the pool to placed entries on completion (wallet tournaments; splits in tournaments/prizes.ts). */
  prize_pool: Generated<number>;
  rules: Generated<string>;
  settings: ColumnType<Record<string, unknown>, string | undefined, string>;
  status: Generated<TournamentStatus>;
  is_deleted: Generated<boolean>;
  /** Live entries holding a place (pending or confirmed), changed only with this row locked. */
  entries_count: Generated<number>;
  waitlist_seq: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  completed_at: Date | null;
}
export type Tournament = Selectable<TournamentsTable>;
export type NewTournament = Insertable<TournamentsTable>;
export type TournamentUpdate = Updateable<TournamentsTable>;

export interface TournamentCustomFieldsTable {
  id: Generated<number>;
  tournament_id: number;
  key: string;
  label: string;
  kind: CustomFieldKind;
  required: Generated<boolean>;
  options: Generated<string[]>;
  position: Generated<number>;
}
export type TournamentCustomField = Selectable<TournamentCustomFieldsTable>;

export interface TournamentSponsorsTable {
  id: Generated<number>;
  tournament_id: number;
  name: string;
  url: string | null;
  logo_url: string | null;
  position: Generated<number>;
}

export interface RegistrationsTable {
  id: Generated<number>;
  tournament_id: number;
  user_id: number;
  team_id: number | null;
  status: Generated<RegistrationStatus>;
  waitlist_position: number | null;
  seed: number | null;
  fields: ColumnType<Record<string, unknown>, string | undefined, string>;
  checked_in_at: Date | null;
  placement: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type Registration = Selectable<RegistrationsTable>;

export interface PaymentsTable {
  id: Generated<number>;
  registration_id: number;
  amount_cents: number;
  reference: string;
  status: Generated<PaymentStatus>;
  note: string | null;
  submitted_by: number;
  reviewed_by: number | null;
  created_at: Generated<Date>;
  reviewed_at: Date | null;
}
export type Payment = Selectable<PaymentsTable>;

export interface GameScore {
  a: number;
  b: number;
}

export interface MatchesTable {
  id: Generated<number>;
  tournament_id: number;
  bracket: MatchBracket;
  round: number;
  position: number;
  group_no: number | null;
  best_of: Generated<number>;
  side_a_id: number | null;
  side_b_id: number | null;
  score_a: number | null;
  score_b: number | null;
  games: ColumnType<GameScore[], string | undefined, string>;
  winner_id: number | null;
  state: Generated<MatchState>;
  is_forfeit: Generated<boolean>;
  next_match_id: number | null;
  next_slot: MatchSlot | null;
  loser_next_match_id: number | null;
  loser_next_slot: MatchSlot | null;
  scheduled_at: Date | null;
  completed_at: Date | null;
  created_at: Generated<Date>;
}
export type Match = Selectable<MatchesTable>;

export interface MatchReportsTable {
  id: Generated<number>;
  match_id: number;
  registration_id: number;
  reported_by: number;
  score_a: number;
  score_b: number;
  games: ColumnType<GameScore[], string | undefined, string>;
  evidence: Generated<string>;
  created_at: Generated<Date>;
}

export interface CertificatesTable {
  id: Generated<number>;
  tournament_id: number;
  registration_id: number;
  placement: number;
  code: string;
  issued_at: Generated<Date>;
}

export interface TournamentTables {
  tournaments: TournamentsTable;
  tournament_custom_fields: TournamentCustomFieldsTable;
  tournament_sponsors: TournamentSponsorsTable;
  registrations: RegistrationsTable;
  payments: PaymentsTable;
  matches: MatchesTable;
  match_reports: MatchReportsTable;
  certificates: CertificatesTable;
}
