import { fileURLToPath } from "node:url";
import pg from "pg";
import { loadDump } from "./load-dump.ts";

export const LEGACY_SCHEMA = fileURLToPath(new URL("../../test/fixtures/legacy-schema.sql", import.meta.url));
export const LEGACY_SAMPLE = fileURLToPath(new URL("../../test/fixtures/legacy-sample.sql.gz", import.meta.url));

/** The sample's password hash (Django's pbkdf2_sha256 of "deltacrown"). */
const SAMPLE_HASH = "pbkdf2_sha256$260000$deltacrownseed$v9kRvnlugCW12Grjt0mSBxyxqWwlGXAXLEH1fJrCvWA=";

/**
 * A legacy database of `teams` teams in the sample's shape and proportions (2 users, ~5 roster
 * rows, 1 ranking and 4 registrations per team; an organization per 25 teams, a tournament per
 * 10), with the sample's damage repeated every 250 teams / 500 users: an owner off the roster,
 * a slug twin differing in case, markup and unsluggable names, a tier contradicting CP, an
 * over-full tournament, an e-mail twin, a deactivated user on rosters, a negative balance.
 * Set-based SQL only: 5,000 teams take about a second.
 */
export async function generateLegacy(url: string, teams: number): Promise<void> {
  if (teams < 250 || teams % 50 !== 0) throw new Error("teams: a multiple of 50, at least 250");
  await loadDump(url, LEGACY_SCHEMA);
  const client = new pg.Client({ connectionString: url, application_name: "deltacrown-generate-legacy" });
  client.on("error", () => undefined);
  await client.connect();
  const users = teams * 2;
  const orgs = teams / 25;
  const tournaments = teams / 10;
  try {
    await client.query("begin");
    for (const statement of [
      `insert into public.auth_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
       select u, '${SAMPLE_HASH}', false, 'player' || lpad(u::text, 6, '0'), '', '',
         case when u % 500 = 9 then upper('player' || lpad((u - 1)::text, 6, '0') || '@example.test')
              else 'player' || lpad(u::text, 6, '0') || '@example.test' end,
         false, u % 500 <> 405, timestamptz '2024-01-01' + (u * 7919 % 63072000) * interval '1 second'
       from generate_series(1, ${users}) u`,
      `insert into public.teams_game (id, name, slug) values
         (1, 'Valorant', 'valorant'), (2, 'Counter-Strike 2', 'cs2'), (3, 'Dota 2', 'dota2'),
         (4, 'League of Legends', 'lol'), (5, 'PUBG Mobile', 'pubg-mobile')`,
      `insert into public.teams_organization (id, name, slug, created_at)
       select o, 'Organization ' || lpad(o::text, 4, '0'), 'org-' || lpad(o::text, 4, '0'),
         timestamptz '2024-01-01' + o * interval '1 day'
       from generate_series(1, ${orgs}) o`,
      `insert into public.teams_organizationmembership (role, organization_id, user_id)
       select r.role, o, (o * r.step) % ${users} + 1
       from generate_series(1, ${orgs}) o
       cross join (values ('OWNER', 17), ('MANAGER', 29), ('MEMBER', 43)) r(role, step)`,
      `insert into public.teams_team (id, name, slug, created_at, game_id, organization_id, owner_id)
       select t,
         case t % 250 when 4 then '<b>Bold</b> Squad <script>alert(1)</script>' when 5 then '東京ゲーミング'
                      when 6 then '🔥🔥' else 'Team ' || lpad(t::text, 5, '0') end,
         case when t % 250 = 3 then 'Team-' || lpad((t - 1)::text, 5, '0') else 'team-' || lpad(t::text, 5, '0') end,
         timestamptz '2024-06-01' + (t * 104729 % 31536000) * interval '1 second',
         (t - 1) % 5 + 1, case when t % 3 = 0 then null else t % ${orgs} + 1 end, (t * 37) % ${users} + 1
       from generate_series(1, ${teams}) t`,
      // The owner (except every 250th team's), a manager, two players and a substitute.
      `insert into public.teams_teammembership (role, joined_at, team_id, user_id)
       select m.role, t.created_at + m.k * interval '1 hour', t.id, (t.owner_id - 1 + m.k * 101) % ${users} + 1
       from public.teams_team t
       cross join (values (0, 'OWNER'), (1, 'MANAGER'), (2, 'PLAYER'), (3, 'PLAYER'), (4, 'SUBSTITUTE')) m(k, role)
       where not (m.k = 0 and t.id % 250 = 1)
       order by t.id, m.k`,
      `insert into public.teams_teamranking (current_cp, tier, hot_streak, updated_at, game_id, team_id)
       select cp, case when t.id % 250 = 4 then 'MASTER'
                       when cp >= 20000 then 'MASTER' when cp >= 12000 then 'DIAMOND' when cp >= 7000 then 'PLATINUM'
                       when cp >= 3500 then 'GOLD' when cp >= 1500 then 'SILVER' else 'BRONZE' end,
         t.id % 11, t.created_at + interval '30 days', t.game_id, t.id
       from public.teams_team t
       cross join lateral (select case when t.id % 250 = 4 then 90 else (t.id * 7919) % 16000 end as cp) c
       order by t.id`,
      `insert into public.tournaments_tournament (id, name, slug, status, max_participants, is_deleted, created_at, game_id, organizer_id)
       select n, 'Tournament ' || lpad(n::text, 4, '0'), 'tournament-' || lpad(n::text, 4, '0'),
         (array['REGISTRATION_OPEN', 'DRAFT', 'LIVE', 'COMPLETED', 'REGISTRATION_OPEN'])[n % 5 + 1],
         case when n % 25 = 1 then 10 else 256 end, false, timestamptz '2025-07-01' + n * interval '6 hours',
         (n - 1) % 5 + 1, (n * 53) % ${users} + 1
       from generate_series(1, ${tournaments}) n`,
      // Four entries per team, each in a different tournament of the team's game, by its owner.
      `insert into public.tournaments_registration (status, created_at, team_id, tournament_id, user_id)
       select case when (t.id * 4 + k) % 25 = 0 then 'CANCELLED' when (t.id * 4 + k) % 5 = 1 then 'PENDING' else 'CONFIRMED' end,
         timestamptz '2025-08-01' + (t.id * 4 + k) * interval '1 minute', t.id,
         t.game_id + 5 * ((t.id / 5 + k * 7) % ${tournaments / 5}), t.owner_id
       from public.teams_team t cross join generate_series(0, 3) k
       order by t.id, k`,
      `insert into public.economy_wallet (id, balance, version, user_id)
       select u, case when u % 500 = 7 then -50 else 1000000 end, 1, u from generate_series(1, ${users}) u`,
      `select setval('public.teams_organizationmembership_id_seq', (select max(id) from public.teams_organizationmembership))`,
    ])
      await client.query(statement);
    await client.query("commit");
    await client.query("analyze");
  } finally {
    await client.end();
  }
}
