/**
 * The PgBouncer that CI's second pass puts in front of the test databases: our pools with
 * prepared statements off work through it, its counters show which database's statements went
 * through it, and it pools per transaction for real (an idle client holds no server connection).
 */
import { createDb } from "@deltacrown/db";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  pgbouncerBinary,
  pgbouncerShow,
  startPgBouncer,
  throughPgBouncer,
  useTestServices,
  type PgBouncer,
} from "../src/index.ts";

describe.skipIf(!pgbouncerBinary())("PgBouncer in transaction pooling mode", () => {
  const services = useTestServices();
  let bouncer: PgBouncer;
  const pool = async () => (await pgbouncerShow(bouncer.hostPort, "POOLS")).find((p) => p.database === services.name);
  beforeAll(async () => {
    bouncer = await startPgBouncer(services.directUrl);
  });
  afterAll(async () => {
    await bouncer?.stop();
  });

  it("runs our unprepared pools through it, and counts their transactions per database", async () => {
    const url = throughPgBouncer(services.directUrl, bouncer.hostPort);
    const database = createDb({ connectionString: url, max: 2, prepare: false });
    try {
      for (let i = 0; i < 5; i++) {
        const row = await database.db
          .selectFrom("games")
          .select(sql<number>`count(*)::int`.as("n"))
          .where("slug", "=", `game-${i}`)
          .executeTakeFirstOrThrow();
        expect(row.n).toBe(0);
      }
    } finally {
      await database.destroy();
    }
    const stats = (await pgbouncerShow(bouncer.hostPort, "STATS")).find((s) => s.database === services.name);
    expect(Number(stats?.total_xact_count)).toBeGreaterThanOrEqual(5);
  });

  it("holds a server connection for a client only while its transaction is open", async () => {
    const url = throughPgBouncer(services.directUrl, bouncer.hostPort);
    const a = new pg.Client({ connectionString: url });
    const b = new pg.Client({ connectionString: url });
    await Promise.all([a.connect(), b.connect()]);
    try {
      await a.query("BEGIN");
      const inA = (await a.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]!.pid;
      // a's open transaction keeps its server connection: b's statement runs on another one.
      const inB = (await b.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]!.pid;
      expect(inB).not.toBe(inA);
      expect(Number((await pool())?.sv_active)).toBe(1);
      await a.query("COMMIT");
      // Both clients still connected, neither holds a server connection (session pooling would hold two).
      const idle = await pool();
      expect(Number(idle?.cl_active) + Number(idle?.cl_idle ?? 0)).toBeGreaterThanOrEqual(2);
      expect(Number(idle?.sv_active)).toBe(0);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });
});
