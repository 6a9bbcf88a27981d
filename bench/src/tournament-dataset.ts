import type { Db, PlanDatasetCounts } from "@deltacrown/db";
import pg from "pg";
import type { EligibleTeam, OpenTournament } from "./tournament-inputs.ts";

/**
 * The tournaments layer of the bench dataset, on top of `seedPlanDataset` (teams, rosters,
 * sessions), built set-based with generate_series so it takes about a second:
 *
 * - `open` tournaments (ids 1..open): registration open now, capacity 1024, no entries, a required
 *   in-game-id field — the registration benchmark registers teams into them;
 * - `started` tournaments (next ids): registration closed with `entriesPerStarted` confirmed teams
 *   each; the bench starts them through `tournaments.start` (the real bracket generator), so their
 *   first round is `ready` for the match-report benchmark. A team is in at most one of them, so
 *   concurrent completions never touch the same team_rankings rows;
 * - the rest: discovery background in every status (draft … cancelled, a few soft-deleted), with
 *   the remaining registrations spread over the ones that take or took entries (a quarter charge an
 *   entry fee: their entries have payments).
 *
 * Tournament i has slug `tourney-<i>`; its organizer is the owner of organization ((i-1) % orgs)+1.
 */
export interface TournamentDatasetSize {
  tournaments: number;
  /** Registrations in the dataset before the benchmark adds its own. */
  registrations: number;
  open: number;
  started: number;
  entriesPerStarted: number;
}

export interface TournamentDatasetCounts extends TournamentDatasetSize {
  seedSeconds: number;
}

export const DEFAULT_TOURNAMENT_SIZE: TournamentDatasetSize = {
  tournaments: 1000,
  registrations: 50_000,
  open: 40,
  started: 60,
  entriesPerStarted: 128,
};

/** Started tournaments that fit when every team plays in at most one of them (per game). */
export function startedThatFit(size: TournamentDatasetSize, teamsPerGame: number, games: number): number {
  return Math.min(size.started, games * Math.floor(teamsPerGame / size.entriesPerStarted));
}

export const tournamentSlug = (i: number) => `tourney-${i}`;

export async function seedTournamentDataset(
  connectionString: string,
  base: PlanDatasetCounts,
  wanted: TournamentDatasetSize,
): Promise<TournamentDatasetCounts> {
  const started = performance.now();
  const client = new pg.Client({ connectionString, application_name: "dc-bench-seed" });
  await client.connect();
  try {
    const run = (text: string, values: unknown[] = []) => client.query<{ n?: number }>(text, values);
    const { rows } = await run(`select min(n)::int as n from (select count(*) n from teams group by game_id) s`);
    const teamsPerGame = Number(rows[0]?.n ?? 0);
    const size = { ...wanted, started: startedThatFit(wanted, teamsPerGame, base.games) };
    const firstBackground = size.open + size.started + 1;
    await run("begin");
    // Every team's per-game index k (0-based), to pick distinct teams of a tournament's game.
    await run(
      `create temp table game_teams on commit drop as
       select id as team_id, game_id, owner_id, (row_number() over (partition by game_id order by id) - 1)::int as k
       from teams`,
    );
    await run(`create index on game_teams (game_id, k)`);
    // Background statuses cycle by i % 20: 1 draft, 3 published, 6 open, 2 closed, 7 completed, 1 cancelled.
    await run(
      `insert into tournaments (id, slug, name, description, game_id, organizer_id, organization_id, format,
         participant_type, capacity, team_size, registration_opens_at, registration_closes_at, starts_at, tier,
         entry_fee_cents, prize_description, settings, status, is_deleted, created_at, completed_at)
       overriding system value
       select i, 'tourney-' || i, 'Bench Cup ' || i, 'Bench tournament ' || i,
              g.game_id, o.owner_id, case when i % 3 <> 0 then o.id end,
              case when kind.k = 'started' then 'single_elimination'
                   else (array['single_elimination','double_elimination','round_robin','swiss'])[1 + i % 4] end,
              'team', cap.capacity, 5,
              w.starts - interval '14 days', w.starts - interval '1 day', w.starts,
              (array['community','bronze','silver','gold','premier'])[1 + i % 5],
              case when i % 4 = 0 and kind.k = 'background' then 1000 else 0 end,
              'Prize pool ' || i, '{"bestOf":1}', kind.status, kind.status = 'cancelled' and i % 2 = 0,
              now() - make_interval(days => 30 - i % 30), case when kind.status = 'completed' then w.starts + interval '1 day' end
       from generate_series(1, $1::int) i
       cross join lateral (select case when i <= $2::int then 'open' when i < $3::int then 'started' else 'background' end as k) k0
       cross join lateral (select k0.k,
              case k0.k when 'open' then 'registration_open' when 'started' then 'registration_closed'
                else (array['draft','published','published','published','registration_open','registration_open',
                  'registration_open','registration_open','registration_open','registration_open','registration_closed',
                  'registration_closed','completed','completed','completed','completed','completed','completed',
                  'completed','cancelled'])[1 + i % 20] end as status) kind
       cross join lateral (select case kind.k when 'open' then (i - 1) % $4::int + 1
                                      when 'started' then (i - $2::int - 1) % $4::int + 1
                                      else i % $4::int + 1 end as game_id) g
       cross join lateral (select case kind.k when 'open' then 1024 when 'started' then $6::int else 128 end as capacity) cap
       -- Upcoming tournaments start in the future (open ones take entries now), finished ones started in the past.
       cross join lateral (select case when kind.status in ('completed', 'cancelled') then now() - make_interval(days => 1 + i % 90)
                                       when kind.k = 'started' then now() + interval '1 hour'
                                       else now() + make_interval(days => 2 + i % 60, hours => i % 24) end as starts) w
       join organizations o on o.id = (i - 1) % $5::int + 1`,
      [size.tournaments, size.open, firstBackground, base.games, base.organizations, size.entriesPerStarted],
    );
    // Closed-window tournaments must not take entries (the service checks the window too).
    await run(
      `update tournaments set registration_opens_at = now() - interval '2 days', registration_closes_at = now() - interval '1 hour'
       where id > $1::int and id < $2::int`,
      [size.open, firstBackground],
    );
    await run(
      `update tournaments set registration_opens_at = now() - interval '1 day' where status = 'registration_open'`,
    );
    await run(
      `insert into tournament_custom_fields (tournament_id, key, label, kind, required, position)
       select t.id, f.key, f.label, f.kind, f.required, f.position
       from tournaments t, (values ('ign', 'In-game id', 'in_game_id', true, 0), ('discord', 'Discord', 'text', false, 1))
         as f(key, label, kind, required, position)
       where t.status in ('registration_open', 'published', 'draft')`,
    );
    await run(
      `insert into tournament_sponsors (tournament_id, name, url, position)
       select t.id, 'Sponsor ' || s, 'https://sponsor' || s || '.example', s
       from tournaments t, generate_series(0, 1) s where t.id % 2 = 0`,
    );
    // Started tournaments: slot n of a game takes that game's teams k in [n*E, (n+1)*E).
    await run(
      `insert into registrations (tournament_id, user_id, team_id, status, fields, created_at)
       select t.id, gt.owner_id, gt.team_id, 'confirmed', '{}', now() - make_interval(days => 3, secs => gt.k)
       from tournaments t
       cross join lateral (select (t.id - $1::int - 1) / $2::int as slot) s
       join game_teams gt on gt.game_id = t.game_id and gt.k >= s.slot * $3::int and gt.k < (s.slot + 1) * $3::int
       where t.id > $1::int and t.id < $4::int`,
      [size.open, base.games, size.entriesPerStarted, firstBackground],
    );
    const startedEntries = size.started * size.entriesPerStarted;
    // The rest round-robin over the background tournaments that take or took entries; entry r is
    // team k = r / n of the tournament's game, so a tournament never gets the same team twice.
    const { rows: takers } = await run(
      `select count(*)::int as n from tournaments
       where id >= $1::int and status in ('registration_open', 'registration_closed', 'completed')`,
      [firstBackground],
    );
    const n = Number(takers[0]?.n ?? 0);
    const rest = Math.max(0, Math.min(size.registrations - startedEntries, n * Math.min(teamsPerGame, 128)));
    await run(
      `with takers as (
         select id, game_id, status, (row_number() over (order by id) - 1)::int as j from tournaments
         where id >= $1::int and status in ('registration_open', 'registration_closed', 'completed'))
       insert into registrations (tournament_id, user_id, team_id, status, fields, created_at)
       select t.id, gt.owner_id, gt.team_id,
              case when t.status = 'registration_open' and r % 3 = 0 then 'pending'
                   when t.status = 'registration_open' and r % 17 = 0 then 'withdrawn' else 'confirmed' end,
              jsonb_build_object('ign', 'Player' || r), now() - make_interval(days => 5, secs => r)
       from generate_series(0, $2::int - 1) r
       join takers t on t.j = r % $3::int
       join game_teams gt on gt.game_id = t.game_id and gt.k = r / $3::int`,
      [firstBackground, rest, n],
    );
    // Entry fees: verified payments for confirmed entries, submitted ones awaiting review otherwise.
    await run(
      `insert into payments (registration_id, amount_cents, reference, status, submitted_by, reviewed_by, reviewed_at)
       select r.id, t.entry_fee_cents, 'BANK-' || r.id, case when r.status = 'confirmed' then 'verified' else 'submitted' end,
              r.user_id, case when r.status = 'confirmed' then t.organizer_id end,
              case when r.status = 'confirmed' then r.created_at + interval '1 day' end
       from registrations r join tournaments t on t.id = r.tournament_id
       where t.entry_fee_cents > 0 and r.status in ('pending', 'confirmed')`,
    );
    await run(
      `update tournaments t set entries_count = c.n
       from (select tournament_id, count(*)::int n from registrations where status in ('pending', 'confirmed')
             group by tournament_id) c
       where c.tournament_id = t.id`,
    );
    await run(`select setval(pg_get_serial_sequence('tournaments', 'id'), (select max(id) from tournaments))`);
    const { rows: total } = await run(`select count(*)::int as n from registrations`);
    await run("commit");
    await run("analyze");
    return {
      ...size,
      registrations: Number(total[0]?.n ?? 0),
      seedSeconds: (performance.now() - started) / 1000,
    };
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** The open tournaments (ids 1..open) and the teams that may enter them (5+ members, not disbanded). */
export async function registrationInputs(db: Db, open: number): Promise<[OpenTournament[], EligibleTeam[]]> {
  const tournaments = await db.db
    .selectFrom("tournaments")
    .select(["slug", "game_id as gameId"])
    .where("id", "<=", open)
    .orderBy("id")
    .execute();
  const eligible = await db.db
    .selectFrom("teams")
    .select(["slug", "game_id as gameId", "owner_id as ownerId"])
    .where("member_count", ">=", 5)
    .where("disbanded_at", "is", null)
    .orderBy("id")
    .execute();
  return [tournaments, eligible];
}
