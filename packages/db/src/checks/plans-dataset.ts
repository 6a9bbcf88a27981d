import pg from "pg";

/**
 * The bench dataset: a realistic platform of a chosen size, built set-based (insert … select from
 * generate_series) so 10,000 teams take seconds, not minutes. Shared by `pnpm bench`, `pnpm
 * loadtest` and the plan checks, which EXPLAIN recorded statements on it.
 *
 * Deterministic: ids are 1..n per table, so callers can address rows without looking them up
 * (team `team-<i>`, user `user<i>`, game `game-<i>`, org `org-<i>`), and every bench user with a
 * session has the bearer token `dcs_bench_<userId>`.
 */
export interface PlanDatasetSize {
  teams: number;
  /** Default 5 per team. */
  users?: number;
  /** Default 10 per team (each team's roster size is memberships / teams). */
  memberships?: number;
  /** Default one per 500 teams, at least 12. */
  games?: number;
  /** Default one per 20 teams. */
  organizations?: number;
  /** Users that get a session token `dcs_bench_<id>` (default min(users, 2000)). */
  sessions?: number;
}

export interface PlanDatasetCounts {
  teams: number;
  users: number;
  memberships: number;
  games: number;
  organizations: number;
  sessions: number;
  invites: number;
  rankings: number;
  notifications: number;
}

export const BENCH_TOKEN_PREFIX = "dcs_bench_";

/** Words team names are built from, so name-prefix search has realistic selectivity. */
const NAME_WORDS = [
  "Crown",
  "Delta",
  "Nova",
  "Vortex",
  "Titan",
  "Phoenix",
  "Shadow",
  "Apex",
  "Rogue",
  "Falcon",
  "Storm",
  "Eclipse",
  "Viper",
  "Zenith",
  "Orbit",
  "Havoc",
  "Lunar",
  "Blaze",
  "Frost",
  "Echo",
  "Pulse",
  "Onyx",
  "Kraken",
  "Raven",
  "Solar",
  "Nexus",
  "Cipher",
  "Rift",
  "Valor",
  "Wolf",
];

export function datasetCounts(size: PlanDatasetSize): PlanDatasetCounts {
  const teams = Math.max(1, Math.floor(size.teams));
  const users = Math.max(10, size.users ?? teams * 5);
  const memberships = size.memberships ?? teams * 10;
  return {
    teams,
    users,
    memberships: Math.min(memberships, teams * Math.min(users, 50)),
    games: size.games ?? Math.max(12, Math.ceil(teams / 500)),
    organizations: size.organizations ?? Math.max(1, Math.ceil(teams / 20)),
    sessions: Math.min(users, size.sessions ?? 2000),
    invites: Math.ceil(teams / 2),
    rankings: teams,
    notifications: users * 2,
  };
}

/**
 * Fills an EMPTY migrated database. `passwordHash` is one precomputed hash every bench user
 * shares (hashing 50,000 passwords would dominate the run). Ends with ANALYZE so the planner
 * sees the real sizes at once.
 */
export async function seedPlanDataset(
  connectionString: string,
  size: PlanDatasetSize,
  passwordHash: string,
  /** Called after each table is filled, e.g. to print progress ("seed: teams 10000 in 0.8 s"). */
  onStep?: (line: string) => void,
): Promise<PlanDatasetCounts> {
  const c = datasetCounts(size);
  const perTeam = Math.max(1, Math.floor(c.memberships / c.teams));
  const client = new pg.Client({ connectionString, application_name: "dc-bench-seed" });
  await client.connect();
  try {
    const run = (text: string, values: unknown[] = []) => client.query(text, values);
    let stepStarted = performance.now();
    const done = (what: string) => {
      const now = performance.now();
      onStep?.(`seed: ${what} in ${((now - stepStarted) / 1000).toFixed(1)} s`);
      stepStarted = now;
    };
    await run("begin");
    await run(
      `insert into games (id, slug, name, short_name, genre, team_size, platforms) overriding system value
       select i, 'game-' || i, 'Game ' || i, 'G' || i, (array['Tactical shooter','MOBA','Battle royale','Fighting'])[1 + i % 4],
              5, '{pc}' from generate_series(1, $1::int) i`,
      [c.games],
    );
    done(`${c.games} games`);
    await run(
      `insert into users (id, username, email, display_name, password_hash, created_at) overriding system value
       select i, 'user' || i, 'user' || i || '@bench.dc', 'User ' || i, $2::text, now() - make_interval(mins => i)
       from generate_series(1, $1::int) i`,
      [c.users, passwordHash],
    );
    done(`${c.users} users`);
    // Org i is owned by user ((i-1)*5 % users)+1, who is its first member; four more members follow.
    await run(
      `insert into organizations (id, slug, name, description, owner_id) overriding system value
       select i, 'org-' || i, 'Organization ' || i, 'Bench organization ' || i, ((i - 1) * 5) % $2::int + 1
       from generate_series(1, $1::int) i`,
      [c.organizations, c.users],
    );
    await run(
      `insert into organization_memberships (organization_id, user_id, role)
       select i, ((i - 1) * 5 + k) % $2::int + 1, case k when 0 then 'owner' when 1 then 'admin' else 'member' end
       from generate_series(1, $1::int) i, generate_series(0, 4) k`,
      [c.organizations, c.users],
    );
    done(`${c.organizations} organizations`);
    // Team t: owner is user ((t-1)*perTeam % users)+1, the first of its perTeam consecutive members.
    await run(
      `insert into teams (id, slug, name, tag, description, game_id, organization_id, owner_id, member_count, created_at)
       overriding system value
       select t, 'team-' || t,
              ($5::text[])[1 + t % 30] || ' ' || ($5::text[])[1 + (t / 30) % 30] || ' ' || t,
              upper(substr(md5(t::text), 1, 4)), 'Bench team ' || t,
              t % $2::int + 1,
              case when t % 3 = 0 then t % $3::int + 1 end,
              ((t - 1) * $4::int) % $6::int + 1,
              $4::int,
              now() - make_interval(mins => t)
       from generate_series(1, $1::int) t`,
      [c.teams, c.games, c.organizations, perTeam, NAME_WORDS, c.users],
    );
    done(`${c.teams} teams`);
    await run(
      `insert into team_memberships (team_id, user_id, role, joined_at)
       select t, ((t - 1) * $2::int + k) % $3::int + 1,
              case k when 0 then 'owner' when 1 then 'captain' when 2 then 'coach' when 3 then 'manager' else 'player' end,
              now() - make_interval(mins => t, secs => k)
       from generate_series(1, $1::int) t, generate_series(0, $2::int - 1) k`,
      [c.teams, perTeam, c.users],
    );
    done(`${c.memberships} memberships`);
    await run(
      `insert into team_rankings (team_id, game_id, current_cp, tier, hot_streak, rank)
       select t, t % $2::int + 1, cp,
              case when cp >= 4000 then 'diamond' when cp >= 2500 then 'gold' when cp >= 1000 then 'silver' else 'bronze' end,
              t % 5, null
       from generate_series(1, $1::int) t, lateral (select (t * 7919) % 5000 as cp) s`,
      [c.teams, c.games],
    );
    await run(
      `update team_rankings r set rank = ranked.rank
       from (select id, rank() over (partition by game_id order by current_cp desc) as rank from team_rankings) ranked
       where ranked.id = r.id`,
    );
    done(`${c.teams} rankings`);
    // Pending invites: team i invites a user who is not on its roster (offset by half the users).
    await run(
      `insert into team_invites (team_id, invitee_id, inviter_id, role, token_hash, expires_at)
       select i, ((i - 1) * $2::int + $3::int / 2) % $3::int + 1, ((i - 1) * $2::int) % $3::int + 1, 'player',
              sha256(('bench-invite-' || i)::bytea), now() + interval '7 days'
       from generate_series(1, $1::int) i`,
      [c.invites, perTeam, c.users],
    );
    done(`${c.invites} invites`);
    await run(
      `insert into sessions (user_id, token_hash, expires_at, last_used_at)
       select i, sha256(($2::text || i)::bytea), now() + interval '30 days', now()
       from generate_series(1, $1::int) i`,
      [c.sessions, BENCH_TOKEN_PREFIX],
    );
    done(`${c.sessions} sessions`);
    await run(
      `insert into notifications (user_id, kind, payload, read_at)
       select u, 'team.invite', jsonb_build_object('n', k), case when k = 0 then now() end
       from generate_series(1, $1::int) u, generate_series(0, 1) k`,
      [c.users],
    );
    done(`${c.users * 2} notifications`);
    // Explicit ids above leave the identity sequences at 1: move them past the data.
    for (const table of ["games", "users", "organizations", "teams"]) {
      await run(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`);
    }
    await run("commit");
    await run("analyze");
    done("commit and analyze");
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  return c;
}
