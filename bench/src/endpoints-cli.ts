/*
 * `pnpm bench:endpoints` — issue 14's five endpoints alone (the last phase of `pnpm bench`): the
 * same dataset, the production server (main.ts, one API process per core), the calibration servers
 * before and after, transfers next to pgbench. A few minutes instead of `pnpm bench`'s fifteen, for
 * trying a change; `pnpm bench` is the record.
 */
import { availableParallelism } from "node:os";
import { parseCommand } from "@deltacrown/ops-kit/cli";

const { values: opts } = parseCommand({
  name: "pnpm bench:endpoints",
  summary: "issue 14's five endpoints at 50 connections on the production server, next to the calibration servers",
  options: {
    teams: { type: "number", description: "teams in the seeded dataset", default: 5_000, min: 100, integer: true },
    seconds: { type: "number", description: "seconds per measurement", default: 3, min: 0.1 },
    connections: { type: "number", description: "HTTP connections", default: 50, min: 1, integer: true },
    processes: {
      type: "number",
      description: "API processes (WEB_CONCURRENCY)",
      default: availableParallelism(),
      min: 1,
      integer: true,
    },
    "write-clients": {
      type: "number",
      description: "clients of transfers vs pgbench",
      default: 10,
      min: 1,
      integer: true,
    },
  },
  env: { DATABASE_URL: "its server hosts the bench database (unset: an embedded Postgres)" },
});

// Loaded after the arguments are parsed: --help and a bad flag answer without loading the database layer.
const { createDb } = await import("@deltacrown/db");
const { prepareBenchDatabase } = await import("./dataset.ts");
const { formatEndpoints, measureEndpoints, prepareEndpoints } = await import("./endpoints-bench.ts");
const { startPrivateRedis, startProduction, startServer } = await import("./servers.ts");

const out = (line: string) => process.stdout.write(`${line}\n`);

const database = await prepareBenchDatabase(opts.teams, { sessions: opts.teams * 5 });
const db = createDb({ connectionString: database.url, max: 10, applicationName: "dc-bench" });
const redis = await startPrivateRedis();
try {
  const prepared = await prepareEndpoints(db, database.url, database.counts);
  const calibration = {
    "bare-const": await startServer("bare-const", database.url, opts.teams),
    "fastify-const": await startServer("fastify-const", database.url, opts.teams),
    "bare-select": await startServer("bare-select", database.url, opts.teams),
  };
  const production = await startProduction({
    databaseUrl: database.url,
    redisUrl: redis.url,
    processes: opts.processes,
  });
  try {
    const results = await measureEndpoints(
      {
        db,
        databaseUrl: database.url,
        counts: database.counts,
        platformUrl: production.url,
        processes: opts.processes,
        calibration: {
          "bare-const": calibration["bare-const"].url,
          "fastify-const": calibration["fastify-const"].url,
          "bare-select": calibration["bare-select"].url,
        },
        connections: opts.connections,
        seconds: opts.seconds,
        writeClients: opts["write-clients"],
        out,
      },
      prepared,
    );
    out("");
    out(formatEndpoints(results));
  } finally {
    await Promise.all([production.stop(), ...Object.values(calibration).map((s) => s.stop())]);
  }
} finally {
  redis.stop();
  await db.destroy();
  await database.drop();
}
