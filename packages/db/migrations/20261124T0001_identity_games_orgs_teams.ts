import { sql, type Kysely } from "kysely";

// Frozen in time: this file never imports application code.
const statements = [
  `create extension if not exists citext`,
  `create extension if not exists pg_trgm`,

  `create table users (
     id integer generated always as identity primary key,
     username citext not null,
     email citext not null,
     display_name text not null,
     password_hash text not null,
     is_staff boolean not null default false,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     constraint users_username_format check (username ~ '^[A-Za-z0-9_.-]{3,32}$')
   )`,
  `create unique index users_username_key on users (username)`,
  `create unique index users_email_key on users (email)`,

  `create table sessions (
     id integer generated always as identity primary key,
     user_id integer not null references users (id) on delete cascade,
     token_hash bytea not null,
     created_at timestamptz not null default now(),
     last_used_at timestamptz not null default now(),
     expires_at timestamptz not null
   )`,
  `create unique index sessions_token_hash_key on sessions (token_hash)`,
  `create index sessions_user_id_idx on sessions (user_id)`,
  `create index sessions_expires_at_idx on sessions (expires_at)`,

  `create table games (
     id integer generated always as identity primary key,
     slug citext not null,
     name text not null,
     short_name text not null,
     genre text not null,
     team_size smallint not null check (team_size between 1 and 12),
     platforms text[] not null default '{}',
     created_at timestamptz not null default now()
   )`,
  `create unique index games_slug_key on games (slug)`,

  `create table organizations (
     id integer generated always as identity primary key,
     slug citext not null,
     name text not null,
     description text not null default '',
     website text,
     owner_id integer not null references users (id),
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now()
   )`,
  `create unique index organizations_slug_key on organizations (slug)`,
  `create index organizations_owner_id_idx on organizations (owner_id)`,

  `create table organization_memberships (
     id integer generated always as identity primary key,
     organization_id integer not null references organizations (id) on delete cascade,
     user_id integer not null references users (id) on delete cascade,
     role text not null check (role in ('owner', 'admin', 'manager', 'member')),
     created_at timestamptz not null default now()
   )`,
  `create unique index organization_memberships_org_user_key on organization_memberships (organization_id, user_id)`,
  `create index organization_memberships_user_id_idx on organization_memberships (user_id)`,

  `create table teams (
     id integer generated always as identity primary key,
     slug citext not null,
     name text not null,
     tag text,
     description text not null default '',
     game_id integer not null references games (id),
     organization_id integer references organizations (id),
     owner_id integer not null references users (id),
     member_count integer not null default 0 check (member_count >= 0),
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     disbanded_at timestamptz
   )`,
  `create unique index teams_slug_key on teams (slug)`,
  `create index teams_organization_game_idx on teams (organization_id, game_id)`,
  `create index teams_created_at_idx on teams (created_at)`,
  // Newest-first listing per game (search's default order) and the game_id foreign key.
  `create index teams_game_id_id_idx on teams (game_id, id desc)`,
  `create index teams_owner_id_idx on teams (owner_id)`,
  // Case-insensitive name-prefix search: LIKE 'abc%' on lower(name) needs text_pattern_ops outside the C locale.
  `create index teams_lower_name_prefix_idx on teams (lower(name) text_pattern_ops)`,

  `create table team_memberships (
     id integer generated always as identity primary key,
     team_id integer not null references teams (id) on delete cascade,
     user_id integer not null references users (id) on delete cascade,
     role text not null check (role in ('owner', 'manager', 'captain', 'coach', 'player', 'substitute')),
     status text not null default 'active' check (status in ('active', 'left')),
     joined_at timestamptz not null default now(),
     left_at timestamptz
   )`,
  `create unique index team_memberships_team_user_key on team_memberships (team_id, user_id)`,
  `create index team_memberships_user_role_idx on team_memberships (user_id, role)`,

  `create table team_invites (
     id integer generated always as identity primary key,
     team_id integer not null references teams (id) on delete cascade,
     invitee_id integer not null references users (id) on delete cascade,
     inviter_id integer not null references users (id) on delete cascade,
     role text not null check (role in ('manager', 'captain', 'coach', 'player', 'substitute')),
     token_hash bytea not null,
     status text not null default 'pending' check (status in ('pending', 'accepted', 'declined', 'revoked', 'expired')),
     created_at timestamptz not null default now(),
     expires_at timestamptz not null,
     responded_at timestamptz
   )`,
  `create unique index team_invites_token_hash_key on team_invites (token_hash)`,
  `create index team_invites_team_status_idx on team_invites (team_id, status)`,
  `create index team_invites_invitee_status_idx on team_invites (invitee_id, status)`,
  `create index team_invites_inviter_id_idx on team_invites (inviter_id)`,
  // At most one open invite per (team, invitee); also what the expiry job scans.
  `create unique index team_invites_one_pending_key on team_invites (team_id, invitee_id) where status = 'pending'`,
  `create index team_invites_pending_expiry_idx on team_invites (expires_at) where status = 'pending'`,

  `create table team_rankings (
     id integer generated always as identity primary key,
     team_id integer not null references teams (id) on delete cascade,
     game_id integer not null references games (id),
     current_cp integer not null default 0,
     tier text not null default 'unranked',
     hot_streak integer not null default 0 check (hot_streak >= 0),
     rank integer,
     updated_at timestamptz not null default now()
   )`,
  `create unique index team_rankings_team_game_key on team_rankings (team_id, game_id)`,
  `create index team_rankings_game_tier_idx on team_rankings (game_id, tier)`,
  `create index team_rankings_game_cp_idx on team_rankings (game_id, current_cp desc)`,

  `create table notifications (
     id integer generated always as identity primary key,
     user_id integer not null references users (id) on delete cascade,
     kind text not null,
     payload jsonb not null default '{}',
     read_at timestamptz,
     created_at timestamptz not null default now()
   )`,
  `create index notifications_user_id_idx on notifications (user_id, id desc)`,
  `create index notifications_user_unread_idx on notifications (user_id) where read_at is null`,

  `create table audit_log (
     id bigint generated always as identity primary key,
     actor_id integer references users (id) on delete set null,
     action text not null,
     entity_type text not null,
     entity_id text not null,
     data jsonb not null default '{}',
     created_at timestamptz not null default now()
   )`,
  `create index audit_log_actor_id_idx on audit_log (actor_id)`,
  `create index audit_log_entity_idx on audit_log (entity_type, entity_id)`,
  `create index audit_log_created_at_idx on audit_log (created_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "audit_log",
    "notifications",
    "team_rankings",
    "team_invites",
    "team_memberships",
    "teams",
    "organization_memberships",
    "organizations",
    "games",
    "sessions",
    "users",
  ]) {
    await sql.raw(`drop table if exists ${table} cascade`).execute(db);
  }
}
