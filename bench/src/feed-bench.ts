/*
 * `pnpm bench:feed` — issue 17's home-feed benchmark. A fresh database with the bench dataset of
 * 10,000 teams, then 1,000,000 posts and 2,000,000 follows seeded set-based (INSERT … SELECT
 * over generate_series: seconds, not row-by-row), the follower counts precomputed from them. Users
 * 1…10,000 each follow 200 teams. Measured over HTTP against the real server (posts.homeFeed,
 * first page of 20 and a second page by cursor) and, in the same run, the bare-select calibration
 * server: p95 and the ratio to it (absolute times on a shared 2-core machine are noise).
 * Options: --teams N --posts N --follows-per-user N --seconds N --concurrency N.
 */
import { parseCommand } from "@deltacrown/ops-kit/cli";

const { values } = parseCommand({
  name: "pnpm bench:feed",
  summary: "the home feed of a user following 200 teams on a seeded social dataset, next to the bare-select server",
  options: {
    teams: { type: "number", description: "teams in the seeded dataset", default: 10_000, min: 100, integer: true },
    posts: { type: "number", description: "posts in the seeded dataset", default: 1_000_000, min: 1000, integer: true },
    "follows-per-user": { type: "number", description: "teams each user follows", default: 200, min: 1, integer: true },
    seconds: { type: "number", description: "seconds per measurement", default: 10, min: 0.5 },
    concurrency: { type: "number", description: "HTTP connections", default: 10, min: 1, integer: true },
  },
  env: { DATABASE_URL: "its server hosts the bench database (unset: an embedded Postgres)" },
});

// Loaded after the arguments are parsed: --help and a bad flag answer without loading the database layer.
const { default: pg } = await import("pg");
const { BENCH_TOKEN_PREFIX } = await import("@deltacrown/db");
const { prepareBenchDatabase } = await import("./dataset.ts");
const { runLoad, statsOf, trpcPath } = await import("./http-load.ts");
const { startServer } = await import("./servers.ts");
const { round } = await import("./stats.ts");

const teams = Number(values.teams);
const posts = Number(values.posts);
const perUser = Number(values["follows-per-user"]);
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const followers = 10_000; // users 1…10,000 follow; 2,000,000 follows at 200 each
const out = (line: string) => process.stdout.write(`${line}\n`);

const database = await prepareBenchDatabase(teams, { users: Math.max(followers, teams * 5) }, (l) => out(`  ${l}`));
const client = new pg.Client({ connectionString: database.url });
try {
  await client.connect();
  const timed = async (label: string, text: string, params: unknown[] = []) => {
    const started = performance.now();
    const r = await client.query(text, params);
    out(`  ${label}: ${r.rowCount ?? 0} rows in ${round((performance.now() - started) / 1000, 1)} s`);
  };
  // Bulk load as a restore does: secondary indexes dropped first, rebuilt once after (sorted builds).
  const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
    `select indexname, indexdef from pg_indexes
     where tablename in ('team_posts', 'team_follows') and indexname not like '%_pkey'`,
  );
  for (const i of indexes) await client.query(`drop index ${i.indexname}`);
  // Posts: round-robin over teams, authored by the team's owner; ids grow with time as in production.
  await timed(
    "posts",
    `insert into team_posts (team_id, author_id, body, created_at)
     select t.id, t.owner_id, 'Post ' || g || ' of team ' || t.id, now() - make_interval(secs => $1 - g)
     from generate_series(1, $1) g join teams t on t.id = 1 + (g % $2)`,
    [posts, teams],
  );
  // Follows: user u follows teams 1 + ((u + 37 j) mod teams), j < perUser (distinct while 37·perUser < teams).
  await timed(
    "follows",
    `insert into team_follows (team_id, user_id, created_at)
     select 1 + ((u + 37 * j) % $2), u, date_trunc('milliseconds', now()) - make_interval(secs => j)
     from generate_series(1, $1) u cross join generate_series(0, $3 - 1) j`,
    [followers, teams, perUser],
  );
  const rebuilt = performance.now();
  for (const i of indexes) await client.query(i.indexdef);
  out(`  ${indexes.length} indexes rebuilt in ${round((performance.now() - rebuilt) / 1000, 1)} s`);
  await timed(
    "follower counts",
    `update teams t set follower_count = f.n from (select team_id, count(*)::int n from team_follows group by team_id) f
     where f.team_id = t.id`,
  );
  await timed("vacuum analyze", `vacuum (analyze) team_posts, team_follows, teams`);
  out(`seeded in ${round(database.seedSeconds, 1)} s (bench dataset) + the social rows above`);

  const sessions = database.counts.sessions; // users 1…sessions have a bench token
  const bare = await startServer("bare-select", database.url, teams);
  const platform = await startServer("platform", database.url, teams);
  try {
    const page1 = (vu: number, seq: number) => {
      const user = 1 + ((vu * 7919 + seq * 31) % Math.min(sessions, followers));
      return {
        label: "homeFeed",
        path: trpcPath("posts.homeFeed", { limit: 20 }),
        headers: { authorization: `Bearer ${BENCH_TOKEN_PREFIX}${user}` },
      };
    };
    const calibration = await runLoad({
      baseUrl: bare.url,
      concurrency,
      seconds,
      warmupSeconds: 2,
      next: () => ({ label: "bare-select", path: "/" }),
    });
    const feed = await runLoad({ baseUrl: platform.url, concurrency, seconds, warmupSeconds: 2, next: page1 });
    const second = await runLoad({
      baseUrl: platform.url,
      concurrency,
      seconds,
      warmupSeconds: 1,
      next: (vu, seq) => ({
        ...page1(vu, seq),
        label: "homeFeed-page2",
        path: trpcPath("posts.homeFeed", { limit: 20, cursor: posts - 5000 }),
      }),
    });
    const b = statsOf(calibration, "bare-select");
    const f = statsOf(feed, "homeFeed");
    const s = statsOf(second, "homeFeed-page2");
    out("");
    out(
      `dataset: ${teams} teams, ${posts} posts, ${followers * perUser} follows (${perUser} per user), server ${database.server}`,
    );
    out(`| case | req/s | p50 ms | p95 ms | p99 ms | errors | p95 ÷ bare-select p95 |`);
    out(`|---|---|---|---|---|---|---|`);
    for (const [name, st] of [
      ["bare-select (calibration)", b],
      ["posts.homeFeed, first page (20)", f],
      ["posts.homeFeed, by cursor (20)", s],
    ] as const)
      out(`| ${name} | ${st.rps} | ${st.p50} | ${st.p95} | ${st.p99} | ${st.errors} | ${round(st.p95 / b.p95, 2)} |`);
    // The plan, for the record: one LATERAL index scan per followed team.
    const plan = await client.query(
      `explain (analyze, buffers, format text)
       with followed as materialized (
         select f.team_id from team_follows f join teams t on t.id = f.team_id and t.disbanded_at is null
         where f.user_id = 42 and (t.feed_visibility = 'public' or exists (
           select 1 from team_memberships m where m.team_id = t.id and m.user_id = 42 and m.status = 'active'))
       ), top as (
         select p.id from followed cross join lateral (
           select p.id from team_posts p where p.team_id = followed.team_id and p.id < 2147483647
           order by p.id desc limit 21) p
         order by p.id desc limit 21
       )
       select p.id, t.slug, u.username from top join team_posts p on p.id = top.id
       join teams t on t.id = p.team_id join users u on u.id = p.author_id order by p.id desc`,
    );
    out("");
    out("plan (user 42):");
    for (const row of plan.rows as { "QUERY PLAN": string }[]) out(`  ${row["QUERY PLAN"]}`);
  } finally {
    await platform.stop();
    await bare.stop();
  }
} finally {
  await client.end();
  await database.drop();
}
