import { randomBytes } from "node:crypto";
import { createDb, type Database } from "@deltacrown/db";
import { Redis } from "ioredis";
import type { Kysely } from "kysely";
import type pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import type { HarnessInfo } from "./harness-info.ts";
import { adminQuery, dropDatabaseSql, quoteIdent, withDatabase } from "./pg-admin.ts";
import { throughPgBouncer } from "./pgbouncer.ts";

export interface TestDatabase {
  url: string;
  name: string;
  /** Drops the database, ending any session still connected to it. Safe to call twice. */
  drop(): Promise<void>;
}

export interface TestServices {
  /**
   * Connection string of this file's own database (a clone of the migrated template); through
   * PgBouncer in the DC_TEST_PGBOUNCER=1 pass.
   */
  url: string;
  /** The same database without PgBouncer: for LISTEN and the job worker (session-bound work). */
  directUrl: string;
  /** True in the PgBouncer pass: pools must run with named prepared statements off. */
  pooled: boolean;
  name: string;
  db: Kysely<Database>;
  pool: pg.Pool;
  /** Redis URL with this worker's own logical database, flushed before the file's tests. */
  redisUrl: string;
  redis: Redis;
}

/**
 * Clones the migrated template into a fresh database — or, with `empty`, creates one with nothing
 * in it (to load another system's dump, or to test migrating itself). Named with this run's prefix,
 * so the run's teardown drops it even when a test forgot to. Needs the root vitest config's globalSetup.
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const harness = harnessInfo();
  const name = `${harness.testDbPrefix}${process.env.VITEST_POOL_ID ?? "0"}_${randomBytes(4).toString("hex")}`;
  const template = options.empty ? "template0" : harness.templateDb;
  const create = `CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await adminQuery(harness.adminUrl, [create]);
      break;
    } catch (error) {
      // 55006: "source database is being accessed by other users" (e.g. autovacuum); it passes.
      if ((error as { code?: string }).code !== "55006" || attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
  let dropped: Promise<void> | undefined;
  return {
    url: withDatabase(harness.adminUrl, name),
    name,
    drop: () => (dropped ??= adminQuery(harness.adminUrl, [dropDatabaseSql(name)]).then(() => undefined)),
  };
}

/**
 * One Redis logical database per vitest worker (1..15; 0 is left for humans), so files running in
 * parallel never see each other's keys. Files in one worker run one after another.
 */
export function workerRedisUrl(redisUrl: string, poolId = Number(process.env.VITEST_POOL_ID ?? "1")): string {
  const url = new URL(redisUrl);
  url.pathname = `/${((Math.max(poolId, 1) - 1) % 15) + 1}`;
  url.searchParams.delete("db");
  return url.toString();
}

const FIELDS = [
  "url",
  "directUrl",
  "pooled",
  "name",
  "db",
  "pool",
  "redisUrl",
  "redis",
] as const satisfies ReadonlyArray<keyof TestServices>;

/**
 * Call once at the top level of a test file. Its fields are filled in by a beforeAll (its own
 * database, a Kysely over it, a flushed Redis database) and closed/dropped by an afterAll.
 */
export function useTestServices(options: { poolMax?: number } = {}): TestServices {
  const state: Partial<TestServices> = {};
  let database: TestDatabase | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    const bouncer = harnessInfo().pgbouncer;
    const url = bouncer ? throughPgBouncer(database.url, bouncer) : database.url;
    const { db, pool } = createDb({
      connectionString: url,
      max: options.poolMax ?? 4,
      applicationName: "dc-test",
      prepare: !bouncer,
    });
    Object.assign(state, { url, directUrl: database.url, pooled: !!bouncer, name: database.name, db, pool });
    const redisUrl = workerRedisUrl(harnessInfo().redisUrl);
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
    state.redis = redis;
    await redis.connect();
    await redis.flushdb();
    state.redisUrl = redisUrl;
  });

  afterAll(async () => {
    // Close everything even if one step fails (beforeAll may also have stopped half way).
    const { redis } = state;
    // quit() on a client that never connected would wait in ioredis' offline queue forever.
    const closeRedis = redis?.status === "ready" ? redis.quit() : redis?.disconnect();
    const results = await Promise.allSettled([state.db?.destroy(), closeRedis]);
    results.push(...(await Promise.allSettled([database?.drop()])));
    const failure = results.find((r) => r.status === "rejected");
    if (failure) throw failure.reason;
  });

  const services = {} as TestServices;
  for (const field of FIELDS) {
    Object.defineProperty(services, field, {
      enumerable: true,
      get() {
        const value = state[field];
        if (value === undefined) {
          throw new Error(`useTestServices().${field} is only available in tests and hooks, after its beforeAll ran`);
        }
        return value;
      },
    });
  }
  return services;
}

function harnessInfo(): HarnessInfo {
  const info = inject("dcHarness");
  if (!info) {
    throw new Error(
      "dcHarness was not provided: run tests through the root vitest.config.ts, whose globalSetup " +
        "(tooling/test-harness/src/global-setup.ts) provisions Postgres and Redis",
    );
  }
  return info;
}
