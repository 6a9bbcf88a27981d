/**
 * On a database nobody migrated, the worker (and the API) stop at start-up with one log line that
 * says "run pnpm migrate" and exit 1 — before graphile-worker installs its schema there (the
 * worker used to die later with a raw stack trace).
 */
import { createTestDatabase, type TestDatabase } from "@deltacrown/test-harness";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProcess } from "./processes.support.ts";

describe("processes on an unmigrated database", () => {
  let empty: TestDatabase;
  beforeAll(async () => {
    empty = await createTestDatabase({ empty: true });
  });
  afterAll(async () => {
    await empty?.drop();
  });

  it.each([
    ["worker", "apps/worker/src/main.ts"],
    ["api", "apps/server/src/main.ts"],
  ])(
    "the %s says run pnpm migrate and exits 1, touching nothing",
    async (service, file) => {
      const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: empty.url, PORT: "0", NO_COLOR: "1" };
      delete env.REDIS_URL;
      const proc = startProcess(file, env);
      expect(await proc.exited, proc.stderr()).toBe(1);
      const fatal = proc.lines.find((l) => l.level === "fatal");
      expect(fatal, JSON.stringify(proc.lines)).toMatchObject({
        service,
        msg: expect.stringContaining("run pnpm migrate"),
      });
      expect((fatal!.pending as string[]).length).toBeGreaterThan(0);
      expect(proc.stderr()).not.toMatch(/\n\s+at /);

      const client = new pg.Client({ connectionString: empty.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: number }>(
          "select count(*)::int as n from pg_namespace where nspname = 'graphile_worker'",
        );
        expect(rows[0]!.n).toBe(0);
        const tables = await client.query<{ n: number }>(
          "select count(*)::int as n from pg_tables where schemaname = 'public'",
        );
        expect(tables.rows[0]!.n).toBe(0);
      } finally {
        await client.end();
      }
    },
    120_000,
  );
});
