/**
 * Why a legacy row was refused, or what was odd about a row brought across anyway. Codes are
 * stored in legacy_import_refusals / legacy_import_notes; the texts head the report and docs/import.md.
 */
export const REFUSALS = {
  username_invalid: "username does not fit DeltaCrown's format (3–32 of A–Z a–z 0–9 _ . -)",
  username_case_duplicate: "username differs only in case from an older account's",
  username_taken: "username already belongs to a DeltaCrown account",
  email_invalid: "e-mail missing or not an address",
  email_case_duplicate: "e-mail differs only in case from an older account's",
  email_taken: "e-mail already belongs to a DeltaCrown account",
  slug_invalid: "slug does not fit DeltaCrown's format (2–48 letters, digits, single hyphens)",
  slug_case_duplicate: "slug differs only in case from an older row's",
  slug_taken: "slug already used by a DeltaCrown row",
  name_blank: "name is empty",
  no_owner: "organization has no OWNER member",
  owner_not_member: "team owner is not on the team's roster",
  owner_role_mismatch: "team owner's roster role is not OWNER, or another member holds OWNER",
  owner_deactivated: "owner's account is deactivated",
  member_deactivated: "deactivated account on a roster",
  unknown_role: "role unknown to DeltaCrown",
  unknown_status: "status unknown to DeltaCrown",
  negative_cp: "negative CP or hot streak",
  game_mismatch: "ranking's game differs from its team's game",
  capacity_out_of_range: "capacity outside DeltaCrown's 2–1024",
  over_capacity: "more live entries (pending + confirmed) than places",
  duplicate_entry: "second live solo entry of one user in one tournament",
  negative_balance: "negative wallet balance",
  wallet_exists: "the user already has a DeltaCrown wallet",
  user_refused: "its user was refused",
  owner_refused: "its owner was refused",
  organizer_refused: "its organizer was refused",
  game_refused: "its game was refused",
  organization_refused: "its organization was refused",
  team_refused: "its team was refused",
  tournament_refused: "its tournament was refused",
  reference_missing: "refers to a row that is not in the old database",
} as const;
export type RefusalReason = keyof typeof REFUSALS;

export const NOTES = {
  deactivated: "deactivated on the old site: imported unable to sign in",
  staff_not_granted: "staff or superuser on the old site: imported without staff (grant with `pnpm admin staff grant`)",
  password_unusable: "password not in Django's pbkdf2_sha256 format: the account cannot sign in with it",
  markup_in_name: "name contains HTML markup: kept verbatim (clients render names as text)",
  name_slugs_to_nothing: "name has no letter or digit a slug can use: the old slug is kept",
  name_over_limit: "name longer than DeltaCrown's 64-character form limit: kept",
  tier_mismatch: "stored tier contradicts the CP on the old site's own table: CP kept, tier derived from CP",
  game_linked: "same slug as a DeltaCrown game: linked to it",
  game_defaults: "short name, genre and team size are not in the old schema: defaults set",
} as const;
export type NoteKind = keyof typeof NOTES;
