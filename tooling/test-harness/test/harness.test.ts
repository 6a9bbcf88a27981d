import { sql } from "kysely";
import pg from "pg";
import { Redis } from "ioredis";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import {
  closeHandlesOpenedSince,
  createTestDatabase,
  installOpenHandleCheck,
  openHandleMark,
  trackOpen,
  useTestServices,
  workerRedisUrl,
} from "../src/index.ts";

installOpenHandleCheck();

// Written before useTestServices' beforeAll flushes this worker's Redis database. Random keys keep the
// Redis assertions exact even when another vitest run shares the same REDIS_URL.
const marker = `harness:before-flush:${randomUUID()}`;
beforeAll(async () => {
  const redis = new Redis(workerRedisUrl(inject("dcHarness").redisUrl));
  await redis.set(marker, "1");
  await redis.quit();
});
const services = useTestServices();

async function query<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

describe("provided harness", () => {
  it("is injected with a template and sources", () => {
    const harness = inject("dcHarness");
    expect(harness.templateDb).toMatch(/^dc_tpl_/);
    expect(["env", "testcontainers", "embedded"]).toContain(harness.source.postgres);
    expect(["env", "testcontainers", "embedded"]).toContain(harness.source.redis);
  });
});

describe("test database", () => {
  it("is a clone of the migrated template: our tables and graphile-worker's schema", async () => {
    expect(services.name.startsWith(inject("dcHarness").testDbPrefix)).toBe(true);
    const tables = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`.execute(services.db);
    expect(tables.rows.map((r) => r.table_name)).toContain("users");
    const schemas = await sql<{ n: number }>`
      SELECT count(*) AS n FROM pg_namespace WHERE nspname = 'graphile_worker'`.execute(services.db);
    expect(schemas.rows[0]?.n).toBe(1);
  });

  it("keeps two test databases isolated from each other", async () => {
    const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    try {
      expect(a.name).not.toBe(b.name);
      await query(a.url, "CREATE TABLE only_in_a (id int); INSERT INTO only_in_a VALUES (1)");
      const inA = await query<{ n: number }>(a.url, "SELECT count(*)::int AS n FROM only_in_a");
      expect(inA[0]?.n).toBe(1);
      const inB = await query<{ t: string | null }>(b.url, "SELECT to_regclass('only_in_a')::text AS t");
      expect(inB[0]?.t).toBeNull();
    } finally {
      await Promise.all([a.drop(), b.drop()]);
    }
    const left = await query(inject("dcHarness").adminUrl, `SELECT 1 FROM pg_database WHERE datname = '${a.name}'`);
    expect(left).toHaveLength(0);
  });

  it("refuses connections to the template, so clones never fail on a lingering session", async () => {
    const { adminUrl, templateDb } = inject("dcHarness");
    const rows = await query<{ datallowconn: boolean; datistemplate: boolean }>(
      adminUrl,
      `SELECT datallowconn, datistemplate FROM pg_database WHERE datname = '${templateDb}'`,
    );
    expect(rows[0]).toEqual({ datallowconn: false, datistemplate: true });
  });
});

describe("redis", () => {
  it("uses this worker's logical database, flushed before the file", async () => {
    const db = Number(new URL(services.redisUrl).pathname.slice(1));
    expect(db).toBeGreaterThanOrEqual(1);
    expect(db).toBeLessThanOrEqual(15);
    expect(await services.redis.exists(marker)).toBe(0);
    const key = `harness:key:${randomUUID()}`;
    await services.redis.set(key, "v");
    expect(await services.redis.get(key)).toBe("v");
  });

  it("keeps other logical databases apart", async () => {
    const other = new Redis(workerRedisUrl(inject("dcHarness").redisUrl, Number(process.env.VITEST_POOL_ID ?? 1) + 1));
    try {
      const key = `harness:mine:${randomUUID()}`;
      await services.redis.set(key, "1");
      expect(await other.get(key)).toBeNull();
    } finally {
      await other.quit();
    }
  });

  it("maps pool ids onto databases 1..15", () => {
    expect(workerRedisUrl("redis://h:1/3", 1)).toBe("redis://h:1/1");
    expect(workerRedisUrl("redis://h:1", 16)).toBe("redis://h:1/1");
    expect(workerRedisUrl("redis://:pw@h:1/0?db=4", 2)).toBe("redis://:pw@h:1/2");
  });
});

describe("open-handle check", () => {
  it("reports and closes what a test left open, and ignores what it closed", async () => {
    const mark = openHandleMark();
    let leakClosed = false;
    trackOpen("leaky server", () => {
      leakClosed = true;
    });
    const untrack = trackOpen("tidy pool", () => undefined);
    untrack();
    expect(await closeHandlesOpenedSince(mark)).toEqual(["leaky server"]);
    expect(leakClosed).toBe(true);
    // Closed by the check: nothing left for the next test (or this test's own afterEach check).
    expect(await closeHandlesOpenedSince(mark)).toEqual([]);
  });

  it("passes a test that closes what it opens", () => {
    const untrack = trackOpen("short-lived", () => undefined);
    untrack();
  });
});

describe("installOpenHandleCheck", () => {
  // it.fails inverts the result: this passes only because the installed afterEach fails the test.
  it.fails("fails a test that leaks a tracked handle", () => {
    trackOpen("leaked on purpose", () => undefined);
  });
});
