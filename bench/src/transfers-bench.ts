/*
 * `pnpm bench:transfers [--teams N] [--clients N] [--seconds S] [--rounds N]`: the wallet-transfer
 * line of `pnpm bench` alone (issue 14: transfers ÷ pgbench TPC-B, same database, 10 clients), in
 * a few minutes instead of the whole bench's fifteen. The procedure `wallets.transfer` in-process
 * (createCaller: session lookup, middlewares, zod, contract ledger; no HTTP) and over HTTP against
 * the real server, then pgbench's TPC-B on the same database, each round back to back, with the
 * 1-minute load average. `pnpm bench:wallets` measures the domain service alone (no procedure).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { loadavg } from "node:os";
import { parseCommand } from "@deltacrown/ops-kit/cli";

const { values: opts } = parseCommand({
  name: "pnpm bench:transfers",
  summary:
    "wallets.transfer in-process and over HTTP next to pgbench TPC-B on the same database (issue 14's transfer ratio)",
  options: {
    teams: { type: "number", description: "teams in the seeded dataset", default: 500, min: 100, integer: true },
    clients: { type: "number", description: "concurrent clients (the issue: 10)", default: 10, min: 1, integer: true },
    seconds: { type: "number", description: "seconds per measurement", default: 5, min: 1 },
    rounds: { type: "number", description: "rounds of the three measurements", default: 2, min: 1, integer: true },
    "cpu-calls": {
      type: "number",
      description: "sequential calls of the CPU probe (CPU ms per call, Node and Postgres)",
      default: 300,
      min: 0,
      integer: true,
    },
    "cpu-prof": {
      type: "string",
      description: "write the CPU probe's profile (the probe alone) to this .cpuprofile file",
    },
  },
  env: {
    DATABASE_URL: "its server hosts the bench database (unset: an embedded Postgres; pgbench must be installed)",
    REDIS_URL: "the server's cache tier (unset: none)",
  },
});

// Loaded after the arguments are parsed: --help and a bad flag answer without loading the database layer.
const { sql } = await import("kysely");
const { createDb } = await import("@deltacrown/db");
const { Cache, defaultDomainConfig, wallets } = await import("@deltacrown/domain");
const { tokenOf } = await import("./cases.ts");
const { prepareBenchDatabase } = await import("./dataset.ts");
const { fundUsers, transferRequests } = await import("./endpoints-bench.ts");
const { runLoad, statsOf } = await import("./http-load.ts");
const { benchCaller, callPath } = await import("./in-process.ts");
const { loadInProcess } = await import("./in-process-load.ts");
const { initPgbench, pgbenchTpcb } = await import("./pgbench.ts");
const { startServer } = await import("./servers.ts");
const { round } = await import("./stats.ts");

const out = (line: string) => process.stdout.write(`${line}\n`);
const load = () => loadavg()[0]!.toFixed(2);
const database = await prepareBenchDatabase(opts.teams, { sessions: opts.teams * 5 });
const db = createDb({ connectionString: database.url, max: 10, applicationName: "dc-bench" });
const server = await startServer("platform", database.url, opts.teams);
try {
  const funded = await fundUsers(db, database.counts);
  initPgbench(database.url);
  out(`${funded.length} funded users, ${opts.clients} clients, ${opts.seconds} s per measurement`);

  const transfer = transferRequests(funded);
  // CPU per call, one call at a time: what a loaded machine's scheduler cannot blur (wall-clock
  // rates can). Postgres: user+system ticks of this process's backends (same host, /proc).
  if (opts["cpu-calls"] > 0) {
    const backendTicks = async () => {
      const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity
        where datname = current_database() and application_name = 'dc-bench'`.execute(db.db);
      let ticks = 0;
      for (const { pid } of rows) {
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
        ticks += Number(fields[11]) + Number(fields[12]);
      }
      return ticks;
    };
    const probe = async (label: string, call: () => Promise<unknown>) => {
      for (let i = 0; i < 50; i++) await call();
      const n = opts["cpu-calls"];
      const pgBefore = await backendTicks();
      const inspector = opts["cpu-prof"] ? new Session() : undefined;
      inspector?.connect();
      await inspector?.post("Profiler.enable");
      await inspector?.post("Profiler.start");
      const nodeBefore = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await call();
      const wall = performance.now() - t0;
      const node = process.cpuUsage(nodeBefore);
      const pg = (await backendTicks()) - pgBefore;
      if (inspector) {
        const { profile } = await inspector.post("Profiler.stop");
        writeFileSync(opts["cpu-prof"]!.replace(/(\.cpuprofile)?$/, `-${label}.cpuprofile`), JSON.stringify(profile));
        inspector.disconnect();
      }
      out(
        `cpu probe, ${label}, ${n} sequential calls (load ${load()}): ${round(wall / n, 2)} ms wall/call, ` +
          `Node ${round((node.user + node.system) / 1000 / n, 3)} ms CPU/call (${round(node.system / 1000 / n, 3)} in the kernel), ` +
          `Postgres ${round((pg * 10) / n, 3)} ms CPU/call`,
      );
    };
    const cache = new Cache();
    await probe("procedure", async () => {
      const t = transfer();
      await callPath(
        benchCaller(db, cache, t.headers!.authorization!.slice(7), () => undefined),
        t.label,
        JSON.parse(t.body!),
      );
    });
    // The domain service alone (no session lookup, middlewares, zod, ledger): what the stack adds.
    const serviceDeps = { db: db.db, cache: new Cache({ disabled: true }), config: defaultDomainConfig };
    await probe("service", async () => {
      const t = transfer();
      const from = funded.find((u) => tokenOf(u.id) === t.headers!.authorization!.slice(7))!;
      await wallets.transfer(
        serviceDeps,
        { userId: from.id, username: from.username, displayName: "bench", isStaff: false, createdAt: "", sessionId: 0 },
        JSON.parse(t.body!) as Parameters<typeof wallets.transfer>[2],
      );
    });
  }
  for (let r = 1; r <= opts.rounds; r++) {
    const loadBefore = load();
    const inProcess = await loadInProcess({
      db,
      cache: new Cache(),
      concurrency: opts.clients,
      seconds: opts.seconds,
      warmupSeconds: 1,
      next: () => {
        const t = transfer();
        return { path: t.label, input: JSON.parse(t.body!) as unknown, token: t.headers!.authorization!.slice(7) };
      },
    });
    const http = statsOf(
      await runLoad({
        baseUrl: server.url,
        concurrency: opts.clients,
        seconds: opts.seconds,
        warmupSeconds: 1,
        next: transfer,
      }),
      "wallets.transfer",
    );
    const tps = pgbenchTpcb(database.url, opts.clients, opts.seconds);
    out(
      `round ${r} (load ${loadBefore} → ${load()}): in-process ${inProcess.rps}/s (${inProcess.queries} queries/call, ` +
        `p50/p95 ${inProcess.p50}/${inProcess.p95} ms${inProcess.errors ? `, ${inProcess.errors} errors: ${inProcess.firstError}` : ""}), ` +
        `HTTP ${http.rps}/s (p50/p95 ${http.p50}/${http.p95} ms${http.errors ? `, ${http.errors} errors` : ""}), ` +
        `pgbench TPC-B ${tps} tps · ratios ${round(inProcess.rps / tps, 3)} / ${round(http.rps / tps, 3)}`,
    );
  }
} finally {
  await server.stop();
  await db.destroy();
  await database.drop();
}
