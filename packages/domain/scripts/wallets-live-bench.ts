/**
 * `pnpm bench:wallets`: issue 7's figures, run by hand (not part of the test suite):
 * 1. wallet transfers/s and latency at 10 and 50 concurrent clients (domain service, each client
 *    its own pg connection), next to pgbench's TPC-B-like run on the same server in the same run;
 * 2. live broadcast latency, publish → listener, for 100 listeners × 10 messages on one bus and
 *    1,000 listeners split across two buses (two Redis subscriber connections, as two processes).
 * Redis: REDIS_URL, or a private redis-server on a random port.
 */
import { execFileSync, spawn } from "node:child_process";
import { createServer } from "node:net";
import { parseCommand } from "@deltacrown/ops-kit/cli";
import type { Actor } from "../src/shared/deps.ts";

const { values: opts } = parseCommand({
  name: "pnpm bench:wallets",
  summary:
    "wallet transfers at 10 and 50 clients next to pgbench's TPC-B on the same server, and live broadcast latency (publish → listener)",
  options: {
    seconds: { type: "number", description: "seconds per transfer run (default BENCH_SECONDS or 5)", min: 0.1 },
  },
  env: {
    DATABASE_URL: "its server hosts the scratch databases (required; pgbench must be on the PATH)",
    REDIS_URL: "for the live broadcast (unset: a private redis-server on a random port)",
  },
});

// Loaded after the arguments are parsed: --help and a bad flag answer without loading the database layer.
const { createDb, migrateToLatest } = await import("@deltacrown/db");
const { Redis } = await import("ioredis");
const { sql } = await import("kysely");
const { Cache } = await import("../src/cache/cache.ts");
const wallets = await import("../src/economy/wallets.service.ts");
const { LiveBus } = await import("../src/live/live-bus.ts");
const { defaultDomainConfig } = await import("../src/shared/deps.ts");

const admin = process.env.DATABASE_URL;
if (!admin) {
  process.stderr.write("DATABASE_URL is required: its server hosts the scratch databases\n");
  process.exit(2);
}
const SECONDS = opts.seconds ?? Number(process.env.BENCH_SECONDS ?? 5);
const withDb = (name: string) => {
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const r1 = (n: number) => Math.round(n * 10) / 10;
const out = (line: string) => process.stdout.write(`${line}\n`);

async function recreate(name: string) {
  const { db } = createDb({ connectionString: admin!, max: 1 });
  await sql.raw(`drop database if exists ${name} with (force)`).execute(db);
  await sql.raw(`create database ${name}`).execute(db);
  await db.destroy();
}

async function transfers(url: string, actors: Actor[], clients: number) {
  const conns = Array.from({ length: clients }, () => createDb({ connectionString: url, max: 1 }));
  const latencies: number[] = [];
  let failed = 0;
  let seq = 0;
  const deadline = performance.now() + SECONDS * 1000;
  await Promise.all(
    conns.map(async ({ db }) => {
      const deps = { db, cache: new Cache(), config: defaultDomainConfig };
      while (performance.now() < deadline) {
        const from = actors[Math.floor(Math.random() * actors.length)]!;
        let to = actors[Math.floor(Math.random() * actors.length)]!;
        if (to === from) to = actors[(actors.indexOf(from) + 1) % actors.length]!;
        const key = `bench-${clients}-${++seq}`;
        const t0 = performance.now();
        try {
          await wallets.transfer(deps, from, { to: to.username, amount: 1 + (seq % 5), idempotencyKey: key });
          latencies.push(performance.now() - t0);
        } catch {
          failed++;
        }
      }
    }),
  );
  await Promise.all(conns.map((c) => c.destroy()));
  return { tps: latencies.length / SECONDS, p50: pct(latencies, 50), p95: pct(latencies, 95), failed };
}

function pgbench(db: string, clients: number): number {
  const u = new URL(admin!);
  const args = ["-h", u.hostname, "-p", u.port || "5432", "-U", decodeURIComponent(u.username || "postgres")];
  const text = execFileSync("pgbench", [...args, "-n", "-c", String(clients), "-j", "2", "-T", String(SECONDS), db], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  return Number(/tps = ([\d.]+)/.exec(text)?.[1] ?? NaN);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

async function broadcast(redisUrl: string, listenersPerBus: number[], messages: number) {
  const conns: InstanceType<typeof Redis>[] = [];
  const buses = listenersPerBus.map(() => {
    const redis = new Redis(redisUrl);
    const subscriber = new Redis(redisUrl);
    conns.push(redis, subscriber);
    return new LiveBus({ redis, subscriber });
  });
  await Promise.all(buses.map((b) => b.start()));
  const channel = `tournament:bench-${Date.now()}`;
  const latencies: number[] = [];
  const ac = new AbortController();
  const total = listenersPerBus.reduce((a, b) => a + b, 0);
  let received = 0;
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  listenersPerBus.forEach((n, i) => {
    for (let l = 0; l < n; l++)
      void (async () => {
        for await (const e of buses[i]!.subscribe(channel, { signal: ac.signal })) {
          latencies.push(performance.timeOrigin + performance.now() - (e.data.sentAt as number));
          if (++received === total * messages) done();
        }
      })();
  });
  for (let m = 0; m < messages; m++) {
    await buses[0]!.publish(channel, {
      type: "match.updated",
      data: { m, sentAt: performance.timeOrigin + performance.now() },
    });
    await new Promise((r) => setTimeout(r, 20));
  }
  await Promise.race([all, new Promise((r) => setTimeout(r, 10_000))]);
  ac.abort();
  await Promise.all(buses.map((b) => b.close()));
  await Promise.all(conns.map((c) => c.quit()));
  return { delivered: latencies.length, expected: total * messages, p50: pct(latencies, 50), p95: pct(latencies, 95) };
}

async function main() {
  // --- wallets ---
  await recreate("dc_wallet_bench");
  const url = withDb("dc_wallet_bench");
  await migrateToLatest({ connectionString: url });
  const { db } = createDb({ connectionString: url, max: 4 });
  const staff: Actor = { userId: 0, username: "staff", displayName: "s", isStaff: true, createdAt: "", sessionId: 0 };
  const actors: Actor[] = [];
  const { rows } = await sql<{
    id: number;
    username: string;
  }>`insert into users (username, email, display_name, password_hash)
    select 'bench' || g, 'bench' || g || '@x.dc', 'b', 'x' from generate_series(1, 1000) g returning id, username`.execute(
    db,
  );
  for (const r of rows) actors.push({ ...staff, userId: r.id, username: r.username, isStaff: false });
  const deps = { db, cache: new Cache(), config: defaultDomainConfig };
  staff.userId = actors[0]!.userId;
  for (const a of actors) await wallets.mint(deps, staff, { username: a.username, amount: 1_000_000, reason: "bench" });
  await db.destroy();

  await recreate("dc_pgbench");
  const u = new URL(admin!);
  execFileSync(
    "pgbench",
    ["-h", u.hostname, "-p", u.port || "5432", "-U", u.username || "postgres", "-i", "-q", "-s", "10", "dc_pgbench"],
    {
      stdio: "ignore",
    },
  );

  out(`wallet transfers (${SECONDS}s each, 1000 wallets, domain service, one pg connection per client)`);
  for (const clients of [10, 50]) {
    const t = await transfers(url, actors, clients);
    const tpcb = pgbench("dc_pgbench", clients);
    out(
      `  ${clients} clients: ${r1(t.tps)} transfers/s (p50 ${r1(t.p50)} ms, p95 ${r1(t.p95)} ms, failed ${t.failed})` +
        ` | pgbench TPC-B -s 10: ${r1(tpcb)} tps | ratio ${r1((100 * t.tps) / tpcb)}%`,
    );
  }

  // --- live broadcast ---
  let redisUrl = process.env.REDIS_URL;
  let redisProc: ReturnType<typeof spawn> | undefined;
  if (!redisUrl) {
    const port = await freePort();
    redisProc = spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no"], {
      stdio: "ignore",
    });
    redisUrl = `redis://127.0.0.1:${port}`;
    const probe = new Redis(redisUrl, { retryStrategy: () => 50 });
    await probe.ping();
    await probe.quit();
  }
  out("live broadcast, publish → listener (Redis pub/sub + stream)");
  const a = await broadcast(redisUrl, [100], 10);
  out(
    `  100 listeners × 10 messages: p50 ${r1(a.p50)} ms, p95 ${r1(a.p95)} ms (${a.delivered}/${a.expected} delivered)`,
  );
  const b = await broadcast(redisUrl, [500, 500], 10);
  out(
    `  1000 listeners on two buses × 10 messages: p50 ${r1(b.p50)} ms, p95 ${r1(b.p95)} ms (${b.delivered}/${b.expected})`,
  );
  redisProc?.kill();

  const { db: cleanup } = createDb({ connectionString: admin!, max: 1 });
  await sql.raw(`drop database if exists dc_wallet_bench with (force)`).execute(cleanup);
  await sql.raw(`drop database if exists dc_pgbench with (force)`).execute(cleanup);
  await cleanup.destroy();
}

await main();
