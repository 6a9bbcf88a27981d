/*
 * One server under test, in its own process so it does not share an event loop with the load
 * generator: `tsx bench/src/serve.ts <mode> <databaseUrl> <teams>` prints `READY <url>` and runs
 * until SIGTERM. Modes:
 *   platform          the real server (startPlatform): Fastify + tRPC + contract, cache on
 *   platform-nocache  the same app (buildServer) with a Cache whose loader always runs
 *   bare-select       calibration: node:http + one primary-key select from a pg Pool of the same size
 *   bare-const        calibration: node:http returning constant JSON
 *   fastify-const     calibration: a Fastify route returning the same constant JSON (Fastify's own cost)
 * LEAN_QUERIES=off in the environment: platform and platform-nocache without the lean query path.
 */
import http from "node:http";
import { createMetrics } from "@deltacrown/api";
import { createDb } from "@deltacrown/db";
import { Cache, defaultDomainConfig } from "@deltacrown/domain";
import pg from "pg";
import { buildServer } from "@deltacrown/server/app";
import { startPlatform } from "@deltacrown/server/platform";
import Fastify from "fastify";
import { BENCH_SCRYPT_COST } from "./dataset.ts";

export type ServeMode = "platform" | "platform-nocache" | "bare-select" | "bare-const" | "fastify-const";
export const POOL_MAX = 10;

const [mode, databaseUrl, teamsArg] = process.argv.slice(2) as [ServeMode, string, string];
const teams = Number(teamsArg ?? 10_000);
const leanQueries = process.env.LEAN_QUERIES !== "off";

async function start(): Promise<{ url: string; close(): Promise<void> }> {
  switch (mode) {
    case "platform": {
      const platform = await startPlatform({
        databaseUrl,
        redisUrl: process.env.REDIS_URL,
        host: "127.0.0.1",
        port: 0,
        contractMode: "warn",
        scryptCost: BENCH_SCRYPT_COST,
        dbPoolMax: POOL_MAX,
        runWorker: false,
        // The load comes from one address at thousands of calls a second: the general limit would refuse it.
        limits: false,
        leanQueries,
      });
      return platform;
    }
    case "platform-nocache": {
      const database = createDb({ connectionString: databaseUrl, max: POOL_MAX, applicationName: "deltacrown-api" });
      const app = buildServer({
        deps: {
          db: database.db,
          cache: new Cache({ disabled: true }),
          config: { ...defaultDomainConfig, scryptCost: BENCH_SCRYPT_COST },
          contractMode: "warn",
          metrics: createMetrics(),
        },
        leanQueries,
      });
      await app.listen({ host: "127.0.0.1", port: 0 });
      const address = app.server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      return {
        url: `http://127.0.0.1:${port}`,
        close: async () => {
          await app.close();
          await database.destroy();
        },
      };
    }
    case "bare-select": {
      const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_MAX });
      let n = 0;
      return listen(
        async (res) => {
          const id = ((n++ * 7919) % teams) + 1;
          const { rows } = await pool.query("select id, slug, name, member_count from teams where id = $1", [id]);
          res.end(JSON.stringify(rows[0] ?? null));
        },
        () => pool.end(),
      );
    }
    case "bare-const":
      return listen((res) => {
        res.end('{"status":"ok"}');
        return Promise.resolve();
      });
    case "fastify-const": {
      const app = Fastify({ logger: false });
      app.get("/", (_req, reply) => reply.type("application/json").send('{"status":"ok"}'));
      await app.listen({ host: "127.0.0.1", port: 0 });
      const address = app.server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      return {
        url: `http://127.0.0.1:${port}`,
        close: async () => {
          app.server.closeAllConnections();
          await app.close();
        },
      };
    }
    default:
      throw new Error(`unknown mode ${String(mode)}`);
  }
}

async function listen(
  handle: (res: http.ServerResponse) => Promise<void>,
  onClose: () => Promise<void> = () => Promise.resolve(),
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    handle(res).catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await onClose();
    },
  };
}

const running = await start();
process.stdout.write(`READY ${running.url}\n`);
process.once("SIGTERM", () => {
  void running.close().finally(() => process.exit(0));
});
