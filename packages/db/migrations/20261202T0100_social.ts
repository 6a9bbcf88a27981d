import { sql, type Kysely } from "kysely";

// Frozen in time: this file never imports application code.
// The team's social side (issue 17): settings, posts, followers, achievements, sponsors,
// promotions and weekly analytics.
// - Image and logo references are upload ids (uuid) without a foreign key: the uploads table
//   arrives with its own migration, which adds the constraints.
// - teams.follower_count is precomputed (contract §4.3): follow/unfollow change it in the same
//   statement as the follow row, so it never needs a COUNT over team_follows.
const statements = [
  `alter table teams
     add column follower_count integer not null default 0 check (follower_count >= 0),
     add column roster_visibility text not null default 'public' check (roster_visibility in ('public', 'members')),
     add column feed_visibility text not null default 'public' check (feed_visibility in ('public', 'members')),
     add column post_policy text not null default 'members' check (post_policy in ('members', 'captains', 'managers')),
     add column accepts_join_requests boolean not null default false`,

  `create table team_posts (
     id serial primary key,
     team_id integer not null references teams (id) on delete cascade,
     author_id integer not null references users (id),
     body text not null,
     image_ids uuid[] not null default '{}' check (cardinality(image_ids) <= 4),
     pinned_at timestamptz,
     created_at timestamptz not null default now()
   )`,
  // The team feed and each followed team's slice of the home feed: newest (highest id) first.
  `create index team_posts_team_id_id_idx on team_posts (team_id, id desc)`,
  `create index team_posts_author_id_idx on team_posts (author_id)`,
  // At most one pinned post per team; the team page reads it through this index.
  `create unique index team_posts_pinned_key on team_posts (team_id) where pinned_at is not null`,

  `create table team_follows (
     team_id integer not null references teams (id) on delete cascade,
     user_id integer not null references users (id) on delete cascade,
     -- Millisecond precision: list cursors carry milliseconds, and keyset order stays the index's.
     created_at timestamptz not null default date_trunc('milliseconds', now()),
     primary key (team_id, user_id)
   )`,
  // Follower list (newest first) and the weekly follower growth.
  `create index team_follows_team_created_idx on team_follows (team_id, created_at desc, user_id desc)`,
  // "Teams I follow" (newest first) and the home feed's list of teams.
  `create index team_follows_user_created_idx on team_follows (user_id, created_at desc, team_id desc)`,

  `create table team_achievements (
     id serial primary key,
     team_id integer not null references teams (id) on delete cascade,
     kind text not null check (kind in ('tournament_placement', 'cp_milestone', 'tier_reached', 'hot_streak')),
     key text not null,
     title text not null,
     data jsonb not null default '{}',
     awarded_at timestamptz not null default now()
   )`,
  // Each achievement once per team, whatever job runs how often.
  `create unique index team_achievements_team_kind_key on team_achievements (team_id, kind, key)`,
  `create index team_achievements_team_awarded_idx on team_achievements (team_id, awarded_at desc, id desc)`,

  `create table team_sponsors (
     id serial primary key,
     team_id integer not null references teams (id) on delete cascade,
     name text not null,
     link_url text not null,
     logo_upload_id uuid,
     status text not null default 'proposed' check (status in ('proposed', 'approved', 'active', 'ended')),
     starts_at timestamptz not null,
     ends_at timestamptz not null,
     proposed_by integer not null references users (id),
     approved_by integer references users (id),
     created_at timestamptz not null default now(),
     check (ends_at > starts_at)
   )`,
  `create index team_sponsors_team_status_idx on team_sponsors (team_id, status, id desc)`,
  `create index team_sponsors_proposed_by_idx on team_sponsors (proposed_by)`,
  `create index team_sponsors_approved_by_idx on team_sponsors (approved_by)`,
  // The scheduled job: approved ones whose start came, active ones whose end passed.
  `create index team_sponsors_due_idx on team_sponsors (status, starts_at, ends_at) where status in ('approved', 'active')`,

  `create table team_promotions (
     id serial primary key,
     team_id integer not null references teams (id) on delete cascade,
     game_id integer not null references games (id),
     starts_at timestamptz not null,
     ends_at timestamptz not null,
     created_by integer not null references users (id),
     created_at timestamptz not null default now(),
     check (ends_at > starts_at)
   )`,
  `create index team_promotions_team_id_idx on team_promotions (team_id, ends_at desc)`,
  // Discovery: a game's promotions running now.
  `create index team_promotions_game_window_idx on team_promotions (game_id, ends_at, starts_at) include (team_id)`,
  `create index team_promotions_created_by_idx on team_promotions (created_by)`,

  `create table team_analytics_weekly (
     team_id integer not null references teams (id) on delete cascade,
     week_start date not null,
     page_views integer not null default 0,
     page_views_total bigint not null default 0,
     followers_gained integer not null default 0,
     followers_total integer not null default 0,
     matches_won integer not null default 0,
     matches_lost integer not null default 0,
     cp_change integer not null default 0,
     cp_total integer not null default 0,
     computed_at timestamptz not null default now(),
     primary key (team_id, week_start)
   )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "team_analytics_weekly",
    "team_promotions",
    "team_sponsors",
    "team_achievements",
    "team_follows",
    "team_posts",
  ])
    await sql.raw(`drop table if exists ${table}`).execute(db);
  await sql
    .raw(
      `alter table teams drop column if exists follower_count, drop column if exists roster_visibility,
       drop column if exists feed_visibility, drop column if exists post_policy, drop column if exists accepts_join_requests`,
    )
    .execute(db);
}
