/**
 * `legacy-import/batch` in the worker: registered in its task list, run within the per-item query
 * budget when the worker has the old site's database, and never picked by a worker without one.
 */
import { enqueue } from "@deltacrown/domain";
import { addBatchJob, openLegacySource, type LegacySource } from "@deltacrown/legacy-import";
import { LEGACY_SCHEMA, loadDump } from "@deltacrown/legacy-import/testing";
import { createTestDatabase, trackOpen, useTestServices, waitFor, type TestDatabase } from "@deltacrown/test-harness";
import { Logger } from "graphile-worker";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTaskList, JOB_ITEM_BUDGET, startWorker, type JobReport } from "../src/index.ts";
import { runJobsOnce, workerPool } from "./worker-pool.ts";

const HASH = "pbkdf2_sha256$260000$deltacrownseed$v9kRvnlugCW12Grjt0mSBxyxqWwlGXAXLEH1fJrCvWA=";

describe("legacy-import/batch in the worker", () => {
  const services = useTestServices();
  let legacyDb: TestDatabase;
  let legacy: LegacySource;

  beforeAll(async () => {
    legacyDb = await createTestDatabase({ empty: true });
    await loadDump(legacyDb.url, LEGACY_SCHEMA);
    legacy = openLegacySource(legacyDb.url);
    await sql`insert into public.auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
      values (${HASH}, false, 'old1', 'Old', 'One', 'old1@x.test', false, true, now()),
             (${HASH}, false, 'old2', '', '', 'OLD1@X.TEST', false, true, now())`.execute(legacy.db);
  });
  afterAll(async () => {
    await legacy?.destroy();
    await legacyDb?.drop();
  });

  const addBatch = (source: string) =>
    sql`select ${addBatchJob({ entity: "user", afterId: "0", batch: 1, batchSize: 1000, source })}`.execute(
      services.db,
    );
  const importJobs = async () =>
    (
      await sql<{ key: string; attempts: number; locked_by: string | null }>`
        select key, attempts, locked_by from graphile_worker.jobs where task_identifier = 'legacy-import/batch'
        order by id`.execute(services.db)
    ).rows;

  it("a worker without LEGACY_DATABASE_URL never picks an import batch", async () => {
    await addBatch(legacy.label);
    const worker = await startWorker({
      connectionString: services.url,
      deps: { db: services.db },
      pollIntervalMs: 50,
      heartbeatIntervalMs: false,
      crontab: false,
    });
    const untrack = trackOpen("worker", () => worker.stop());
    try {
      // A job it does run, enqueued after the import batch: once it is done, the batch was passed over.
      await enqueue(services.db, "rankings/leaderboards", {});
      await waitFor(
        async () =>
          (
            await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs
              where task_identifier = 'rankings/leaderboards'`.execute(services.db)
          ).rows[0]!.n === 0,
      );
    } finally {
      await worker.stop();
      untrack();
    }
    expect(await importJobs()).toEqual([{ key: "legacy-import:user:1", attempts: 0, locked_by: null }]);
  });

  it("with the old database, runs each batch within the per-item budget, chaining the next", async () => {
    const reports: JobReport[] = [];
    const drain = () =>
      runJobsOnce({
        pgPool: workerPool(services.pool),
        logger: new Logger(() => () => undefined),
        taskList: createTaskList({ deps: { db: services.db, legacy }, onJob: (r) => reports.push(r) }),
      });
    // Each batch enqueues the next in its own transaction; drain until the chain has ended.
    await waitFor(async () => {
      await drain();
      return (await importJobs()).length === 0;
    });
    const batches = reports.filter((r) => r.task === "legacy-import/batch");
    // One batch per entity: users, then nine entities with no rows in this legacy database.
    expect(batches.map((b) => b.ok)).toEqual(Array(10).fill(true));
    expect(Math.max(...batches.map((b) => b.ledger.count))).toBeLessThanOrEqual(JOB_ITEM_BUDGET);
    // old1 came across; old2's e-mail is old1's in other case: refused, with its reason.
    const users = await services.db.selectFrom("users").select(["username", "email"]).execute();
    expect(users).toEqual([{ username: "old1", email: "old1@x.test" }]);
    const refused = await services.db.selectFrom("legacy_import_refusals").select(["entity", "reason"]).execute();
    expect(refused).toEqual([{ entity: "user", reason: "email_case_duplicate" }]);
  });

  it("refuses a batch meant for another legacy database", async () => {
    await addBatch("elsewhere:5432/other");
    const reports: JobReport[] = [];
    await runJobsOnce({
      pgPool: workerPool(services.pool),
      logger: new Logger(() => () => undefined),
      taskList: createTaskList({ deps: { db: services.db, legacy }, onJob: (r) => reports.push(r) }),
    });
    expect(reports.find((r) => r.task === "legacy-import/batch")?.ok).toBe(false);
    expect((await importJobs())[0]).toMatchObject({ key: "legacy-import:user:1", attempts: 1 });
  });
});
