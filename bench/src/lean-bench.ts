/*
 * `pnpm bench:lean [--teams N] [--seconds S] [--rounds R] [--concurrency C]` — issue 14's
 * side-by-side run: the production entry (apps/server/src/main.ts, Redis on) with tRPC's own
 * request layer (LEAN_QUERIES=off), with the lean query path (and its pre-serialized hits), and
 * with the lean path on 2 processes (WEB_CONCURRENCY=2); the uncached server (cache disabled,
 * lean on and off); and the three calibration servers (bare node:http constant JSON, a Fastify
 * route with the same JSON, bare node:http + one primary-key select). Each read is measured on
 * every server in turn, round after round, so a neighbour's load moves all of them alike; the
 * table gives each server's median over the rounds and its ratio to the calibration servers of
 * the same run. The load generator (node:http keep-alive, in this process) shares the cores.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { loadavg } from "node:os";
import path from "node:path";
import { parseCommand } from "@deltacrown/ops-kit/cli";
import type { ServerUnderTest } from "./servers.ts";
import type { LatencyStats } from "./stats.ts";

const { values: opts } = parseCommand({
  name: "pnpm bench:lean",
  summary:
    "the lean query path, pre-serialized hits and WEB_CONCURRENCY side by side with tRPC's adapter and the calibration servers",
  options: {
    teams: { type: "number", description: "teams in the seeded dataset", default: 5_000, min: 100, integer: true },
    seconds: { type: "number", description: "seconds per measurement", default: 3, min: 0.5 },
    rounds: { type: "number", description: "rounds over every server", default: 3, min: 1, integer: true },
    concurrency: { type: "number", description: "HTTP connections", default: 50, min: 1, integer: true },
    only: { type: "string", description: "comma list of reads to run (team,board,game)", default: "" },
  },
  env: { DATABASE_URL: "its server hosts the bench database (unset: an embedded Postgres)" },
});

// Loaded after the arguments are parsed: --help and a bad flag answer without loading the database layer.
const { createDb } = await import("@deltacrown/db");
const { findFreePort } = await import("@deltacrown/db/embedded");
const { rankings } = await import("@deltacrown/domain");
const { prepareBenchDatabase, repoRoot } = await import("./dataset.ts");
const { runLoad, statsOf, trpcPath } = await import("./http-load.ts");
const { startServer } = await import("./servers.ts");

const out = (line: string) => process.stdout.write(`${line}\n`);

interface Read {
  name: string;
  /** Request paths, used round robin. */
  paths: string[];
  /** The servers it is measured on. */
  servers: string[];
}

async function startRedis(): Promise<{ url: string; stop(): void }> {
  const port = await findFreePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: "ignore",
    },
  );
  process.once("exit", () => child.kill("SIGKILL"));
  const url = `redis://127.0.0.1:${port}`;
  // Ready when it accepts a connection.
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      }).once("error", () => resolve(false));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, stop: () => child.kill("SIGKILL") };
}

/** The production entry as its own process(es), waiting for `processes` listening lines. */
async function startMain(env: Record<string, string>, processes: number): Promise<ServerUnderTest> {
  const port = await findFreePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", path.join(repoRoot, "apps/server/src/main.ts")],
    {
      cwd: repoRoot,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, ...env, HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "warn", NO_COLOR: "1" },
    },
  );
  // LOG_LEVEL=warn (a line per request would cost): ready when /health/ready answers; a second
  // process gets a few more seconds (the primary forks both at once).
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`main.ts exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error("main.ts did not get ready in 300 s");
    await new Promise((r) => setTimeout(r, 250));
  }
  if (processes > 1) await new Promise((r) => setTimeout(r, 10_000));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

async function measure(url: string, read: Read): Promise<LatencyStats> {
  let n = 0;
  const result = await runLoad({
    baseUrl: url,
    concurrency: opts.concurrency,
    seconds: opts.seconds,
    warmupSeconds: 1,
    next: () => ({ label: read.name, path: read.paths[n++ % read.paths.length]! }),
  });
  return statsOf(result, read.name);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main() {
  out(`seeding ${opts.teams} teams…`);
  const database = await prepareBenchDatabase(opts.teams);
  const redis = await startRedis();
  const db = createDb({ connectionString: database.url, max: 2 });
  // A board to read: the leaderboard job's snapshot of game-1 (its top 100 from the seeded rankings).
  const gameId = Number(
    (await db.db.selectFrom("games").select("id").where("slug", "=", "game-1").executeTakeFirstOrThrow()).id,
  );
  const board = await rankings.recomputeLeaderboard({ db: db.db }, gameId);
  await db.destroy();
  out(`leaderboard of game-1 recomputed: ${board.teams} teams, top ${board.top.entries.length}`);

  const main = {
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    CONTRACT_MODE: "warn",
    SCRYPT_COST: "1024",
    DB_POOL_MAX: "10",
    RATE_LIMITS: "off",
    WORKER_STALE_AFTER_MS: "0",
  };
  const servers: Record<string, ServerUnderTest> = {};
  const stopAll = () => Promise.all(Object.values(servers).map((s) => s.stop()));
  try {
    servers["node:http const"] = await startServer("bare-const", database.url, opts.teams);
    servers["Fastify const"] = await startServer("fastify-const", database.url, opts.teams);
    servers["node:http + PK select"] = await startServer("bare-select", database.url, opts.teams);
    servers["tRPC adapter (LEAN_QUERIES=off)"] = await startMain(
      { ...main, LEAN_QUERIES: "off", WEB_CONCURRENCY: "1" },
      1,
    );
    servers["lean path"] = await startMain({ ...main, LEAN_QUERIES: "on", WEB_CONCURRENCY: "1" }, 1);
    servers["lean path, 2 processes"] = await startMain({ ...main, LEAN_QUERIES: "on", WEB_CONCURRENCY: "2" }, 2);
    process.env.LEAN_QUERIES = "off";
    servers["uncached, tRPC adapter"] = await startServer("platform-nocache", database.url, opts.teams);
    process.env.LEAN_QUERIES = "on";
    servers["uncached, lean path"] = await startServer("platform-nocache", database.url, opts.teams);

    const platforms = ["tRPC adapter (LEAN_QUERIES=off)", "lean path", "lean path, 2 processes"];
    const uncached = ["uncached, tRPC adapter", "uncached, lean path"];
    const hot = Math.min(500, opts.teams);
    const reads: Read[] = [
      { name: "calibration", paths: ["/"], servers: ["node:http const", "Fastify const", "node:http + PK select"] },
      {
        name: "team page (teams.bySlug, random of the teams)",
        paths: Array.from({ length: 2000 }, (_, i) =>
          trpcPath("teams.bySlug", { slug: `team-${1 + ((i * 7919) % opts.teams)}` }),
        ),
        servers: [...platforms, ...uncached],
      },
      {
        name: `team page (teams.bySlug, ${hot} popular teams)`,
        paths: Array.from({ length: 2000 }, (_, i) =>
          trpcPath("teams.bySlug", { slug: `team-${1 + ((i * 7919) % hot)}` }),
        ),
        servers: platforms,
      },
      {
        name: "leaderboard top 100 (rankings.leaderboard, limit 100)",
        paths: [trpcPath("rankings.leaderboard", { gameSlug: "game-1", limit: 100 })],
        servers: [...platforms, ...uncached],
      },
      {
        name: "games.bySlug",
        // Only the seeded games (their number follows --teams): a missing slug would be a 404.
        paths: Array.from({ length: database.counts.games }, (_, i) =>
          trpcPath("games.bySlug", { slug: `game-${1 + i}` }),
        ),
        servers: [...platforms, ...uncached],
      },
    ];
    const only = opts.only ? opts.only.split(",") : [];
    const chosen = reads.filter(
      (r) => r.name === "calibration" || only.length === 0 || only.some((o) => r.name.includes(o)),
    );
    const results = new Map<string, LatencyStats[]>();
    const loads: number[] = [];
    for (let round = 1; round <= opts.rounds; round++) {
      for (const read of chosen) {
        for (const name of read.servers) {
          const stats = await measure(servers[name]!.url, read);
          const key = `${read.name}|${name}`;
          results.set(key, [...(results.get(key) ?? []), stats]);
          out(
            `round ${round} · ${read.name} · ${name}: ${stats.rps} req/s, p95 ${stats.p95} ms, errors ${stats.errors}`,
          );
        }
        loads.push(loadavg()[0]!);
      }
    }
    const rps = (read: string, server: string) => median((results.get(`${read}|${server}`) ?? []).map((s) => s.rps));
    const konst = rps("calibration", "node:http const");
    const fast = rps("calibration", "Fastify const");
    const select = rps("calibration", "node:http + PK select");
    out("");
    out(
      `${opts.rounds} rounds × ${opts.seconds} s at ${opts.concurrency} connections, ${opts.teams} teams; medians over the rounds. ` +
        `1-min load average during the run: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} (2 cores, shared).`,
    );
    out("");
    out("| read | server | req/s (median [rounds]) | ÷ node:http const | ÷ Fastify const | ÷ PK select |");
    out("| --- | --- | --- | --- | --- | --- |");
    for (const read of chosen) {
      for (const name of read.servers) {
        const all = (results.get(`${read.name}|${name}`) ?? []).map((s) => Math.round(s.rps));
        const r = rps(read.name, name);
        out(
          `| ${read.name} | ${name} | ${Math.round(r)} [${all.join(" / ")}] | ${(r / konst).toFixed(2)} | ${(r / fast).toFixed(2)} | ${(r / select).toFixed(2)} |`,
        );
      }
    }
  } finally {
    await stopAll();
    redis.stop();
    await database.drop();
  }
}

await main();
