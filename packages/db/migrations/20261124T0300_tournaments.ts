import { sql, type Kysely } from "kysely";

// Frozen in time: this file never imports application code.
const statements = [
  `create table tournaments (
     id integer generated always as identity primary key,
     slug citext not null,
     name text not null,
     description text not null default '',
     game_id integer not null references games (id),
     organizer_id integer not null references users (id),
     organization_id integer references organizations (id),
     format text not null check (format in ('single_elimination', 'double_elimination', 'round_robin', 'swiss')),
     participant_type text not null check (participant_type in ('team', 'solo')),
     capacity integer not null check (capacity between 2 and 1024),
     team_size smallint not null check (team_size between 1 and 12),
     registration_opens_at timestamptz not null,
     registration_closes_at timestamptz not null,
     checkin_opens_at timestamptz,
     checkin_closes_at timestamptz,
     starts_at timestamptz not null,
     tier text not null default 'community',
     entry_fee_cents integer not null default 0 check (entry_fee_cents >= 0),
     currency text not null default 'USD',
     prize_description text not null default '',
     payment_method text not null default 'reference' check (payment_method in ('reference', 'wallet')),
     prize_pool integer not null default 0 check (prize_pool >= 0),
     rules text not null default '',
     settings jsonb not null default '{}',
     status text not null default 'draft' check (status in
       ('draft', 'published', 'registration_open', 'registration_closed', 'in_progress', 'completed', 'cancelled')),
     is_deleted boolean not null default false,
     -- Live entries holding a place (pending or confirmed), changed only with this row locked.
     entries_count integer not null default 0 check (entries_count >= 0),
     -- Last waitlist position handed out (positions only order the waitlist).
     waitlist_seq integer not null default 0,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     completed_at timestamptz,
     constraint tournaments_windows check (registration_opens_at < registration_closes_at
       and registration_closes_at <= starts_at)
   )`,
  `create unique index tournaments_slug_key on tournaments (slug)`,
  // Discovery: filter by game and status, upcoming first (seed 003 §2.2 leading columns).
  `create index tournaments_game_status_deleted_idx on tournaments (game_id, status, is_deleted, starts_at, id)`,
  // Discovery without a game filter, upcoming first.
  `create index tournaments_upcoming_idx on tournaments (starts_at, id) where not is_deleted`,
  `create index tournaments_organizer_id_idx on tournaments (organizer_id, status)`,
  `create index tournaments_organization_id_idx on tournaments (organization_id)`,

  `create table tournament_custom_fields (
     id integer generated always as identity primary key,
     tournament_id integer not null references tournaments (id) on delete cascade,
     key text not null check (key ~ '^[a-z][a-z0-9_]{0,31}$'),
     label text not null,
     kind text not null check (kind in ('text', 'number', 'select', 'checkbox', 'in_game_id')),
     required boolean not null default false,
     options text[] not null default '{}',
     position smallint not null default 0
   )`,
  `create unique index tournament_custom_fields_key on tournament_custom_fields (tournament_id, key)`,

  `create table tournament_sponsors (
     id integer generated always as identity primary key,
     tournament_id integer not null references tournaments (id) on delete cascade,
     name text not null,
     url text,
     logo_url text,
     position smallint not null default 0
   )`,
  `create index tournament_sponsors_tournament_id_idx on tournament_sponsors (tournament_id, position)`,

  `create table registrations (
     id integer generated always as identity primary key,
     tournament_id integer not null references tournaments (id) on delete cascade,
     user_id integer not null references users (id),
     team_id integer references teams (id),
     status text not null default 'pending' check (status in
       ('pending', 'confirmed', 'waitlisted', 'rejected', 'withdrawn', 'dropped')),
     waitlist_position integer,
     seed integer,
     fields jsonb not null default '{}',
     checked_in_at timestamptz,
     placement integer,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now()
   )`,
  // Seed 003: duplicate checks by (tournament, user); seed 002: the registration-with-team read.
  `create index registrations_tournament_user_idx on registrations (tournament_id, user_id)`,
  `create index registrations_tournament_status_idx on registrations (tournament_id, status) include (team_id, created_at)`,
  // Duplicates are impossible, not only checked: one live entry per team (or per solo player).
  `create unique index registrations_live_team_key on registrations (tournament_id, team_id)
     where team_id is not null and status in ('pending', 'confirmed', 'waitlisted')`,
  `create unique index registrations_live_solo_key on registrations (tournament_id, user_id)
     where team_id is null and status in ('pending', 'confirmed', 'waitlisted')`,
  `create index registrations_user_id_idx on registrations (user_id)`,
  `create index registrations_team_id_idx on registrations (team_id)`,

  `create table payments (
     id integer generated always as identity primary key,
     registration_id integer not null references registrations (id) on delete cascade,
     amount_cents integer not null check (amount_cents >= 0),
     reference text not null,
     status text not null default 'submitted' check (status in ('submitted', 'verified', 'rejected')),
     note text,
     submitted_by integer not null references users (id),
     reviewed_by integer references users (id),
     created_at timestamptz not null default now(),
     reviewed_at timestamptz
   )`,
  `create index payments_registration_status_idx on payments (registration_id, status)`,
  `create index payments_submitted_by_idx on payments (submitted_by)`,
  `create index payments_reviewed_by_idx on payments (reviewed_by)`,

  // By default (not always): the bracket generator reserves ids first so it can link matches in one insert.
  `create table matches (
     id integer generated by default as identity primary key,
     tournament_id integer not null references tournaments (id) on delete cascade,
     bracket text not null check (bracket in ('winners', 'losers', 'grand_final', 'third_place', 'group', 'swiss')),
     round smallint not null,
     position smallint not null,
     group_no smallint,
     best_of smallint not null default 1 check (best_of in (1, 3, 5, 7)),
     side_a_id integer references registrations (id),
     side_b_id integer references registrations (id),
     score_a smallint,
     score_b smallint,
     games jsonb not null default '[]',
     winner_id integer,
     state text not null default 'pending' check (state in ('pending', 'ready', 'completed', 'disputed', 'void')),
     is_forfeit boolean not null default false,
     -- Where the winner and loser go: ids of matches in the same tournament, written by the generator.
     next_match_id integer,
     next_slot text check (next_slot in ('a', 'b')),
     loser_next_match_id integer,
     loser_next_slot text check (loser_next_slot in ('a', 'b')),
     scheduled_at timestamptz,
     completed_at timestamptz,
     created_at timestamptz not null default now()
   )`,
  `create index matches_tournament_state_idx on matches (tournament_id, state)`,
  `create unique index matches_slot_key on matches (tournament_id, bracket, round, position)`,
  `create index matches_side_a_id_idx on matches (side_a_id)`,
  `create index matches_side_b_id_idx on matches (side_b_id)`,

  `create table match_reports (
     id integer generated always as identity primary key,
     match_id integer not null references matches (id) on delete cascade,
     registration_id integer not null references registrations (id) on delete cascade,
     reported_by integer not null references users (id),
     score_a smallint not null,
     score_b smallint not null,
     games jsonb not null default '[]',
     evidence text not null default '',
     created_at timestamptz not null default now()
   )`,
  `create unique index match_reports_match_side_key on match_reports (match_id, registration_id)`,
  `create index match_reports_registration_id_idx on match_reports (registration_id)`,
  `create index match_reports_reported_by_idx on match_reports (reported_by)`,

  `create table certificates (
     id integer generated always as identity primary key,
     tournament_id integer not null references tournaments (id) on delete cascade,
     registration_id integer not null references registrations (id) on delete cascade,
     placement integer not null,
     code text not null,
     issued_at timestamptz not null default now()
   )`,
  `create unique index certificates_code_key on certificates (code)`,
  `create unique index certificates_registration_key on certificates (registration_id)`,
  `create index certificates_tournament_id_idx on certificates (tournament_id, placement)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "certificates",
    "match_reports",
    "matches",
    "payments",
    "registrations",
    "tournament_sponsors",
    "tournament_custom_fields",
    "tournaments",
  ]) {
    await sql.raw(`drop table if exists ${table} cascade`).execute(db);
  }
}
