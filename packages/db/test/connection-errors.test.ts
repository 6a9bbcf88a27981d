/**
 * A lost connection, for real: another session terminates our backend (57P01, what a fast
 * restart does to every session), while a query runs on it and while it sits idle in the pool.
 * The process must not die of an unhandled `error` event (vitest fails a file on an uncaught
 * error), the caller must see an error classed "database unavailable", and the pool must serve
 * again at once. Plus a refused connection (nothing listening).
 */
import { createServer } from "node:net";
import { once } from "node:events";
import { createTestDatabase, type TestDatabase } from "@deltacrown/test-harness";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, isDatabaseUnavailable, type Db } from "../src/index.ts";

let database: TestDatabase;
let handle: Db;
let admin: pg.Client;
const reported: { source: string; message: string }[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  handle = createDb({
    connectionString: database.url,
    max: 2,
    onConnectionError: (error, source) => reported.push({ source, message: error.message }),
  });
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
});

afterAll(async () => {
  await admin?.end();
  await handle?.destroy();
  await database?.drop();
});

const terminate = (pid: number) => admin.query("select pg_terminate_backend($1)", [pid]);

describe("lost database connections", () => {
  it("a query whose connection is terminated fails as 'unavailable', handled, and the pool serves again", async () => {
    const failure = await handle.db
      .connection()
      .execute(async (conn) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(conn);
        // Settled into a value at once: its rejection must not count as unhandled while we wait.
        const running = sql`select pg_sleep(30)`.execute(conn).then(
          () => undefined,
          (error: unknown) => error,
        );
        // Terminate once the sleep is running on that backend.
        for (;;) {
          const { rows: active } = await admin.query<{ n: number }>(
            "select count(*)::int as n from pg_stat_activity where pid = $1 and query like '%pg_sleep%'",
            [rows[0]!.pid],
          );
          if (active[0]!.n > 0) break;
          await new Promise((r) => setTimeout(r, 10));
        }
        await terminate(rows[0]!.pid);
        return running;
      })
      .catch((error: unknown) => error);
    expect(failure).toBeDefined();
    expect(isDatabaseUnavailable(failure)).toBe(true);
    const { rows } = await sql<{ ok: number }>`select 1 as ok`.execute(handle.db);
    expect(rows).toEqual([{ ok: 1 }]);
  });

  it("an idle pooled connection terminated is reported and replaced", async () => {
    await sql`select 1`.execute(handle.db);
    const { rows } = await admin.query<{ pid: number }>(
      "select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state = 'idle'",
    );
    const before = reported.length;
    for (const r of rows) await terminate(r.pid);
    // The idle client hears of it (the pool reports it and drops it).
    for (let i = 0; i < 500 && reported.length === before; i++) await new Promise((r) => setTimeout(r, 10));
    expect(reported.length).toBeGreaterThan(before);
    expect(reported.at(-1)!.message).toMatch(/terminat/i);
    const { rows: again } = await sql<{ ok: number }>`select 1 as ok`.execute(handle.db);
    expect(again).toEqual([{ ok: 1 }]);
  });

  it("a connection lost while the pool is being destroyed is not reported", async () => {
    const seen: string[] = [];
    const closing = createDb({
      connectionString: database.url,
      max: 1,
      onConnectionError: (e) => seen.push(e.message),
    });
    // Checked out, so destroy() waits for it: the backend is terminated in between, for sure.
    const client = await closing.pool.connect();
    const { rows } = await client.query<{ pid: number }>("select pg_backend_pid() as pid");
    const destroyed = closing.destroy();
    const errored = once(client, "error");
    await terminate(rows[0]!.pid);
    await errored;
    client.release();
    await destroyed;
    expect(seen).toEqual([]);
    // The same loss before destroy() is reported (the previous test, on an idle client).
  });

  it("a refused connection is 'unavailable'; a bad statement is not", async () => {
    const server = createServer().listen(0, "127.0.0.1");
    await once(server, "listening");
    const port = (server.address() as { port: number }).port;
    await new Promise((r) => server.close(r));
    const refused = createDb({ connectionString: `postgres://postgres@127.0.0.1:${port}/x`, max: 1 });
    const error = await sql`select 1`.execute(refused.db).catch((e: unknown) => e);
    await refused.destroy();
    expect(isDatabaseUnavailable(error)).toBe(true);
    const syntax = await sql`selec 1`.execute(handle.db).catch((e: unknown) => e);
    expect(isDatabaseUnavailable(syntax)).toBe(false);
  });

  it("classes every 'database went away' SQLSTATE the issue names as unavailable, and others not", () => {
    // 57P01 and resets happen for real above and in the fault test; the rest arrive the same way,
    // as a pg DatabaseError carrying the SQLSTATE (also wrapped as a cause by the caller).
    const asPg = (code: string) => Object.assign(new pg.DatabaseError(`sqlstate ${code}`, 0, "error"), { code });
    for (const code of ["57P01", "57P02", "57P03", "08000", "08003", "08006"]) {
      expect(isDatabaseUnavailable(asPg(code)), code).toBe(true);
      expect(isDatabaseUnavailable(new Error("wrapped", { cause: asPg(code) })), `${code} as a cause`).toBe(true);
    }
    for (const code of ["40P01", "40001", "23505", "42601", "57014"])
      expect(isDatabaseUnavailable(asPg(code)), code).toBe(false);
  });
});
