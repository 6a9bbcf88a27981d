/*
 * `pnpm bench:rankings` (issue 6): leaderboard recompute for a game of 100,000 teams, decay over
 * 1,000,000 rankings, and job latency from add to start. Seeds set-based (generate_series) into a
 * scratch database on DATABASE_URL's server, dropped afterwards.
 */
import { parseCommand } from "@deltacrown/ops-kit/cli";
import type { Task } from "graphile-worker";

const { values: opts } = parseCommand({
  name: "pnpm bench:rankings",
  summary: "time the leaderboard recompute, CP decay and job latency (add → start) on a scratch database",
  options: {
    teams: {
      type: "number",
      description: "teams on the recomputed board (default BENCH_TEAMS or 100000)",
      min: 1,
      integer: true,
    },
    "decay-rows": {
      type: "number",
      description: "rankings decayed (default BENCH_DECAY_ROWS or 1000000)",
      min: 1,
      integer: true,
    },
    "decay-lanes": {
      type: "number",
      description: "decay lanes run at once, as the crontab's job does (default BENCH_DECAY_LANES or 2)",
      min: 1,
      integer: true,
    },
    jobs: {
      type: "number",
      description: "jobs timed from add to start (default BENCH_JOBS or 200)",
      min: 1,
      integer: true,
    },
  },
  env: { DATABASE_URL: "its server hosts the scratch database (required)" },
});

// Loaded after the arguments are parsed: --help and a bad flag answer without loading the database layer.
const { createDb, migrateToLatest, withScratchDatabase } = await import("@deltacrown/db");
const { Logger, run } = await import("graphile-worker");
const { sql } = await import("kysely");
const { demoGames, rankings } = await import("@deltacrown/domain");

const { recomputeLeaderboard, runDecay } = rankings;

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  process.stderr.write("DATABASE_URL is required: its server hosts the scratch database\n");
  process.exit(2);
}
const TEAMS = opts.teams ?? Number(process.env.BENCH_TEAMS ?? 100_000);
const DECAY_ROWS = opts["decay-rows"] ?? Number(process.env.BENCH_DECAY_ROWS ?? 1_000_000);
const DECAY_LANES = opts["decay-lanes"] ?? Number(process.env.BENCH_DECAY_LANES ?? 2);
const JOBS = opts.jobs ?? Number(process.env.BENCH_JOBS ?? 200);

const out = (line: string) => process.stdout.write(`${line}\n`);
const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const result = await fn();
  return [result, performance.now() - started];
};

await withScratchDatabase(serverUrl, "dc_rankings_bench", async (url) => {
  await migrateToLatest({ connectionString: url, onStep: (line) => out(`migrate: ${line}`) });
  const database = createDb({ connectionString: url, max: 4, applicationName: "rankings-bench" });
  const db = database.db;
  try {
    await db.insertInto("games").values(demoGames).execute();
    const games = await db.selectFrom("games").select(["id", "slug"]).orderBy("id").execute();
    const [boardGame, decayGame] = [games[0]!.id, games[1]!.id];
    await sql`insert into users (username, email, display_name, password_hash)
              values ('bench', 'bench@x.dc', 'Bench', 'x')`.execute(db);

    // --- leaderboard recompute: TEAMS teams of one game with random CP (many ties) ---
    out(`seeding ${TEAMS} teams…`);
    const [, seedMs] = await time(async () => {
      await sql`insert into teams (slug, name, game_id, owner_id, member_count)
                select 'lb-' || i, 'Board Team ' || i, ${boardGame}, 1, 5 from generate_series(1, ${TEAMS}::int) i`.execute(
        db,
      );
      await sql`insert into team_rankings (team_id, game_id, current_cp)
                select id, ${boardGame}, (random() * 6000)::int from teams where game_id = ${boardGame}`.execute(db);
      await sql`analyze teams, team_rankings`.execute(db);
    });
    out(`seed ${TEAMS} teams: ${(seedMs / 1000).toFixed(1)} s`);
    const [first, firstMs] = await time(() => recomputeLeaderboard({ db }, boardGame));
    out(
      `leaderboard recompute, ${first.teams} teams, first run (${first.tierChanges} tier changes notified): ${(firstMs / 1000).toFixed(2)} s`,
    );
    await sql`update team_rankings set current_cp = greatest(0, current_cp + (random() * 200 - 100)::int) where game_id = ${boardGame}`.execute(
      db,
    );
    const [second, secondMs] = await time(() => recomputeLeaderboard({ db }, boardGame));
    out(
      `leaderboard recompute, ${second.teams} teams, steady state (${second.tierChanges} tier changes): ${(secondMs / 1000).toFixed(2)} s (contract < 5 min, aim < 5 s)`,
    );

    // --- decay over DECAY_ROWS rankings, all inactive ---
    out(`seeding ${DECAY_ROWS} rankings…`);
    const [, decaySeedMs] = await time(async () => {
      await sql`insert into teams (slug, name, game_id, owner_id, member_count)
                select 'dk-' || i, 'Decay Team ' || i, ${decayGame}, 1, 5 from generate_series(1, ${DECAY_ROWS}::int) i`.execute(
        db,
      );
      await sql`insert into team_rankings (team_id, game_id, current_cp, last_activity_at)
                select id, ${decayGame}, 100 + (random() * 5000)::int, now() - interval '30 days'
                from teams where game_id = ${decayGame}`.execute(db);
      await sql`analyze teams, team_rankings`.execute(db);
    });
    out(`seed ${DECAY_ROWS} rankings: ${(decaySeedMs / 1000).toFixed(1)} s`);
    const [decay, decayMs] = await time(() => runDecay(db, { runId: "bench", config: { lanes: DECAY_LANES } }));
    out(
      `decay over ${DECAY_ROWS + TEAMS} rankings: ${decay.decayed} decayed in ${decay.batches} batches, ${DECAY_LANES} lanes: ${(decayMs / 1000).toFixed(1)} s (contract < 30 min, aim < 60 s)`,
    );

    // --- job latency, add → start, one job at a time on an idle worker ---
    const latencies: number[] = [];
    let resolveStarted: (() => void) | undefined;
    const probe: Task = (payload: unknown) => {
      latencies.push(performance.timeOrigin + performance.now() - (payload as { t: number }).t);
      resolveStarted?.();
      return Promise.resolve();
    };
    const runner = await run({
      connectionString: url,
      concurrency: 1,
      noHandleSignals: true,
      pollInterval: 2000,
      taskList: { "bench/probe": probe },
      logger: new Logger(() => () => undefined),
    });
    try {
      for (let i = 0; i < JOBS; i++) {
        const started = new Promise<void>((resolve) => (resolveStarted = resolve));
        const t = performance.timeOrigin + performance.now();
        await sql`select graphile_worker.add_job('bench/probe', json_build_object('t', ${t}::float8))`.execute(db);
        await started;
      }
    } finally {
      await runner.stop();
    }
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!.toFixed(2);
    out(
      `job latency add→start over ${JOBS} jobs: p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, p99 ${pct(0.99)} ms (aim p50 ≤ 5 ms)`,
    );
  } finally {
    await database.destroy();
  }
});
