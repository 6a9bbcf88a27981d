/**
 * runJobsOnce (worker-pool.ts) resolves only once every job it ran is recorded. graphile-worker's
 * own runOnce does not wait for a job's fail/complete update, so tests reading the queue right
 * after it were flaky on a busy machine; here that update is made slow on purpose.
 */
import { useTestServices } from "@deltacrown/test-harness";
import { Logger } from "graphile-worker";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createTaskList } from "../src/index.ts";
import { runJobsOnce, workerPool } from "./worker-pool.ts";

describe("runJobsOnce", () => {
  const services = useTestServices();

  it("resolves after a failed job's error and back-off are written, however slow that write is", async () => {
    // This file's own database: a trigger that holds the update recording a failure for 0.5 s.
    await sql`
      create function slow_fail() returns trigger language plpgsql as $$
      begin
        if new.last_error is distinct from old.last_error then perform pg_sleep(0.5); end if;
        return new;
      end $$`.execute(services.db);
    await sql`
      create trigger slow_fail before update on graphile_worker._private_jobs
      for each row execute function slow_fail()`.execute(services.db);
    await sql`select graphile_worker.add_job('audit/write', '{"action": 7}'::json, max_attempts => 2)`.execute(
      services.db,
    );

    await runJobsOnce({
      pgPool: workerPool(services.pool),
      logger: new Logger(() => () => undefined),
      taskList: createTaskList({ deps: { db: services.db } }),
    });

    const { rows } = await sql<{ attempts: number; last_error: string | null; locked: boolean; later: boolean }>`
      select attempts, last_error, locked_at is not null as locked, run_at > now() as later
        from graphile_worker._private_jobs`.execute(services.db);
    expect(rows).toEqual([
      { attempts: 1, last_error: expect.stringMatching(/actorId|entityType|expected/), locked: false, later: true },
    ]);
  });
});
